//! One area's self-assessment for a cycle: the LA lead writes it (each save kept on the
//! server as the draft), submits it with every missing rating named next to its field, and
//! records who signed it off; editing after that starts a new version. The board and the
//! scheme's staff read submitted ones; a triad's leads read each other's; reviewers none.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::area_send_framework::{
    Confidence, FRAMEWORK_SOURCE, FRAMEWORK_URL, SelfRating, Strand,
};
use domain::self_assessment::cycle_title;
use domain::self_assessment_form::{
    SECTION_TEXT_MAX, SECTION_TEXTS, SUMMARY_MAX, SelfAssessmentAnswers, SelfAssessmentStatus,
    SignOff, field,
};
use domain::{Action, AuthoritySlug, FrameworkFamily, Principal};
use store::{AnnualCycle, StoreError, StoredSelfAssessment};

use crate::components::{ErrorSummary, Select, SelectItem, TextInput, Textarea};
use crate::forms::FormErrors;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

const NAV: &str = "/self-assessment";

pub fn routes() -> Vec<Route> {
    vec![
        route(
            Method::GET,
            "/self-assessment/{year}/areas/{area}",
            get(show),
        ),
        route(
            Method::GET,
            "/self-assessment/{year}/areas/{area}/edit",
            get(edit),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/areas/{area}/edit",
            post(save),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/areas/{area}/submit",
            post(submit),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/areas/{area}/sign-off",
            post(sign_off),
        ),
        route(
            Method::GET,
            "/self-assessment/{year}/heat-map",
            get(heat_map),
        ),
    ]
}

/// One strand's section as a page shows it, read-only.
#[derive(Clone, Debug)]
pub struct SectionView {
    pub id: &'static str,
    pub title: &'static str,
    pub rating: Option<(&'static str, &'static str)>,
    pub confidence: Option<&'static str>,
    pub texts: Vec<(&'static str, String)>,
    pub evidence: Vec<String>,
}

/// One family's sections.
#[derive(Clone, Debug)]
pub struct FamilyView<T> {
    pub title: &'static str,
    pub sections: Vec<T>,
}

/// One strand's part of the form.
#[derive(Clone, Debug)]
pub struct SectionForm {
    pub id: &'static str,
    pub title: &'static str,
    pub rating: Select,
    pub confidence: Select,
    pub texts: Vec<Textarea>,
}

fn families<T>(mut each: impl FnMut(Strand) -> T) -> Vec<FamilyView<T>> {
    FrameworkFamily::ALL
        .into_iter()
        .map(|family| FamilyView {
            title: family.label(),
            sections: Strand::ALL
                .into_iter()
                .filter(|s| s.family() == family)
                .map(&mut each)
                .collect(),
        })
        .collect()
}

fn section_view(answers: &SelfAssessmentAnswers, strand: Strand) -> SectionView {
    let section = answers.section(strand);
    SectionView {
        id: strand.code(),
        title: strand.label(),
        rating: section.rating.map(|r| (r.label(), r.tag_class())),
        confidence: section.confidence.map(Confidence::label),
        texts: SECTION_TEXTS
            .iter()
            .filter(|(part, _)| *part != "evidence")
            .map(|(part, label)| (*label, section.text(part)))
            .collect(),
        evidence: section.evidence.clone(),
    }
}

fn select(
    id: String,
    label: &str,
    empty: &str,
    options: &[(&str, &str)],
    chosen: &str,
    errors: &FormErrors,
) -> Select {
    let mut items = vec![SelectItem {
        value: String::new(),
        text: empty.to_owned(),
        selected: chosen.is_empty(),
    }];
    items.extend(options.iter().map(|(code, text)| SelectItem {
        value: (*code).to_owned(),
        text: (*text).to_owned(),
        selected: *code == chosen,
    }));
    Select {
        error: errors.get(&id),
        name: id.clone(),
        id,
        label: label.to_owned(),
        hint: None,
        items,
    }
}

fn section_form(
    answers: &SelfAssessmentAnswers,
    typed: Option<&[(String, String)]>,
    strand: Strand,
    errors: &FormErrors,
) -> SectionForm {
    let section = answers.section(strand);
    // What was typed is shown again as typed, even a value the check refused.
    let value = |part: &str, stored: String| match typed {
        Some(form) => form
            .iter()
            .find(|(k, _)| *k == field(strand, part))
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        None => stored,
    };
    let ratings: Vec<(&str, &str)> = SelfRating::ALL
        .iter()
        .map(|r| (r.code(), r.label()))
        .collect();
    let confidences: Vec<(&str, &str)> = Confidence::ALL
        .iter()
        .map(|c| (c.code(), c.label()))
        .collect();
    SectionForm {
        id: strand.code(),
        title: strand.label(),
        rating: select(
            field(strand, "rating"),
            "Self-rating",
            "Not yet rated",
            &ratings,
            &value(
                "rating",
                section
                    .rating
                    .map(|r| r.code().to_owned())
                    .unwrap_or_default(),
            ),
            errors,
        ),
        confidence: select(
            field(strand, "confidence"),
            "Confidence in the rating",
            "Not yet chosen",
            &confidences,
            &value(
                "confidence",
                section
                    .confidence
                    .map(|c| c.code().to_owned())
                    .unwrap_or_default(),
            ),
            errors,
        ),
        texts: SECTION_TEXTS
            .iter()
            .map(|(part, label)| {
                let area = Textarea::new(
                    &field(strand, part),
                    label,
                    &value(part, section.text(part)),
                );
                let area = if *part == "evidence" {
                    area.hint("Links to the evidence, each starting https://, one on each line")
                } else {
                    area
                };
                area.limit(SECTION_TEXT_MAX).errors(errors)
            })
            .collect(),
    }
}

pub(crate) async fn load(
    state: &AppState,
    year: &str,
    area: &str,
) -> Result<(AnnualCycle, AuthoritySlug, String), AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let cycle = state
        .store
        .annual_cycle(year)
        .await?
        .ok_or(AppError::NotFound)?;
    let area = AuthoritySlug::parse(area).map_err(|_| AppError::NotFound)?;
    if !cycle.areas.contains(&area) {
        return Err(AppError::NotFound);
    }
    let name = state
        .store
        .authorities()
        .await?
        .into_iter()
        .find(|a| a.slug == area)
        .map_or_else(|| area.to_string(), |a| a.name);
    Ok((cycle, area, name))
}

