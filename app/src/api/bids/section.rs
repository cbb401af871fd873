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
    let (plan, flags, summary) = if section.kind == SectionKind::Sustainability {
        match answers::parse_plan(&answers, ctx.funded_years, None, false) {
            Ok(plan) => {
                let flags = crate::domain::bid::flags(&plan, ctx.funded_years)
                    .iter()
                    .map(|f| f.message())
                    .collect();
                let summary = crate::domain::bid::summary(&plan);
                (Some(plan), flags, summary)
            }
            Err(_) => (None, vec![], String::new()),
        }
    } else {
        (None, vec![], String::new())
    };
    let budget_totals = (section.kind == SectionKind::Budget)
        .then(|| {
            answers::parse_budget(
                &answers,
                ctx.funded_years,
                (ctx.min_award, ctx.max_award),
                false,
            )
            .ok()
            .map(|b| b.totals(ctx.funded_years))
        })
        .flatten();
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
    let mut answers = answers::clean(answer);
    let typed: Vec<(String, String)> = answers
        .iter()
        .map(|(k, v)| (answers::field(k), v.clone()))
        .chain([
            ("completed".to_string(), completed.clone()),
            ("return_to".to_string(), return_to.clone()),
        ])
        .collect();
    let values: Vec<(&str, &str)> = typed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let l = load(bid_id).await?;
    if let Err(e) = l.check_can_change() {
        return Err(auth::reject_form(SECTION_FORM, &values, auth::with_status(e)).await);
    }
    let c = l.contents().await?;
    let section = c.section(section_id)?;
    let ctx = l.context_for(&c);
    if then == "add_year" && section.kind == SectionKind::Sustainability {
        let years = answers::plan_years(&answers, ctx.funded_years);
        answers.insert("years".into(), (years + 1).to_string());
    }
    let completing = then == "continue" && completed == "yes";
    let mut errors =
        answers::check_section(section.kind, &section.questions, &answers, &ctx, completing);
    if then == "continue" && completed.is_empty() {
        errors.push(FieldError::new(
            "completed",
            "Select whether you have completed this section",
        ));
    }
    let done = completing && errors.is_empty();
    let requested = if section.kind == SectionKind::Budget {
        answers::parse_budget(
            &answers,
            ctx.funded_years,
            (ctx.min_award, ctx.max_award),
            false,
        )
        .ok()
        .and_then(|b| b.requested)
    } else {
        l.bid.requested
    };
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::bids::save_section(
        &mut tx, bid_id, section_id, version, &answers, done, l.user.id, now,
    )
    .await?
    {
        drop(tx);
        let error = AppError::Conflict(
            "Someone else saved this section after you opened it, so your answers have not been saved. Your answers are shown below: check them against the saved ones, then save again to replace them".into(),
        );
        return Err(auth::reject_form(SECTION_FORM, &values, error).await);
    }
    if section.kind == SectionKind::Budget && requested != l.bid.requested {
        db::bids::set_requested(&mut tx, bid_id, requested).await?;
        // The plan's seed grant must add up to the new amount: check it again.
        for plan in c
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Sustainability)
        {
            db::bids::reopen_section(&mut tx, bid_id, plan.id).await?;
        }
    }
    let question_in = |prefix: &str| {
        then.strip_prefix(prefix)
            .and_then(|q| q.parse::<i64>().ok())
            .filter(|q| section.questions.iter().any(|(id, _)| id == q))
    };
    let mut removed = None;
    if let Some(qid) = question_in("remove_") {
        if let Some(name) = db::bids::remove_file(&mut tx, bid_id, qid).await? {
            l.audit(
                &mut tx,
                "bid.file_removed",
                format!("File removed: {name}"),
                None,
            )
            .await?;
            removed = Some(name);
        }
    }
    if done {
        let summary = format!("Section completed: {}", section.title);
        l.audit(&mut tx, "bid.section_completed", summary, None)
            .await?;
    }
    tx.commit().await?;
    if !errors.is_empty() {
        return Err(auth::reject_form(SECTION_FORM, &values, AppError::Invalid(errors)).await);
    }
    let here = format!("/bids/{bid_id}/sections/{section_id}");
    let mut notice = removed.map(|name| format!("File removed: {name}"));
    let target = match then.as_str() {
        "add_line" => format!("{here}#budget-lines"),
        "add_year" => format!("{here}#plan-years"),
        t if t.starts_with("remove_") => here,
        t if t.starts_with("upload_") => match question_in("upload_") {
            Some(qid) => format!("{here}/files/{qid}"),
            None => return Err(auth::with_status(AppError::NotFound)),
        },
        "continue" if return_to == "check" => {
            notice = Some(format!(
                "Your answers to \"{}\" have been saved",
                section.title
            ));
            format!("/bids/{bid_id}/check")
        }
        _ => {
            notice = Some(if done {
                format!("\"{}\" is completed", section.title)
            } else {
                format!("Your answers to \"{}\" have been saved", section.title)
            });
            format!("/bids/{bid_id}")
        }
    };
    match notice {
        Some(notice) => {
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, &target).await?;
        }
        None => leptos_axum::redirect(&target),
    }
    Ok(())
}
