//! Registering an organisation, the list of a user's organisations, an organisation's page.
use crate::api::apply::organisations::{
    invitation, my_organisations, organisation_detail, AcceptInvitation, ActFor, HandOver,
    InvitationInfo, InviteMember, OrganisationRecord, RegisterOrganisation, RemoveMember,
    UpdateOrganisation, UPDATE_ORGANISATION_FORM,
};
use crate::components::{
    error_view, urlencode, BackLink, Button, Choice, ErrorSummary, FormErrors, PageTitle, Radios,
    SmallForm, SummaryList, SummaryRow, TextInput,
};
use crate::domain::organisation::{numbers_for, IncomeBand, OrganisationForm};
use crate::domain::round::LegalForm;
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_organisations());
    let choose = ServerAction::<ActFor>::new();
    let errors = FormErrors::from_stored(&FlashedForm::default());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(list) => {
                        let empty = list.is_empty();
                        let several = list.len() > 1;
                        let acting = list.iter().find(|o| o.acting).map(|o| o.name.clone());
                        let items = list.into_iter().map(|o| {
                            let name = o.name.clone();
                            view! {
                                <li>
                                    <a class="govuk-link" href=format!("/organisations/{}", o.id)>{o.name}</a>
                                    {o.is_owner.then(|| view! { <span class="seedbed-tag-gap">"(owner)"</span> })}
                                    {o.acting.then(|| view! { <strong class="govuk-tag govuk-tag--green seedbed-tag-gap">"Acting for"</strong> })}
                                    {(several && !o.acting).then(|| view! {
                                        <SmallForm action=choose fields=vec![("organisation_id", o.id.to_string())] text="Act for this organisation" hidden_context=name.clone()/>
                                    })}
                                </li>
                            }
                        }).collect_view();
                        let acting_text = match (acting, several) {
                            (Some(name), _) => Some(format!("You are acting for {name}. Bids you start are for this organisation.")),
                            (None, true) => Some("You belong to more than one organisation. Choose which one you act for.".to_string()),
                            (None, false) => None,
                        };
                        view! {
                            <PageTitle text="Your organisations"/>
                            <h1 class="govuk-heading-l">"Your organisations"</h1>
                            <ErrorSummary errors=errors/>
                            <p class="govuk-body">"You bid for funding on behalf of an organisation. Register yours, or ask its owner to invite you."</p>
                            {acting_text.map(|t| view! { <p class="govuk-body">{t}</p> })}
                            {if empty {
                                view! { <p class="govuk-body">"You do not belong to any organisation yet."</p> }.into_any()
                            } else {
                                view! { <ul class="govuk-list govuk-list--bullet">{items}</ul> }.into_any()
                            }}
                            <a href="/organisations/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Register an organisation"</a>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn RegisterOrganisationPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| crate::api::access_check("signed_in".into()));
    view! { <crate::pages::FormPage form="register_organisation" data=data render=|stored, ()| organisation_form(stored)/> }
}

fn legal_form_hint(form: LegalForm) -> &'static str {
    match numbers_for(form) {
        (Some(true), None) => "You will need its charity number",
        (Some(false), Some(true)) => {
            "You will need its company number, and its charity number if it has one"
        }
        (None, Some(true)) => "You will need its company number",
        (Some(false), None) => "Give its charity number if it is a registered charity",
        _ => "No registration number needed",
    }
}

fn organisation_form(stored: FlashedForm) -> impl IntoView {
    let action = ServerAction::<RegisterOrganisation>::new();
    let errors = FormErrors::from_stored(&stored);
    view! {
        <PageTitle text="Register an organisation" errors=errors/>
        <BackLink href="/organisations" text="Back to your organisations"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Register an organisation"</h1>
                <p class="govuk-body">"You will be the organisation's owner on Seedbed. You can invite colleagues afterwards."</p>
                <ActionForm action=action attr:novalidate=true>
                    {organisation_fields(&stored, &OrganisationForm::default(), errors)}
                    <Button text="Register organisation"/>
                </ActionForm>
            </div>
        </div>
    }
}

