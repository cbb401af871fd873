pub mod contact;
pub mod rounds;
use crate::components::{error_view, filter_select, DataTable, PageTitle, Pagination};
use crate::pages::layout::use_shell;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let shell = use_shell();
    let signed_in = move || {
        shell
            .and_then(|s| s.0.get())
            .and_then(|r| r.ok())
            .map(|i| i.user.is_some())
            .unwrap_or(false)
    };
    view! {
        <PageTitle text="Seed funding for community services"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-xl">"Seed funding for community services"</h1>
                <p class="govuk-body-l">"The council and the NHS pool part of their health and social care budgets. The Preventative Services Market Development Board uses this pooled fund to give one-off seed funding to voluntary and community organisations that fill gaps in local services."</p>
                <p class="govuk-body">"A grant helps a new service start. Your bid must show how the service will pay its own way when the grant ends, for example by charging, other funding or volunteers."</p>
                <crate::pages::public::rounds::RoundList/>
                <h2 class="govuk-heading-m">"Grants we have awarded"</h2>
                <p class="govuk-body"><a class="govuk-link" href="/awards">"See the register of awards"</a>". Every grant is also published as open data in the 360Giving Data Standard, under the Open Government Licence:"</p>
                <ul class="govuk-list">
                    <li><a class="govuk-link" href="/open-data/360giving.json" rel="external">"Grants data in 360Giving JSON format"</a></li>
                    <li><a class="govuk-link" href="/open-data/360giving.csv" rel="external" download="">"Grants data as a spreadsheet (CSV)"</a></li>
                </ul>
                <Transition fallback=|| ()>
                    {move || (!signed_in()).then(|| view! {
                        <h2 class="govuk-heading-m">"Bid or assess"</h2>
                        <p class="govuk-body">"To bid for funding, or to score bids as a panel member, you need a Seedbed account."</p>
                        <a href="/account/register" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">
                            "Create an account"
                        </a>
                        <p class="govuk-body">"Already have an account? "<a class="govuk-link" href="/account/sign-in">"Sign in"</a></p>
                    })}
                </Transition>
            </div>
        </div>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <PageTitle text="Accessibility statement for Seedbed"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Accessibility statement for Seedbed"</h1>
                <p class="govuk-body">"This statement applies to Seedbed, the online service of the Preventative Services Market Development Board, where voluntary and community organisations bid for seed funding and panels assess bids."</p>
                <p class="govuk-body">"We want as many people as possible to be able to use this service. For example, you should be able to:"</p>
                <ul class="govuk-list govuk-list--bullet">
                    <li>"change colours, contrast levels and fonts using your browser or device settings"</li>
                    <li>"zoom in up to 400% without the text spilling off the screen"</li>
                    <li>"navigate the whole service using just a keyboard"</li>
                    <li>"use the whole service with JavaScript turned off"</li>
                    <li>"listen to the service using a screen reader, such as NVDA, JAWS or VoiceOver"</li>
                </ul>
                <h2 class="govuk-heading-m">"How accessible this service is"</h2>
                <p class="govuk-body">"We build Seedbed to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. Every page is tested automatically for accessibility problems each time the service changes. We are not aware of any part of the service that fails the standard. If you find one, please tell us."</p>
                <h2 class="govuk-heading-m">"Feedback and contact information"</h2>
                <p class="govuk-body">"If you need information from this service in a different format, such as large print, easy read, audio or braille, or you find a problem, "<a class="govuk-link" href="/contact">"contact the commissioning team"</a>". We will reply within 5 working days."</p>
                <h2 class="govuk-heading-m">"Enforcement procedure"</h2>
                <p class="govuk-body">"The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS)."</p>
                <h2 class="govuk-heading-m">"Compliance status"</h2>
                <p class="govuk-body">"This service is designed to be fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard."</p>
                <h2 class="govuk-heading-m">"Preparation of this statement"</h2>
                <p class="govuk-body">"This statement was prepared on 26 November 2026. It will be reviewed when the service changes significantly and at least once a year."</p>
            </div>
        </div>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <PageTitle text="Privacy notice"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Privacy notice"</h1>
                <p class="govuk-body">"This notice explains what personal data Seedbed holds, why, and your rights. The council is the data controller for Seedbed, acting with the NHS integrated care board under their Section 75 pooled fund agreement."</p>
                <h2 class="govuk-heading-m">"What we collect"</h2>
                <ul class="govuk-list govuk-list--bullet">
                    <li>"your name, email address and a scrambled (hashed) form of your password"</li>
                    <li>"the organisations you act for and the roles your account holds"</li>
                    <li>"what you enter in bids, scores and monitoring returns, which may include financial information about your organisation"</li>
                    <li>"a record of the actions you take, with the date and time, so that decisions about public money can be audited"</li>
                    <li>"the internet address your device used when you signed in, to protect accounts from password guessing"</li>
                </ul>
                <h2 class="govuk-heading-m">"Why we use it"</h2>
                <p class="govuk-body">"We use your data to run funding rounds, assess bids fairly, award and pay grants, and monitor funded services. Our lawful basis is public task: the council's and the NHS's duties to commission health and social care services."</p>
                <h2 class="govuk-heading-m">"Who can see it"</h2>
                <p class="govuk-body">"A bid can be seen only by members of the organisation that made it, by the assessors assigned to it who have declared no conflict of interest, and by commissioners. When a grant is awarded, the organisation's name, the amount and the purpose are published, as the law on transparency of public spending expects."</p>
                <h2 class="govuk-heading-m">"How long we keep it"</h2>
                <p class="govuk-body">"We keep records of bids and grants for 7 years after a grant ends, as required for public finance audits. Sign-in records are kept for 90 days."</p>
                <h2 class="govuk-heading-m">"Your rights"</h2>
                <p class="govuk-body">"You can ask to see the personal data we hold about you, to have it corrected, and in some cases to have it deleted or its use restricted. Contact the council's data protection officer. If you are unhappy with how we handle your data, you can complain to the Information Commissioner's Office (ICO)."</p>
            </div>
        </div>
    }
}

