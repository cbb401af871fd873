//! The demo's unit costs (what an outcome avoided would have cost) and each history round's
//! monitoring measures: counts, a survey's percentage, outcomes valued by a unit cost.
use super::common::{CHIROPODY_ROUND, MEALS_ROUND};
use super::schemes::round_id;
use anyhow::anyhow;
use app::domain::monitoring::{Measure, MeasureKind, MeasureUnit, UnitCostForm};
use chrono::NaiveDate;
use sqlx::AnyPool;

/// A round's measure: (round title, kind, how it is counted, name, how to count it, (unit cost index,
/// attribution bp)).
type DemoMeasure = (
    &'static str,
    MeasureKind,
    MeasureUnit,
    &'static str,
    &'static str,
    Option<(usize, i64)>,
);

/// Unit costs: (name, unit, cost in pounds, source).
const UNIT_COSTS: [(&str, &str, &str, &str); 4] = [
    (
        "A week of residential care",
        "per week",
        "1250",
        "PSSRU Unit Costs of Health and Social Care 2025, table 1.1",
    ),
    (
        "A week of care at home (10 hours)",
        "per week",
        "420",
        "PSSRU Unit Costs of Health and Social Care 2025, table 7.2",
    ),
    (
        "A hospital admission after a fall",
        "per admission",
        "3450",
        "NHS National Cost Collection 2024/25, non-elective, falls",
    ),
    (
        "An A&E attendance",
        "per attendance",
        "310",
        "NHS National Cost Collection 2024/25, type 1 A&E",
    ),
];

/// The unit costs and each history round's measures: (round title, kind, name, unit cost
/// index, attribution %).
pub(super) async fn load(pool: &AnyPool, actor: i64, today: NaiveDate) -> anyhow::Result<()> {
    let now = app::db::now();
    let mut ids = Vec::new();
    let mut tx = pool.begin().await?;
    for (name, unit, cost, source) in UNIT_COSTS {
        let form = UnitCostForm {
            name: name.into(),
            unit: unit.into(),
            cost: cost.into(),
            source: source.into(),
            source_date_day: "1".into(),
            source_date_month: "4".into(),
            source_date_year: "2025".into(),
        };
        let parsed = form.parse(today).map_err(super::common::fail)?;
        let id = app::db::measures::save_unit_cost(&mut tx, None, &parsed, actor, now)
            .await?
            .ok_or_else(|| anyhow!("unit cost not saved"))?;
        ids.push(id);
    }
    tx.commit().await?;
    let plan: [DemoMeasure; 8] = [
        (
            CHIROPODY_ROUND,
            MeasureKind::Activity,
            MeasureUnit::Count,
            "Appointments given",
            "Count each appointment that took place, in a clinic or at home. Leave out missed ones.",
            None,
        ),
        (
            CHIROPODY_ROUND,
            MeasureKind::Activity,
            MeasureUnit::Count,
            "People supported",
            "Count each person seen at least once in the period, once however often they came.",
            None,
        ),
        (
            CHIROPODY_ROUND,
            MeasureKind::Outcome,
            MeasureUnit::Count,
            "Falls avoided among regular users",
            "Count each regular user (seen twice or more) who said at their last appointment that foot pain had made them fall before and has not fallen in this period.",
            Some((2, 2500)),
        ),
        (
            MEALS_ROUND,
            MeasureKind::Activity,
            MeasureUnit::Count,
            "Meals delivered",
            "Count each hot meal handed over, whether delivered or eaten at the church.",
            None,
        ),
        (
            MEALS_ROUND,
            MeasureKind::Activity,
            MeasureUnit::Count,
            "People supported",
            "Count each person who had a meal, shopping help or a visit in the period, once.",
            None,
        ),
        (
            MEALS_ROUND,
            MeasureKind::Activity,
            MeasureUnit::Count,
            "Volunteer hours",
            "Add up the hours volunteers gave, including travel between visits.",
            None,
        ),
        (
            MEALS_ROUND,
            MeasureKind::Outcome,
            MeasureUnit::Count,
            "Weeks of residential care put off",
            "For each person whose social worker or GP had said they would need a care home without more help at home, count each week in the period they stayed at home with the service. Count no one else.",
            Some((0, 2000)),
        ),
        (
            MEALS_ROUND,
            MeasureKind::Outcome,
            MeasureUnit::Percent,
            "Carers who say the service helps them keep caring",
            "From the quarterly carers' survey: of the unpaid carers of the people supported who answered, the percentage who agreed that the service helps them to keep caring.",
            None,
        ),
    ];
    for (round, kind, unit, name, guidance, cost) in plan {
        let id = round_id(pool, round).await?;
        let mut tx = pool.begin().await?;
        let measure = Measure {
            kind,
            name: name.into(),
            unit,
            guidance: guidance.into(),
            cost: cost.map(|(i, bp)| (ids[i], bp)),
        };
        app::db::measures::add_measure(&mut tx, id, &measure).await?;
        tx.commit().await?;
    }
    Ok(())
}
