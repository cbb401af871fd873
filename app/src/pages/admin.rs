use super::FormPage;
use crate::api::admin::{list_users, user_detail, SetRoles, UserRecord};
use crate::components::{
    error_view, urlencode, BackLink, Button, Checkboxes, Choice, ErrorSummary, FormErrors,
    PageTitle, Pagination, Select, SummaryList, SummaryRow, Tag, TagColour,
};
use crate::domain::roles::Role;
use crate::web::FlashedForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn users_href(page: i64, query: &str) -> String {
    if query.is_empty() {
        format!("/admin/users?page={page}")
    } else {
        format!("/admin/users?q={}&page={page}", urlencode(query))
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.get();
        let search = q.get("q").unwrap_or_default();
        let page = q
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1);
        (search, page)
    };
    let data = Resource::new(params, |(search, page)| list_users(search, page));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (search, _) = params();
                match data.await {
                    Err(e) => error_view(e),
                    Ok(page) => {
                        let count = match page.total {
                            1 => "1 user".to_string(),
                            n => format!("{n} users"),
                        };
                        let rows = page.users.into_iter().map(|u| {
                            let href = format!("/admin/users/{}", u.id);
                            let roles = if u.roles.is_empty() { "None".to_string() } else { u.roles };
                            view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell"><a class="govuk-link" href=href>{u.full_name}</a></td>
                                    <td class="govuk-table__cell">{u.email}</td>
                                    <td class="govuk-table__cell">{roles}</td>
                                    <td class="govuk-table__cell">{if u.email_verified {
                                        view! { <Tag text="Confirmed" colour=TagColour::Green/> }.into_any()
                                    } else {
                                        view! { <Tag text="Not confirmed" colour=TagColour::Grey/> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <PageTitle text="Users"/>
                            <h1 class="govuk-heading-l">"Users"</h1>
                            <p class="govuk-body">"Give people the roles they need: board members and lay evaluators score bids, commissioners run the fund and rounds, admins manage accounts. Applicants need no role: they act for their organisation."</p>
                            <p class="govuk-body"><a class="govuk-link" href="/audit-trail">"Audit trail of every change"</a></p>
                            <form method="get" action="/admin/users" class="seedbed-search" role="search">
                                <div class="govuk-form-group">
                                    <label class="govuk-label govuk-label--s" for="q">"Search by name or email"</label>
                                    <input class="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" value=search.clone()/>
                                </div>
                                <button type="submit" class="govuk-button govuk-button--secondary">"Search"</button>
                            </form>
                            <table class="govuk-table">
                                <caption class="govuk-table__caption govuk-table__caption--m">{count}</caption>
                                <thead class="govuk-table__head">
                                    <tr class="govuk-table__row">
                                        <th scope="col" class="govuk-table__header">"Name"</th>
                                        <th scope="col" class="govuk-table__header">"Email address"</th>
                                        <th scope="col" class="govuk-table__header">"Roles"</th>
                                        <th scope="col" class="govuk-table__header">"Email"</th>
                                    </tr>
                                </thead>
                                <tbody class="govuk-table__body">{rows}</tbody>
                            </table>
                            <Pagination page=page.page pages=page.pages href=users_href query=search/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let user_id = move || {
        params
            .get()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(user_id, user_detail);
    view! { <FormPage form="set_roles" data=data render=user_view/> }
}

fn user_view(stored: FlashedForm, user: UserRecord) -> impl IntoView {
    let action = ServerAction::<SetRoles>::new();
    let errors = FormErrors::from_stored(&stored);
    let checked: Vec<String> = if stored.errors.is_empty() {
        user.roles.iter().map(|r| r.code().to_string()).collect()
    } else {
        stored.values.keys().cloned().collect()
    };
    let represents = if stored.errors.is_empty() {
        user.constituency.clone()
    } else {
        stored.value("constituency")
    };
    let signs_for = if stored.errors.is_empty() {
        user.approver_for.clone()
    } else {
        stored.value("approver_for")
    };
    let partners = std::iter::once(Choice::new("", "Not a partner approver"))
        .chain(
            user.partners
                .iter()
                .map(|(id, name)| Choice::new(id.to_string(), name.clone())),
        )
        .collect();
    let constituencies = std::iter::once(Choice::new("", "Not a board member"))
        .chain(
            crate::domain::board::Constituency::ALL
                .iter()
                .map(|c| Choice::new(c.code(), c.label())),
        )
        .collect();
    let choices = Role::ALL
        .into_iter()
        .map(|r| Choice::new(r.code(), r.label()).with_hint(r.hint()))
        .collect();
    let history = user
        .history
        .clone()
        .into_iter()
        .map(|h| {
            let change = match (h.before, h.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                _ => String::new(),
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{h.when}</td>
                    <td class="govuk-table__cell">{h.summary}</td>
                    <td class="govuk-table__cell">{change}</td>
                </tr>
            }
        })
        .collect_view();
    let title = user.full_name.clone();
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href="/admin/users" text="Back to users"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">"User"</span>
                <h1 class="govuk-heading-l">{title}</h1>
                <SummaryList rows=vec![
                    SummaryRow::new("Email address", user.email.clone()),
                    SummaryRow::new("Email confirmed", if user.email_verified { "Yes" } else { "No" }),
                ]/>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="user_id" value=user.id.to_string()/>
                    <Checkboxes name="roles" legend="Roles" hint=if user.is_self { "You cannot remove your own admin role" } else { "Select all that apply" }
                        choices=choices checked=checked error=errors.for_field("roles")/>
                    <Select name="constituency" label="If a board member, who they represent" hint="Each board member represents one part of the community on the Board"
                        choices=constituencies value=represents error=errors.for_field("constituency")/>
                    <Select name="approver_for" label="If a partner approver, the partner they sign off for" hint="Money from the pooled fund is committed only when an approver of every partner has approved the award"
                        choices=partners value=signs_for error=errors.for_field("approver_for")/>
                    <Button text="Save roles"/>
                </ActionForm>
            </div>
        </div>
        <h2 class="govuk-heading-m">"History"</h2>
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">"Recent changes to this account"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"When"</th>
                    <th scope="col" class="govuk-table__header">"What happened"</th>
                    <th scope="col" class="govuk-table__header">"Change"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{history}</tbody>
        </table>
    }
}
