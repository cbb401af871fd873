//! The demo's catalogue: the gaps from the product brief, the rounds that address them (each
//! with its questionnaire and criteria), and a few commissioned services, as typed into the
//! forms. `funding` loads them through the same rules as the pages.
use app::domain::registers::{GapForm, ServiceForm};
use app::domain::round::Panel;

pub(crate) struct DemoQuestion {
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) qtype: &'static str,
    pub(crate) word_limit: &'static str,
    pub(crate) options: &'static str,
}

pub(crate) const fn q(
    label: &'static str,
    hint: &'static str,
    qtype: &'static str,
    word_limit: &'static str,
) -> DemoQuestion {
    DemoQuestion {
        label,
        hint,
        qtype,
        word_limit,
        options: "",
    }
}

pub(crate) struct DemoSection {
    pub(crate) title: &'static str,
    pub(crate) panel: Panel,
    pub(crate) questions: Vec<DemoQuestion>,
}

pub(crate) struct DemoCriterion {
    pub(crate) name: &'static str,
    pub(crate) guidance: &'static str,
    pub(crate) weight: u32,
    /// Titles of the sections it draws on; none: scored at the interview with shortlisted
    /// bids, by the board and the lay panel together.
    pub(crate) sections: &'static [&'static str],
}

pub(crate) struct DemoRound {
    pub(crate) gap: GapForm,
    pub(crate) title: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) guidance: &'static str,
    pub(crate) envelope: &'static str,
    pub(crate) max_award: &'static str,
    /// 0 for a round opening today; else it ran this many months ago (history for the
    /// funded schemes, see schemes.rs).
    pub(crate) opened_months_ago: u32,
    pub(crate) sections: Vec<DemoSection>,
    pub(crate) criteria: Vec<DemoCriterion>,
}

fn gap(
    title: &str,
    need: &str,
    evidence: &str,
    target: &str,
    outcome: &str,
    priority: &str,
) -> GapForm {
    GapForm {
        title: title.into(),
        need: need.into(),
        evidence: evidence.into(),
        target_population: target.into(),
        outcome_sought: outcome.into(),
        priority: priority.into(),
        status: String::new(),
    }
}