/// The organisation's fields, as typed (`stored`) or as saved.
fn organisation_fields(
    stored: &FlashedForm,
    saved: &OrganisationForm,
    errors: FormErrors,
) -> impl IntoView {
    let v = |name: &str, saved: &str| crate::pages::pick(stored, name, saved);
    let forms = LegalForm::ALL
        .iter()
        .map(|f| Choice::new(f.code(), f.label()).with_hint(legal_form_hint(*f)))
        .collect();
    let bands = IncomeBand::ALL
        .iter()
        .map(|b| Choice::new(b.code(), b.label()))
        .collect();
    view! {
        <TextInput name="name" label="Organisation name" value=v("name", &saved.name) error=errors.for_field("name") autocomplete="organization"/>
        <Radios name="legal_form" legend="Legal form" choices=forms value=v("legal_form", &saved.legal_form) error=errors.for_field("legal_form")/>
        <TextInput name="charity_number" label="Charity number (if it has one)" hint="Registered with the Charity Commission for England and Wales, for example 1123456"
            width_class="govuk-input--width-10" spellcheck=false value=v("charity_number", &saved.charity_number) error=errors.for_field("charity_number")/>
        <TextInput name="company_number" label="Companies House number (if it has one)" hint="8 characters, for example 01234567 or SC123456"
            width_class="govuk-input--width-10" spellcheck=false value=v("company_number", &saved.company_number) error=errors.for_field("company_number")/>
        <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Registered address"</legend>
            <TextInput name="address_line_1" label="Address line 1" autocomplete="address-line1"
                value=v("address_line_1", &saved.address_line_1) error=errors.for_field("address_line_1")/>
            <TextInput name="address_line_2" label="Address line 2 (optional)" autocomplete="address-line2"
                value=v("address_line_2", &saved.address_line_2) error=errors.for_field("address_line_2")/>
            <TextInput name="town" label="Town or city" autocomplete="address-level2" width_class="govuk-!-width-two-thirds"
                value=v("town", &saved.town) error=errors.for_field("town")/>
            <TextInput name="postcode" label="Postcode" autocomplete="postal-code" width_class="govuk-input--width-10"
                value=v("postcode", &saved.postcode) error=errors.for_field("postcode")/>
        </fieldset>
        <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Main contact"</legend>
            <TextInput name="contact_name" label="Full name" autocomplete="name"
                value=v("contact_name", &saved.contact_name) error=errors.for_field("contact_name")/>
            <TextInput name="contact_email" label="Email address" input_type="email" autocomplete="email" spellcheck=false
                value=v("contact_email", &saved.contact_email) error=errors.for_field("contact_email")/>
            <TextInput name="contact_phone" label="Phone number (optional)" input_type="tel" autocomplete="tel" width_class="govuk-input--width-20"
                value=v("contact_phone", &saved.contact_phone) error=errors.for_field("contact_phone")/>
        </fieldset>
        <Radios name="income_band" legend="Annual income" hint="Your income in your last accounts, or expected this year"
            choices=bands value=v("income_band", &saved.income_band) error=errors.for_field("income_band")/>
        <TextInput name="area_served" label="Area served" hint="For example, Grimsby and Cleethorpes"
            value=v("area_served", &saved.area_served) error=errors.for_field("area_served")/>
    }
}

/// The owner corrects the organisation's details.
#[component]
pub fn EditOrganisationPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, organisation_detail);
    view! { <crate::pages::FormPage form=UPDATE_ORGANISATION_FORM data=data render=edit_view/> }
}

fn edit_view(stored: FlashedForm, r: OrganisationRecord) -> impl IntoView {
    let action = ServerAction::<UpdateOrganisation>::new();
    let errors = FormErrors::from_stored(&stored);
    let back = format!("/organisations/{}", r.id);
    let title = "Change your organisation's details";
    let body = if r.my_role == "owner" {
        let saved = OrganisationForm::from(&r.organisation);
        view! {
            <p class="govuk-body">"Commissioners and the assessors of your bids see these details. Changes show on every bid, including bids already sent."</p>
            <ActionForm action=action attr:novalidate=true>
                <input type="hidden" name="organisation_id" value=r.id.to_string()/>
                {organisation_fields(&stored, &saved, errors)}
                <Button text="Save changes"/>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <p class="govuk-body">"Only the organisation's owner can change its details. Ask them, or "<a class="govuk-link" href="/contact">"contact the commissioning team"</a>"."</p> }
            .into_any()
    };
    view! {
        <PageTitle text=title errors=errors/>
        <BackLink href=back text="Back to the organisation"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{r.organisation.name.clone()}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                {body}
            </div>
        </div>
    }
}

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, organisation_detail);
    let invite = Resource::new(|| (), |_| crate::api::form_state("invite_member".into()));
    let action = Resource::new(
        || (),
        |_| crate::api::form_state("organisation_action".into()),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let invite = invite.await.unwrap_or_default();
                let action = action.await.unwrap_or_default();
                match data.await {
                    Err(e) => error_view(e),
                    Ok(r) => organisation_view(r, invite, action).into_any(),
                }
            })}
        </Transition>
    }
}

