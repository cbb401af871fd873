//! The whole bid (check answers, reading, printing), sending it, withdrawing and reopening.
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionAnswersView {
    pub section_id: i64,
    pub title: String,
    pub completed: bool,
    pub rows: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidRecord {
    pub bid: BidHeader,
    pub organisation: Organisation,
    pub sections: Vec<SectionAnswersView>,
    pub plan: Option<Vec<PlanYear>>,
    pub funded_years: usize,
    pub flags: Vec<String>,
    pub summary: String,
    pub can_withdraw: bool,
    pub can_reopen: bool,
}

/// The whole bid: for check answers, reading and printing.
#[server(prefix = "/api", endpoint = "bids/full")]
pub async fn full_bid(id: i64) -> Result<BidRecord, AppError> {
    record_of(&load(id).await?).await
}

/// The whole bid for the download route (outside Leptos): NotFound for strangers.
#[cfg(feature = "ssr")]
pub async fn record_as(
    state: AppState,
    user: auth::CurrentUser,
    bid_id: i64,
) -> Result<BidRecord, AppError> {
    record_of(&load_for(state, user, bid_id).await?).await
}

/// The whole bid for an assessor the caller has checked (assigned, no conflict declared).
#[cfg(feature = "ssr")]
pub async fn record_for_assessor(state: &AppState, bid_id: i64) -> Result<BidRecord, AppError> {
    let (_, user) = auth::require_user().await?;
    let l = load_unchecked(state.clone(), user, bid_id, false).await?;
    record_of(&l).await
}

#[cfg(feature = "ssr")]
async fn record_of(l: &Loaded) -> Result<BidRecord, AppError> {
    let c = l.contents().await?;
    let organisation = db::organisations::get(&l.state.pool, l.bid.organisation_id)
        .await?
        .ok_or(AppError::Internal)?;
    let ctx = l.context_for(&c);
    let names: Vec<(i64, String)> = c
        .files
        .iter()
        .map(|f| (f.question_id, f.name.clone()))
        .collect();
    let mut plan = None;
    let views = c
        .sections
        .iter()
        .map(|s| {
            let this = c.saved(s.id);
            let empty = Answers::new();
            let a = this.map(|t| &t.answers).unwrap_or(&empty);
            if s.kind == SectionKind::Sustainability {
                plan = answers::parse_plan(a, ctx.funded_years, None, false).ok();
            }
            SectionAnswersView {
                section_id: s.id,
                title: s.title.clone(),
                completed: this.is_some_and(|t| t.completed),
                rows: answers::answer_rows(s.kind, &s.questions, a, &ctx, &names),
                files: c
                    .files
                    .iter()
                    .filter(|f| s.questions.iter().any(|(q, _)| *q == f.question_id))
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let (flags, summary) = match &plan {
        Some(p) => (
            crate::domain::bid::flags(p, ctx.funded_years)
                .iter()
                .map(|f| f.message())
                .collect(),
            crate::domain::bid::summary(p),
        ),
        None => (vec![], String::new()),
    };
    let header = l.header();
    Ok(BidRecord {
        can_withdraw: l.is_member && l.round_open && l.bid.status == BidStatus::Submitted,
        can_reopen: l.is_member && l.round_open && l.bid.status == BidStatus::Withdrawn,
        bid: header,
        organisation,
        sections: views,
        plan,
        funded_years: ctx.funded_years,
        flags,
        summary,
    })
}

pub const DECLARATIONS: [(&str, &str); 3] = [
    ("true", "The information in this bid is true and complete, to the best of my knowledge"),
    ("authorised", "I am authorised to submit this bid on behalf of the organisation"),
    ("monitoring", "If the bid is funded, the organisation will send monitoring returns and let the Board publish the award as open data"),
];

/// Send the bid: every section complete, every declaration made, before the deadline.
#[server(prefix = "/api", endpoint = "bids/submit")]
pub async fn submit_bid(
    bid_id: i64,
    #[server(default)] declare: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let typed: Vec<(String, String)> = declare
        .keys()
        .map(|k| (format!("declare[{k}]"), format!("declare[{k}]")))
        .collect();
    let values: Vec<(&str, &str)> = typed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let reject = |e: AppError| auth::reject_form("submit_bid", &values, e);
    let l = load(bid_id).await?;
    if let Err(e) = l.check_can_change() {
        return Err(reject(auth::with_status(e)).await);
    }
    let c = l.contents().await?;
    let ctx = l.context_for(&c);
    let mut errors = Vec::new();
    for s in &c.sections {
        let this = c.saved(s.id);
        let ok = this.is_some_and(|a| {
            a.completed
                && answers::check_section(s.kind, &s.questions, &a.answers, &ctx, true).is_empty()
        });
        if !ok {
            errors.push(FieldError::new(
                format!("section-{}", s.id),
                format!(
                    "Complete the section \"{}\" before you send your bid",
                    s.title
                ),
            ));
        }
    }
    for (key, _) in DECLARATIONS {
        if !declare.contains_key(key) {
            errors.push(FieldError::new(
                format!("declare[{key}]"),
                match key {
                    "true" => "Confirm that the information in this bid is true and complete",
                    "authorised" => "Confirm that you are authorised to submit this bid",
                    _ => "Confirm that the organisation will send monitoring returns if funded",
                },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(reject(AppError::Invalid(errors)).await);
    }
    let now = db::now();
    let year =
        chrono::Datelike::year(&chrono::Utc::now().with_timezone(&chrono_tz::Europe::London));
    let mut tx = l.state.pool.begin().await?;
    let Some(reference) = db::bids::submit(
        &mut tx,
        bid_id,
        &crate::domain::bid::reference(year, bid_id),
        l.user.id,
        now,
    )
    .await?
    else {
        drop(tx);
        return Err(reject(AppError::Conflict("This bid has already been sent".into())).await);
    };
    let summary = format!("Bid {reference} submitted for {}", l.bid.round_title);
    let change = Some((BidStatus::Draft, BidStatus::Submitted));
    l.audit(&mut tx, "bid.submitted", summary, change).await?;
    let members = db::bids::member_emails(&mut tx, l.bid.organisation_id).await?;
    tx.commit().await?;
    let link = format!("{}/bids/{bid_id}/view", l.state.settings.base_url);
    let closes = crate::domain::time::display_uk(l.round.details.closes_at);
    for m in members {
        crate::api::account::send_mail(
            &l.state,
            crate::mail::bid_submitted(
                &m.email,
                &m.full_name,
                &l.user.full_name,
                &l.bid.organisation_name,
                &l.bid.round_title,
                &reference,
                &closes,
                &link,
            ),
        )
        .await;
    }
    leptos_axum::redirect(&format!("/bids/{bid_id}/confirmation"));
    Ok(())
}

/// Withdraw a sent bid (before the round closes), or reopen a withdrawn one as a draft.
#[server(prefix = "/api", endpoint = "bids/withdraw")]
pub async fn withdraw_bid(bid_id: i64, reopen: bool) -> Result<(), AppError> {
    let l = load(bid_id).await?;
    let (from, to, verb) = if reopen {
        (
            BidStatus::Withdrawn,
            BidStatus::Draft,
            "reopened as a draft",
        )
    } else {
        (BidStatus::Submitted, BidStatus::Withdrawn, "withdrawn")
    };
    if !l.is_member {
        return Err(auth::with_status(AppError::Forbidden));
    }
    if !l.round_open {
        let e = AppError::Conflict(format!(
            "This round closed at {}. Bids can no longer be changed",
            crate::domain::time::display_uk(l.round.details.closes_at)
        ));
        return Err(auth::reject_form("withdraw_bid", &[], e).await);
    }
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::bids::move_status(&mut tx, bid_id, from, to, now).await? {
        drop(tx);
        let e = AppError::Conflict(format!(
            "This bid cannot be {verb} now: it is {}",
            l.bid.status.label().to_lowercase()
        ));
        return Err(auth::reject_form("withdraw_bid", &[], e).await);
    }
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(l.user.id),
            action: if reopen {
                "bid.reopened"
            } else {
                "bid.withdrawn"
            },
            subject_type: "bid",
            subject_id: bid_id.to_string(),
            summary: format!("Bid {verb}"),
            before: Some(from.label().into()),
            after: Some(to.label().into()),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Your bid has been {verb}"),
        &if reopen {
            format!("/bids/{bid_id}")
        } else {
            format!("/bids/{bid_id}/view")
        },
    )
    .await?;
    Ok(())
}
