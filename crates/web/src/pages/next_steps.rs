//! A challenge's next steps: the host's LA lead turns the recommendations into an action plan,
//! on the web one action at a time or as a spreadsheet to download, fill in and upload. An
//! upload is checked as a whole and applied all or nothing, with every problem listed by row
//! and column. The board and the people who run the scheme read the plan.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::{NaiveDate, Utc};
use documents::action_plan::{MAX_ACTIONS, UPLOAD_LIMITS};
use documents::upload::{Size, UploadProblem};
use domain::findings::FindingKind;
use domain::next_steps::{
    ACTION_FIELDS, ActionAnswers, ActionEntry, ActionField, FieldShape, REFERENCE_LIMIT, Rag,
};
use domain::{Action, ActionId, ChallengeId, ThemeCode};

use crate::extract::Id;
use serde::Deserialize;
use services::journey::Refused;
use services::next_steps::{self, NextStepsOf, Permit, SheetProblem, SpreadsheetRefused};
use store::PlannedAction;

use crate::components::{
    DateInput, ErrorSummary, FileUpload, NotificationBanner, Radios, Select, SelectItem, TextInput,
    Textarea,
};
use crate::forms::FormErrors;
use crate::pages::challenges::LoadedChallenge;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

const NAV: &str = "/challenges";
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn routes(_settings: &crate::Settings) -> Vec<Route> {
    // The body may be as large as the largest plan accepted, plus the form around it; the
    // plan itself is read within documents::action_plan's limits.
    let upload_limit = axum::extract::DefaultBodyLimit::max(plan_max_bytes() + 64 * 1024);
    vec![
        route(Method::GET, "/challenges/{id}/actions", get(show_plan)),
        route(
            Method::GET,
            "/challenges/{id}/actions.xlsx",
            get(download_plan),
        ),
        route(
            Method::POST,
            "/challenges/{id}/actions/upload",
            post(upload_plan).layer(upload_limit),
        ),
        route(
            Method::GET,
            "/challenges/{id}/actions/new",
            get(show_new_action),
        ),
        route(
            Method::POST,
            "/challenges/{id}/actions/new",
            post(add_action),
        ),
        route(
            Method::GET,
            "/challenges/{id}/actions/{action}",
            get(show_action),
        ),
        route(
            Method::POST,
            "/challenges/{id}/actions/{action}",
            post(change_action),
        ),
    ]
}

/// The largest plan file accepted, in bytes.
pub(crate) fn plan_max_bytes() -> usize {
    usize::try_from(UPLOAD_LIMITS.max_bytes).unwrap_or(usize::MAX)
}

/// Problems listed under a refused upload; the rest are counted. A sheet of thousands of bad
/// rows once answered with a page of millions.
pub(crate) const PROBLEMS_SHOWN: usize = 50;

fn plan_href(loaded: &LoadedChallenge) -> String {
    format!("{}/actions", loaded.href())
}

/// A challenge's plan: its host's next steps under the challenge's activity.
fn host_steps(loaded: &LoadedChallenge) -> NextStepsOf<'_> {
    NextStepsOf {
        activity: loaded.record.id.into(),
        area: &loaded.record.authority,
        links: None,
    }
}

fn plan_open(loaded: &LoadedChallenge) -> bool {
    loaded.record.state.may_plan_next_steps()
}

fn may_manage(loaded: &LoadedChallenge, visitor: &Visitor) -> bool {
    plan_open(loaded) && loaded.may(visitor, &Action::ManageActionPlan(loaded.access.clone()))
}

/// Reading the plan: whoever monitors the area's progress, or keeps its plan.
fn authorise_read(visitor: &Visitor, loaded: &LoadedChallenge) -> Result<(), AppError> {
    visitor
        .authorise(&Action::ViewAreaProgress(loaded.record.authority.clone()))
        .or_else(|_| visitor.authorise(&Action::ManageActionPlan(loaded.access.clone())))
        .map(|_| ())
}

