//! The access matrix: who may use every page, server function and file route. The router
//! (app::App's routes, the server functions and [`crate::file_route_paths`]) is the list of
//! what exists; this file says who each one is for. The security test
//! (server/tests/security/matrix.rs) generates the routes from the router, fails when one has
//! no entry here (or an entry names a route that no longer exists), then asks every route as
//! every kind of person and fails on any answer the matrix does not expect.
//!
//! Samples use placeholders the test fills from the demo data: `{round}` (the pilot round, in
//! assessment), `{open}` (a round open for bids), `{bid}` (applicant A's bid in the pilot),
//! `{section}`, `{question}`, `{criterion}` (of the pilot round), `{org}` (A's organisation),
//! `{scheme}`, `{tranche}`, `{return}` (a funded scheme A is a member of), `{recommended}` (the
//! pilot's bid recommended for an award, awaiting sign-off), `{meeting}` (the demo's board
//! meeting), `{variation}` (a variation to A's scheme awaiting the partners' sign-off), `{gap}`,
//! `{service}`, `{unit_cost}`, `{partner}`, `{year}` (this year's pooled fund), `{user}`.

/// The people the matrix is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    SignedOut,
    /// A member of the organisation that owns the bid and the scheme.
    ApplicantA,
    /// A member of another organisation (with its own bid in the same round).
    ApplicantB,
    /// Assigned to the bid, no conflict.
    BoardMember,
    /// Assigned to the bid, but declared a conflict of interest in it.
    ConflictedBoardMember,
    /// Assigned to the bid (the carers' section), no conflict.
    LayEvaluator,
    Commissioner,
    /// A partner approver (the ICB's), with the pilot's recommended award awaiting them.
    Approver,
    Admin,
}

impl Who {
    pub const ALL: [Who; 9] = [
        Who::SignedOut,
        Who::ApplicantA,
        Who::ApplicantB,
        Who::BoardMember,
        Who::ConflictedBoardMember,
        Who::LayEvaluator,
        Who::Commissioner,
        Who::Approver,
        Who::Admin,
    ];
}

/// Who a route is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// The organisation's members, and commissioners (read-only views of its records).
    MemberOrCommissioner,
    /// The organisation's members only (its own actions).
    Member,
    /// Board members and lay evaluators.
    Assessors,
    /// Board members (with or without a conflict in a bid) and commissioners.
    BoardOrCommissioner,
    /// An assessor assigned to the bid without a conflict.
    AssignedAssessor,
    Commissioner,
    CommissionerOrAdmin,
    /// A partner approver (joint sign-off).
    PartnerApprover,
    /// Board members, commissioners and partner approvers (board meetings and packs).
    BoardCommissionerOrApprover,
    /// A board member who has finished every bid of the round assigned to them (scored it or
    /// declared a conflict): no one in the demo's state, where no one has scored yet.
    BoardWhoScored,
    Admin,
}

impl Access {
    pub fn allows(self, who: Who) -> bool {
        use Who::*;
        match self {
            Access::Public => true,
            Access::SignedIn => who != SignedOut,
            Access::MemberOrCommissioner => matches!(who, ApplicantA | Commissioner),
            Access::Member => who == ApplicantA,
            Access::Assessors => matches!(who, BoardMember | ConflictedBoardMember | LayEvaluator),
            Access::BoardOrCommissioner => {
                matches!(who, BoardMember | ConflictedBoardMember | Commissioner)
            }
            Access::AssignedAssessor => matches!(who, BoardMember | LayEvaluator),
            Access::Commissioner => who == Commissioner,
            Access::CommissionerOrAdmin => matches!(who, Commissioner | Admin),
            Access::PartnerApprover => who == Approver,
            Access::BoardWhoScored => false,
            Access::BoardCommissionerOrApprover => {
                matches!(
                    who,
                    BoardMember | ConflictedBoardMember | Commissioner | Approver
                )
            }
            Access::Admin => who == Admin,
        }
    }
}

