//! Triad scrutiny in the annual programme: a triad's leads read each other's submitted
//! self-assessments and write section-level challenge comments and questions (the area reads
//! them on its own page); the triad's page holds its conversation's record (date, who attended
//! for each area, the agreed points) and the requests for help and offers of support; each
//! area's development plan is its next steps under the cycle, the return it owes after the
//! conversation, kept on the return's next-steps page (`pages::return_next_steps`) like every
//! programme's, linked from here; and a section's evidence documents are uploaded and read
//! here, each read audit-logged.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use documents::upload::{Size, UploadProblem};
use domain::self_assessment::cycle_title;
use domain::self_assessment_form::SelfAssessmentStatus;
use domain::triads::{
    AGREED_MAX, ATTENDEES_MAX, COMMENT_MAX, CommentAnswers, CommentSection, ConversationAnswers,
    REGION, SUPPORT_MAX, ScrutinyKind, SupportAnswers, SupportKind, attended_field,
};
use domain::{Action, AuthoritySlug, DocumentId, Programme, ReturnKind};
use store::{AnnualCycle, NewEvidenceDocument, OwedReturn, StoreError};

use crate::components::{
    ErrorSummary, FileUpload, Radios, Select, SelectItem, TextInput, Textarea,
};
use crate::forms::FormErrors;
use crate::pages::self_assessments::{load, same_triad};
use crate::pages::visit::documents::{ACCEPT, clean_file_name, read_upload, recognise};
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

const NAV: &str = "/self-assessment";

pub fn routes(settings: &crate::Settings) -> Vec<Route> {
    let evidence_limit =
        axum::extract::DefaultBodyLimit::max(settings.pre_reading_max_bytes + 64 * 1024);
    vec![
        route(
            Method::GET,
            "/self-assessment/{year}/areas/{area}/scrutiny",
            get(show_scrutiny),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/areas/{area}/scrutiny",
            post(add_comment),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/areas/{area}/support",
            post(record_support),
        ),
        route(
            Method::GET,
            "/self-assessment/{year}/areas/{area}/evidence",
            get(show_evidence),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/areas/{area}/evidence",
            post(upload_evidence).layer(evidence_limit),
        ),
        route(
            Method::GET,
            "/self-assessment/{year}/areas/{area}/evidence/{document}",
            get(download_evidence),
        ),
        route(
            Method::GET,
            "/self-assessment/{year}/triads/{triad}",
            get(show_triad),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/triads/{triad}/conversation",
            post(record_conversation),
        ),
    ]
}

fn base(cycle: &AnnualCycle, area: &AuthoritySlug) -> String {
    format!("/self-assessment/{}/areas/{area}", cycle.year)
}

/// The number (1-based) of the published triad `area` is in.
fn triad_of(cycle: &AnnualCycle, area: &AuthoritySlug) -> Option<usize> {
    cycle
        .published_at
        .and(cycle.triads.iter().position(|t| t.contains(area)))
        .map(|i| i + 1)
}

async fn names(state: &AppState) -> Result<Vec<(AuthoritySlug, String)>, AppError> {
    Ok(state
        .store
        .authorities()
        .await?
        .into_iter()
        .map(|a| (a.slug, a.name))
        .collect())
}

fn name_of(names: &[(AuthoritySlug, String)], slug: &AuthoritySlug) -> String {
    names
        .iter()
        .find(|(s, _)| s == slug)
        .map_or_else(|| slug.to_string(), |(_, n)| n.clone())
}

// ---- Scrutiny: partners' comments and questions ---------------------------------------------

struct CommentView {
    kind: &'static str,
    text: String,
    by: String,
}

struct SectionComments {
    id: &'static str,
    title: &'static str,
    comments: Vec<CommentView>,
}

struct CommentFields {
    section: Select,
    kind: Radios,
    text: Textarea,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/triads/scrutiny.html")]
pub struct ScrutinyPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    title: String,
    base: String,
    triad_href: Option<String>,
    submitted: bool,
    own: bool,
    sections: Vec<SectionComments>,
    form: Option<CommentFields>,
}

