#![recursion_limit = "256"]
//! Seedbed: the Leptos application, rendered on the server and hydrated in the browser.
pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod mail;
pub mod pages;
pub mod web;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(test)]
#[cfg(feature = "ssr")]
mod layers;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en-GB" class="govuk-template govuk-template--rebranded">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#1d70b8"/>
                <link rel="icon" href="data:,"/>
                <link rel="stylesheet" href="/govuk.css"/>
                // `/pkg/seedbed.css`, or with LEPTOS_HASH_FILES=true (release builds,
                // docs/deploy.md) the name with its content's hash, cached for a year.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body class="govuk-template__body">
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    use pages::{
        account::*, admin::*, apply::bid_record::*, apply::bids::*, apply::interview::*,
        apply::organisations::*, assess::*, decide::board_moderation::*,
        decide::decision_report::*, decide::interviews::*, decide::meetings::*,
        decide::moderate_bid::*, decide::moderation::*, decide::pack::*, decide::sign_off::*,
        decide::variation_sign_off::*, fund::pooled::*, fund::questionnaire::*, fund::reports::*,
        fund::rounds::*, fund::statement::*, fund::year_end::*, market::gaps::*,
        market::services::*, monitor::clawbacks::*, monitor::portfolio::*, monitor::returns::*,
        monitor::scheme_changes::*, monitor::schemes::*, monitor::tranches::*,
        monitor::variations::*, public::contact::*, public::rounds::*, public::*,
    };
    provide_meta_context();
    let async_mode = SsrMode::Async;
    view! {
        <Title formatter=|text: String| format!("{text} – Seedbed")/>
        <Router>
            <pages::layout::Layout>
                <Routes fallback=|| view! { <components::NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage ssr=async_mode.clone()/>
                    <Route path=path!("/accessibility") view=AccessibilityPage ssr=async_mode.clone()/>
                    <Route path=path!("/contact") view=ContactPage ssr=async_mode.clone()/>
                    <Route path=path!("/privacy") view=PrivacyPage ssr=async_mode.clone()/>
                    <Route path=path!("/cookies") view=CookiesPage ssr=async_mode.clone()/>
                    <Route path=path!("/account") view=AccountPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/register") view=RegisterPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/check-email") view=CheckEmailPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/verify") view=VerifyPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/sign-in") view=SignInPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/forgot-password") view=ForgotPasswordPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/forgot-password/sent") view=ForgotSentPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/reset-password") view=ResetPasswordPage ssr=async_mode.clone()/>
                    <Route path=path!("/organisations") view=OrganisationsPage ssr=async_mode.clone()/>
                    <Route path=path!("/organisations/new") view=RegisterOrganisationPage ssr=async_mode.clone()/>
                    <Route path=path!("/organisations/join") view=JoinOrganisationPage ssr=async_mode.clone()/>
                    <Route path=path!("/organisations/:id") view=OrganisationPage ssr=async_mode.clone()/>
                    <Route path=path!("/organisations/:id/edit") view=EditOrganisationPage ssr=async_mode.clone()/>
                    <Route path=path!("/assess") view=AssessHomePage ssr=async_mode.clone()/>
                    <Route path=path!("/board") view=BoardPage ssr=async_mode.clone()/>
                    <Route path=path!("/assess/bids/:id") view=AssessBidPage ssr=async_mode.clone()/>
                    <Route path=path!("/assess/bids/:id/check") view=CheckScoresPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/assessment") view=PanelPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/lay-evaluators") view=LayEvaluatorsPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/interests") view=InterestsPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/assessment/bids/:bid") view=AssignBidPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/moderation") view=ModerationPage ssr=async_mode.clone()/>
                    <Route path=path!("/board/rounds/:id/decisions") view=DecisionReportPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/moderation/bids/:bid/interview") view=InvitePage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/moderation/bids/:bid") view=ModerateBidPage ssr=async_mode.clone()/>
                    <Route path=path!("/sign-off") view=SignOffListPage ssr=async_mode.clone()/>
                    <Route path=path!("/board/meetings") view=MeetingsPage ssr=async_mode.clone()/>
                    <Route path=path!("/board/rounds/:id/moderation") view=BoardModerationPage ssr=async_mode.clone()/>
                    <Route path=path!("/board/meetings/new") view=NewMeetingPage ssr=async_mode.clone()/>
                    <Route path=path!("/board/meetings/:id") view=MeetingPage ssr=async_mode.clone()/>
                    <Route path=path!("/board/meetings/:id/pack") view=PackPage ssr=async_mode.clone()/>
                    <Route path=path!("/sign-off/:bid") view=SignOffPage ssr=async_mode.clone()/>
                    <Route path=path!("/sign-off/variations/:variation") view=VariationSignOffPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/measures") view=MeasuresPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/report") view=RoundReportPage ssr=async_mode.clone()/>
                    <Route path=path!("/audit-trail") view=AuditPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/schemes") view=PortfolioPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/unit-costs") view=UnitCostsPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/unit-costs/new") view=UnitCostPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/unit-costs/:id") view=UnitCostPage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id") view=SchemePage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/tranches/:tid") view=TranchePage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/turn-down") view=TurnDownPage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/variation") view=AwardVariationPage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/end") view=EndSchemePage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/suspend") view=SuspendPage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/clawback") view=ClawbackPage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/clawbacks/:cid") view=RepaymentPage ssr=async_mode.clone()/>
                    <Route path=path!("/schemes/:id/returns/:rid") view=ReturnPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund") view=FundHomePage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/partners") view=PartnersPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/partners/:id") view=PartnerPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/pooled-funds/new") view=SetUpFundPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/pooled-funds/:year") view=FundPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/pooled-funds/:year/variation") view=VariationPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/pooled-funds/:year/year-end") view=YearEndPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/gaps") view=GapsPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/gaps/new") view=NewGapPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/gaps/:id") view=GapPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/gaps/:id/edit") view=EditGapPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/services") view=ServicesPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/services/new") view=NewServicePage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/services/:id") view=ServicePage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/services/:id/edit") view=EditServicePage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds") view=RoundsPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/new") view=NewRoundPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id") view=RoundAdminPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/edit") view=EditRoundPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/new-version") view=NewVersionPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/sections/new") view=NewSectionPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/sections/:sid") view=SectionPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/sections/:sid/questions/new") view=QuestionPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/sections/:sid/questions/:qid") view=QuestionPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/criteria/new") view=CriterionPage ssr=async_mode.clone()/>
                    <Route path=path!("/fund/rounds/:id/criteria/:cid") view=CriterionPage ssr=async_mode.clone()/>
                    <Route path=path!("/rounds/:id") view=PublicRoundPage ssr=async_mode.clone()/>
                    <Route path=path!("/rounds/:id/bid") view=StartBidPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids") view=BidsPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids/:id") view=BidTaskListPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids/:id/sections/:sid") view=BidSectionPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids/:id/sections/:sid/files/:qid") view=BidUploadPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids/:id/check") view=CheckAnswersPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids/:id/confirmation") view=BidConfirmationPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids/:id/interview") view=BidInterviewPage ssr=async_mode.clone()/>
                    <Route path=path!("/bids/:id/view") view=BidViewPage ssr=async_mode.clone()/>
                    <Route path=path!("/market-position") view=MarketPositionPage ssr=async_mode.clone()/>
                    <Route path=path!("/awards") view=AwardsPage ssr=async_mode.clone()/>
                    <Route path=path!("/admin/users") view=UsersPage ssr=async_mode.clone()/>
                    <Route path=path!("/admin/users/:id") view=UserPage ssr=async_mode.clone()/>
                </Routes>
            </pages::layout::Layout>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: pages are rendered on the server and work as plain HTML; only the components
    // marked #[island] (a counted textarea) run in the browser. Leptos's island script
    // hydrates them after this returns.
    leptos::mount::hydrate_islands();
    // A marker for people and tests: the page is interactive now. A timeout runs after
    // the island script has hydrated every island (that work is synchronous).
    set_timeout(
        || {
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