pub(crate) fn rounds() -> Vec<DemoRound> {
    let service_section = || DemoSection {
        title: "Your proposed service",
        panel: Panel::Board,
        questions: vec![
            q(
                "Describe the service you will provide",
                "Say who it is for, what they will get, where and how often",
                "long_text",
                "500",
            ),
            q(
                "How many people will the service support in its first year?",
                "",
                "whole_number",
                "",
            ),
            q("When could the service start?", "", "date", ""),
            q(
                "Have you delivered a similar service before?",
                "",
                "yes_no",
                "",
            ),
        ],
    };
    vec![
        DemoRound {
            gap: gap(
                "Affordable chiropody for older people",
                "Older people who cannot cut their own toenails or manage minor foot problems have nowhere affordable to go. NHS podiatry sees only high-risk feet.",
                "Falls prevention audit 2025: foot problems were a factor in 1 in 5 falls among over-65s seen by the falls team. Adult social care receives about 140 requests a year for toenail cutting.",
                "People over 65 living at home",
                "Fewer falls among over-65s",
                "high",
            ),
            title: "Affordable chiropody for older people",
            summary: "Seed funding to start a low-cost foot care service for older people that pays its way through modest charges.",
            guidance: "We want to fund a community foot care service for people over 65: toenail cutting, foot checks and advice, in community venues and at home for people who cannot travel.\n\nThe service must be able to continue without this grant. Most successful schemes charge a modest fee, with concessions for people on low incomes.\n\nYour bid must include:\n- a budget for each year of the funding period\n- a sustainability plan showing how grant dependency falls to zero\n- how you will recruit and supervise qualified foot care staff",
            envelope: "60000",
            max_award: "30000",
            opened_months_ago: 0,
            sections: vec![service_section()],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service reaches older people at risk of falls.", weight: 35, sections: &["Your proposed service"] },
                DemoCriterion { name: "Delivery and value for money", guidance: "A realistic plan, budget and timetable.", weight: 25, sections: &["Your proposed service", "Budget"] },
            ],
        },
        DemoRound {
            gap: gap(
                "Meals with help to live independently",
                "Some people need more than a meal delivered: help with shopping, a check on how they are, and signposting to other support.",
                "Review of the meals on wheels contract (2025): 38% of people receiving meals also had a home care visit mainly for shopping or a welfare check.",
                "Adults at risk of losing their independence, especially people who live alone",
                "More people living independently at home for longer, with fewer home care hours",
                "high",
            ),
            title: "Meals and more",
            summary: "Seed funding for a volunteer-led service that delivers meals and helps people live independently.",
            guidance: "We invite bids for a service that brings a hot meal and more: help with shopping, a friendly check on how people are, and signposting to other support.\n\nVolunteers are central to this model. Tell us how you will recruit, train and keep them.\n\n1. Read this guidance and the scoring criteria\n2. Complete every section of the bid\n3. Submit before the closing time",
            envelope: "80000",
            max_award: "40000",
            opened_months_ago: 0,
            sections: vec![
                service_section(),
                DemoSection {
                    title: "Volunteers and community",
                    panel: Panel::Board,
                    questions: vec![
                        q("How will you recruit, train and keep volunteers?", "", "long_text", "300"),
                        DemoQuestion {
                            label: "Which of these will your service offer?",
                            hint: "Select all that apply",
                            qtype: "multiple_choice",
                            word_limit: "",
                            options: "Meal delivery\nHelp with shopping\nWelfare checks\nSignposting to other support",
                        },
                    ],
                },
            ],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service helps people stay independent.", weight: 30, sections: &["Your proposed service"] },
                DemoCriterion { name: "Volunteers and community", guidance: "A credible volunteer model rooted in the community.", weight: 30, sections: &["Volunteers and community"] },
            ],
        },
        DemoRound {
            gap: gap(
                "Support for unpaid carers",
                "Unpaid carers need breaks, information and peer support to keep caring without harm to their own health.",
                "Carers' survey 2025: 61% of carers had not had a break in the last year.",
                "Unpaid carers of adults",
                "Carers able to keep caring, with fewer carer breakdowns that lead to emergency respite",
                "medium",
            ),
            title: "Breaks and peer support for unpaid carers",
            summary: "Seed funding for carer-led breaks and peer support. One section of each bid is scored by carers.",
            guidance: "We want to fund breaks and peer support designed with carers.\n\nThe section \"Carers' experience\" is scored only by trained lay evaluators who are unpaid carers themselves. Write it for them.",
            envelope: "50000",
            max_award: "25000",
            opened_months_ago: 0,
            sections: vec![
                service_section(),
                DemoSection {
                    title: "Carers' experience",
                    panel: Panel::Lay,
                    questions: vec![
                        q("How have carers shaped this service?", "", "long_text", "400"),
                        q("How will carers tell you what works and what does not?", "", "long_text", "300"),
                    ],
                },
            ],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service gives carers breaks and support.", weight: 30, sections: &["Your proposed service"] },
                DemoCriterion { name: "Carers' experience", guidance: "Scored by carers: does this feel right for people who care?", weight: 30, sections: &["Carers' experience"] },
            ],
        },
        // Closed and in assessment (see assessment.rs): two sent bids to score.
        DemoRound {
            gap: gap(
                "Foot care for people cared for at home",
                "People cared for at home miss foot care because their carer cannot take them to a clinic.",
                "Carers' survey 2025: 1 in 4 carers said the person they care for had gone without foot care for over a year.",
                "Adults cared for at home by an unpaid carer",
                "Fewer falls at home; carers less stretched",
                "medium",
            ),
            title: super::common::PILOT_TITLE,
            summary: "A pilot round for foot care at home, with a section scored by carers.",
            guidance: "This pilot has closed. Bids are being assessed by the board and by carers.",
            envelope: "60000",
            max_award: "30000",
            opened_months_ago: 0,
            sections: vec![
                service_section(),
                DemoSection {
                    title: "Carers' experience",
                    panel: Panel::Lay,
                    questions: vec![q("How have carers shaped this service?", "", "long_text", "400")],
                },
            ],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service reaches people cared for at home.", weight: 25, sections: &["Your proposed service"] },
                DemoCriterion { name: "Carers' experience", guidance: "Scored by carers: does this work for the people who care?", weight: 25, sections: &["Carers' experience"] },
                DemoCriterion { name: "At the interview", guidance: "Scored by board members and carers together after meeting a shortlisted organisation: do the people who will run it understand the lives of carers and the people they care for?", weight: 10, sections: &[] },
            ],
        },
        // History: rounds that ran before, whose funded schemes the demo follows (schemes.rs).
        DemoRound {
            gap: gap(
                "Affordable chiropody for over-65s in Grimsby",
                "Over-65s in Grimsby had no affordable foot care; NHS podiatry saw only high-risk feet.",
                "Falls clinic audit 2023: 2 in 5 fallers had untreated foot problems.",
                "People aged 65 and over in Grimsby",
                "Fewer falls among older people",
                "high",
            ),
            title: super::common::CHIROPODY_ROUND,
            summary: "Seed funding for an affordable chiropody service that will pay its own way by charging.",
            guidance: "This round has closed and its award is being monitored.",
            envelope: "40000",
            max_award: "30000",
            opened_months_ago: 30,
            sections: vec![service_section()],
            criteria: vec![DemoCriterion { name: "Meets the need", guidance: "How well the service reaches older people.", weight: 60, sections: &["Your proposed service"] }],
        },
        DemoRound {
            gap: gap(
                "More than meals: shopping help and signposting",
                "A review of meal delivery found people who needed more than a meal: help with shopping, a friendly visit, and someone to point them to other help.",
                "Meals service review 2025: 38% of recipients had no other visitor in a typical week.",
                "Older and disabled people living alone",
                "People living independently for longer; less call on adult social care",
                "high",
            ),
            title: super::common::MEALS_ROUND,
            summary: "Seed funding for community meals with shopping help and signposting, run mainly by volunteers.",
            guidance: "This round has closed and its awards are being monitored.",
            envelope: "60000",
            max_award: "30000",
            // Its schemes started 15 months ago: five quarters have ended, three returns
            // were sent, so each has a return overdue and one just due.
            opened_months_ago: 17,
            sections: vec![service_section()],
            criteria: vec![DemoCriterion { name: "Meets the need", guidance: "How well the service reaches people living alone.", weight: 60, sections: &["Your proposed service"] }],
        },
    ]
}

