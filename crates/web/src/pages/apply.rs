//! The public application to join the reviewer pool: one topic per page, every answer kept on
//! the server for this browser (so an error or the back button loses nothing), a
//! check-your-answers page, submission with its emails, and the parent or carer's consent.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::PersonName;
use domain::application::{
    ANSWER_ROWS, Application, ApplicationDraft, ApplicationPage, DateRangeAnswer, LONG_TEXT_LIMIT,
    ORGANISATION_LIMIT,
};
use domain::pool::{AgeBand, CONFLICT_REASON_LIMIT, ConflictAnswer, ExpertiseLevel, ReviewerType};
use serde::Deserialize;
use services::pool_emails;
use store::{Authority, NewEmail, Submission, Theme};

use crate::components::{
    CheckboxItem, Checkboxes, DateInput, ErrorSummary, Radios, Select, SelectItem, TextInput,
    Textarea,
};
use crate::forms::FormErrors;
use crate::middleware::client_address;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

/// Every route of the public application to join the pool, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/apply", get(show_start)),
        route(Method::GET, "/apply/check", get(show_check)),
        route(Method::POST, "/apply/submit", post(submit)),
        route(Method::GET, "/apply/confirmation", get(show_confirmation)),
        route(Method::GET, "/apply/consent/{token}", get(show_consent)),
        route(Method::POST, "/apply/consent/{token}", post(give_consent)),
        route(Method::GET, "/apply/reopen/{token}", get(show_reopen)),
        route(Method::POST, "/apply/reopen/{token}", post(reopen)),
        route(Method::GET, "/apply/{page}", get(show_question)),
        route(Method::POST, "/apply/{page}", post(answer_question)),
    ]
}

/// Applications one client address may submit in an hour: enough for a family or an office
/// sharing a connection, too few for a script.
const SUBMISSIONS_PER_HOUR: i32 = 10;

#[derive(Template, WebTemplate)]
#[template(path = "pages/apply/start.html")]
pub struct StartPage {
    chrome: Chrome,
    in_progress: bool,
}