pub(crate) async fn known_themes(state: &AppState) -> Result<Vec<(ThemeCode, String)>, AppError> {
    Ok(state
        .store
        .themes()
        .await?
        .into_iter()
        .map(|theme| (theme.code, theme.label))
        .collect())
}

#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    #[serde(default)]
    notice: String,
    #[serde(default)]
    added: usize,
    #[serde(default)]
    changed: usize,
}

fn banner(notice: &Notice) -> Option<NotificationBanner> {
    let heading = match notice.notice.as_str() {
        "added" => "The action has been added to the plan".to_owned(),
        "changed" => "The action has been changed".to_owned(),
        "uploaded" => format!(
            "The spreadsheet has been applied: {} action(s) added, {} changed",
            notice.added, notice.changed
        ),
        "closed" => {
            return Some(NotificationBanner {
                success: false,
                heading: "The action plan can be changed only at the next steps stage".into(),
            });
        }
        _ => return None,
    };
    Some(NotificationBanner::success(heading))
}

// ---- The plan ---------------------------------------------------------------------------

struct ActionRow {
    reference: String,
    action: String,
    owner: String,
    due: String,
    rag: Rag,
    overdue: bool,
    href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/next_steps/plan.html")]
pub struct PlanPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    actions: Vec<ActionRow>,
    recommendations: Vec<String>,
    manages: bool,
    new_href: String,
    download_href: String,
    upload_action: String,
    upload: FileUpload,
    upload_problems: Vec<SheetProblem>,
    /// Problems found beyond those listed.
    more_problems: usize,
    closed: bool,
}

fn action_rows(
    plan: &[PlannedAction],
    loaded: &LoadedChallenge,
    manages: bool,
    today: NaiveDate,
) -> Vec<ActionRow> {
    plan.iter()
        .map(|planned| ActionRow {
            reference: planned.entry.reference.clone(),
            action: planned.entry.action.clone(),
            owner: planned.entry.owner.clone(),
            due: crate::dates::date(planned.entry.due),
            rag: planned.entry.rag,
            overdue: planned.entry.is_overdue(today),
            href: manages.then(|| format!("{}/{}", plan_href(loaded), planned.id)),
        })
        .collect()
}

/// The recommendations the plan answers. The team reads the findings as they stand; anyone
/// else (the host's LA lead, the board) only those of a report version shared with the host,
/// so a recommendation still being drafted never leaves the team.
async fn recommendations_for(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
) -> Result<Vec<String>, AppError> {
    let on_the_team = loaded.may(visitor, &Action::DiscussFindings(loaded.access.clone()));
    if on_the_team {
        return Ok(state
            .store
            .findings(loaded.record.id)
            .await?
            .into_iter()
            .filter(|finding| finding.entry.kind == FindingKind::Recommendation)
            .map(|finding| format!("KLOE {}: {}", finding.entry.kloe, finding.entry.text))
            .collect());
    }
    Ok(state
        .store
        .shared_recommendations(loaded.record.id)
        .await?
        .into_iter()
        .map(|recommendation| format!("KLOE {}: {}", recommendation.kloe, recommendation.text))
        .collect())
}