/// Whether `area`'s self-assessment has a submitted or signed-off version.
async fn submitted(
    state: &AppState,
    cycle: &AnnualCycle,
    area: &AuthoritySlug,
) -> Result<bool, AppError> {
    Ok(state
        .store
        .self_assessment_versions(cycle.id, area)
        .await?
        .iter()
        .any(|v| v.status != SelfAssessmentStatus::Draft))
}

fn scrutinise(
    visitor: &Visitor,
    cycle: &AnnualCycle,
    area: &AuthoritySlug,
    submitted: bool,
) -> Action {
    Action::ScrutiniseSelfAssessment {
        area: area.clone(),
        submitted,
        same_triad: same_triad(visitor, cycle, area),
    }
}

fn comment_fields(answers: &CommentAnswers, errors: &FormErrors) -> CommentFields {
    let mut items = vec![SelectItem {
        value: String::new(),
        text: "Choose a section".into(),
        selected: answers.section.is_empty(),
    }];
    items.extend(CommentSection::all().into_iter().map(|s| SelectItem {
        value: s.code().into(),
        text: s.label().into(),
        selected: s.code() == answers.section,
    }));
    let kinds: Vec<(&str, &str)> = ScrutinyKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    let mut kind = Radios::new("kind", "What is it?", &kinds, answers.kind.trim()).errors(errors);
    kind.legend_classes = Some("govuk-fieldset__legend--s");
    kind.inline = true;
    CommentFields {
        section: Select {
            id: "section".into(),
            name: "section".into(),
            label: "Section".into(),
            hint: None,
            error: errors.get("section"),
            items,
        },
        kind,
        text: Textarea::new("text", "Your comment or question", &answers.text)
            .hint("Never name a child or write anything that identifies one.")
            .limit(COMMENT_MAX)
            .errors(errors),
    }
}