#[component]
pub fn CookiesPage() -> impl IntoView {
    view! {
        <PageTitle text="Cookies"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Cookies"</h1>
                <p class="govuk-body">"Cookies are small files saved on your phone, tablet or computer when you visit a website."</p>
                <p class="govuk-body">"Seedbed uses one essential cookie. It does not use analytics or advertising cookies, so we do not ask for your consent."</p>
                <h2 class="govuk-heading-m">"Essential cookie"</h2>
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--s">"Cookie that keeps you signed in"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Name"</th>
                            <th scope="col" class="govuk-table__header">"Purpose"</th>
                            <th scope="col" class="govuk-table__header">"Expires"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">"seedbed_session"</td>
                            <td class="govuk-table__cell">"Remembers that you are signed in, and what you typed into a form if there was a problem with it"</td>
                            <td class="govuk-table__cell">"After 2 hours without activity, or when you sign out"</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </div>
    }
}

fn register_href(page: i64, query: &str) -> String {
    format!("/awards?{query}&page={page}")
}

/// The public register of awards.
#[component]
pub fn AwardsPage() -> impl IntoView {
    use crate::api::public::{award_register, RegisterFilter};
    let query = leptos_router::hooks::use_query_map();
    let param = move |name: &'static str| move || query.get().get(name).unwrap_or_default();
    let (year, round, gap) = (param("year"), param("round"), param("gap"));
    let page = move || {
        query
            .get()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    };
    let data = Resource::new(
        move || (year(), round(), gap(), page()),
        |(year, round, gap, page)| award_register(year, round, gap, page),
    );
    view! {
        <PageTitle text="Register of awards"/>
        <h1 class="govuk-heading-l">"Register of awards"</h1>
        <p class="govuk-body">"Every grant the Board has awarded from the pooled fund: who received it, from which round, for what, how much and when, and whether the service now sustains itself."</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let filter = RegisterFilter { year: year(), round: round(), gap: gap() };
                match data.await {
                    Err(e) => error_view(e),
                    Ok(d) => {
                        let count = match d.total {
                            1 => "1 award".to_string(),
                            n => format!("{n} awards"),
                        };
                        let rows = d.rows.iter().map(|r| view! {
                            <tr class="govuk-table__row">
                                <td class="govuk-table__cell">{r.organisation.clone()}{(!r.numbers.is_empty()).then(|| view! { <br/><span class="govuk-body-s">{r.numbers.clone()}</span> })}</td>
                                <td class="govuk-table__cell">{r.round.clone()}</td>
                                <td class="govuk-table__cell">{r.purpose.clone()}</td>
                                <td class="govuk-table__cell govuk-table__cell--numeric">{r.amount.display()}</td>
                                <td class="govuk-table__cell">{r.award_date.clone()}</td>
                                <td class="govuk-table__cell">{r.status.clone()}</td>
                            </tr>
                        }).collect_view();
                        let years = d.years.iter().map(|y| (y.clone(), y.clone())).collect();
                        let rounds = d.rounds.iter().map(|(id, t)| (id.to_string(), t.clone())).collect();
                        let gaps = d.gaps.iter().map(|(id, t)| (id.to_string(), t.clone())).collect();
                        let csv = format!("/awards.csv?{}", filter.query());
                        view! {
                            <form method="get" action="/awards" class="seedbed-search">
                                {filter_select("year", "Year awarded", "All years", years, filter.year.clone())}
                                {filter_select("round", "Round", "All rounds", rounds, filter.round.clone())}
                                {filter_select("gap", "Gap in services", "All gaps", gaps, filter.gap.clone())}
                                <button type="submit" class="govuk-button govuk-button--secondary">"Filter"</button>
                            </form>
                            <p class="govuk-body"><a class="govuk-link" href=csv rel="external" download="">"Download these awards (CSV)"</a></p>
                            {(!d.open_data_years.is_empty()).then(|| {
                                let files = d.open_data_years.iter().map(|(href, label)| view! {
                                    <li><a class="govuk-link" href=href.clone() rel="external">{format!("Grants awarded in {label} (360Giving JSON)")}</a></li>
                                }).collect_view();
                                view! {
                                    <details class="govuk-details">
                                        <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Open data for each financial year"</span></summary>
                                        <div class="govuk-details__text">
                                            <p class="govuk-body">"One 360Giving file per financial year (1 April to 31 March), by the date each grant was awarded."</p>
                                            <ul class="govuk-list">{files}</ul>
                                        </div>
                                    </details>
                                }
                            })}
                            <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Awards (scrolls sideways)">
                                <DataTable caption=count headings=vec!["Organisation", "Round", "Purpose", "Amount", "Awarded", "Status"] numeric=vec![3]>
                                    {rows}
                                </DataTable>
                            </div>
                            <Pagination page=d.page pages=d.pages href=register_href query=filter.query()/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
