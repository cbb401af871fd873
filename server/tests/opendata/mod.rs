//! 360Giving open data: the JSON package validates against the standard's schema (1.4.3,
//! copied into tests/fixtures with its licence notice), identifiers follow the rules for
//! each legal form, and the CSV carries the same grants under the standard's column titles.
use crate::both_backends;
use crate::common::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/360giving");
/// The package schema refers to the grant schema by its 1.4.2 address.
const GRANT_SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json";

fn validator() -> jsonschema::Validator {
    // Both files name their draft as "http://json-schema.org/draft/2020-12/schema" (http),
    // which validators do not recognise (see the fixtures' README): the draft is named
    // explicitly instead.
    let read = |name: &str| -> serde_json::Value {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap())
                .unwrap();
        v.as_object_mut().unwrap().remove("$schema");
        v
    };
    let package = read("360-giving-package-schema.json");
    let grant = read("360-giving-schema.json");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_resource(
            GRANT_SCHEMA_URL,
            jsonschema::Draft::Draft202012.create_resource(grant),
        )
        .build(&package)
        .unwrap()
}

both_backends!(
    the_360giving_package_validates_and_names_everyone_correctly,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let client = new_client();
        let res = client
            .get(app.url("/open-data/360giving.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "public, no sign-in");
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let package: serde_json::Value = res.json().await.unwrap();
        let v = validator();
        let errors: Vec<String> = v
            .iter_errors(&package)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // A broken grant is caught, so the check can fail.
        let mut broken = package.clone();
        broken["grants"][0]["amountAwarded"] = serde_json::json!("24000");
        assert!(!v.is_valid(&broken));

        let grants = package["grants"].as_array().unwrap();
        assert_eq!(grants.len(), 4, "the demo's four awards");
        let by_name = |name: &str| {
            grants
                .iter()
                .find(|g| g["recipientOrganization"][0]["name"] == name)
                .unwrap()
                .clone()
        };
        let chiropody = by_name("Step Forward Chiropody CIC");
        assert_eq!(
            chiropody["recipientOrganization"][0]["id"],
            "GB-COH-11223344"
        );
        assert_eq!(chiropody["amountAwarded"], 30000);
        assert!(chiropody["id"]
            .as_str()
            .unwrap()
            .starts_with("360G-seedbed-"));
        assert_eq!(chiropody["plannedDates"][0]["duration"], 24);
        assert_eq!(
            chiropody["grantProgramme"][0]["title"],
            server::cli::demo::CHIROPODY_ROUND
        );
        assert_eq!(
            by_name("Befriend Grimsby")["recipientOrganization"][0]["id"],
            "GB-CHC-1187654"
        );
        let church = by_name("St Mary's Church Meals and More");
        assert!(church["recipientOrganization"][0]["id"]
            .as_str()
            .unwrap()
            .starts_with("360G-seedbed-org-"));
        let funders: Vec<&str> = church["fundingOrganization"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            funders,
            vec!["GB-LAE-NEL", "GB-NHS-QOQ"],
            "both partners of the pooled fund"
        );
        assert_eq!(
            package["license"],
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        );

        // The CSV: one row per grant, the standard's titles, numbered funder columns.
        let res = client
            .get(app.url("/open-data/360giving.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let text = res.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        for column in [
            "Identifier",
            "Title",
            "Currency",
            "Amount Awarded",
            "Award Date",
            "Recipient Org:Identifier",
            "Recipient Org:Name",
            "Funding Org:Identifier",
            "Funding Org:Name",
            "Funding Org:Identifier 2",
            "Planned Dates:Duration (months)",
        ] {
            assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
        }
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), grants.len());
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        for (row, grant) in rows.iter().zip(grants) {
            assert_eq!(&row[col("Identifier")], grant["id"].as_str().unwrap());
            assert_eq!(
                row[col("Amount Awarded")].parse::<f64>().unwrap(),
                grant["amountAwarded"].as_f64().unwrap()
            );
            assert_eq!(
                &row[col("Recipient Org:Identifier")],
                grant["recipientOrganization"][0]["id"].as_str().unwrap()
            );
            assert_eq!(&row[col("Funding Org:Identifier 2")], "GB-NHS-QOQ");
        }

        // The public register: every award, filtered, with a CSV of the same rows.
        let (status, page, _) = app.get(&client, "/awards").await;
        assert_eq!(status, 200);
        assert!(page.contains("Register of awards"));
        assert!(page.contains("4 awards"), "{page}");
        assert!(page.contains("Step Forward Chiropody CIC") && page.contains("Company 11223344"));
        assert!(page.contains("Registered charity 1187654"));
        assert!(page.contains("Self-sustaining"));
        let round_id: i64 = sqlx::query_scalar("SELECT id FROM rounds WHERE title = $1")
            .bind(server::cli::demo::MEALS_ROUND)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let (_, page, _) = app.get(&client, &format!("/awards?round={round_id}")).await;
        assert!(page.contains("3 awards"), "{page}");
        assert!(!page.contains("Step Forward Chiropody CIC"));
        let (_, page, _) = app.get(&client, "/awards?year=1999").await;
        assert!(page.contains("0 awards"));
        let res = client
            .get(app.url(&format!("/awards.csv?round={round_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let text = res.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let names: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        assert_eq!(names.len(), 3, "{text}");
        assert!(names.contains(&"Befriend Grimsby".to_string()));
    }
);

both_backends!(
    each_financial_year_has_its_own_360giving_file,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let client = new_client();
        let fetch = |path: String| {
            let client = client.clone();
            async move {
                let res = client.get(app.url(&path)).send().await.unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            }
        };
        let (_, whole) = fetch("/open-data/360giving.json".into()).await;
        let whole: serde_json::Value = serde_json::from_str(&whole).unwrap();
        let mut every: Vec<String> = whole["grants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_string())
            .collect();
        every.sort();

        // The register lists a file for each financial year with awards.
        let (_, register, _) = app.get(&client, "/awards").await;
        assert!(register.contains("Open data for each financial year"));
        let links: Vec<String> = register
            .match_indices("/open-data/360giving/")
            .map(|(i, _)| {
                let rest = &register[i..];
                rest[..rest.find(".json").unwrap() + 5].to_string()
            })
            .collect();
        assert!(!links.is_empty(), "{register}");
        let v = validator();
        let mut seen = Vec::new();
        for link in &links {
            let (status, text) = fetch(link.clone()).await;
            assert_eq!(status, 200, "{link}");
            let package: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(v.is_valid(&package), "{link} validates");
            let first: i32 = link["/open-data/360giving/".len()..][..4].parse().unwrap();
            let (starts, ends) = (format!("{first}-04-01"), format!("{}-03-31", first + 1));
            assert!(package["title"]
                .as_str()
                .unwrap()
                .contains(&format!("{first} to {}", first + 1)));
            let grants = package["grants"].as_array().unwrap();
            assert!(!grants.is_empty(), "a listed year has awards: {link}");
            for g in grants {
                let day = g["awardDate"].as_str().unwrap();
                assert!(
                    starts.as_str() <= day && day <= ends.as_str(),
                    "{day} in {link}"
                );
                seen.push(g["id"].as_str().unwrap().to_string());
            }
        }
        seen.sort();
        assert_eq!(seen, every, "each grant is in exactly one year's file");

        // The standard has no empty package: a year without awards has no file, and
        // nothing else is a file either.
        let (status, text) = fetch("/open-data/360giving/2001-02.json".into()).await;
        assert_eq!(status, 404);
        assert!(text.contains("No grants were awarded in that financial year"));
        for bad in [
            "2025-27.json",
            "2025.json",
            "latest.json",
            "..%2F360giving.json",
        ] {
            let (status, _) = fetch(format!("/open-data/360giving/{bad}")).await;
            assert_eq!(status, 404, "{bad}");
        }
    }
);