pub async fn show_start(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<StartPage, AppError> {
    let draft = state.store.application_draft(&visitor.cookie).await?;
    Ok(StartPage {
        chrome: Chrome::new(&visitor, "Apply to join the pool of reviewers", "/apply"),
        in_progress: draft != ApplicationDraft::default(),
    })
}

/// One question page, built from rendered components.
#[derive(Template, WebTemplate)]
#[template(path = "pages/apply/question.html")]
pub struct QuestionPage {
    chrome: Chrome,
    back: String,
    summary: Option<ErrorSummary>,
    /// A separate heading when no single field's label is the page heading.
    heading: Option<String>,
    intro: Vec<String>,
    fields: Vec<String>,
    action: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ChangeQuery {
    #[serde(default)]
    change: Option<String>,
}

/// Where a page's "Continue" leads: back to the check page when changing an answer.
fn after(page: ApplicationPage, draft: &ApplicationDraft, changing: bool) -> String {
    match page.next(draft) {
        // Choosing "young ambassador" while changing answers still needs the age page.
        Some(ApplicationPage::Age) if draft.age_band.is_empty() => "/apply/age".to_owned(),
        Some(next) if !changing => format!("/apply/{}", next.slug()),
        _ => "/apply/check".to_owned(),
    }
}

pub(crate) struct Reference {
    authorities: Vec<Authority>,
    themes: Vec<Theme>,
    retention_months: u32,
}

pub(crate) async fn reference(state: &AppState) -> Result<Reference, AppError> {
    let today = state.today();
    let authorities = state
        .store
        .authorities()
        .await?
        .into_iter()
        .filter(|a| a.is_current(today))
        .collect();
    Ok(Reference {
        authorities,
        themes: state.store.themes().await?,
        retention_months: state.settings.retention_months,
    })
}

pub async fn show_question(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<ChangeQuery>,
) -> Result<Response, AppError> {
    let page = ApplicationPage::from_slug(&slug).ok_or(AppError::NotFound)?;
    let draft = state.store.application_draft(&visitor.cookie).await?;
    if !page.applies_to(&draft) {
        return Ok(see_other(&after(page, &draft, query.change.is_some())));
    }
    let reference = reference(&state).await?;
    Ok(question_page(
        &visitor,
        page,
        &draft,
        &reference,
        &FormErrors::default(),
        query.change.is_some(),
    )
    .into_response())
}

pub async fn answer_question(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<ChangeQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let page = ApplicationPage::from_slug(&slug).ok_or(AppError::NotFound)?;
    let mut draft = state.store.application_draft(&visitor.cookie).await?;
    merge(&mut draft, page, &fields);
    state
        .store
        .save_application_draft(&visitor.cookie, &draft, Utc::now())
        .await?;
    let vocabulary = state.store.vocabulary().await?;
    let problems = draft.check_page(page, &vocabulary);
    let changing = query.change.is_some();
    if problems.is_empty() {
        return Ok(see_other(&after(page, &draft, changing)));
    }
    let reference = reference(&state).await?;
    let page = question_page(
        &visitor,
        page,
        &draft,
        &reference,
        &FormErrors::from_problems(problems.iter().cloned()),
        changing,
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// Copy one page's answers into the draft, exactly as typed.
fn merge(draft: &mut ApplicationDraft, page: ApplicationPage, fields: &[(String, String)]) {
    let text = |name: &str| value(fields, name).to_owned();
    match page {
        ApplicationPage::Name => {
            draft.full_name = text("full_name");
            draft.email = text("email");
            draft.phone = text("phone");
        }
        ApplicationPage::Role => draft.reviewer_type = text("reviewer_type"),
        ApplicationPage::Age => {
            draft.age_band = text("age_band");
            draft.guardian_email = text("guardian_email");
        }
        ApplicationPage::Organisation => {
            draft.organisation = text("organisation");
            draft.home_authority = text("home_authority");
            draft.outside_region = text("outside_region");
        }
        ApplicationPage::Themes => {
            draft.expertise = fields
                .iter()
                .filter_map(|(key, level)| {
                    key.strip_prefix("theme-")
                        .map(|code| (code.to_owned(), level.clone()))
                })
                .filter(|(_, level)| !level.is_empty() && level != "none")
                .collect();
        }
        ApplicationPage::Experience => draft.experience = text("experience"),
        ApplicationPage::Training => draft.needs_training = text("needs_training"),
        ApplicationPage::Participation => {
            draft.online_only = text("online_only");
            draft.travel_to = fields
                .iter()
                .filter(|(key, _)| key == "travel_to")
                .map(|(_, slug)| slug.clone())
                .collect();
        }
        ApplicationPage::Dates => {
            draft.unavailable = (0..ANSWER_ROWS)
                .map(|row| {
                    let part =
                        |end: &str, unit: &str| text(&format!("unavailable-{row}-{end}-{unit}"));
                    DateRangeAnswer {
                        start_day: part("start", "day"),
                        start_month: part("start", "month"),
                        start_year: part("start", "year"),
                        end_day: part("end", "day"),
                        end_month: part("end", "month"),
                        end_year: part("end", "year"),
                    }
                })
                .collect();
        }
        ApplicationPage::Conflicts => {
            draft.conflicts = (0..ANSWER_ROWS)
                .map(|row| ConflictAnswer {
                    authority: text(&format!("conflict-{row}-authority")),
                    reason: text(&format!("conflict-{row}-reason")),
                })
                .collect();
        }
        ApplicationPage::Adjustments => draft.adjustments = text("adjustments"),
        ApplicationPage::Privacy => draft.privacy_agreed = value(fields, "privacy") == "yes",
    }
}

fn render<T: Template>(component: T) -> String {
    component.render().unwrap_or_default()
}

fn authority_items(authorities: &[Authority], selected: &str, first: &str) -> Vec<SelectItem> {
    let mut items = vec![SelectItem {
        value: String::new(),
        text: first.into(),
        selected: selected.is_empty(),
    }];
    items.extend(authorities.iter().map(|authority| SelectItem {
        value: authority.slug.to_string(),
        text: authority.name.clone(),
        selected: authority.slug.as_str() == selected,
    }));
    items
}

fn reviewer_type_hint(kind: ReviewerType) -> &'static str {
    match kind {
        ReviewerType::LaOfficer => {
            "You work for a local authority, for example in SEND, education or social care services."
        }
        ReviewerType::ParentCarer => {
            "You care for a child or young person with SEND, perhaps through a parent carer forum."
        }
        ReviewerType::YoungAmbassador => {
            "You are a young person with SEND who wants to help improve services."
        }
        ReviewerType::Health => {
            "For example a Designated Clinical Officer, therapist, nurse or doctor."
        }
        ReviewerType::Education => "For example a SENCo, headteacher or educational psychologist.",
        ReviewerType::SocialCare => "For example a social worker or short breaks manager.",
        ReviewerType::Other => "Tell us more about your role on a later page.",
    }
}

/// The date-input ids on the dates page, so the error summary links to their day boxes.
fn date_field_ids() -> Vec<String> {
    (0..ANSWER_ROWS)
        .flat_map(|row| {
            [
                format!("unavailable-{row}-start"),
                format!("unavailable-{row}-end"),
            ]
        })
        .collect()
}

fn question_page(
    visitor: &Visitor,
    page: ApplicationPage,
    draft: &ApplicationDraft,
    reference: &Reference,
    errors: &FormErrors,
    changing: bool,
) -> QuestionPage {
    let (title, heading, intro, fields) = page_content(page, draft, reference, errors);
    let date_ids = date_field_ids();
    let date_ids: Vec<&str> = date_ids.iter().map(String::as_str).collect();
    let back = match (changing, page.previous(draft)) {
        (true, _) => "/apply/check".to_owned(),
        (false, Some(previous)) => format!("/apply/{}", previous.slug()),
        (false, None) => "/apply".to_owned(),
    };
    QuestionPage {
        chrome: Chrome::new(visitor, title, "/apply").with_errors(!errors.is_empty()),
        back,
        summary: (!errors.is_empty()).then(|| ErrorSummary::linking(errors, &date_ids)),
        heading,
        intro,
        fields,
        action: format!(
            "/apply/{}{}",
            page.slug(),
            if changing { "?change=1" } else { "" }
        ),
    }
}

type PageContent = (&'static str, Option<String>, Vec<String>, Vec<String>);

fn page_content(
    page: ApplicationPage,
    draft: &ApplicationDraft,
    reference: &Reference,
    errors: &FormErrors,
) -> PageContent {
    match page {
        ApplicationPage::Name => (
            "Your name and contact details",
            Some("Your name and contact details".into()),
            vec![],
            vec![
                render(TextInput::new("full_name", "Full name").autocomplete("name").spellcheck(false).limit(PersonName::MAX_CHARS).value(&draft.full_name).errors(errors)),
                render(
                    TextInput::new("email", "Email address")
                        .input_type("email")
                        .autocomplete("email")
                        .spellcheck(false)
                        .hint("We will send your application reference here.")
                        .value(&draft.email)
                        .errors(errors),
                ),
                render(
                    TextInput::new("phone", "Telephone number (optional)")
                        .input_type("tel")
                        .autocomplete("tel")
                        .classes("govuk-input--width-20")
                        .value(&draft.phone)
                        .errors(errors),
                ),
            ],
        ),
        ApplicationPage::Role => {
            let options: Vec<(&str, &str)> = ReviewerType::ALL.iter().map(|kind| (kind.code(), kind.label())).collect();
            let mut radios = Radios::new("reviewer_type", "Which best describes you?", &options, &draft.reviewer_type)
                .page_heading()
                .errors(errors);
            for (item, kind) in radios.items.iter_mut().zip(ReviewerType::ALL) {
                item.hint = Some(reviewer_type_hint(kind).into());
            }
            ("Which best describes you?", None, vec![], vec![render(radios)])
        }
        ApplicationPage::Age => {
            let options: Vec<(&str, &str)> = AgeBand::ALL.iter().map(|band| (band.code(), band.label())).collect();
            (
                "Your age",
                Some("Your age".into()),
                vec!["Young ambassadors under 18 need a parent or carer's consent to join. We only ask for an age band, never a date of birth.".into()],
                vec![
                    render(Radios::new("age_band", "How old are you?", &options, &draft.age_band).errors(errors)),
                    render(
                        TextInput::new("guardian_email", "Your parent or carer's email address")
                            .input_type("email")
                            .spellcheck(false)
                            .hint("Only if you are under 18. We will email them a link to give their consent.")
                            .value(&draft.guardian_email)
                            .errors(errors),
                    ),
                ],
            )
        }
        ApplicationPage::Organisation => {
            let mut items = authority_items(&reference.authorities, &draft.home_authority, "Choose an area");
            items.push(SelectItem {
                value: "outside".into(),
                text: "Outside the East Midlands".into(),
                selected: draft.home_authority == "outside",
            });
            (
                "Where you work or live",
                Some("Where you work or live".into()),
                vec![],
                vec![
                    render(
                        TextInput::new("organisation", "Employer or organisation")
                            .hint("For example, Derby City Council, an NHS trust or your parent carer forum. If none, write 'none'.")
                            .limit(ORGANISATION_LIMIT)
                            .autocomplete("organization")
                            .value(&draft.organisation)
                            .errors(errors),
                    ),
                    render(Select {
                        id: "home_authority".into(),
                        name: "home_authority".into(),
                        label: "Which local authority area do you work or live in?".into(),
                        hint: None,
                        error: errors.get("home_authority"),
                        items,
                    }),
                    render(
                        TextInput::new("outside_region", "If outside the East Midlands, which region?")
                            .hint("For example, West Midlands.")
                            .limit(ORGANISATION_LIMIT)
                            .classes("govuk-input--width-20")
                            .value(&draft.outside_region)
                            .errors(errors),
                    ),
                ],
            )
        }
        ApplicationPage::Themes => {
            let levels: Vec<(&str, &str)> = std::iter::once(("none", "Not my area"))
                .chain(ExpertiseLevel::ALL.iter().map(|level| (level.code(), level.label())))
                .collect();
            let fields = reference
                .themes
                .iter()
                .map(|theme| {
                    let name = format!("theme-{}", theme.code);
                    let chosen = draft.expertise.get(theme.code.as_str()).map_or("none", String::as_str);
                    let mut radios = Radios::new(&name, &theme.label, &levels, chosen).errors(errors);
                    radios.inline = true;
                    radios.legend_classes = Some("govuk-fieldset__legend--s");
                    render(radios)
                })
                .collect();
            (
                "What you know about SEND",
                Some("What you know about SEND".into()),
                vec![
                    "Tell us how well you know each area of SEND practice. Teams are matched to the questions each area wants to explore.".into(),
                    "'Strong' means you could lead a discussion on it; 'specialist' means it is your professional field or lived experience in depth.".into(),
                ],
                fields,
            )
        }
        ApplicationPage::Experience => (
            "Your experience",
            None,
            vec![],
            vec![render(
                Textarea::new("experience", "Your experience of peer review or inspection (optional)", &draft.experience)
                    .page_heading()
                    .hint("For example, earlier peer challenges, Ofsted or CQC area SEND inspections, or quality assurance work.")
                    .limit(LONG_TEXT_LIMIT)
                    .errors(errors),
            )],
        ),
        ApplicationPage::Training => {
            let options = [("yes", "Yes, I would like training first"), ("no", "No, I am ready to take part")];
            (
                "Training",
                None,
                vec![],
                vec![render(
                    Radios::new("needs_training", "Would you like training before you take part?", &options, &draft.needs_training)
                        .page_heading()
                        .hint("Sessions are arranged when enough people are waiting. We will invite you to the next one.")
                        .errors(errors),
                )],
            )
        }
        ApplicationPage::Participation => {
            let online = [("no", "No, I can travel to some areas"), ("yes", "Yes, I can only take part online")];
            let mut travel = Checkboxes {
                id_prefix: "travel_to".into(),
                name: "travel_to".into(),
                legend: "Which areas could you travel to?".into(),
                legend_classes: Some("govuk-fieldset__legend--m"),
                hint: Some("Select all that apply. Leave these blank if you can only take part online.".into()),
                error: errors.get("travel_to"),
                items: reference
                    .authorities
                    .iter()
                    .map(|authority| CheckboxItem {
                        value: authority.slug.to_string(),
                        text: authority.name.clone(),
                        hint: None,
                        checked: draft.travel_to.iter().any(|slug| slug == authority.slug.as_str()),
                    })
                    .collect(),
            };
            travel.legend_classes = Some("govuk-fieldset__legend--m");
            let mut online_only = Radios::new("online_only", "Can you only take part online?", &online, &draft.online_only).errors(errors);
            online_only.legend_classes = Some("govuk-fieldset__legend--m");
            ("How you can take part", Some("How you can take part".into()), vec![], vec![render(online_only), render(travel)])
        }
        ApplicationPage::Dates => {
            let mut fields = Vec::new();
            for row in 0..ANSWER_ROWS {
                let answer = draft.unavailable.get(row).cloned().unwrap_or_default();
                let start = DateInput::new(
                    &format!("unavailable-{row}-start"),
                    &format!("Period {}: first day", row + 1),
                    (&answer.start_day, &answer.start_month, &answer.start_year),
                )
                .errors(errors);
                let end = DateInput::new(
                    &format!("unavailable-{row}-end"),
                    &format!("Period {}: last day", row + 1),
                    (&answer.end_day, &answer.end_month, &answer.end_year),
                )
                .errors(errors);
                let start = if row == 0 { start.hint("For example, 27 3 2027") } else { start };
                fields.push(render(start));
                fields.push(render(end));
            }
            (
                "Dates you cannot do",
                Some("Dates you cannot do".into()),
                vec!["Tell us about up to 3 periods in the next year when you cannot take part, such as school holidays you are away. Leave this blank if there are none; you can add more later.".into()],
                fields,
            )
        }
        ApplicationPage::Conflicts => {
            let mut fields = Vec::new();
            for row in 0..ANSWER_ROWS {
                let answer = draft.conflicts.get(row).cloned().unwrap_or_default();
                fields.push(render(Select {
                    id: format!("conflict-{row}-authority"),
                    name: format!("conflict-{row}-authority"),
                    label: format!("Area {}", row + 1),
                    hint: None,
                    error: errors.get(&format!("conflict-{row}-authority")),
                    items: authority_items(&reference.authorities, &answer.authority, "Choose an area"),
                }));
                fields.push(render(
                    TextInput::new(&format!("conflict-{row}-reason"), &format!("Why you must not review area {}", row + 1))
                        .limit(CONFLICT_REASON_LIMIT)
                        .value(&answer.reason)
                        .errors(errors),
                ));
            }
            (
                "Areas you must not review",
                Some("Areas you must not review".into()),
                vec![
                    "You will never review the area you work for. Tell us about any other area where you have a conflict of interest: for example a recent employer, a family member who works there, or a child who uses its services.".into(),
                    "Leave this blank if there are none.".into(),
                ],
                fields,
            )
        }
        ApplicationPage::Adjustments => (
            "Adjustments",
            None,
            vec![],
            vec![render(
                Textarea::new("adjustments", "Adjustments you need (optional)", &draft.adjustments)
                    .page_heading()
                    .hint("For example, step-free access, breaks, a British Sign Language interpreter or papers in large print.")
                    .limit(LONG_TEXT_LIMIT)
                    .errors(errors),
            )],
        ),
        ApplicationPage::Privacy => (
            "How we use your information",
            Some("How we use your information".into()),
            vec![
                "We keep your details so the project manager can invite you onto challenge teams and training. Only the regional SEND co-ordinator and the project manager can see them.".into(),
                format!(
                    "If your application is declined or you leave the pool, we delete your details after {} months.",
                    reference.retention_months
                ),
            ],
            vec![render(Checkboxes {
                id_prefix: "privacy".into(),
                name: "privacy".into(),
                legend: "Privacy notice".into(),
                legend_classes: Some("govuk-fieldset__legend--m"),
                hint: Some("Read the privacy notice (opens from the footer of every page) before you agree.".into()),
                error: errors.get("privacy"),
                items: vec![CheckboxItem {
                    value: "yes".into(),
                    text: "I have read the privacy notice and agree to Peer Challenge holding my details".into(),
                    hint: None,
                    checked: draft.privacy_agreed,
                }],
            })],
        ),
    }
}

/// One row of the check-your-answers list.
pub(crate) struct AnswerRow {
    pub(crate) key: &'static str,
    pub(crate) lines: Vec<String>,
    change: String,
    change_label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/apply/check.html")]
pub struct CheckPage {
    chrome: Chrome,
    rows: Vec<AnswerRow>,
    incomplete: Option<String>,
    message: Option<&'static str>,
}

pub(crate) fn answer_rows(draft: &ApplicationDraft, reference: &Reference) -> Vec<AnswerRow> {
    let authority_name = |slug: &str| {
        reference
            .authorities
            .iter()
            .find(|a| a.slug.as_str() == slug)
            .map_or_else(|| slug.to_owned(), |a| a.name.clone())
    };
    let or_none = |lines: Vec<String>| {
        if lines.is_empty() {
            vec!["None".to_owned()]
        } else {
            lines
        }
    };
    let row = |key, lines, page: ApplicationPage, change_label| AnswerRow {
        key,
        lines,
        change: format!("/apply/{}?change=1", page.slug()),
        change_label,
    };
    let mut rows = vec![
        row(
            "Name",
            vec![draft.full_name.clone()],
            ApplicationPage::Name,
            "name",
        ),
        row(
            "Email address",
            vec![draft.email.clone()],
            ApplicationPage::Name,
            "email address",
        ),
        row(
            "Telephone",
            or_none(
                vec![draft.phone.clone()]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect(),
            ),
            ApplicationPage::Name,
            "telephone number",
        ),
        row(
            "You are",
            vec![
                ReviewerType::parse(&draft.reviewer_type)
                    .map_or_else(String::new, |kind| kind.label().to_owned()),
            ],
            ApplicationPage::Role,
            "who you are",
        ),
    ];
    if ApplicationPage::Age.applies_to(draft) {
        let mut lines = vec![
            AgeBand::parse(&draft.age_band)
                .map_or_else(String::new, |band| band.label().to_owned()),
        ];
        if !draft.guardian_email.is_empty() {
            lines.push(format!("Parent or carer: {}", draft.guardian_email));
        }
        rows.push(row("Age", lines, ApplicationPage::Age, "age"));
    }
    let home = match draft.home_authority.as_str() {
        "outside" => format!("Outside the East Midlands: {}", draft.outside_region),
        slug => authority_name(slug),
    };
    rows.push(row(
        "Organisation",
        vec![draft.organisation.clone()],
        ApplicationPage::Organisation,
        "organisation",
    ));
    rows.push(row(
        "Area",
        vec![home],
        ApplicationPage::Organisation,
        "area",
    ));
    let expertise = reference
        .themes
        .iter()
        .filter_map(|theme| {
            let level = draft
                .expertise
                .get(theme.code.as_str())
                .and_then(|code| ExpertiseLevel::parse(code))?;
            Some(format!("{}: {}", theme.label, level.label().to_lowercase()))
        })
        .collect();
    rows.push(row(
        "SEND practice",
        or_none(expertise),
        ApplicationPage::Themes,
        "SEND practice",
    ));
    rows.push(row(
        "Experience",
        or_none(
            vec![draft.experience.clone()]
                .into_iter()
                .filter(|text| !text.trim().is_empty())
                .collect(),
        ),
        ApplicationPage::Experience,
        "experience",
    ));
    let training = match draft.needs_training.as_str() {
        "yes" => "Would like training first",
        "no" => "Ready to take part",
        _ => "",
    };
    rows.push(row(
        "Training",
        vec![training.to_owned()],
        ApplicationPage::Training,
        "training",
    ));
    let participation = if draft.online_only == "yes" {
        vec!["Online only".to_owned()]
    } else {
        or_none(
            draft
                .travel_to
                .iter()
                .map(|slug| authority_name(slug))
                .collect(),
        )
    };
    rows.push(row(
        "Can travel to",
        participation,
        ApplicationPage::Participation,
        "how you can take part",
    ));
    let dates = draft
        .unavailable
        .iter()
        .filter(|answer| !(answer.start_day.is_empty() && answer.start_year.is_empty()))
        .map(|a| {
            format!(
                "{}/{}/{} to {}/{}/{}",
                a.start_day, a.start_month, a.start_year, a.end_day, a.end_month, a.end_year
            )
        })
        .collect();
    rows.push(row(
        "Dates you cannot do",
        or_none(dates),
        ApplicationPage::Dates,
        "dates you cannot do",
    ));
    let conflicts = draft
        .conflicts
        .iter()
        .filter(|answer| !answer.authority.is_empty())
        .map(|answer| format!("{}: {}", authority_name(&answer.authority), answer.reason))
        .collect();
    rows.push(row(
        "Areas you must not review",
        or_none(conflicts),
        ApplicationPage::Conflicts,
        "areas you must not review",
    ));
    rows.push(row(
        "Adjustments",
        or_none(
            vec![draft.adjustments.clone()]
                .into_iter()
                .filter(|text| !text.trim().is_empty())
                .collect(),
        ),
        ApplicationPage::Adjustments,
        "adjustments",
    ));
    rows.push(row(
        "Privacy notice",
        vec![
            if draft.privacy_agreed {
                "Agreed"
            } else {
                "Not agreed"
            }
            .to_owned(),
        ],
        ApplicationPage::Privacy,
        "privacy agreement",
    ));
    rows
}

async fn check_page(
    state: &AppState,
    visitor: &Visitor,
    draft: &ApplicationDraft,
    message: Option<&'static str>,
) -> Result<CheckPage, AppError> {
    let reference = reference(state).await?;
    let vocabulary = state.store.vocabulary().await?;
    Ok(CheckPage {
        chrome: Chrome::new(visitor, "Check your answers", "/apply").with_errors(message.is_some()),
        rows: answer_rows(draft, &reference),
        incomplete: draft
            .first_incomplete_page(&vocabulary)
            .map(|page| format!("/apply/{}", page.slug())),
        message,
    })
}

pub async fn show_check(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let draft = state.store.application_draft(&visitor.cookie).await?;
    if draft == ApplicationDraft::default() {
        return Ok(see_other("/apply"));
    }
    Ok(check_page(&state, &visitor, &draft, None)
        .await?
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct SubmitForm {
    /// Hidden from people (and labelled "leave this blank"); bots fill every field.
    #[serde(default)]
    website: String,
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    extensions: Extensions,
    Form(form): Form<SubmitForm>,
) -> Result<Response, AppError> {
    let draft = state.store.application_draft(&visitor.cookie).await?;
    let now = Utc::now();
    if !form.website.trim().is_empty() {
        let page = check_page(&state, &visitor, &draft, Some(HONEYPOT_MESSAGE)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let vocabulary = state.store.vocabulary().await?;
    let application = match draft.complete(&vocabulary) {
        Ok(application) => application,
        Err(problems) => {
            let first = problems
                .first()
                .map_or(ApplicationPage::Name, |(page, _)| *page);
            return Ok(see_other(&format!("/apply/{}?change=1", first.slug())));
        }
    };
    let key = format!("apply:{}", client_address(&extensions));
    if !state
        .store
        .within_rate_limit(&key, chrono::Duration::hours(1), SUBMISSIONS_PER_HOUR, now)
        .await?
    {
        let page = check_page(&state, &visitor, &draft, Some(RATE_LIMIT_MESSAGE)).await?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let settings = state.settings.clone();
    let submission = state
        .store
        .submit_application(&visitor.cookie, &draft, &application, now, |submission| {
            submission_emails(&settings, &application, submission)
        })
        .await?;
    Ok(see_other(&format!(
        "/apply/confirmation?reference={}",
        submission.reference
    )))
}

const HONEYPOT_MESSAGE: &str = "We could not send your application. If you filled in the box labelled 'Leave this blank', empty it and send your application again.";
const RATE_LIMIT_MESSAGE: &str = "Too many applications have been sent from your internet connection in the last hour. Your answers are saved: please try again later.";

fn submission_emails(
    settings: &crate::Settings,
    application: &Application,
    submission: &Submission,
) -> Vec<NewEmail> {
    let reference = submission.reference.to_string();
    let received = pool_emails::Received {
        name: application.profile.name.as_str(),
        email: &application.profile.email,
        guardian_email: application.guardian_email.as_ref(),
        reference: &reference,
        updated_existing: submission.updated_existing,
        consent_token: submission.consent_token.as_deref(),
    };
    pool_emails::application_received(settings, received)
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/apply/confirmation.html")]
pub struct ConfirmationPage {
    chrome: Chrome,
    reference: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ConfirmationQuery {
    #[serde(default)]
    reference: String,
}

pub async fn show_confirmation(
    visitor: Visitor,
    Query(query): Query<ConfirmationQuery>,
) -> ConfirmationPage {
    let reference = domain::pool::ApplicationReference::parse(&query.reference)
        .map(|reference| reference.to_string());
    ConfirmationPage {
        chrome: Chrome::new(&visitor, "Application sent", "/apply"),
        reference,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/apply/consent.html")]
pub struct ConsentPage {
    chrome: Chrome,
    token: String,
    given: Option<String>,
}

pub async fn show_consent(visitor: Visitor, Path(token): Path<String>) -> ConsentPage {
    ConsentPage {
        chrome: Chrome::new(&visitor, "Give your consent", "/apply"),
        token,
        given: None,
    }
}

pub async fn give_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match state.store.confirm_consent(&token, Utc::now()).await? {
        Some(reference) => Ok(ConsentPage {
            chrome: Chrome::new(&visitor, "Thank you", "/apply"),
            token,
            given: Some(reference.to_string()),
        }
        .into_response()),
        None => Ok(error_page_gone(&visitor)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/apply/link_used.html")]
pub struct LinkUsedPage {
    chrome: Chrome,
}

fn error_page_gone(visitor: &Visitor) -> Response {
    (
        StatusCode::GONE,
        LinkUsedPage {
            chrome: Chrome::new(visitor, "This link has already been used", "/apply"),
        },
    )
        .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/apply/reopen.html")]
pub struct ReopenPage {
    chrome: Chrome,
    token: String,
}

pub async fn show_reopen(visitor: Visitor, Path(token): Path<String>) -> ReopenPage {
    ReopenPage {
        chrome: Chrome::new(&visitor, "Update your application", "/apply"),
        token,
    }
}

/// Load a sent-back application into this browser, then show the answers to change.
pub async fn reopen(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match state
        .store
        .reopen_application(&token, &visitor.cookie, Utc::now())
        .await?
    {
        Some(_) => Ok(see_other("/apply/check")),
        None => Ok(error_page_gone(&visitor)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn each_page_keeps_exactly_what_was_typed() {
        let mut draft = ApplicationDraft::default();
        merge(
            &mut draft,
            ApplicationPage::Name,
            &pairs(&[("full_name", " Jo "), ("email", "not-an-email")]),
        );
        assert_eq!(
            (draft.full_name.as_str(), draft.email.as_str()),
            (" Jo ", "not-an-email")
        );
        merge(
            &mut draft,
            ApplicationPage::Themes,
            &pairs(&[("theme-HEALTH", "strong"), ("theme-SEMH", "none")]),
        );
        assert_eq!(draft.expertise.len(), 1);
        merge(
            &mut draft,
            ApplicationPage::Participation,
            &pairs(&[
                ("online_only", "no"),
                ("travel_to", "derby"),
                ("travel_to", "rutland"),
            ]),
        );
        assert_eq!(draft.travel_to, ["derby", "rutland"]);
        merge(
            &mut draft,
            ApplicationPage::Dates,
            &pairs(&[("unavailable-1-end-year", "2027")]),
        );
        assert_eq!(draft.unavailable.len(), ANSWER_ROWS);
        assert_eq!(draft.unavailable[1].end_year, "2027");
        merge(
            &mut draft,
            ApplicationPage::Privacy,
            &pairs(&[("privacy", "yes")]),
        );
        assert!(draft.privacy_agreed);
    }
}