async fn scrutiny_page(
    state: &AppState,
    visitor: &Visitor,
    year: &str,
    area: &str,
    answers: &CommentAnswers,
    errors: &FormErrors,
) -> Result<ScrutinyPage, AppError> {
    let (cycle, area, name) = load(state, year, area).await?;
    visitor.authorise(&Action::ReadTriadComments {
        area: area.clone(),
        same_triad: same_triad(visitor, &cycle, &area),
    })?;
    let is_submitted = submitted(state, &cycle, &area).await?;
    let may_comment = visitor.may(&scrutinise(visitor, &cycle, &area, is_submitted));
    let names = names(state).await?;
    let comments = state.store.triad_comments(cycle.id, &area).await?;
    let sections = CommentSection::all()
        .into_iter()
        .filter_map(|section| {
            let comments: Vec<CommentView> = comments
                .iter()
                .filter(|c| c.section == section)
                .map(|c| CommentView {
                    kind: c.kind.label(),
                    text: c.text.clone(),
                    by: format!(
                        "{}, {}, {}",
                        name_of(&names, &c.author_area),
                        c.author_name,
                        dates::date_time(c.at)
                    ),
                })
                .collect();
            (!comments.is_empty()).then(|| SectionComments {
                id: section.code(),
                title: section.label(),
                comments,
            })
        })
        .collect();
    Ok(ScrutinyPage {
        chrome: Chrome::new(visitor, format!("{name}: triad scrutiny"), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        title: format!("{name}: {}", cycle_title(cycle.year)),
        base: base(&cycle, &area),
        triad_href: triad_of(&cycle, &area)
            .map(|n| format!("/self-assessment/{}/triads/{n}", cycle.year)),
        submitted: is_submitted,
        own: visitor.may(&Action::EditSelfAssessment(area.clone())),
        sections,
        form: may_comment.then(|| comment_fields(answers, errors)),
    })
}

pub async fn show_scrutiny(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
) -> Result<ScrutinyPage, AppError> {
    scrutiny_page(
        &state,
        &visitor,
        &year,
        &area,
        &CommentAnswers::default(),
        &FormErrors::default(),
    )
    .await
}

pub async fn add_comment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
    Form(answers): Form<CommentAnswers>,
) -> Result<Response, AppError> {
    let (cycle, slug, _) = load(&state, &year, &area).await?;
    let is_submitted = submitted(&state, &cycle, &slug).await?;
    let principal = visitor
        .authorise(&scrutinise(&visitor, &cycle, &slug, is_submitted))?
        .clone();
    // The partner the comment is from: the visitor's area in the same triad.
    let author_area = cycle
        .triads
        .iter()
        .find(|t| t.contains(&slug))
        .and_then(|t| {
            principal
                .led_authorities()
                .find(|a| t.contains(a) && **a != slug)
                .cloned()
        })
        .ok_or(AppError::Forbidden)?;
    let errors = match answers.check() {
        Ok(comment) => match state
            .store
            .add_triad_comment(
                cycle.id,
                &slug,
                &comment,
                &author_area,
                &principal,
                Utc::now(),
            )
            .await
        {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "{}/scrutiny#comments",
                    base(&cycle, &slug)
                )));
            }
            Err(StoreError::Conflict(why)) => {
                let mut errors = FormErrors::default();
                errors.add("text", why);
                errors
            }
            Err(other) => return Err(other.into()),
        },
        Err(problems) => FormErrors::from_problems(problems),
    };
    let page = scrutiny_page(&state, &visitor, &year, &area, &answers, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---- The triad: its conversation, requests and offers -------------------------------------

struct MemberView {
    name: String,
    links: Vec<(String, &'static str)>,
}

struct SupportView {
    kind: &'static str,
    from: String,
    with: String,
    text: String,
    recorded: String,
}

struct ConversationView {
    held_on: String,
    attended: Vec<(String, String)>,
    agreed: String,
    recorded: String,
}

struct ConversationFields {
    held_on: TextInput,
    attended: Vec<TextInput>,
    agreed: Textarea,
}

struct SupportFields {
    action: String,
    from: String,
    kind: Radios,
    with: Select,
    text: Textarea,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/triads/triad.html")]
pub struct TriadPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    title: String,
    cycle_href: String,
    members: Vec<MemberView>,
    conversation: Option<ConversationView>,
    conversation_form: Option<ConversationFields>,
    conversation_action: String,
    support: Vec<SupportView>,
    support_forms: Vec<SupportFields>,
}

/// The cycle and the areas of its published triad `number`.
async fn load_triad(
    state: &AppState,
    year: &str,
    number: &str,
) -> Result<(AnnualCycle, usize, Vec<AuthoritySlug>), AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let number: usize = number.parse().map_err(|_| AppError::NotFound)?;
    let cycle = state
        .store
        .annual_cycle(year)
        .await?
        .ok_or(AppError::NotFound)?;
    let areas = number
        .checked_sub(1)
        .and_then(|i| cycle.triads.get(i))
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((cycle, number, areas))
}

/// Whether the visitor leads an area of the triad, once the triads are published.
fn member(visitor: &Visitor, cycle: &AnnualCycle, areas: &[AuthoritySlug]) -> bool {
    cycle.published_at.is_some()
        && visitor
            .principal
            .as_ref()
            .is_some_and(|p| p.led_authorities().any(|a| areas.contains(a)))
}

fn conversation_fields(
    answers: &ConversationAnswers,
    areas: &[AuthoritySlug],
    names: &[(AuthoritySlug, String)],
    errors: &FormErrors,
) -> ConversationFields {
    ConversationFields {
        held_on: TextInput::new("held_on", "Date of the conversation")
            .hint("For example, 2027-01-20")
            .classes("govuk-input--width-10")
            .value(&answers.held_on)
            .errors(errors),
        attended: areas
            .iter()
            .map(|area| {
                TextInput::new(
                    &attended_field(area),
                    &format!("Who attended for {}", name_of(names, area)),
                )
                .hint("Their roles, for example Director of children's services, DCO, forum chair. Leave empty if nobody came.")
                .limit(ATTENDEES_MAX)
                .value(answers.attended_by(area))
                .errors(errors)
            })
            .collect(),
        agreed: Textarea::new("agreed", "Points agreed", &answers.agreed)
            .limit(AGREED_MAX)
            .errors(errors),
    }
}

fn support_fields(
    cycle: &AnnualCycle,
    from: &AuthoritySlug,
    names: &[(AuthoritySlug, String)],
    answers: &SupportAnswers,
    errors: &FormErrors,
) -> SupportFields {
    let kinds: Vec<(&str, &str)> = SupportKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    let mut kind = Radios::new(
        "support-kind",
        "Is it a request or an offer?",
        &kinds,
        answers.kind.trim(),
    )
    .errors(errors);
    kind.name = "kind".into();
    kind.legend_classes = Some("govuk-fieldset__legend--s");
    let mut items = vec![SelectItem {
        value: REGION.into(),
        text: "The whole region".into(),
        selected: answers.with.is_empty() || answers.with == REGION,
    }];
    items.extend(
        cycle
            .areas
            .iter()
            .filter(|a| *a != from)
            .map(|a| SelectItem {
                value: a.to_string(),
                text: name_of(names, a),
                selected: answers.with == a.as_str(),
            }),
    );
    let mut text = Textarea::new("support-text", "What is asked or offered", &answers.text)
        .limit(SUPPORT_MAX)
        .errors(errors);
    text.name = "text".into();
    SupportFields {
        action: format!("{}/support", base(cycle, from)),
        from: name_of(names, from),
        kind,
        with: Select {
            id: "with".into(),
            name: "with".into(),
            label: "To or from".into(),
            hint: Some("Another area, or the whole region.".into()),
            error: errors.get("with"),
            items,
        },
        text,
    }
}

#[allow(clippy::too_many_arguments)]
async fn triad_page(
    state: &AppState,
    visitor: &Visitor,
    year: &str,
    number: &str,
    conversation_answers: Option<&ConversationAnswers>,
    support_answers: Option<(&AuthoritySlug, &SupportAnswers)>,
    errors: &FormErrors,
) -> Result<TriadPage, AppError> {
    let (cycle, number, areas) = load_triad(state, year, number).await?;
    let is_member = member(visitor, &cycle, &areas);
    visitor.authorise(&Action::ViewTriad { member: is_member })?;
    let names = names(state).await?;
    let mut members = Vec::new();
    for area in &areas {
        let mut links = Vec::new();
        let area_base = base(&cycle, area);
        let is_submitted = submitted(state, &cycle, area).await?;
        if visitor.may(&Action::ReadSelfAssessment {
            area: area.clone(),
            submitted: is_submitted,
            same_triad: same_triad(visitor, &cycle, area),
        }) {
            links.push((area_base.clone(), "Self-assessment"));
        }
        if visitor.may(&Action::ReadTriadComments {
            area: area.clone(),
            same_triad: same_triad(visitor, &cycle, area),
        }) {
            links.push((format!("{area_base}/scrutiny"), "Comments and questions"));
        }
        if visitor.may(&Action::ViewAreaProgress(area.clone()))
            && let Some(href) = plan_href(state, &cycle, area).await?
        {
            links.push((href, "Development plan"));
        }
        members.push(MemberView {
            name: name_of(&names, area),
            links,
        });
    }
    let recorded = state
        .store
        .triad_conversation(cycle.id, i32::try_from(number).unwrap_or(i32::MAX))
        .await?;
    let may_record = cycle.published_at.is_some()
        && visitor.may(&Action::RecordTriadConversation { member: is_member });
    let conversation_form = may_record.then(|| {
        let from_record = recorded.as_ref().map(|r| ConversationAnswers {
            held_on: r.held_on.to_string(),
            attended: r.attended.clone(),
            agreed: r.agreed.clone(),
        });
        let answers = conversation_answers
            .cloned()
            .or(from_record)
            .unwrap_or_default();
        conversation_fields(&answers, &areas, &names, errors)
    });
    let support = state
        .store
        .triad_support(cycle.id)
        .await?
        .into_iter()
        .filter(|s| {
            areas.contains(&s.from) || s.with.as_ref().is_none_or(|with| areas.contains(with))
        })
        .map(|s| SupportView {
            kind: s.kind.label(),
            from: name_of(&names, &s.from),
            with: s
                .with
                .as_ref()
                .map_or_else(|| "The whole region".to_owned(), |w| name_of(&names, w)),
            text: s.text,
            recorded: format!("{} by {}", dates::date_time(s.at), s.recorded_by),
        })
        .collect();
    let led: Vec<AuthoritySlug> = visitor
        .principal
        .as_ref()
        .map(|p| {
            p.led_authorities()
                .filter(|a| areas.contains(a))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let support_forms = led
        .iter()
        .filter(|a| visitor.may(&Action::RecordSupport((*a).clone())))
        .map(|from| {
            let empty = SupportAnswers::default();
            let (answers, errors_here) = match support_answers {
                Some((area, answers)) if area == from => (answers, errors),
                _ => (&empty, &FormErrors::default()),
            };
            support_fields(&cycle, from, &names, answers, errors_here)
        })
        .collect();
    Ok(TriadPage {
        chrome: Chrome::new(visitor, format!("Triad {number}"), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        title: format!("Triad {number}: {}", cycle_title(cycle.year)),
        cycle_href: format!("/self-assessment/{}", cycle.year),
        members,
        conversation: recorded.map(|r| ConversationView {
            held_on: dates::date(r.held_on),
            attended: r
                .attended
                .iter()
                .map(|(area, who)| {
                    (
                        name_of(&names, area),
                        if who.is_empty() {
                            "Nobody attended".to_owned()
                        } else {
                            who.clone()
                        },
                    )
                })
                .collect(),
            agreed: r.agreed,
            recorded: format!("{} by {}", dates::date_time(r.recorded_at), r.recorded_by),
        }),
        conversation_form,
        conversation_action: format!(
            "/self-assessment/{}/triads/{number}/conversation",
            cycle.year
        ),
        support,
        support_forms,
    })
}

pub async fn show_triad(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, number)): Path<(String, String)>,
) -> Result<TriadPage, AppError> {
    triad_page(
        &state,
        &visitor,
        &year,
        &number,
        None,
        None,
        &FormErrors::default(),
    )
    .await
}

pub async fn record_conversation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, number)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (cycle, triad, areas) = load_triad(&state, &year, &number).await?;
    let principal = visitor
        .authorise(&Action::RecordTriadConversation {
            member: member(&visitor, &cycle, &areas),
        })?
        .clone();
    let answers = ConversationAnswers::from_form(&form, &areas);
    let errors = match answers.check(state.today()) {
        Ok(conversation) => match state
            .store
            .record_triad_conversation(
                cycle.id,
                i32::try_from(triad).unwrap_or(i32::MAX),
                &conversation,
                &principal,
                Utc::now(),
            )
            .await
        {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "/self-assessment/{}/triads/{triad}#conversation",
                    cycle.year
                )));
            }
            Err(StoreError::Conflict(why)) => {
                let mut errors = FormErrors::default();
                errors.add("held_on", why);
                errors
            }
            Err(other) => return Err(other.into()),
        },
        Err(problems) => FormErrors::from_problems(problems),
    };
    let page = triad_page(
        &state,
        &visitor,
        &year,
        &number,
        Some(&answers),
        None,
        &errors,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn record_support(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
    Form(answers): Form<SupportAnswers>,
) -> Result<Response, AppError> {
    let (cycle, slug, _) = load(&state, &year, &area).await?;
    let principal = visitor
        .authorise(&Action::RecordSupport(slug.clone()))?
        .clone();
    let number = triad_of(&cycle, &slug).ok_or(AppError::NotFound)?;
    let errors = match answers.check(&slug, &cycle.areas) {
        Ok(support) => {
            state
                .store
                .record_support(cycle.id, &slug, &support, &principal, Utc::now())
                .await?;
            return Ok(see_other(&format!(
                "/self-assessment/{}/triads/{number}#support",
                cycle.year
            )));
        }
        Err(problems) => FormErrors::from_problems(problems),
    };
    let page = triad_page(
        &state,
        &visitor,
        &year,
        &number.to_string(),
        None,
        Some((&slug, &answers)),
        &errors,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---- The development plan: the area's next steps under the cycle ---------------------------

/// The development plan the area owes for the cycle, once its triad has met.
async fn owed_plan(
    state: &AppState,
    cycle: &AnnualCycle,
    area: &AuthoritySlug,
) -> Result<Option<OwedReturn>, AppError> {
    Ok(state
        .store
        .returns(&store::ReturnFilter {
            area: Some(area.clone()),
            programme: Some(Programme::Annual),
        })
        .await?
        .into_iter()
        .find(|r| r.activity.id == cycle.id && r.kind == ReturnKind::AnnualDevelopmentPlan))
}

/// Where the area's development plan is kept, once it is owed: the return's next-steps page,
/// the one page every programme's next steps share.
pub async fn plan_href(
    state: &AppState,
    cycle: &AnnualCycle,
    area: &AuthoritySlug,
) -> Result<Option<String>, AppError> {
    Ok(owed_plan(state, cycle, area)
        .await?
        .map(|owed| format!("/returns/{}/next-steps", owed.id)))
}

// ---- Evidence documents ----------------------------------------------------------------------

struct EvidenceRow {
    href: String,
    name: String,
    size: String,
    uploaded: String,
}

struct EvidenceSection {
    title: &'static str,
    documents: Vec<EvidenceRow>,
}

struct EvidenceFields {
    section: Select,
    file: FileUpload,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/triads/evidence.html")]
pub struct EvidencePage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    title: String,
    base: String,
    sections: Vec<EvidenceSection>,
    form: Option<EvidenceFields>,
}

async fn evidence_page(
    state: &AppState,
    visitor: &Visitor,
    year: &str,
    area: &str,
    chosen: &str,
    errors: &FormErrors,
) -> Result<EvidencePage, AppError> {
    let (cycle, slug, name) = load(state, year, area).await?;
    let is_submitted = submitted(state, &cycle, &slug).await?;
    visitor.authorise(&Action::ReadSelfAssessment {
        area: slug.clone(),
        submitted: is_submitted,
        same_triad: same_triad(visitor, &cycle, &slug),
    })?;
    let documents = state
        .store
        .self_assessment_documents(cycle.id, &slug)
        .await?;
    let area_base = base(&cycle, &slug);
    let sections = CommentSection::all()
        .into_iter()
        .filter_map(|section| {
            let rows: Vec<EvidenceRow> = documents
                .iter()
                .filter(|d| d.section == section.code())
                .map(|d| EvidenceRow {
                    href: format!("{area_base}/evidence/{}", d.id),
                    name: d.file_name.clone(),
                    size: Size(u64::try_from(d.size_bytes).unwrap_or(0)).to_string(),
                    uploaded: format!("{} by {}", dates::date_time(d.uploaded_at), d.uploaded_by),
                })
                .collect();
            (!rows.is_empty()).then(|| EvidenceSection {
                title: section.label(),
                documents: rows,
            })
        })
        .collect();
    let may_upload = visitor.may(&Action::EditSelfAssessment(slug.clone()));
    let limit = Size(u64::try_from(state.settings.pre_reading_max_bytes).unwrap_or(u64::MAX));
    Ok(EvidencePage {
        chrome: Chrome::new(visitor, format!("{name}: evidence"), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        title: format!("{name}: {}", cycle_title(cycle.year)),
        base: area_base,
        sections,
        form: may_upload.then(|| {
            let mut items = vec![SelectItem {
                value: String::new(),
                text: "Choose a section".into(),
                selected: chosen.is_empty(),
            }];
            items.extend(CommentSection::all().into_iter().map(|s| SelectItem {
                value: s.code().into(),
                text: s.label().into(),
                selected: s.code() == chosen,
            }));
            EvidenceFields {
                // Named `kind`, as the shared upload reader reads the document's kind.
                section: Select {
                    id: "kind".into(),
                    name: "kind".into(),
                    label: "The section it is evidence for".into(),
                    hint: None,
                    error: errors.get("kind"),
                    items,
                },
                file: FileUpload {
                    id: "file".into(),
                    name: "file".into(),
                    label: "The document".into(),
                    hint: Some(format!(
                        "A PDF, Word, Excel, PowerPoint, OpenDocument, CSV or text file of up to {limit}. It must not identify a child."
                    )),
                    error: errors.get("file"),
                    accept: Some(ACCEPT),
                },
            }
        }),
    })
}

pub async fn show_evidence(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
) -> Result<EvidencePage, AppError> {
    evidence_page(&state, &visitor, &year, &area, "", &FormErrors::default()).await
}

pub async fn upload_evidence(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let (cycle, slug, _) = load(&state, &year, &area).await?;
    let principal = visitor
        .authorise(&Action::EditSelfAssessment(slug.clone()))?
        .clone();
    let upload = read_upload(multipart).await;
    let limit = state.settings.pre_reading_max_bytes;
    let mut errors = FormErrors::default();
    let section = CommentSection::parse(upload.kind.trim());
    if section.is_none() {
        errors.add("kind", "Choose the section the document is evidence for");
    }
    let file = match (upload.failure, upload.file) {
        (Some(StatusCode::PAYLOAD_TOO_LARGE), _) => {
            errors.add(
                "file",
                UploadProblem::TooLarge {
                    limit: Size(u64::try_from(limit).unwrap_or(u64::MAX)),
                },
            );
            None
        }
        (Some(_), _) => {
            errors.add(
                "file",
                "The selected file could not be uploaded – try again",
            );
            None
        }
        (None, None) => {
            errors.add("file", "Select a file");
            None
        }
        (None, Some((name, bytes))) => match recognise(&name, &bytes, limit) {
            Ok(content_type) => Some((clean_file_name(&name), content_type, bytes)),
            Err(message) => {
                errors.add("file", message);
                None
            }
        },
    };
    if let (Some(section), Some((file_name, content_type, content))) = (section, file) {
        state
            .store
            .upload_self_assessment_document(
                cycle.id,
                &slug,
                &NewEvidenceDocument {
                    section: section.code().to_owned(),
                    file_name,
                    content_type: content_type.to_owned(),
                    content,
                },
                &principal,
                Utc::now(),
            )
            .await?;
        return Ok(see_other(&format!("{}/evidence", base(&cycle, &slug))));
    }
    let page = evidence_page(&state, &visitor, &year, &area, upload.kind.trim(), &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The document as an attachment (never inline, so it can never run as a page of this site),
/// its read recorded in the audit log by the store call that reads it.
pub async fn download_evidence(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area, document)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let document: DocumentId = document.parse().map_err(|_| AppError::NotFound)?;
    let (cycle, slug, _) = load(&state, &year, &area).await?;
    let is_submitted = submitted(&state, &cycle, &slug).await?;
    let principal = visitor
        .authorise(&Action::ReadSelfAssessment {
            area: slug.clone(),
            submitted: is_submitted,
            same_triad: same_triad(&visitor, &cycle, &slug),
        })?
        .clone();
    let (summary, content) = state
        .store
        .download_self_assessment_document(cycle.id, &slug, document, &principal, Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = HeaderValue::from_str(&summary.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        clean_file_name(&summary.file_name)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (CONTENT_DISPOSITION, disposition),
        ],
        content,
    )
        .into_response())
}