/// A page: its route as the router spells it, an address to ask, who may see it.
pub struct Page {
    pub route: &'static str,
    pub sample: &'static str,
    pub access: Access,
}

const fn page(route: &'static str, sample: &'static str, access: Access) -> Page {
    Page {
        route,
        sample,
        access,
    }
}

use Access::*;

pub const PAGES: &[Page] = &[
    page("/", "/", Public),
    page("/accessibility", "/accessibility", Public),
    page("/privacy", "/privacy", Public),
    page("/cookies", "/cookies", Public),
    page("/contact", "/contact", Public),
    page("/account", "/account", SignedIn),
    page("/account/register", "/account/register", Public),
    page("/account/check-email", "/account/check-email", Public),
    page("/account/verify", "/account/verify", Public),
    page("/account/sign-in", "/account/sign-in", Public),
    page(
        "/account/forgot-password",
        "/account/forgot-password",
        Public,
    ),
    page(
        "/account/forgot-password/sent",
        "/account/forgot-password/sent",
        Public,
    ),
    page("/account/reset-password", "/account/reset-password", Public),
    page("/organisations", "/organisations", SignedIn),
    page("/organisations/new", "/organisations/new", SignedIn),
    page("/organisations/join", "/organisations/join", Public),
    page(
        "/organisations/:id",
        "/organisations/{org}",
        MemberOrCommissioner,
    ),
    page(
        "/organisations/:id/edit",
        "/organisations/{org}/edit",
        MemberOrCommissioner,
    ),
    page("/assess", "/assess", Assessors),
    page("/board", "/board", BoardOrCommissioner),
    page("/sign-off", "/sign-off", PartnerApprover),
    page(
        "/board/meetings",
        "/board/meetings",
        BoardCommissionerOrApprover,
    ),
    page(
        "/board/rounds/:id/moderation",
        "/board/rounds/{round}/moderation",
        BoardWhoScored,
    ),
    page("/board/meetings/new", "/board/meetings/new", Commissioner),
    page(
        "/board/meetings/:id",
        "/board/meetings/{meeting}",
        BoardCommissionerOrApprover,
    ),
    page(
        "/board/meetings/:id/pack",
        "/board/meetings/{meeting}/pack",
        BoardCommissionerOrApprover,
    ),
    page("/sign-off/:bid", "/sign-off/{recommended}", PartnerApprover),
    page(
        "/sign-off/variations/:variation",
        "/sign-off/variations/{variation}",
        PartnerApprover,
    ),
    page("/assess/bids/:id", "/assess/bids/{bid}", AssignedAssessor),
    page(
        "/assess/bids/:id/check",
        "/assess/bids/{bid}/check",
        AssignedAssessor,
    ),
    page(
        "/fund/rounds/:id/assessment",
        "/fund/rounds/{round}/assessment",
        Commissioner,
    ),
    page("/fund/lay-evaluators", "/fund/lay-evaluators", Commissioner),
    page(
        "/fund/rounds/:id/interests",
        "/fund/rounds/{round}/interests",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/assessment/bids/:bid",
        "/fund/rounds/{round}/assessment/bids/{bid}",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/moderation",
        "/fund/rounds/{round}/moderation",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/moderation/bids/:bid",
        "/fund/rounds/{round}/moderation/bids/{bid}",
        Commissioner,
    ),
    page(
        "/board/rounds/:id/decisions",
        "/board/rounds/{round}/decisions",
        BoardCommissionerOrApprover,
    ),
    page(
        "/fund/rounds/:id/moderation/bids/:bid/interview",
        "/fund/rounds/{round}/moderation/bids/{bid}/interview",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/measures",
        "/fund/rounds/{round}/measures",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/report",
        "/fund/rounds/{round}/report",
        Commissioner,
    ),
    page("/audit-trail", "/audit-trail", CommissionerOrAdmin),
    page("/fund/schemes", "/fund/schemes", BoardOrCommissioner),
    page("/fund/unit-costs", "/fund/unit-costs", Commissioner),
    page("/fund/unit-costs/new", "/fund/unit-costs/new", Commissioner),
    page(
        "/fund/unit-costs/:id",
        "/fund/unit-costs/{unit_cost}",
        Commissioner,
    ),
    page("/schemes/:id", "/schemes/{scheme}", MemberOrCommissioner),
    page(
        "/schemes/:id/tranches/:tid",
        "/schemes/{scheme}/tranches/{tranche}",
        MemberOrCommissioner,
    ),
    page(
        "/schemes/:id/variation",
        "/schemes/{scheme}/variation",
        MemberOrCommissioner,
    ),
    page(
        "/schemes/:id/turn-down",
        "/schemes/{scheme}/turn-down",
        Member,
    ),
    page(
        "/schemes/:id/suspend",
        "/schemes/{scheme}/suspend",
        Commissioner,
    ),
    page("/schemes/:id/end", "/schemes/{scheme}/end", Commissioner),
    page(
        "/schemes/:id/clawback",
        "/schemes/{scheme}/clawback",
        Commissioner,
    ),
    page(
        "/schemes/:id/clawbacks/:cid",
        "/schemes/{scheme}/clawbacks/{clawback}",
        Commissioner,
    ),
    page(
        "/schemes/:id/returns/:rid",
        "/schemes/{scheme}/returns/{return}",
        MemberOrCommissioner,
    ),
    page("/fund", "/fund", Commissioner),
    page("/fund/partners", "/fund/partners", Commissioner),
    page(
        "/fund/partners/:id",
        "/fund/partners/{partner}",
        Commissioner,
    ),
    page(
        "/fund/pooled-funds/new",
        "/fund/pooled-funds/new",
        Commissioner,
    ),
    page(
        "/fund/pooled-funds/:year",
        "/fund/pooled-funds/{year}",
        BoardCommissionerOrApprover,
    ),
    page(
        "/fund/pooled-funds/:year/year-end",
        "/fund/pooled-funds/{year}/year-end",
        BoardCommissionerOrApprover,
    ),
    page(
        "/fund/pooled-funds/:year/variation",
        "/fund/pooled-funds/{year}/variation",
        Commissioner,
    ),
    page("/fund/gaps", "/fund/gaps", BoardOrCommissioner),
    page("/fund/gaps/new", "/fund/gaps/new", Commissioner),
    page("/fund/gaps/:id", "/fund/gaps/{gap}", BoardOrCommissioner),
    page("/fund/gaps/:id/edit", "/fund/gaps/{gap}/edit", Commissioner),
    page("/fund/services", "/fund/services", Commissioner),
    page("/fund/services/new", "/fund/services/new", Commissioner),
    page(
        "/fund/services/:id",
        "/fund/services/{service}",
        Commissioner,
    ),
    page(
        "/fund/services/:id/edit",
        "/fund/services/{service}/edit",
        Commissioner,
    ),
    page("/fund/rounds", "/fund/rounds", Commissioner),
    page("/fund/rounds/new", "/fund/rounds/new", Commissioner),
    page("/fund/rounds/:id", "/fund/rounds/{round}", Commissioner),
    page(
        "/fund/rounds/:id/edit",
        "/fund/rounds/{round}/edit",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/new-version",
        "/fund/rounds/{round}/new-version",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/sections/new",
        "/fund/rounds/{round}/sections/new",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/sections/:sid",
        "/fund/rounds/{round}/sections/{section}",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/sections/:sid/questions/new",
        "/fund/rounds/{round}/sections/{section}/questions/new",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/sections/:sid/questions/:qid",
        "/fund/rounds/{round}/sections/{section}/questions/{question}",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/criteria/new",
        "/fund/rounds/{round}/criteria/new",
        Commissioner,
    ),
    page(
        "/fund/rounds/:id/criteria/:cid",
        "/fund/rounds/{round}/criteria/{criterion}",
        Commissioner,
    ),
    page("/rounds/:id", "/rounds/{open}", Public),
    page("/rounds/:id/bid", "/rounds/{open}/bid", SignedIn),
    page("/bids", "/bids", SignedIn),
    page("/bids/:id", "/bids/{bid}", MemberOrCommissioner),
    page(
        "/bids/:id/sections/:sid",
        "/bids/{bid}/sections/{section}",
        MemberOrCommissioner,
    ),
    page(
        "/bids/:id/sections/:sid/files/:qid",
        "/bids/{bid}/sections/{file_section}/files/{file_question}",
        MemberOrCommissioner,
    ),
    page("/bids/:id/check", "/bids/{bid}/check", MemberOrCommissioner),
    page(
        "/bids/:id/confirmation",
        "/bids/{bid}/confirmation",
        MemberOrCommissioner,
    ),
    page("/bids/:id/view", "/bids/{bid}/view", MemberOrCommissioner),
    // The demo's applicant A is invited to an interview about the pilot bid.
    page(
        "/bids/:id/interview",
        "/bids/{bid}/interview",
        MemberOrCommissioner,
    ),
    page("/market-position", "/market-position", Public),
    page("/awards", "/awards", Public),
    page("/admin/users", "/admin/users", Admin),
    page("/admin/users/:id", "/admin/users/{user}", Admin),
];

