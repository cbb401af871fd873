//! One section of a bid: reading it, and saving what was typed (then checking it).
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub question_id: i64,
    pub file_id: i64,
    pub name: String,
    pub size: String,
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionData {
    pub bid: BidHeader,
    pub section_id: i64,
    pub kind: SectionKind,
    pub title: String,
    pub number: usize,
    pub of: usize,
    pub version: i64,
    pub answers: Answers,
    pub completed: bool,
    pub last_saved: Option<String>,
    pub questions: Vec<(i64, Question)>,
    pub files: Vec<UploadedFile>,
    pub organisation: Option<Organisation>,
    pub funded_years: usize,
    pub min_award: Pence,
    pub max_award: Pence,
    /// The plan as saved, when every figure in it reads (for the table and chart).
    pub plan: Option<Vec<PlanYear>>,
    pub flags: Vec<String>,
    pub summary: String,
    /// Budget totals per year and in all, when the budget reads.
    pub budget_totals: Option<(Vec<Pence>, Pence)>,
}

#[cfg(feature = "ssr")]
pub(super) async fn files_of(
    conn: &mut sqlx::AnyConnection,
    bid_id: i64,
) -> Result<Vec<UploadedFile>, AppError> {
    Ok(db::bids::files(conn, bid_id)
        .await?
        .into_iter()
        .map(|f| UploadedFile {
            question_id: f.question_id,
            file_id: f.file_id,
            name: f.name,
            size: crate::domain::files::display_size(f.size_bytes),
            bytes: f.size_bytes,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "bids/section")]
pub async fn bid_section(id: i64, section_id: i64) -> Result<SectionData, AppError> {
    let l = load(id).await?;
    let c = l.contents().await?;
    let section = c.section(section_id)?;
    let position = c
        .sections
        .iter()
        .position(|s| s.id == section_id)
        .unwrap_or(0);
    let this = c.saved(section_id);
    let answers = this.map(|s| s.answers.clone()).unwrap_or_default();
    let ctx = l.context_for(&c);
    let organisation = if section.kind == SectionKind::Organisation {
        db::organisations::get(&l.state.pool, l.bid.organisation_id).await?
    } else {
        None
    };
    let (plan, flags, summary) = match section.kind {
        SectionKind::Sustainability => plan_view(&answers, ctx.funded_years),
        _ => Default::default(),
    };
    // The budget's totals: beside the budget, and as the plan's running costs for the
    // funding period until the applicant gives their own.
    let budget_answers = match section.kind {
        SectionKind::Budget => Some(&answers),
        SectionKind::Sustainability => c
            .sections
            .iter()
            .find(|s| s.kind == SectionKind::Budget)
            .and_then(|s| c.saved(s.id))
            .map(|s| &s.answers),
        _ => None,
    };
    let budget_totals = budget_answers.and_then(|a| {
        answers::parse_budget(a, ctx.funded_years, (ctx.min_award, ctx.max_award), false)
            .ok()
            .map(|b| b.totals(ctx.funded_years))
    });
    Ok(SectionData {
        bid: l.header(),
        section_id,
        kind: section.kind,
        title: section.title.clone(),
        number: position + 1,
        of: c.sections.len(),
        version: this.map(|s| s.version).unwrap_or(0),
        completed: this.is_some_and(|s| s.completed),
        last_saved: this.map(|s| {
            format!(
                "Last saved by {} at {}",
                s.updated_by,
                s.updated_at.display_uk()
            )
        }),
        answers,
        questions: section.questions.clone(),
        files: c.files.clone(),
        organisation,
        funded_years: ctx.funded_years,
        min_award: ctx.min_award,
        max_award: ctx.max_award,
        plan,
        flags,
        summary,
        budget_totals,
    })
}

/// Save a section as typed, then check it. `then` says where to go next: "continue" (to
/// the task list, marking the section complete if the applicant says so), "later" (to the
/// task list), "add_line" or "add_year" (back to this page with room for more), or
/// "upload_<question id>" (to that question's upload page) or "remove_<question id>" (remove
/// that question's file and come back). `return_to` = "check" returns to check answers.
#[server(prefix = "/api", endpoint = "bids/save_section")]
#[allow(clippy::too_many_arguments)]
pub async fn save_section(
    bid_id: i64,
    section_id: i64,
    version: i64,
    #[server(default)] completed: String,
    #[server(default)] then: String,
    #[server(default)] return_to: String,
    #[server(default)] answer: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::service::bids::{save_section as save, Next, SaveSection, SectionError};
    let (state, user) = auth::require_user().await?;
    let typed: Vec<(String, String)> = (answer.iter())
        .map(|(k, v)| (answers::field(k), v.clone()))
        .chain([("completed".into(), completed.clone())])
        .chain([("return_to".into(), return_to.clone())])
        .collect();
    let next = Next::parse(&then);
    let completed = match completed.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let cmd = SaveSection {
        bid_id,
        section_id,
        version,
        answers: answer,
        completed,
        next,
    };
    let saved = match save(state.ctx(), &user.actor(), cmd).await {
        Ok(done) => state.deliver(done).await,
        Err(SectionError::Bid(e)) if e.is_status() => return Err(auth::with_status(e.into())),
        Err(e) => {
            let values: Vec<(&str, &str)> = typed
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            // A refusal about the bid (the round closed, it was sent) is also the status.
            let error = match e {
                SectionError::Bid(e) => auth::with_status(e.into()),
                e => e.into(),
            };
            return Err(auth::reject_form(SECTION_FORM, &values, error).await);
        }
    };
    let (target, notice) = after_save((bid_id, section_id), next, &return_to, saved);
    match notice {
        Some(notice) => {
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, &target).await?;
        }
        None => leptos_axum::redirect(&target),
    }
    Ok(())
}

/// Where the applicant goes after saving a section, and what they are told there.
#[cfg(feature = "ssr")]
fn after_save(
    (bid_id, section_id): (i64, i64),
    next: crate::service::bids::Next,
    return_to: &str,
    saved: crate::service::bids::SectionSaved,
) -> (String, Option<String>) {
    use crate::service::bids::Next;
    let here = format!("/bids/{bid_id}/sections/{section_id}");
    let title = &saved.title;
    match next {
        Next::AddLine => (format!("{here}#budget-lines"), None),
        Next::AddYear => (format!("{here}#plan-years"), None),
        Next::Upload(q) => (format!("{here}/files/{q}"), None),
        Next::Remove(_) => (here, saved.removed.map(|n| format!("File removed: {n}"))),
        Next::Continue if return_to == "check" => (
            format!("/bids/{bid_id}/check"),
            Some(format!("Your answers to \"{title}\" have been saved")),
        ),
        Next::Continue | Next::Later => (
            format!("/bids/{bid_id}"),
            Some(match saved.completed {
                true => format!("\"{title}\" is completed"),
                false => format!("Your answers to \"{title}\" have been saved"),
            }),
        ),
    }
}