pub(crate) fn services() -> Vec<ServiceForm> {
    let s = |name: &str,
             provider: &str,
             value: &str,
             currency: &str,
             quantity: &str,
             criteria: &str,
             last: [&str; 3],
             due: [&str; 3],
             nature: &str,
             inter: &str,
             category: &str| ServiceForm {
        name: name.into(),
        current_provider: provider.into(),
        contract_value: value.into(),
        contract_currency: currency.into(),
        quantity: quantity.into(),
        quality_criteria: criteria.into(),
        last_reviewed_day: last[0].into(),
        last_reviewed_month: last[1].into(),
        last_reviewed_year: last[2].into(),
        review_due_day: due[0].into(),
        review_due_month: due[1].into(),
        review_due_year: due[2].into(),
        nature_of_review: nature.into(),
        interdependencies: inter.into(),
        market_category: category.into(),
    };
    vec![
        s(
            "Meals on wheels",
            "Council in-house catering",
            "310000",
            "1 April 2024 to 31 March 2027",
            "52,000 meals a year",
            "Hot meal delivered between 11:30am and 1:30pm; 98% on time",
            ["1", "6", "2025"],
            ["1", "12", "2026"],
            "Recommission with help to live independently",
            "Home care; day services",
            "open",
        ),
        s(
            "Community podiatry",
            "Northern Lincolnshire and Goole NHS Foundation Trust",
            "540000",
            "1 April 2023 to 31 March 2028",
            "9,000 appointments a year",
            "High-risk feet seen within 4 weeks",
            ["1", "9", "2024"],
            ["1", "9", "2027"],
            "Contract review",
            "Diabetes pathway; falls service",
            "restricted",
        ),
        s(
            "Carers' support service",
            "Carers' Support Centre",
            "420000",
            "1 April 2025 to 31 March 2028",
            "1,200 carers supported a year",
            "Carers' assessment offered within 28 days",
            ["1", "4", "2025"],
            ["1", "4", "2027"],
            "Re-tender with a section scored by carers",
            "Respite services; adult social care",
            "protected",
        ),
        s(
            "Handyperson and falls prevention",
            "Care and Repair",
            "95000",
            "1 April 2025 to 31 March 2026, extended yearly",
            "1,500 jobs a year",
            "Urgent jobs within 2 working days",
            ["1", "3", "2025"],
            ["1", "3", "2027"],
            "Open to new providers at the next review",
            "Falls service; occupational therapy",
            "open",
        ),
    ]
}