/// Server functions by endpoint (under /api/), and who may call them.
pub const SERVER_FUNCTIONS: &[(&str, Access)] = &[
    ("account/register", Public),
    ("account/registered_email", Public),
    ("account/verify", Public),
    ("account/sign_in", Public),
    // Signing out when not signed in does nothing, and says so with the sign-in page.
    ("account/sign_out", Public),
    ("account/token_status", Public),
    ("account/forgot_password", Public),
    ("account/reset_email", Public),
    ("account/reset_password", Public),
    ("admin/users", Admin),
    ("admin/user", Admin),
    ("admin/set_roles", Admin),
    ("assessment/panel", Commissioner),
    ("assessment/set_panels", Commissioner),
    ("assessment/assign", Commissioner),
    ("assessment/mine", Assessors),
    ("assessment/bid", AssignedAssessor),
    ("assessment/declare", AssignedAssessor),
    ("assessment/score", AssignedAssessor),
    ("assessment/reopen", Commissioner),
    ("assessment/training", Commissioner),
    ("board/members", BoardOrCommissioner),
    ("sign-off/list", PartnerApprover),
    ("sign-off/recommendation", PartnerApprover),
    ("sign-off/answer", PartnerApprover),
    ("sign-off/variation", PartnerApprover),
    ("sign-off/answer_variation", PartnerApprover),
    ("board/meetings", BoardCommissionerOrApprover),
    ("decisions/board_moderation", BoardWhoScored),
    ("board/meeting", BoardCommissionerOrApprover),
    ("board/pack", BoardCommissionerOrApprover),
    ("board/decision_report", BoardCommissionerOrApprover),
    ("board/new_meeting", Commissioner),
    ("board/arrange_meeting", Commissioner),
    ("board/attendance", Commissioner),
    ("assessment/record_training", Commissioner),
    ("assessment/interests", Commissioner),
    ("bids/start_info", SignedIn),
    ("bids/start", SignedIn),
    ("bids/choose_organisation", SignedIn),
    ("bids/tasks", MemberOrCommissioner),
    ("bids/mine", SignedIn),
    ("bids/upload_info", MemberOrCommissioner),
    ("bids/section", MemberOrCommissioner),
    ("bids/save_section", Member),
    ("bids/full", MemberOrCommissioner),
    ("bids/submit", Member),
    ("bids/withdraw", Member),
    ("bids/interview", MemberOrCommissioner),
    ("bids/interview_reply", Member),
    ("interviews/invitation", Commissioner),
    ("interviews/invite", Commissioner),
    ("decisions/moderation", Commissioner),
    ("decisions/moderate", Commissioner),
    ("decisions/decide", Commissioner),
    ("decisions/batch", Commissioner),
    ("decisions/release", Commissioner),
    ("decisions/bid", Commissioner),
    ("fund/home", Commissioner),
    ("fund/add_partner", Commissioner),
    ("fund/partner", Commissioner),
    ("fund/partner_identifier", Commissioner),
    ("fund/set_up", Commissioner),
    ("fund/detail", BoardCommissionerOrApprover),
    ("fund/year_end", BoardCommissionerOrApprover),
    ("fund/run_year_end", Commissioner),
    ("fund/for_variation", Commissioner),
    ("fund/vary", Commissioner),
    ("shell", Public),
    ("access", Public),
    ("form_state", Public),
    ("opendata/register", Public),
    ("public/contact", Public),
    ("organisations/mine", SignedIn),
    ("organisations/register", SignedIn),
    ("organisations/detail", MemberOrCommissioner),
    ("organisations/invite", Member),
    ("organisations/invitation", Public),
    ("organisations/accept", SignedIn),
    ("organisations/remove_member", Member),
    ("organisations/hand_over", Member),
    ("organisations/act_for", SignedIn),
    ("organisations/update", Member),
    ("portfolio/view", BoardOrCommissioner),
    ("portfolio/unit_costs", Commissioner),
    ("portfolio/save_unit_cost", Commissioner),
    ("portfolio/measures", Commissioner),
    ("portfolio/add_measure", Commissioner),
    ("portfolio/remove_measure", Commissioner),
    ("gaps/list", BoardOrCommissioner),
    ("gaps/detail", BoardOrCommissioner),
    ("gaps/edit", Commissioner),
    ("gaps/save", Commissioner),
    ("services/list", Commissioner),
    ("services/detail", Commissioner),
    ("services/save", Commissioner),
    ("services/open", Public),
    ("reports/round", Commissioner),
    ("reports/audit", CommissionerOrAdmin),
    ("returns/view", MemberOrCommissioner),
    ("returns/save", Member),
    ("returns/review", Commissioner),
    ("rounds/save", Commissioner),
    ("rounds/save_section", Commissioner),
    ("rounds/remove_section", Commissioner),
    ("rounds/save_question", Commissioner),
    ("rounds/remove_question", Commissioner),
    ("rounds/save_criterion", Commissioner),
    ("rounds/remove_criterion", Commissioner),
    ("rounds/move", Commissioner),
    ("rounds/publish", Commissioner),
    ("rounds/new_version", Commissioner),
    ("rounds/start_assessment", Commissioner),
    ("rounds/all", Commissioner),
    ("rounds/public", Public),
    ("rounds/admin", Commissioner),
    ("rounds/form", Commissioner),
    ("rounds/public_round", Public),
    ("schemes/view", MemberOrCommissioner),
    ("schemes/member_view", Member),
    ("schemes/commissioner_view", Commissioner),
    ("schemes/accept", Member),
    ("schemes/graduate", Commissioner),
    ("schemes/mine", SignedIn),
    ("schemes/evidence", Member),
    ("schemes/review_tranche", Commissioner),
    ("schemes/record_payment", Commissioner),
    ("schemes/tranche_outcome", MemberOrCommissioner),
    ("schemes/tranche_outcome_set", Commissioner),
    ("schemes/turn_down", Member),
    ("schemes/variation_page", MemberOrCommissioner),
    ("schemes/vary", MemberOrCommissioner),
    ("schemes/decide_variation", Commissioner),
    ("schemes/suspend", Commissioner),
    ("schemes/resume", Commissioner),
    ("schemes/end", Commissioner),
    ("schemes/clawback", Commissioner),
    ("schemes/repayment", Commissioner),
];

