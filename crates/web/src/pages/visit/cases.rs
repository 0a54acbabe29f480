//! The case sample: the host lists the cases the team will sample, as pseudonymous references
//! with age band, need and setting; the list and the form share one page. A parent carer or
//! young ambassador on the team sees the references only: the details are never loaded for
//! them, not just hidden.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::case_sample::{CaseAgeBand, CaseAnswers, NOTES_LIMIT, NeedType, SettingType};
use domain::{Action, CaseId, ChallengeId};

use crate::extract::Id;
use serde::Deserialize;
use store::{SampledCase, StoreError};

use super::{NAV, Notice, after_delete, caption, closed_banner, may_change};
use crate::components::{
    ErrorSummary, NotificationBanner, RadioItem, Radios, Select, SelectItem, TextInput, Textarea,
};
use crate::forms::FormErrors;
use crate::pages::Chrome;
use crate::pages::challenges::LoadedChallenge;
use crate::pages::delete::{DeleteForm, DeletePage};
use crate::pages::see_other;
use crate::visitor::Visitor;
use crate::{AppError, AppState};

fn cases_href(loaded: &LoadedChallenge) -> String {
    format!("{}/cases", loaded.href())
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    need_type: String,
    #[serde(default)]
    setting_type: String,
    #[serde(default)]
    notes: String,
}

