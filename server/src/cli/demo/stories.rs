//! The demo's funded schemes, as stories: who bid in which history round, what they were
//! awarded and when they started, their plan and the returns they sent.
use super::common::{CHIROPODY_ROUND, MEALS_ROUND};

/// A quarter's return: (costs, seed grant, charges, donations, in kind, measure values).
pub(super) type DemoReturn = (i64, i64, i64, i64, i64, &'static [i64]);
pub(super) struct Story {
    pub(super) round: &'static str,
    pub(super) owner: &'static str,
    pub(super) organisation: &'static str,
    pub(super) legal_form: &'static str,
    pub(super) company_number: &'static str,
    pub(super) charity_number: &'static str,
    pub(super) service: &'static str,
    /// Award in pounds.
    pub(super) amount: i64,
    /// Months after the round opened that the scheme started.
    pub(super) started_after: u32,
    /// Started no earlier than the first day of last financial year (so that its first
    /// tranche is planned last year, whatever today is).
    pub(super) in_last_year: bool,
    /// Plan per year: (costs, seed grant, charge per user, users, volunteer hours).
    pub(super) plan: [(i64, i64, i64, i64, i64); 3],
    /// Returns sent: (costs, seed grant, charges, donations, in kind, measure values).
    pub(super) returns: &'static [DemoReturn],
    pub(super) tranches_paid: usize,
    pub(super) graduate: bool,
}

pub(super) const STORIES: [Story; 4] = [
    Story {
        round: CHIROPODY_ROUND,
        owner: "footcare@seedbed.test",
        organisation: "Step Forward Chiropody CIC",
        legal_form: "cic",
        company_number: "11223344",
        charity_number: "",
        service: "Low-cost toenail cutting and foot checks for over-65s, in two community clinics and at home.",
        amount: 30_000,
        started_after: 3,
        in_last_year: false,
        plan: [(40_000, 18_000, 15, 1_500, 0), (42_000, 12_000, 15, 2_000, 0), (44_000, 0, 16, 2_800, 0)],
        // Quarterly: charges grew until the grant was no longer needed.
        returns: &[
            (10_000, 6_000, 4_000, 0, 0, &[260, 180, 3]),
            (10_000, 5_000, 5_200, 0, 0, &[330, 210, 4]),
            (10_500, 4_000, 6_600, 0, 0, &[420, 250, 4]),
            (10_500, 3_000, 7_600, 0, 0, &[480, 290, 5]),
            (11_000, 2_500, 8_700, 0, 0, &[560, 320, 6]),
            (11_000, 1_500, 9_800, 0, 0, &[620, 350, 6]),
            (11_000, 0, 11_300, 0, 0, &[700, 380, 7]),
            (11_500, 0, 12_100, 0, 0, &[760, 400, 7]),
        ],
        tranches_paid: 3,
        graduate: true,
    },
    Story {
        round: MEALS_ROUND,
        owner: "meals@seedbed.test",
        organisation: "St Mary's Church Meals and More",
        legal_form: "faith_group",
        company_number: "",
        charity_number: "",
        service: "Hot meals three days a week with help with shopping, a friendly visit and signposting, delivered mainly by church volunteers.",
        amount: 24_000,
        started_after: 2,
        in_last_year: false,
        plan: [(30_000, 14_000, 3, 2_000, 1_500), (30_000, 10_000, 3, 3_000, 2_000), (31_000, 0, 4, 3_500, 2_500)],
        returns: &[
            (7_500, 2_800, 1_500, 1_200, 2_500, &[1_900, 42, 380, 4, 90]),
            (7_500, 2_700, 1_700, 1_300, 2_600, &[2_050, 45, 410, 5, 94]),
            (7_600, 2_600, 1_900, 1_400, 2_700, &[2_200, 48, 430, 5, 94]),
        ],
        tranches_paid: 1,
        graduate: false,
    },
    Story {
        round: MEALS_ROUND,
        owner: "befriend@seedbed.test",
        organisation: "Befriend Grimsby",
        legal_form: "registered_charity",
        company_number: "",
        charity_number: "1187654",
        service: "Weekly befriending visits and a shopping run for people living alone, with a volunteer coordinator.",
        amount: 20_000,
        started_after: 2,
        in_last_year: false,
        plan: [(24_000, 12_000, 2, 3_000, 1_000), (24_000, 8_000, 2, 4_500, 1_500), (25_000, 0, 3, 5_000, 2_000)],
        // Charges and donations came in slower than planned: behind its plan.
        returns: &[
            (6_000, 3_000, 1_300, 800, 1_400, &[0, 30, 210, 1, 78]),
            (6_000, 2_900, 1_400, 800, 1_500, &[0, 32, 220, 1, 81]),
            (6_100, 2_900, 1_450, 850, 1_500, &[0, 33, 230, 2, 80]),
        ],
        tranches_paid: 1,
        graduate: false,
    },
    Story {
        round: MEALS_ROUND,
        owner: "lunchclub@seedbed.test",
        organisation: "Nunsthorpe Friday Lunch Club",
        legal_form: "registered_charity",
        company_number: "",
        charity_number: "1192345",
        service: "A Friday lunch and a chat for older people in Nunsthorpe, cooked by volunteers in the community centre.",
        amount: 12_000,
        started_after: 2,
        in_last_year: true,
        plan: [(9_000, 8_000, 3, 1_000, 800), (9_500, 4_000, 3, 1_500, 900), (10_000, 0, 4, 2_500, 1_000)],
        // Awarded late last year and slow to start: its first tranche was not claimed before
        // the year ended, so the year-end carried it forward.
        returns: &[],
        tranches_paid: 0,
        graduate: false,
    },
];