/// A file route (upload, download, open data): route, method, address to ask, who.
pub struct FileRoute {
    pub route: &'static str,
    pub method: &'static str,
    pub sample: &'static str,
    pub access: Access,
}

const fn file(
    route: &'static str,
    method: &'static str,
    sample: &'static str,
    access: Access,
) -> FileRoute {
    FileRoute {
        route,
        method,
        sample,
        access,
    }
}

pub const FILE_ROUTES: &[FileRoute] = &[
    file(
        "/fund/gaps/{id}/evidence",
        "GET",
        "/fund/gaps/{gap}/evidence",
        Commissioner,
    ),
    file(
        "/fund/gaps/{id}/evidence",
        "POST",
        "/fund/gaps/{gap}/evidence",
        Commissioner,
    ),
    file(
        "/bids/{id}/questions/{qid}/file",
        "POST",
        "/bids/{bid}/questions/{file_question}/file",
        Member,
    ),
    file(
        "/bids/{id}/files/{fid}",
        "GET",
        "/bids/{bid}/files/1",
        MemberOrCommissioner,
    ),
    file(
        "/fund/rounds/{id}/interests.csv",
        "GET",
        "/fund/rounds/{round}/interests.csv",
        Commissioner,
    ),
    file(
        "/board/meetings/{id}/decisions.csv",
        "GET",
        "/board/meetings/{meeting}/decisions.csv",
        BoardCommissionerOrApprover,
    ),
    file(
        "/board/rounds/{id}/decisions.csv",
        "GET",
        "/board/rounds/{round}/decisions.csv",
        BoardCommissionerOrApprover,
    ),
    file("/awards.csv", "GET", "/awards.csv", Public),
    file(
        "/fund/rounds/{id}/report.csv",
        "GET",
        "/fund/rounds/{round}/report.csv",
        Commissioner,
    ),
    file(
        "/audit-trail.csv",
        "GET",
        "/audit-trail.csv",
        CommissionerOrAdmin,
    ),
    file(
        "/fund/pooled-funds/{year}/statement.csv",
        "GET",
        "/fund/pooled-funds/{year}/statement.csv",
        Commissioner,
    ),
    file(
        "/fund/pooled-funds/{year}/ledger.csv",
        "GET",
        "/fund/pooled-funds/{year}/ledger.csv",
        Commissioner,
    ),
    file(
        "/fund/pooled-funds/{year}/year-end/partners/{partner}/statement.csv",
        "GET",
        "/fund/pooled-funds/{year}/year-end/partners/{partner}/statement.csv",
        BoardCommissionerOrApprover,
    ),
    file(
        "/fund/pooled-funds/{year}/partners/{partner}/payments.csv",
        "GET",
        "/fund/pooled-funds/{year}/partners/{partner}/payments.csv",
        Commissioner,
    ),
    file(
        "/open-data/360giving.json",
        "GET",
        "/open-data/360giving.json",
        Public,
    ),
    file(
        "/open-data/360giving/{file}",
        "GET",
        "/open-data/360giving/2025-26.json",
        Public,
    ),
    file(
        "/open-data/360giving.csv",
        "GET",
        "/open-data/360giving.csv",
        Public,
    ),
    file(
        "/fund/schemes.csv",
        "GET",
        "/fund/schemes.csv",
        Commissioner,
    ),
    file(
        "/schemes/{id}/tranches/{tid}/files",
        "POST",
        "/schemes/{scheme}/tranches/{tranche}/files",
        Member,
    ),
    file(
        "/schemes/{id}/files/{fid}",
        "GET",
        "/schemes/{scheme}/files/1",
        MemberOrCommissioner,
    ),
    file(
        "/bids/{id}/download",
        "GET",
        "/bids/{bid}/download",
        MemberOrCommissioner,
    ),
];