async fn plan_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    errors: &FormErrors,
    upload_problems: Vec<SheetProblem>,
    banner: Option<NotificationBanner>,
) -> Result<PlanPage, AppError> {
    let manages = may_manage(loaded, visitor);
    let plan = state.store.action_plan(loaded.record.id).await?;
    let recommendations = recommendations_for(state, visitor, loaded).await?;
    let href = plan_href(loaded);
    let upload = FileUpload {
        id: "plan".into(),
        name: "plan".into(),
        label: "Upload the filled-in spreadsheet".into(),
        hint: Some(format!(
            "An .xlsx file made from the download above, {} or smaller, with at most {MAX_ACTIONS} actions. Rows with a reference the plan has change that action; new references are added. Nothing changes unless every row is right.",
            Size(UPLOAD_LIMITS.max_bytes)
        )),
        error: errors.get("plan"),
        accept: Some(".xlsx"),
    };
    Ok(PlanPage {
        chrome: Chrome::new(visitor, "Action plan", NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: loaded.href(),
        caption: loaded.title(),
        actions: action_rows(&plan, loaded, manages, state.today()),
        recommendations,
        manages,
        new_href: format!("{href}/new"),
        download_href: format!("{href}.xlsx"),
        upload_action: format!("{href}/upload?csrf_token={}", visitor.form_token),
        upload,
        more_problems: upload_problems.len().saturating_sub(PROBLEMS_SHOWN),
        upload_problems: upload_problems.into_iter().take(PROBLEMS_SHOWN).collect(),
        closed: !plan_open(loaded),
    })
}

pub async fn show_plan(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<PlanPage, AppError> {
    authorise_read(&visitor, &loaded)?;
    plan_page(
        &state,
        &visitor,
        &loaded,
        &FormErrors::default(),
        Vec::new(),
        banner(&notice),
    )
    .await
}

/// The plan as a spreadsheet: the template to fill in, holding every action so far.
pub async fn download_plan(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    authorise_read(&visitor, &loaded)?;
    let plan = state.store.action_plan(loaded.record.id).await?;
    let themes = known_themes(&state).await?;
    let bytes = crate::action_plans::plan_workbook(&loaded.record, &plan, &themes)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let disposition = format!(
        "attachment; filename=\"{}-action-plan.xlsx\"",
        loaded.record.reference
    );
    Ok((
        [
            (CONTENT_TYPE, XLSX.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The uploaded file, or why there is none.
pub(crate) async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Vec<u8>, String> {
    let mut multipart = multipart.map_err(|_| "Choose a spreadsheet to upload".to_owned())?;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(unread(error.status())),
        };
        if field.name() == Some("plan") {
            let named = field.file_name().is_some_and(|name| !name.is_empty());
            let bytes = field
                .bytes()
                .await
                .map_err(|error| unread(error.status()))?;
            if named && !bytes.is_empty() {
                return Ok(bytes.to_vec());
            }
        }
    }
    Err("Choose a spreadsheet to upload".to_owned())
}

/// Why the body could not be read: cut off at the size limit, or broken on the way.
fn unread(status: StatusCode) -> String {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        UploadProblem::TooLarge {
            limit: Size(UPLOAD_LIMITS.max_bytes),
        }
        .to_string()
    } else {
        "The file could not be read: try again".to_owned()
    }
}

/// The plan page again, with why the upload was refused.
async fn refuse_upload(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    errors: FormErrors,
    problems: Vec<SheetProblem>,
) -> Result<Response, AppError> {
    let page = plan_page(state, visitor, loaded, &errors, problems, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn upload_plan(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ManageActionPlan(loaded.access.clone()))?;
    if !plan_open(&loaded) {
        return Ok(see_other(&format!("{}?notice=closed", plan_href(&loaded))));
    }
    let bytes = match read_upload(multipart).await {
        Ok(bytes) => bytes,
        Err(message) => {
            return refuse_upload_with(&state, &visitor, &loaded, message, Vec::new()).await;
        }
    };
    // The plan is the host's next steps for the challenge's activity: the same use case any
    // programme's next-steps return calls.
    let applied = next_steps::apply_spreadsheet(
        &state.store,
        Permit {
            principal: visitor.principal.as_ref(),
            action: &Action::ManageActionPlan(loaded.access.clone()),
        },
        host_steps(&loaded),
        &bytes,
        Utc::now(),
        state.today(),
    )
    .await;
    let (message, listed) = match applied {
        Ok(applied) => {
            return Ok(see_other(&format!(
                "{}?notice=uploaded&added={}&changed={}",
                plan_href(&loaded),
                applied.added,
                applied.changed
            )));
        }
        Err(SpreadsheetRefused::Unreadable(message)) => (message, Vec::new()),
        Err(SpreadsheetRefused::Problems(listed)) => {
            let message = if listed.len() > PROBLEMS_SHOWN {
                format!(
                    "The spreadsheet has {} problems, the first {PROBLEMS_SHOWN} listed below: nothing was changed",
                    listed.len()
                )
            } else {
                format!(
                    "The spreadsheet has {} problem(s), listed below: nothing was changed",
                    listed.len()
                )
            };
            (message, listed)
        }
        Err(SpreadsheetRefused::Refused(why)) => (crate::error::refused(why)?, Vec::new()),
    };
    refuse_upload_with(&state, &visitor, &loaded, message, listed).await
}

/// The plan page again, with the upload's message next to the file input and any rows'
/// problems listed.
async fn refuse_upload_with(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    message: String,
    listed: Vec<SheetProblem>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    errors.add("plan", message);
    refuse_upload(state, visitor, loaded, errors, listed).await
}

// ---- One action -------------------------------------------------------------------------

/// The action form as posted: each answer under its field's name, a date in the GOV.UK three
/// boxes (`due-day`, `due-month`, `due-year`). Fields come from [`ACTION_FIELDS`], so the form
/// reads whatever the table holds.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct ActionForm(BTreeMap<String, String>);

pub(crate) fn date_text(day: &str, month: &str, year: &str) -> String {
    if [day, month, year].iter().all(|part| part.trim().is_empty()) {
        String::new()
    } else {
        format!("{}/{}/{}", day.trim(), month.trim(), year.trim())
    }
}

/// The names of a date field's three boxes.
fn date_boxes(key: &str) -> [String; 3] {
    ["day", "month", "year"].map(|part| format!("{key}-{part}"))
}

impl ActionForm {
    fn posted(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// A date field's three boxes as typed.
    fn date_parts(&self, key: &str) -> [&str; 3] {
        let [day, month, year] = date_boxes(key);
        [self.posted(&day), self.posted(&month), self.posted(&year)]
    }

    pub(crate) fn answers(&self) -> ActionAnswers {
        let mut answers = ActionAnswers::default();
        for field in &ACTION_FIELDS {
            *(field.answer_mut)(&mut answers) = match field.shape {
                FieldShape::Date => {
                    let [day, month, year] = self.date_parts(field.key);
                    date_text(day, month, year)
                }
                _ => self.posted(field.key).to_owned(),
            };
        }
        answers
    }

    /// The form filled in with an action as it stands.
    pub(crate) fn of(entry: &ActionEntry) -> Self {
        let answers = ActionAnswers::from_entry(entry);
        let mut posted = BTreeMap::new();
        for field in &ACTION_FIELDS {
            let answer = (field.answer)(&answers);
            match field.shape {
                FieldShape::Date => {
                    let mut parts = answer.split('/');
                    for name in date_boxes(field.key) {
                        posted.insert(name, parts.next().unwrap_or_default().to_owned());
                    }
                }
                FieldShape::Rag => {
                    let code = Rag::parse(answer).map_or("", Rag::code);
                    posted.insert(field.key.to_owned(), code.to_owned());
                }
                _ => {
                    posted.insert(field.key.to_owned(), answer.clone());
                }
            }
        }
        Self(posted)
    }
}

/// One of the action form's inputs, rendered as its shape needs.
pub(crate) enum ActionInput {
    Text(TextInput),
    Area(Textarea),
    Choice(Select),
    Date(DateInput),
    Status(Radios),
}

impl std::fmt::Display for ActionInput {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let html = match self {
            Self::Text(input) => input.render(),
            Self::Area(input) => input.render(),
            Self::Choice(input) => input.render(),
            Self::Date(input) => input.render(),
            Self::Status(input) => input.render(),
        };
        out.write_str(&html.map_err(|_| std::fmt::Error)?)
    }
}

/// The action form's inputs, one per field of [`ACTION_FIELDS`] in its order.
pub(crate) struct ActionFields(Vec<(&'static str, ActionInput)>);

impl ActionFields {
    pub(crate) fn inputs(&self) -> impl Iterator<Item = &ActionInput> {
        self.0.iter().map(|(_, input)| input)
    }

    /// Word a text box's question for a programme that asks it differently (a next step
    /// answers a KLOE or a priority, not a recommendation).
    pub(crate) fn reword(&mut self, key: &str, label: &str, hint: String) {
        for (field, input) in &mut self.0 {
            if *field == key
                && let ActionInput::Area(area) = input
            {
                area.label = label.to_owned();
                area.hint = Some(hint.clone());
            }
        }
    }
}

pub(crate) fn action_fields(
    form: &ActionForm,
    themes: &[(ThemeCode, String)],
    errors: &FormErrors,
) -> ActionFields {
    ActionFields(
        ACTION_FIELDS
            .iter()
            .map(|field| (field.key, action_input(field, form, themes, errors)))
            .collect(),
    )
}

fn action_input(
    field: &ActionField,
    form: &ActionForm,
    themes: &[(ThemeCode, String)],
    errors: &FormErrors,
) -> ActionInput {
    let label = field.form_label();
    let value = form.posted(field.key);
    match field.shape {
        FieldShape::OneLine(limit) => {
            let mut input = TextInput::new(field.key, &label);
            if let Some(hint) = field.hint {
                input = input.hint(hint);
            }
            if limit <= REFERENCE_LIMIT {
                input = input.classes("govuk-input--width-10");
            }
            ActionInput::Text(input.limit(limit).value(value).errors(errors))
        }
        FieldShape::Lines(_) | FieldShape::Progress => {
            let mut area = Textarea::new(field.key, &label, value).errors(errors);
            if let Some(hint) = field.hint {
                area = area.hint(hint);
            }
            if let Some(limit) = field.limit() {
                area = area.limit(limit);
            }
            area.rows = if field.shape == FieldShape::Progress {
                4
            } else {
                3
            };
            ActionInput::Area(area)
        }
        FieldShape::Theme => {
            let chosen = value.trim().to_uppercase();
            let mut items = vec![SelectItem {
                value: String::new(),
                text: "Choose a theme".into(),
                selected: chosen.is_empty(),
            }];
            items.extend(themes.iter().map(|(code, label)| SelectItem {
                value: code.to_string(),
                text: label.clone(),
                selected: code.as_str() == chosen,
            }));
            ActionInput::Choice(Select {
                id: field.key.into(),
                name: field.key.into(),
                label,
                hint: field.hint.map(str::to_owned),
                error: errors.get(field.key),
                items,
            })
        }
        FieldShape::Date => {
            let [day, month, year] = form.date_parts(field.key);
            let mut input = DateInput::new(field.key, &label, (day, month, year)).errors(errors);
            if let Some(hint) = field.hint {
                input = input.hint(hint);
            }
            ActionInput::Date(input)
        }
        FieldShape::Rag => {
            let statuses: Vec<(&str, &str)> = Rag::ALL
                .iter()
                .map(|rag| (rag.code(), rag.label()))
                .collect();
            let chosen = Rag::parse(value).map_or("", Rag::code);
            let mut radios = Radios::new(field.key, &label, &statuses, chosen).errors(errors);
            radios.legend_classes = Some("govuk-fieldset__legend--s");
            ActionInput::Status(radios)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/next_steps/action.html")]
pub struct ActionPage {
    pub(crate) chrome: Chrome,
    pub(crate) summary: Option<ErrorSummary>,
    pub(crate) back: String,
    pub(crate) caption: String,
    pub(crate) heading: &'static str,
    pub(crate) action: String,
    pub(crate) button: &'static str,
    pub(crate) form: ActionFields,
}

async fn action_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    existing: Option<ActionId>,
    form: &ActionForm,
    errors: &FormErrors,
) -> Result<ActionPage, AppError> {
    let themes = known_themes(state).await?;
    let href = plan_href(loaded);
    let (heading, action, button) = match existing {
        Some(id) => ("Change an action", format!("{href}/{id}"), "Save changes"),
        None => ("Add an action", format!("{href}/new"), "Add action"),
    };
    Ok(ActionPage {
        chrome: Chrome::new(visitor, heading, NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::linking(errors, &["start", "due"])),
        back: href,
        caption: loaded.title(),
        heading,
        action,
        button,
        form: action_fields(form, &themes, errors),
    })
}

fn managing(visitor: &Visitor, loaded: &LoadedChallenge) -> Result<domain::Principal, AppError> {
    visitor
        .authorise(&Action::ManageActionPlan(loaded.access.clone()))
        .cloned()
}

pub async fn show_new_action(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    managing(&visitor, &loaded)?;
    if !plan_open(&loaded) {
        return Ok(see_other(&format!("{}?notice=closed", plan_href(&loaded))));
    }
    Ok(action_page(
        &state,
        &visitor,
        &loaded,
        None,
        &ActionForm::default(),
        &FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn load_action(
    state: &AppState,
    loaded: &LoadedChallenge,
    id: ActionId,
) -> Result<PlannedAction, AppError> {
    state
        .store
        .action(id)
        .await?
        .filter(|planned| planned.activity.challenge == Some(loaded.record.id))
        .ok_or(AppError::NotFound)
}

pub async fn show_action(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, action)): Id<(ChallengeId, ActionId)>,
) -> Result<Response, AppError> {
    managing(&visitor, &loaded)?;
    let planned = load_action(&state, &loaded, action).await?;
    if !plan_open(&loaded) {
        return Ok(see_other(&format!("{}?notice=closed", plan_href(&loaded))));
    }
    let form = ActionForm::of(&planned.entry);
    Ok(action_page(
        &state,
        &visitor,
        &loaded,
        Some(planned.id),
        &form,
        &FormErrors::default(),
    )
    .await?
    .into_response())
}

/// Check and save the form; on a problem, the form again with every answer as typed.
async fn save_action(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    existing: Option<ActionId>,
    form: &ActionForm,
) -> Result<Response, AppError> {
    managing(visitor, loaded)?;
    if !plan_open(loaded) {
        return Ok(see_other(&format!("{}?notice=closed", plan_href(loaded))));
    }
    let saved = next_steps::save_next_step(
        &state.store,
        Permit {
            principal: visitor.principal.as_ref(),
            action: &Action::ManageActionPlan(loaded.access.clone()),
        },
        host_steps(loaded),
        existing,
        &form.answers(),
        Utc::now(),
        state.today(),
    )
    .await;
    let errors = match saved {
        Ok(_) => {
            let notice = if existing.is_some() {
                "changed"
            } else {
                "added"
            };
            return Ok(see_other(&format!("{}?notice={notice}", plan_href(loaded))));
        }
        Err(Refused::Invalid(problems)) => FormErrors::from_problems(problems),
        // A reference another action uses, or the plan closed meanwhile.
        Err(why) => {
            let mut errors = FormErrors::default();
            errors.add("reference", crate::error::refused(why)?);
            errors
        }
    };
    let page = action_page(state, visitor, loaded, existing, form, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn add_action(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    save_action(&state, &visitor, &loaded, None, &form).await
}

pub async fn change_action(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, action)): Id<(ChallengeId, ActionId)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    managing(&visitor, &loaded)?;
    let planned = load_action(&state, &loaded, action).await?;
    save_action(&state, &visitor, &loaded, Some(planned.id), &form).await
}