fn organisation_view(
    r: OrganisationRecord,
    stored_invite: FlashedForm,
    stored_action: FlashedForm,
) -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let hand = ServerAction::<HandOver>::new();
    let errors =
        FormErrors::from_stored(&stored_invite).and(FormErrors::from_stored(&stored_action));
    let is_owner = r.my_role == "owner";
    let org_id = r.id;
    let me = r.me;
    let o = r.organisation;
    let rows = organisation_rows(&o);
    let members = r
        .members
        .into_iter()
        .map(|m| {
            let actions = (is_owner && m.user_id != me).then(|| view! {
                <SmallForm action=hand fields=vec![("organisation_id", org_id.to_string()), ("user_id", m.user_id.to_string())] text="Make owner" hidden_context=m.name.clone()/>
                <SmallForm action=remove fields=vec![("organisation_id", org_id.to_string()), ("user_id", m.user_id.to_string())] text="Remove" hidden_context=m.name.clone() class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"/>
            });
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{m.name.clone()}</td>
                    <td class="govuk-table__cell">{m.email.clone()}</td>
                    <td class="govuk-table__cell">{if m.is_owner { "Owner" } else { "Member" }}</td>
                    <td class="govuk-table__cell seedbed-actions">{actions}</td>
                </tr>
            }
        })
        .collect_view();
    let pending = r
        .pending
        .into_iter()
        .map(|(email, expires)| view! { <li>{format!("{email} (invitation expires {expires})")}</li> })
        .collect_view();
    view! {
        <PageTitle text=o.name.clone() errors=errors/>
        <BackLink href="/organisations" text="Back to your organisations"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">"Organisation"</span>
        <h1 class="govuk-heading-l">{o.name.clone()}</h1>
        <SummaryList rows=rows/>
        {is_owner.then(|| view! {
            <p class="govuk-body"><a class="govuk-link" href=format!("/organisations/{org_id}/edit")>"Change the organisation's details"</a></p>
        })}
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--m">"Members"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Name"</th>
                    <th scope="col" class="govuk-table__header">"Email address"</th>
                    <th scope="col" class="govuk-table__header">"Role"</th>
                    <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{members}</tbody>
        </table>
        {is_owner.then(|| view! {
            <div class="govuk-grid-row">
                <div class="govuk-grid-column-two-thirds">
                    <h2 class="govuk-heading-m">"Invite a colleague"</h2>
                    <p class="govuk-body">"We will email them a link to join. It works once and expires in 7 days. They must sign in with the same email address."</p>
                    <ActionForm action=invite attr:novalidate=true>
                        <input type="hidden" name="organisation_id" value=org_id.to_string()/>
                        <TextInput name="email" label="Their email address" input_type="email" autocomplete="off" spellcheck=false
                            value=stored_invite.value("email") error=errors.for_field("email")/>
                        <Button text="Send invitation"/>
                    </ActionForm>
                    <h3 class="govuk-heading-s">"Invitations waiting"</h3>
                    <ul class="govuk-list">{pending}</ul>
                </div>
            </div>
        })}
    }
}

/// Where an emailed invitation lands.
#[component]
pub fn JoinOrganisationPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.get().get("token").unwrap_or_default();
    let data = Resource::new(token, invitation);
    view! { <crate::pages::FormPage form="accept_invitation" data=data render=move |stored, info| join_view(stored, info, token())/> }
}

fn join_view(stored: FlashedForm, info: Option<InvitationInfo>, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let errors = FormErrors::from_stored(&stored);
    let next = urlencode(&format!("/organisations/join?token={token}"));
    let body = match info {
        None => view! {
            <h1 class="govuk-heading-l">"This invitation has expired"</h1>
            <p class="govuk-body">"The link has expired or has already been used. Ask the organisation's owner to invite you again."</p>
        }
        .into_any(),
        Some(i) => {
            let heading = format!("Join {}", i.organisation);
            match i.signed_in_as {
                None => view! {
                    <h1 class="govuk-heading-l">{heading}</h1>
                    <p class="govuk-body">{format!("This invitation is for {}. Sign in with that email address to accept it.", i.email)}</p>
                    <a href=format!("/account/sign-in?next={next}") role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Sign in"</a>
                    <p class="govuk-body">"No account yet? "<a class="govuk-link" href="/account/register">"Create an account"</a>" with that email address, then open the link in the invitation again."</p>
                }
                .into_any(),
                Some(me) if me != i.email => view! {
                    <h1 class="govuk-heading-l">{heading}</h1>
                    <p class="govuk-body">{format!("This invitation is for {}, but you are signed in as {me}. Sign out, then sign in with {} to accept it.", i.email, i.email)}</p>
                }
                .into_any(),
                Some(_) => view! {
                    <h1 class="govuk-heading-l">{heading}</h1>
                    <p class="govuk-body">"As a member you can see and work on the organisation's bids."</p>
                    <ActionForm action=action>
                        <input type="hidden" name="token" value=token.clone()/>
                        <Button text="Accept invitation"/>
                    </ActionForm>
                }
                .into_any(),
            }
        }
    };
    view! {
        <PageTitle text="Join an organisation" errors=errors/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                {body}
            </div>
        </div>
    }
}

/// An organisation's details as summary rows (its page, and the bid's first section).
pub fn organisation_rows(o: &crate::domain::organisation::Organisation) -> Vec<SummaryRow> {
    o.details()
        .into_iter()
        .map(|(label, value)| SummaryRow::new(label, value))
        .collect()
}
