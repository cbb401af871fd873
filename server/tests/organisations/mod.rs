//! Applicant organisations: registering one, and who may see it.
use super::common::*;
use crate::both_backends;

fn church() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "St Peter's Church"),
        ("legal_form", "registered_charity"),
        ("charity_number", ""),
        ("company_number", ""),
        ("address_line_1", "1 Church Lane"),
        ("address_line_2", ""),
        ("town", "Grimsby"),
        ("postcode", "DN31"),
        ("contact_name", "Ruth Evans"),
        ("contact_email", "ruth@example.org"),
        ("contact_phone", ""),
        ("income_band", "10k_100k"),
        ("area_served", "Grimsby"),
    ]
}

both_backends!(
    register_an_organisation_and_keep_it_private,
    async |app: &TestApp| {
        let ruth = app.signed_in_as("ruth@example.org", &[]).await;
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/register",
                "/organisations/new",
                &church(),
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/organisations/new"));
        let (_, page, _) = app.get(&ruth, "/organisations/new").await;
        assert!(page.contains("Enter the charity number"), "{page}");
        assert!(page.contains("Enter a full UK postcode, like DN31 1HU"));
        assert!(page.contains("value=\"1 Church Lane\""));
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations")
                .await,
            0
        );

        let mut form = church();
        form[2] = ("charity_number", "1123 456");
        form[3] = ("company_number", "ignored for a charity");
        form[7] = ("postcode", "dn31 1hu");
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/register",
                "/organisations/new",
                &form,
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some("/organisations/1"),
            "{}",
            res.body
        );
        let (status, page, _) = app.get(&ruth, "/organisations/1").await;
        assert_eq!(status, 200);
        assert!(page.contains("St Peter&#x27;s Church") || page.contains("St Peter's Church"));
        assert!(page.contains("1123456") && page.contains("DN31 1HU"));
        assert!(page.contains("Owner"));
        assert!(!page.contains("Companies House number"));
        let (_, page, _) = app.get(&ruth, "/organisations").await;
        assert!(page.contains("/organisations/1") && page.contains("(owner)"));

        // A CIC must give its company number; leading zeros are kept.
        let mut cic = church();
        cic[0] = ("name", "Happy Feet CIC");
        cic[1] = ("legal_form", "cic");
        cic[7] = ("postcode", "DN35 8AA");
        let res = app
            .post_js(&ruth, "/api/organisations/register", &cic)
            .await;
        assert_eq!(res.status, 400);
        assert!(res.body.contains("Enter the company number"));
        cic[3] = ("company_number", "1234567");
        let res = app
            .post_js(&ruth, "/api/organisations/register", &cic)
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let (_, page, _) = app.get(&ruth, "/organisations/2").await;
        assert!(page.contains("01234567"));

        // Someone else's organisation does not exist for other applicants; commissioners see it.
        let other = app.signed_in_as("other@example.org", &[]).await;
        let (status, _, _) = app.get(&other, "/organisations/1").await;
        assert_eq!(status, 404);
        let res = app
            .post_js(&other, "/api/organisations/detail", &[("id", "1")])
            .await;
        assert_eq!(res.status, 404);
        let (_, page, _) = app.get(&other, "/organisations").await;
        assert!(page.contains("You do not belong to any organisation yet"));
        let commissioner = app
            .signed_in_as("commissioner@example.org", &[Role::Commissioner])
            .await;
        let (status, _, _) = app.get(&commissioner, "/organisations/1").await;
        assert_eq!(status, 200);
        // Signed out: asked to sign in, nothing registered.
        let res = app
            .post_js(&new_client(), "/api/organisations/register", &form)
            .await;
        assert_eq!(res.status, 401);
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations")
                .await,
            2
        );
        assert_eq!(app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'organisation.registered'").await, 2);
    }
);