/// Whether the visitor leads an area in the same published triad as `area` that year.
pub fn same_triad(visitor: &Visitor, cycle: &AnnualCycle, area: &AuthoritySlug) -> bool {
    let Some(principal) = visitor.principal.as_ref() else {
        return false;
    };
    cycle.published_at.is_some()
        && cycle.triads.iter().any(|triad| {
            triad.contains(area)
                && triad
                    .iter()
                    .any(|a| principal.led_authorities().any(|l| l == a))
        })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/self_assessment/area.html")]
pub struct AreaPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    title: String,
    cycle_href: String,
    base: String,
    shown: Option<ShownVersion>,
    may_edit: bool,
    /// The sign-off form, when the version shown awaits it and the visitor may record it.
    sign_off_form: Option<Vec<TextInput>>,
    versions: Vec<(i32, &'static str, String)>,
    source: &'static str,
    source_url: &'static str,
    /// Each section of the version shown set against the evidence (`pages::triangulation`).
    evidence: Vec<services::triangulation::SectionEvidence>,
    /// Whether the visitor may download the data pack (`pages::triangulation`).
    may_download_pack: bool,
    /// The development plan's return page, for the area once it owes one (`pages::triads`).
    plan_href: Option<String>,
}

impl AreaPage {
    fn evidence_of(&self, strand: &str) -> Option<&services::triangulation::SectionEvidence> {
        self.evidence.iter().find(|e| e.strand.code() == strand)
    }

    fn month(&self, month: &chrono::NaiveDate) -> String {
        domain::inspections::month_year(*month)
    }
}

/// The version a page shows.
#[derive(Clone, Debug)]
pub struct ShownVersion {
    pub version: i32,
    pub status: &'static str,
    pub saved: String,
    pub submitted: Option<String>,
    pub signed: Option<Vec<(&'static str, String)>>,
    pub families: Vec<FamilyView<SectionView>>,
    pub summary: String,
    pub priorities: String,
}

fn shown(version: &StoredSelfAssessment) -> ShownVersion {
    ShownVersion {
        version: version.version,
        status: version.status.label(),
        saved: format!(
            "{} by {}",
            dates::date_time(version.saved_at),
            version.saved_by
        ),
        submitted: version
            .submitted
            .as_ref()
            .map(|(at, by)| format!("{} by {by}", dates::date_time(*at))),
        signed: version.sign_off.as_ref().map(|s| {
            vec![
                ("For the local authority", s.for_authority.clone()),
                ("For health", s.for_health.clone()),
                ("For the parent carer forum", s.for_forum.clone()),
                ("Signed on", dates::date(s.on)),
                (
                    "Recorded by",
                    version.sign_off_recorded_by.clone().unwrap_or_default(),
                ),
            ]
        }),
        families: families(|s| section_view(&version.answers, s)),
        summary: version.answers.summary.clone(),
        priorities: version.answers.priorities.clone(),
    }
}

fn sign_off_inputs(typed: &[(String, String)], errors: &FormErrors) -> Vec<TextInput> {
    let value = |name: &str| {
        typed
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    [
        ("for_authority", "Signed for the local authority by"),
        ("for_health", "Signed for health by"),
        ("for_forum", "Signed for the parent carer forum by"),
    ]
    .into_iter()
    .map(|(name, label)| {
        TextInput::new(name, label)
            .value(&value(name))
            .errors(errors)
    })
    .chain([TextInput::new("signed_on", "Date signed")
        .hint("For example, 2026-12-18")
        .classes("govuk-input--width-10")
        .value(&value("signed_on"))
        .errors(errors)])
    .collect()
}

async fn area_page(
    state: &AppState,
    visitor: &Visitor,
    year: &str,
    area: &str,
    typed: &[(String, String)],
    errors: &FormErrors,
) -> Result<AreaPage, AppError> {
    let (cycle, area, name) = load(state, year, area).await?;
    let may_edit = visitor.may(&Action::EditSelfAssessment(area.clone()));
    let versions = state
        .store
        .self_assessment_versions(cycle.id, &area)
        .await?;
    let submitted = versions
        .iter()
        .find(|v| v.status != SelfAssessmentStatus::Draft);
    visitor.authorise(&Action::ReadSelfAssessment {
        area: area.clone(),
        submitted: submitted.is_some(),
        same_triad: same_triad(visitor, &cycle, &area),
    })?;
    // The area sees its latest, draft included; everyone else the latest submitted one.
    let shown_version = if may_edit {
        versions.first()
    } else {
        submitted
    };
    let awaiting_sign_off =
        may_edit && shown_version.is_some_and(|v| v.status == SelfAssessmentStatus::Submitted);
    let base = format!("/self-assessment/{}/areas/{area}", cycle.year);
    let evidence = match shown_version {
        Some(version) => {
            crate::pages::triangulation::section_evidence(state, &cycle, &area, &version.answers)
                .await?
        }
        None => Vec::new(),
    };
    let plan_href = if may_edit {
        crate::pages::triads::plan_href(state, &cycle, &area).await?
    } else {
        None
    };
    Ok(AreaPage {
        plan_href,
        may_download_pack: crate::pages::triangulation::may_download(visitor, &cycle, &area),
        evidence,
        chrome: Chrome::new(visitor, format!("{name}: self-assessment"), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        title: format!("{name}: {}", cycle_title(cycle.year)),
        cycle_href: format!("/self-assessment/{}", cycle.year),
        base,
        shown: shown_version.map(shown),
        may_edit,
        sign_off_form: awaiting_sign_off.then(|| sign_off_inputs(typed, errors)),
        versions: if may_edit {
            versions
                .iter()
                .map(|v| (v.version, v.status.label(), dates::date_time(v.saved_at)))
                .collect()
        } else {
            Vec::new()
        },
        source: FRAMEWORK_SOURCE,
        source_url: FRAMEWORK_URL,
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
) -> Result<AreaPage, AppError> {
    area_page(&state, &visitor, &year, &area, &[], &FormErrors::default()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/self_assessment/edit.html")]
pub struct EditPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    title: String,
    base: String,
    notice: Option<String>,
    families: Vec<FamilyView<SectionForm>>,
    overall: Vec<Textarea>,
    source: &'static str,
    source_url: &'static str,
}

async fn edit_page(
    state: &AppState,
    visitor: &Visitor,
    year: &str,
    area: &str,
    typed: Option<&[(String, String)]>,
    errors: &FormErrors,
) -> Result<EditPage, AppError> {
    let (cycle, area, name) = load(state, year, area).await?;
    visitor.authorise(&Action::EditSelfAssessment(area.clone()))?;
    let mut notice = None;
    let answers = match state.store.self_assessment(cycle.id, &area).await? {
        Some(current) => {
            if current.status != SelfAssessmentStatus::Draft {
                notice = Some(format!(
                    "Version {} is {}. Saving starts version {}; version {} is kept as it is.",
                    current.version,
                    current.status.label().to_lowercase(),
                    current.version + 1,
                    current.version
                ));
            }
            current.answers
        }
        None => match last_years(state, &cycle, &area).await? {
            Some(last) => {
                notice = Some(
                    "Last year's text is filled in as a starting point; choose this year's ratings afresh. Nothing is kept until you save."
                        .to_owned(),
                );
                last.answers.as_starting_point()
            }
            None => SelfAssessmentAnswers::default(),
        },
    };
    let value = |name: &str, stored: &str| match typed {
        Some(form) => form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        None => stored.to_owned(),
    };
    Ok(EditPage {
        chrome: Chrome::new(visitor, format!("Edit {name}'s self-assessment"), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        title: format!("{name}: {}", cycle_title(cycle.year)),
        base: format!("/self-assessment/{}/areas/{area}", cycle.year),
        notice,
        families: families(|s| section_form(&answers, typed, s, errors)),
        overall: vec![
            Textarea::new("summary", "Summary", &value("summary", &answers.summary))
                .limit(SUMMARY_MAX)
                .errors(errors),
            Textarea::new(
                "priorities",
                "Top priorities",
                &value("priorities", &answers.priorities),
            )
            .limit(SUMMARY_MAX)
            .errors(errors),
        ],
        source: FRAMEWORK_SOURCE,
        source_url: FRAMEWORK_URL,
    })
}

/// The latest version of the area's self-assessment in last year's cycle.
async fn last_years(
    state: &AppState,
    cycle: &AnnualCycle,
    area: &AuthoritySlug,
) -> Result<Option<StoredSelfAssessment>, AppError> {
    let Some(last) = state.store.annual_cycle(cycle.year - 1).await? else {
        return Ok(None);
    };
    Ok(state.store.self_assessment(last.id, area).await?)
}

pub async fn edit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
) -> Result<EditPage, AppError> {
    edit_page(&state, &visitor, &year, &area, None, &FormErrors::default()).await
}

/// Parse and save the posted answers: on a problem nothing is saved and the form comes back
/// with what was typed and each problem beside its field.
async fn save_posted(
    state: &AppState,
    visitor: &Visitor,
    year: &str,
    area: &str,
    form: &[(String, String)],
) -> Result<Result<(AnnualCycle, AuthoritySlug, Principal), Response>, AppError> {
    let (cycle, slug, _) = load(state, year, area).await?;
    let principal = visitor
        .authorise(&Action::EditSelfAssessment(slug.clone()))?
        .clone();
    let (answers, problems) = SelfAssessmentAnswers::parse(form);
    if !problems.is_empty() {
        let errors = FormErrors::from_problems(problems);
        let page = edit_page(state, visitor, year, area, Some(form), &errors).await?;
        return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, page).into_response()));
    }
    state
        .store
        .save_self_assessment(cycle.id, &slug, &answers, &principal, Utc::now())
        .await?;
    Ok(Ok((cycle, slug, principal)))
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    match save_posted(&state, &visitor, &year, &area, &form).await? {
        Ok((cycle, slug, _)) => Ok(see_other(&format!(
            "/self-assessment/{}/areas/{slug}",
            cycle.year
        ))),
        Err(refused) => Ok(refused),
    }
}

/// Save what was posted, then submit it if every rating is given; otherwise the form comes
/// back (saved as the draft) with each missing rating named next to its field.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (cycle, slug, principal) = match save_posted(&state, &visitor, &year, &area, &form).await? {
        Ok(saved) => saved,
        Err(refused) => return Ok(refused),
    };
    let (answers, _) = SelfAssessmentAnswers::parse(&form);
    let missing = answers.submission_problems();
    if !missing.is_empty() {
        let errors = FormErrors::from_problems(missing);
        let page = edit_page(&state, &visitor, &year, &area, Some(&form), &errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    match state
        .store
        .submit_self_assessment(cycle.id, &slug, &principal, Utc::now())
        .await
    {
        Ok(()) | Err(StoreError::Conflict(_)) => Ok(see_other(&format!(
            "/self-assessment/{}/areas/{slug}",
            cycle.year
        ))),
        Err(other) => Err(other.into()),
    }
}

pub async fn sign_off(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (cycle, slug, _) = load(&state, &year, &area).await?;
    let principal = visitor
        .authorise(&Action::EditSelfAssessment(slug.clone()))?
        .clone();
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let errors = match SignOff::parse(
        get("for_authority"),
        get("for_health"),
        get("for_forum"),
        get("signed_on"),
        state.today(),
    ) {
        Ok(signed) => match state
            .store
            .sign_off_self_assessment(cycle.id, &slug, &signed, &principal, Utc::now())
            .await
        {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "/self-assessment/{}/areas/{slug}",
                    cycle.year
                )));
            }
            Err(StoreError::Conflict(message)) => {
                let mut errors = FormErrors::default();
                errors.add("for_authority", message);
                errors
            }
            Err(other) => return Err(other.into()),
        },
        Err(problems) => FormErrors::from_problems(problems),
    };
    let page = area_page(&state, &visitor, &year, &area, &form, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// One cell of the heat map: the self-rating's short name and colour, and the section it
/// links to; `None` where the area has submitted nothing or left the strand unrated.
#[derive(Clone, Debug)]
pub struct HeatCell {
    pub text: &'static str,
    pub class: &'static str,
    pub href: String,
    /// How many triangulation flags the section raises (`pages::triangulation`).
    pub flags: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/self_assessment/heat_map.html")]
pub struct HeatMapPage {
    chrome: Chrome,
    title: String,
    cycle_href: String,
    areas: Vec<String>,
    /// Per strand, its label and a cell per area in the order of `areas`.
    rows: Vec<(&'static str, Vec<Option<HeatCell>>)>,
}

/// The board's view: every strand against every area's latest submitted self-rating.
pub async fn heat_map(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(year): Path<String>,
) -> Result<HeatMapPage, AppError> {
    visitor.authorise(&Action::ViewSelfAssessmentHeatMap)?;
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let cycle = state
        .store
        .annual_cycle(year)
        .await?
        .ok_or(AppError::NotFound)?;
    let authorities = state.store.authorities().await?;
    let submitted = state.store.submitted_self_assessments(cycle.id).await?;
    let evidence = crate::pages::triangulation::cycle_evidence(&state, &cycle).await?;
    let as_of = services::triangulation::as_of(year, Some(cycle.timetable.self_assessment_opens));
    let flags: Vec<(AuthoritySlug, Vec<domain::triangulation::Flag>)> = submitted
        .iter()
        .map(|s| (s.area.clone(), evidence.flags(&s.area, &s.answers, as_of)))
        .collect();
    let areas = cycle
        .areas
        .iter()
        .map(|slug| {
            authorities
                .iter()
                .find(|a| &a.slug == slug)
                .map_or_else(|| slug.to_string(), |a| a.name.clone())
        })
        .collect();
    let rows = Strand::ALL
        .into_iter()
        .map(|strand| {
            let cells = cycle
                .areas
                .iter()
                .map(|area| {
                    let assessment = submitted.iter().find(|s| &s.area == area)?;
                    let rating = assessment.answers.section(strand).rating?;
                    Some(HeatCell {
                        text: rating.short(),
                        class: rating.tag_class(),
                        href: format!("/self-assessment/{year}/areas/{area}#{}", strand.code()),
                        flags: flags
                            .iter()
                            .filter(|(a, _)| a == area)
                            .flat_map(|(_, f)| f)
                            .filter(|f| f.strand == strand)
                            .count(),
                    })
                })
                .collect();
            (strand.label(), cells)
        })
        .collect();
    Ok(HeatMapPage {
        chrome: Chrome::new(&visitor, format!("Self-ratings {}", cycle_title(year)), NAV),
        title: format!("Self-ratings: {}", cycle_title(year)),
        cycle_href: format!("/self-assessment/{year}"),
        areas,
        rows,
    })
}