impl CaseForm {
    fn answers(&self) -> CaseAnswers {
        CaseAnswers {
            reference: self.reference.clone(),
            age_band: self.age_band.clone(),
            need_type: self.need_type.clone(),
            setting_type: self.setting_type.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// A case as a row of the table: the details only for those who may see them.
struct CaseRow {
    reference: String,
    details: Option<CaseDetails>,
    delete_href: Option<String>,
}

struct CaseDetails {
    age_band: &'static str,
    need_type: &'static str,
    setting_type: &'static str,
    notes: String,
}

/// The add form's fields.
struct CaseFields {
    reference: TextInput,
    age_band: Radios,
    need_type: Select,
    setting_type: Radios,
    notes: Textarea,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/visit/cases.html")]
pub struct CasesPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    action: String,
    sees_details: bool,
    cases: Vec<CaseRow>,
    /// None for those who may not change the sample, or once it is closed.
    form: Option<CaseFields>,
    closed: bool,
}

fn radios<T: Copy>(
    name: &str,
    legend: &str,
    options: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: &str,
    errors: &FormErrors,
) -> Radios {
    Radios {
        id_prefix: name.to_owned(),
        name: name.to_owned(),
        legend: legend.to_owned(),
        legend_classes: Some("govuk-fieldset__legend--s"),
        items: options
            .iter()
            .map(|option| RadioItem {
                value: code(*option).to_owned(),
                text: label(*option).to_owned(),
                hint: None,
                checked: code(*option) == selected,
            })
            .collect(),
        ..Radios::default()
    }
    .errors(errors)
}

fn case_fields(form: &CaseForm, errors: &FormErrors) -> CaseFields {
    let mut need_items = vec![SelectItem {
        value: String::new(),
        text: "Choose the primary type of need".into(),
        selected: form.need_type.is_empty(),
    }];
    need_items.extend(NeedType::ALL.iter().map(|need| SelectItem {
        value: need.code().to_owned(),
        text: need.label().to_owned(),
        selected: need.code() == form.need_type,
    }));
    let mut notes = Textarea::new("notes", "Notes (optional)", &form.notes)
        .hint("What the team should know before sampling this case, such as the stage of its plan. Do not include names, dates of birth, addresses, NHS numbers or unique pupil numbers.")
        .limit(NOTES_LIMIT)
        .errors(errors);
    notes.rows = 3;
    CaseFields {
        reference: TextInput::new("reference", "Case reference")
            .hint("A pseudonymous reference from your own case system, for example NOT-2026-07. Never a child's name or a number that identifies them.")
            .classes("govuk-input--width-20")
            .spellcheck(false)
            .value(&form.reference)
            .errors(errors),
        age_band: radios(
            "age_band",
            "Age band",
            &CaseAgeBand::ALL,
            CaseAgeBand::code,
            CaseAgeBand::label,
            &form.age_band,
            errors,
        ),
        need_type: Select {
            id: "need_type".into(),
            name: "need_type".into(),
            label: "Primary type of need".into(),
            hint: Some("As recorded for the SEN2 return".into()),
            error: errors.get("need_type"),
            items: need_items,
        },
        setting_type: radios(
            "setting_type",
            "Type of setting",
            &SettingType::ALL,
            SettingType::code,
            SettingType::label,
            &form.setting_type,
            errors,
        ),
        notes,
    }
}

/// The page, loading the details only for someone allowed to see them.
async fn cases_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    form: &CaseForm,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<CasesPage, AppError> {
    let sees_details = loaded.may(visitor, &Action::ViewCaseDetails(loaded.access.clone()));
    let editable = may_change(loaded, visitor);
    let href = cases_href(loaded);
    let delete_href = |id: CaseId| editable.then(|| format!("{href}/{id}/delete"));
    let cases = if sees_details {
        state
            .store
            .case_sample(loaded.record.id)
            .await?
            .into_iter()
            .map(|case| CaseRow {
                reference: case.entry.reference.to_string(),
                delete_href: delete_href(case.id),
                details: Some(CaseDetails {
                    age_band: case.entry.age_band.label(),
                    need_type: case.entry.need_type.label(),
                    setting_type: case.entry.setting_type.label(),
                    notes: case.entry.notes,
                }),
            })
            .collect()
    } else {
        // The references are part of the challenge as loaded (kept between requests).
        loaded
            .cases
            .iter()
            .map(|case| CaseRow {
                reference: case.reference.to_string(),
                delete_href: delete_href(case.id),
                details: None,
            })
            .collect()
    };
    Ok(CasesPage {
        chrome: Chrome::new(visitor, "Case sample", NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: loaded.href(),
        caption: caption(loaded),
        action: href.clone(),
        sees_details,
        cases,
        form: editable.then(|| case_fields(form, errors)),
        closed: !loaded.record.state.may_prepare_visit(),
    })
}

fn banner(notice: &str) -> Option<NotificationBanner> {
    let heading = match notice {
        "added" => "The case has been added to the sample",
        "deleted" => "The case has been taken out of the sample",
        other => return closed_banner(other),
    };
    Some(NotificationBanner::success(heading))
}

pub async fn show_cases(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<CasesPage, AppError> {
    visitor.authorise(&Action::ViewChallenge(loaded.access.clone()))?;
    cases_page(
        &state,
        &visitor,
        &loaded,
        &CaseForm::default(),
        &FormErrors::default(),
        banner(&notice.notice),
    )
    .await
}

fn closed(loaded: &LoadedChallenge) -> Response {
    see_other(&format!("{}?notice=closed", cases_href(loaded)))
}

pub async fn add_case(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let errors = match form.answers().check() {
        Ok(entry) => match state
            .store
            .add_case(loaded.record.id, &entry, principal.user_id, Utc::now())
            .await
        {
            Ok(_) => {
                return Ok(see_other(&format!("{}?notice=added", cases_href(&loaded))));
            }
            Err(StoreError::Conflict(message)) => {
                let mut errors = FormErrors::default();
                errors.add("reference", message);
                errors
            }
            Err(other) => return Err(other.into()),
        },
        Err(problems) => FormErrors::from_problems(problems),
    };
    let page = cases_page(&state, &visitor, &loaded, &form, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn load_case(
    state: &AppState,
    loaded: &LoadedChallenge,
    id: CaseId,
) -> Result<SampledCase, AppError> {
    state
        .store
        .sampled_case(loaded.record.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show_delete_case(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, case)): Id<(ChallengeId, CaseId)>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let case = load_case(&state, &loaded, case).await?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let href = cases_href(&loaded);
    let page = DeletePage {
        chrome: Chrome::new(&visitor, "Take a case out of the sample", NAV),
        caption: caption(&loaded),
        heading: format!(
            "Are you sure you want to take case {} out of the sample?",
            case.entry.reference
        ),
        details: vec![
            ("Age band".into(), case.entry.age_band.label().into()),
            ("Need".into(), case.entry.need_type.label().into()),
            ("Setting".into(), case.entry.setting_type.label().into()),
        ],
        warning: "The team will no longer see this case in the sample.",
        action: format!("{href}/{}/delete", case.id),
        back: href,
        button: "Take the case out",
    };
    Ok(page.into_response())
}

pub async fn delete_case(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, case)): Id<(ChallengeId, CaseId)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let case = load_case(&state, &loaded, case).await?;
    let href = cases_href(&loaded);
    if !form.confirmed() {
        return Ok(see_other(&format!("{href}/{}/delete", case.id)));
    }
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let result = state
        .store
        .delete_case(loaded.record.id, case.id, principal.user_id, Utc::now())
        .await;
    after_delete(result, &href)
}
