//! One-day and two-day challenges: the list, an LA lead's request, the challenge page with its
//! timeline, the KLOEs (drafted together, agreed by the co-ordinator, every version kept), the
//! visit's days and seats, and moves along the lifecycle. The team lives in `team.rs`; the
//! timetable, case sample and pre-reading in `visit.rs`.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, Query, RawPathParams, State};
use axum::http::Method;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::challenge::{
    CANCEL_REASON_LIMIT, ChallengeKind, FOCUS_LIMIT, KLOE_LIMIT, KLOE_SLOTS, KloeAnswers, Partner,
    RequestAnswers, SeatRole, VisitAnswers, VisitFormat,
};
use domain::lifecycle::ChallengeState;
use domain::policy::ChallengeAccess;
use domain::{Action, AuthoritySlug, ChallengeId, MultiLine, Principal, ThemeCode, authorise};
use serde::Deserialize;
use store::{Activity, CaseReferenceOnly, ChallengeRecord, DataVersion, StoreError, TeamMember};

use crate::components::{
    CheckboxItem, Checkboxes, DateInput, ErrorSummary, NotificationBanner, Radios, SelectItem,
    Textarea,
};
use crate::error::refused;
use crate::forms::FormErrors;
use crate::pages::{Chrome, Notice, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};
use services::challenge_emails::{self, Step};
use services::challenge_view::{ChallengeView, challenge_view};
use services::challenges::{self, ListFilter, Outcome, TeamStanding};
use services::findings::{self, EvidenceChoices};
use services::journey::{self, Agreement, OnChallenge, Refused};

/// Every route of a challenge: request, KLOEs, visit days, moves, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/challenges", get(list_challenges)),
        route(Method::GET, "/challenges/new", get(show_request)),
        route(Method::POST, "/challenges/new", post(request_challenge)),
        route(Method::GET, "/challenges/{id}", get(show_challenge)),
        route(Method::POST, "/challenges/{id}/move", post(move_challenge)),
        route(Method::GET, "/challenges/{id}/cancel", get(show_cancel)),
        route(Method::POST, "/challenges/{id}/cancel", post(cancel)),
        route(Method::GET, "/challenges/{id}/kloes", get(show_kloes)),
        route(Method::POST, "/challenges/{id}/kloes", post(save_kloes)),
        route(
            Method::POST,
            "/challenges/{id}/kloes/agree",
            post(agree_kloes),
        ),
        route(Method::GET, "/challenges/{id}/visit", get(show_visit)),
        route(Method::POST, "/challenges/{id}/visit", post(plan_visit)),
    ]
}

const NAV: &str = "/challenges";

/// A challenge with what every page about it needs: who may do what is asked of the policy
/// with `access`.
pub struct LoadedChallenge {
    pub record: ChallengeRecord,
    pub access: ChallengeAccess,
    /// The visitor's own seat, when they have been invited to the team.
    pub membership: Option<TeamMember>,
    pub team: Vec<TeamMember>,
    /// The timetable and the sampled cases, as kept with the challenge (`challenge_view`).
    pub timetable: Arc<Vec<Activity>>,
    pub cases: Arc<Vec<CaseReferenceOnly>>,
    /// The version of `ReadSet::Challenge` all this was read at: a write checked against it
    /// carries it, and is refused if it has moved since.
    pub read_at: DataVersion,
}

/// Load a challenge for `visitor`. Anonymous visitors are sent to sign in first (so nothing,
/// not even whether it exists, is told to them); an unknown id is a 404.
pub async fn load_challenge(
    state: &AppState,
    visitor: &Visitor,
    id: ChallengeId,
) -> Result<LoadedChallenge, AppError> {
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let (view, read_at) = challenge_view(&state.store, &state.views, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(LoadedChallenge::of(principal, view, read_at))
}

/// The `{id}` of a challenge's path, for a signed-in visitor: sign-in comes before parsing, so
/// an anonymous visitor learns nothing from a malformed id either, and a malformed id (or one
/// that is not UTF-8 once decoded) names nothing: a 404.
pub struct ChallengePath(pub ChallengeId);

impl FromRequestParts<AppState> for ChallengePath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        if visitor.principal.is_none() {
            return Err(AppError::SignInRequired);
        }
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, raw)| raw.parse::<ChallengeId>().ok())
            .map(Self)
            .ok_or(AppError::NotFound)
    }
}

/// The challenge named by the path's `{id}`, loaded for the visitor: a handler that takes a
/// `LoadedChallenge` never sees the raw id.
impl FromRequestParts<AppState> for LoadedChallenge {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ChallengePath(id) = ChallengePath::from_request_parts(parts, state).await?;
        let visitor = Visitor::from_request_parts(parts, state).await?;
        load_challenge(state, &visitor, id).await
    }
}

impl LoadedChallenge {
    /// The visitor's challenge from `view`, read at `read_at`.
    pub(crate) fn of(principal: &Principal, view: ChallengeView, read_at: DataVersion) -> Self {
        let ChallengeView {
            record,
            team,
            timetable,
            cases,
        } = view;
        let (access, membership) = journey::access_of(principal, &record, &team);
        Self {
            record,
            access,
            membership,
            team,
            timetable,
            cases,
            read_at,
        }
    }

    pub fn may(&self, visitor: &Visitor, action: &Action) -> bool {
        authorise(visitor.principal.as_ref(), action).is_ok()
    }

    pub fn href(&self) -> String {
        format!("/challenges/{}", self.record.id)
    }

    /// What the evidence form offers the visitor.
    pub fn evidence_choices(&self) -> EvidenceChoices {
        findings::evidence_choices(
            &self.record,
            &self.timetable,
            &self.cases,
            self.membership.as_ref(),
        )
    }

    /// The challenge as the use cases take it.
    pub fn on(&self) -> OnChallenge<'_> {
        OnChallenge {
            record: &self.record,
            access: &self.access,
        }
    }

    /// "PC-2027-004: Derby, two-day peer challenge".
    pub fn title(&self) -> String {
        format!(
            "{}: {} {}",
            self.record.reference,
            self.record.authority_name,
            self.record.kind.label().to_lowercase()
        )
    }
}

async fn known_themes(state: &AppState) -> Result<Vec<(ThemeCode, String)>, AppError> {
    Ok(state
        .store
        .themes()
        .await?
        .into_iter()
        .map(|theme| (theme.code, theme.label))
        .collect())
}

// ---- The list -------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    kind: String,
}

pub(crate) struct ChallengeRow {
    pub href: String,
    pub reference: String,
    pub authority: String,
    pub kind: &'static str,
    pub state: &'static str,
    pub tag: &'static str,
    pub visit: String,
}

impl From<&store::ChallengeSummary> for ChallengeRow {
    fn from(summary: &store::ChallengeSummary) -> Self {
        Self {
            href: format!("/challenges/{}", summary.id),
            reference: summary.reference.clone(),
            authority: summary.authority_name.clone(),
            kind: summary.kind.label(),
            state: summary.state.label(),
            tag: summary.state.tag_class(),
            visit: summary
                .first_visit_day
                .map(dates::date)
                .unwrap_or_else(|| "Not set".to_owned()),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/index.html")]
pub struct ListPage {
    chrome: Chrome,
    heading: String,
    rows: Vec<ChallengeRow>,
    counts: Vec<(String, usize)>,
    states: Vec<SelectItem>,
    authorities: Vec<SelectItem>,
    kinds: Vec<SelectItem>,
    request_href: Option<String>,
    /// What-if staffing, for the people who compose teams.
    what_if: bool,
    filtered: bool,
}

fn select_items(options: Vec<(String, String)>, selected: &str, any: &str) -> Vec<SelectItem> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(options)
        .map(|(value, text)| SelectItem {
            selected: value == selected,
            value,
            text,
        })
        .collect()
}

pub async fn list_challenges(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let list = challenges::challenge_list(
        &state.store,
        visitor.principal.as_ref(),
        ListFilter {
            state: ChallengeState::parse(&query.state),
            authority: AuthoritySlug::parse(&query.authority).ok(),
            kind: ChallengeKind::parse(&query.kind),
        },
        state.today(),
    )
    .await?;
    let heading = if list.own_area_only {
        "Your area's challenges".to_owned()
    } else {
        "Challenges".to_owned()
    };
    Ok(ListPage {
        chrome: Chrome::new(&visitor, heading.clone(), NAV),
        heading,
        rows: list.challenges.iter().map(ChallengeRow::from).collect(),
        counts: list
            .counts
            .iter()
            .map(|(state, count)| (state.label().to_owned(), *count))
            .collect(),
        states: select_items(
            ChallengeState::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned()))
                .collect(),
            &query.state,
            "Any state",
        ),
        authorities: select_items(
            list.authorities
                .into_iter()
                .map(|(slug, name)| (slug.to_string(), name))
                .collect(),
            &query.authority,
            "Any authority",
        ),
        kinds: select_items(
            ChallengeKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), k.label().to_owned()))
                .collect(),
            &query.kind,
            "Either kind",
        ),
        request_href: list.may_request.then(|| "/challenges/new".to_owned()),
        what_if: list.runs_scheme,
        filtered: !(query.state.is_empty() && query.authority.is_empty() && query.kind.is_empty()),
    })
}

// ---- The request ----------------------------------------------------------------------

/// The KLOE slots as form fields: `kloe_N` and `kloe_N_themes`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct KloeForm {
    #[serde(default)]
    kloe_1: String,
    #[serde(default)]
    kloe_2: String,
    #[serde(default)]
    kloe_3: String,
    #[serde(default)]
    kloe_1_themes: Vec<String>,
    #[serde(default)]
    kloe_2_themes: Vec<String>,
    #[serde(default)]
    kloe_3_themes: Vec<String>,
}

impl KloeForm {
    fn answers(&self) -> KloeAnswers {
        KloeAnswers {
            questions: [
                self.kloe_1.clone(),
                self.kloe_2.clone(),
                self.kloe_3.clone(),
            ],
            themes: [
                self.kloe_1_themes.clone(),
                self.kloe_2_themes.clone(),
                self.kloe_3_themes.clone(),
            ],
        }
    }
}

/// One KLOE slot on a form: the question and its theme checkboxes.
pub struct KloeSlot {
    question: Textarea,
    themes: Checkboxes,
    /// Whether the themes start shown where the form folds them away: when any is ticked or
    /// they are in error, so neither a choice nor an error message is hidden.
    themes_open: bool,
}

fn kloe_slots(
    answers: &KloeAnswers,
    themes: &[(ThemeCode, String)],
    errors: &FormErrors,
) -> Vec<KloeSlot> {
    (0..KLOE_SLOTS)
        .map(|slot| {
            let number = slot + 1;
            let label = if slot == 0 {
                "Main KLOE".to_owned()
            } else {
                format!("KLOE {number} (two-day challenges only)")
            };
            let mut question = Textarea::new(&format!("kloe_{number}"), &label, &answers.questions[slot])
                .hint("A question the team will investigate, for example: How well do partners identify needs early?")
                .limit(KLOE_LIMIT)
                .errors(errors);
            question.rows = 3;
            let themes_error = errors.get(&format!("kloe_{number}_themes"));
            KloeSlot {
                question,
                themes_open: themes_error.is_some() || !answers.themes[slot].is_empty(),
                themes: Checkboxes {
                    id_prefix: format!("kloe_{number}_themes"),
                    name: format!("kloe_{number}_themes"),
                    legend: format!("Practice themes for KLOE {number}"),
                    legend_classes: Some("govuk-fieldset__legend--s"),
                    hint: Some("Select all that apply.".into()),
                    error: themes_error,
                    items: themes
                        .iter()
                        .map(|(code, label)| CheckboxItem {
                            value: code.as_str().to_owned(),
                            text: label.clone(),
                            hint: None,
                            checked: answers.themes[slot].iter().any(|t| t == code.as_str()),
                        })
                        .collect(),
                },
            }
        })
        .collect()
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    partners: Vec<String>,
    #[serde(default, rename = "window_1_from-day")]
    w1_from_day: String,
    #[serde(default, rename = "window_1_from-month")]
    w1_from_month: String,
    #[serde(default, rename = "window_1_from-year")]
    w1_from_year: String,
    #[serde(default, rename = "window_1_to-day")]
    w1_to_day: String,
    #[serde(default, rename = "window_1_to-month")]
    w1_to_month: String,
    #[serde(default, rename = "window_1_to-year")]
    w1_to_year: String,
    #[serde(default, rename = "window_2_from-day")]
    w2_from_day: String,
    #[serde(default, rename = "window_2_from-month")]
    w2_from_month: String,
    #[serde(default, rename = "window_2_from-year")]
    w2_from_year: String,
    #[serde(default, rename = "window_2_to-day")]
    w2_to_day: String,
    #[serde(default, rename = "window_2_to-month")]
    w2_to_month: String,
    #[serde(default, rename = "window_2_to-year")]
    w2_to_year: String,
    #[serde(default)]
    focus: String,
    // The KLOE slots are listed here rather than flattened from `KloeForm`: a flattened
    // struct cannot read a repeated field (a single ticked theme) as a list.
    #[serde(default)]
    kloe_1: String,
    #[serde(default)]
    kloe_2: String,
    #[serde(default)]
    kloe_3: String,
    #[serde(default)]
    kloe_1_themes: Vec<String>,
    #[serde(default)]
    kloe_2_themes: Vec<String>,
    #[serde(default)]
    kloe_3_themes: Vec<String>,
}

impl RequestForm {
    fn answers(&self) -> RequestAnswers {
        RequestAnswers {
            kind: self.kind.clone(),
            format: self.format.clone(),
            partners: self.partners.clone(),
            windows: [
                [
                    self.w1_from_day.clone(),
                    self.w1_from_month.clone(),
                    self.w1_from_year.clone(),
                    self.w1_to_day.clone(),
                    self.w1_to_month.clone(),
                    self.w1_to_year.clone(),
                ],
                [
                    self.w2_from_day.clone(),
                    self.w2_from_month.clone(),
                    self.w2_from_year.clone(),
                    self.w2_to_day.clone(),
                    self.w2_to_month.clone(),
                    self.w2_to_year.clone(),
                ],
            ],
            focus: self.focus.clone(),
            kloes: KloeAnswers {
                questions: [
                    self.kloe_1.clone(),
                    self.kloe_2.clone(),
                    self.kloe_3.clone(),
                ],
                themes: [
                    self.kloe_1_themes.clone(),
                    self.kloe_2_themes.clone(),
                    self.kloe_3_themes.clone(),
                ],
            },
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/new.html")]
pub struct RequestPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    authority_name: String,
    kind: Radios,
    format: Radios,
    partners: Checkboxes,
    windows: Vec<(DateInput, DateInput)>,
    focus: Textarea,
    kloes: Vec<KloeSlot>,
}

fn request_page(
    visitor: &Visitor,
    authority_name: &str,
    form: &RequestForm,
    themes: &[(ThemeCode, String)],
    errors: &FormErrors,
) -> RequestPage {
    let kinds: Vec<(&str, &str)> = ChallengeKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    let formats: Vec<(&str, &str)> = VisitFormat::ALL
        .iter()
        .map(|f| (f.code(), f.label()))
        .collect();
    let answers = form.answers();
    let windows = answers
        .windows
        .iter()
        .enumerate()
        .map(|(index, parts)| {
            let number = index + 1;
            let optional = if index == 0 { "" } else { " (optional)" };
            (
                DateInput::new(
                    &format!("window_{number}_from"),
                    &format!("Preferred dates {number}{optional}: from"),
                    (&parts[0], &parts[1], &parts[2]),
                )
                .hint("For example, 1 3 2027")
                .errors(errors),
                DateInput::new(
                    &format!("window_{number}_to"),
                    &format!("Preferred dates {number}{optional}: to"),
                    (&parts[3], &parts[4], &parts[5]),
                )
                .hint("For example, 31 3 2027")
                .errors(errors),
            )
        })
        .collect();
    let mut focus = Textarea::new("focus", "Areas of focus", &form.focus)
        .hint("What the area wants the challenge to look at, and why now. Do not include anything that identifies a child.")
        .limit(FOCUS_LIMIT)
        .errors(errors);
    focus.rows = 4;
    let date_fields = [
        "window_1_from",
        "window_1_to",
        "window_2_from",
        "window_2_to",
    ];
    RequestPage {
        chrome: Chrome::new(visitor, "Request a peer challenge", NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::linking(errors, &date_fields)),
        authority_name: authority_name.to_owned(),
        kind: Radios::new("kind", "What kind of challenge?", &kinds, &form.kind)
            .hint("A one-day challenge is a deep dive into one main KLOE. A two-day challenge, led by the regional co-ordinator, looks at two or three.")
            .errors(errors),
        format: Radios::new("format", "How will the visit happen?", &formats, &form.format).errors(errors),
        partners: Checkboxes {
            id_prefix: "partners".into(),
            name: "partners".into(),
            legend: "Partners taking part (optional)".into(),
            legend_classes: Some("govuk-fieldset__legend--m"),
            hint: Some("Select all that apply.".into()),
            error: None,
            items: Partner::ALL
                .iter()
                .map(|p| CheckboxItem {
                    value: p.code().to_owned(),
                    text: p.label().to_owned(),
                    hint: None,
                    checked: form.partners.iter().any(|c| c == p.code()),
                })
                .collect(),
        },
        windows,
        focus,
        kloes: kloe_slots(&answers.kloes, themes, errors),
    }
}

fn own_authority(principal: &Principal) -> Result<AuthoritySlug, AppError> {
    let slug = principal
        .led_authorities()
        .next()
        .cloned()
        .ok_or(AppError::Forbidden)?;
    authorise(Some(principal), &Action::RequestChallenge(slug.clone()))?;
    Ok(slug)
}

async fn authority_name(state: &AppState, slug: &AuthoritySlug) -> Result<String, AppError> {
    Ok(state
        .store
        .authority(slug)
        .await?
        .map_or_else(|| slug.to_string(), |a| a.name))
}

pub async fn show_request(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<RequestPage, AppError> {
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let slug = own_authority(principal)?;
    let themes = known_themes(&state).await?;
    Ok(request_page(
        &visitor,
        &authority_name(&state, &slug).await?,
        &RequestForm::default(),
        &themes,
        &FormErrors::default(),
    ))
}

pub async fn request_challenge(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let slug = own_authority(principal)?;
    match journey::request_challenge(
        state.scheme(),
        Some(principal),
        &form.answers(),
        state.today(),
        Utc::now(),
    )
    .await
    {
        Ok(id) => Ok(see_other(&format!("/challenges/{id}?notice=requested"))),
        Err(why) => {
            let (errors, status) = match why {
                Refused::Invalid(problems) => (
                    FormErrors::from_problems(problems),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                other => {
                    let mut errors = FormErrors::default();
                    errors.add("kind", refused(other)?);
                    (errors, StatusCode::CONFLICT)
                }
            };
            let page = request_page(
                &visitor,
                &authority_name(&state, &slug).await?,
                &form,
                &known_themes(&state).await?,
                &errors,
            );
            Ok((status, page).into_response())
        }
    }
}

// ---- The challenge page ---------------------------------------------------------------

fn banner(notice: &str) -> Option<NotificationBanner> {
    let heading = match notice {
        "requested" => "Your request has been sent to the project manager",
        "kloes" => "The KLOEs have been saved",
        "agreed" => "The KLOEs are agreed",
        "visit" => "The visit days and seats have been saved",
        "moved" => "The challenge has moved on",
        "cancelled" => "The challenge has been cancelled",
        "confirmed" => "The team is confirmed and the invitations have been sent",
        "invited" => "The invitations have been sent",
        "answered" => "Thank you: your answer has been sent to the project manager",
        "proposed" => "The engine has proposed a team",
        "changed" => "The team has been changed",
        _ => return None,
    };
    Some(NotificationBanner::success(heading))
}

pub(crate) struct SummaryRow {
    pub key: String,
    pub value: String,
}

fn row(key: &str, value: impl Into<String>) -> SummaryRow {
    SummaryRow {
        key: key.to_owned(),
        value: value.into(),
    }
}

pub(crate) struct KloeView {
    pub question: String,
    pub themes: String,
}

pub(crate) fn kloe_views(
    record: &ChallengeRecord,
    themes: &[(ThemeCode, String)],
) -> Vec<KloeView> {
    record
        .kloes
        .iter()
        .map(|kloe| KloeView {
            question: kloe.question.clone(),
            themes: kloe
                .themes
                .iter()
                .map(|code| {
                    themes
                        .iter()
                        .find(|(c, _)| c == code)
                        .map_or_else(|| code.to_string(), |(_, label)| label.clone())
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect()
}

struct MoveButton {
    to: &'static str,
    label: &'static str,
}

struct EventView {
    when: String,
    what: String,
    who: String,
    note: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/show.html")]
pub struct ChallengePage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    refusal: Option<String>,
    id: String,
    heading: String,
    state: &'static str,
    tag: &'static str,
    details: Vec<SummaryRow>,
    kloes: Vec<KloeView>,
    kloes_status: String,
    may_edit_kloes: bool,
    visit: Vec<SummaryRow>,
    may_plan_visit: bool,
    team_summary: String,
    may_see_team_page: bool,
    my_seat: Option<String>,
    may_respond: bool,
    links: Vec<(String, &'static str)>,
    /// Evidence, findings, reports and next steps, once the visit has started.
    outcome_links: Vec<(String, &'static str)>,
    moves: Vec<MoveButton>,
    may_cancel: bool,
    timeline: Vec<EventView>,
    state_note: Option<String>,
}

/// The outcome pages the read model offers, as links.
fn outcome_links(loaded: &LoadedChallenge, outcomes: &[Outcome]) -> Vec<(String, &'static str)> {
    outcomes
        .iter()
        .map(|outcome| {
            let (page, text) = match outcome {
                Outcome::Evidence => ("evidence", "Evidence"),
                Outcome::Findings => ("findings", "Findings"),
                Outcome::Reports => ("reports", "Reports"),
                Outcome::ActionPlan => ("actions", "Action plan"),
            };
            (format!("{}/{page}", loaded.href()), text)
        })
        .collect()
}

fn details(record: &ChallengeRecord) -> Vec<SummaryRow> {
    let partners = if record.partners.is_empty() {
        "None named".to_owned()
    } else {
        record
            .partners
            .iter()
            .map(|p| p.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let windows = record
        .windows
        .iter()
        .map(|w| format!("{} to {}", dates::date(w.start()), dates::date(w.end())))
        .collect::<Vec<_>>()
        .join("; ");
    let mut rows = vec![
        row("Local authority", record.authority_name.clone()),
        row("Kind", record.kind.label()),
        row("Format", record.format.label()),
        row("Partners taking part", partners),
        row("Preferred dates", windows),
        row("Areas of focus", record.focus.clone()),
        row("Requested", dates::date_time(record.requested_at)),
    ];
    if let Some(reason) = &record.cancel_reason {
        rows.push(row("Reason for cancelling", reason.clone()));
    }
    rows
}

fn visit_rows(record: &ChallengeRecord) -> Vec<SummaryRow> {
    if record.visit_days.is_empty() {
        return Vec::new();
    }
    let days = record
        .visit_days
        .iter()
        .map(|d| dates::date(*d))
        .collect::<Vec<_>>()
        .join(" and ");
    let seats = record
        .seats
        .iter()
        .map(|s| {
            let shadowing = if s.shadowing > 0 {
                format!(" ({} shadowing)", s.shadowing)
            } else {
                String::new()
            };
            format!("{} × {}{shadowing}", s.count, s.role.label())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows = vec![row("Visit days", days), row("Seats", seats)];
    if record.kind.led_by_coordinator() {
        rows.push(row("Led by", "The regional SEND co-ordinator"));
    }
    rows
}

/// Beside a confirmed team's tag: how many have accepted, so "Team confirmed" is not read as
/// "everyone is coming".
fn state_note(state: ChallengeState, team: &TeamStanding) -> Option<String> {
    if state != ChallengeState::TeamConfirmed {
        return None;
    }
    let (accepted, total) = (team.accepted, team.holding);
    (accepted < total).then(|| {
        format!(
            "{accepted} of {total} have accepted their invitation so far. The visit can be scheduled once everyone has."
        )
    })
}

fn team_summary(team: &TeamStanding) -> String {
    if team.holding == 0 {
        return "No team yet.".to_owned();
    }
    format!(
        "{} proposed, {} invited, {} accepted.",
        team.proposed, team.invited, team.accepted
    )
}

pub async fn show_challenge(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<ChallengePage, AppError> {
    challenge_page(&state, &visitor, &loaded, banner(&notice.notice), None).await
}

async fn challenge_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    banner: Option<NotificationBanner>,
    refusal: Option<String>,
) -> Result<ChallengePage, AppError> {
    let record = &loaded.record;
    let view = challenges::challenge_view(
        &state.store,
        visitor.principal.as_ref(),
        loaded.on(),
        loaded.membership.as_ref(),
        &loaded.team,
    )
    .await?;
    let moves = view
        .moves
        .iter()
        .map(|(to, label)| MoveButton {
            to: to.code(),
            label,
        })
        .collect();
    let kloes_status = match &record.kloes_agreed {
        Some((at, by)) => format!("Agreed by {by} on {}.", dates::date_time(*at)),
        None => format!(
            "Draft (version {}). The co-ordinator agrees them.",
            record.kloe_version
        ),
    };
    let mut links = Vec::new();
    if !record.visit_days.is_empty() {
        links.push((format!("/challenges/{}/timetable", record.id), "Timetable"));
        links.push((format!("/challenges/{}/cases", record.id), "Case sample"));
    }
    if view.reads_pre_reading {
        links.push((
            format!("/challenges/{}/documents", record.id),
            "Pre-reading",
        ));
    }
    Ok(ChallengePage {
        chrome: Chrome::new(visitor, loaded.title(), NAV).with_errors(refusal.is_some()),
        banner,
        refusal,
        id: record.id.to_string(),
        heading: loaded.title(),
        state: record.state.label(),
        tag: record.state.tag_class(),
        state_note: state_note(record.state, &view.team),
        details: details(record),
        kloes: kloe_views(record, &view.themes),
        kloes_status,
        may_edit_kloes: view.may_edit_kloes,
        visit: visit_rows(record),
        may_plan_visit: view.may_plan_visit,
        team_summary: team_summary(&view.team),
        may_see_team_page: view.may_see_team_page,
        my_seat: loaded.membership.as_ref().map(|m| {
            format!(
                "You are on this team as {} ({}).",
                m.seat_role.label().to_lowercase(),
                m.status.label().to_lowercase()
            )
        }),
        may_respond: loaded
            .membership
            .as_ref()
            .is_some_and(|m| m.status == domain::challenge::MemberStatus::Invited),
        links,
        outcome_links: outcome_links(loaded, &view.outcomes),
        moves,
        may_cancel: view.may_cancel,
        timeline: view
            .timeline
            .iter()
            .map(|event| EventView {
                when: dates::date_time(event.at),
                what: match event.from {
                    // A challenge begins as a request; one made another way says where it began.
                    None if event.to == ChallengeState::Requested => "Requested".to_owned(),
                    None => format!("Created: {}", event.to.label()),
                    Some(from) => format!("{} → {}", from.label(), event.to.label()),
                },
                who: event.actor_name.clone(),
                note: event.note.clone(),
            })
            .collect(),
    })
}

// ---- Moves and cancelling -------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

pub async fn move_challenge(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let Some(to) = ChallengeState::parse(&form.to) else {
        let page = challenge_page(
            &state,
            &visitor,
            &loaded,
            None,
            Some("Choose what to do next".into()),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    // Asked before the reason is parsed, so nobody without the move learns what it needs.
    visitor.authorise(&Action::MoveChallenge {
        access: loaded.access.clone(),
        from: loaded.record.state,
        to,
    })?;
    let reason = if to == ChallengeState::Cancelled {
        match cancel_reason(&form.reason) {
            Ok(reason) => Some(reason),
            Err(errors) => {
                let page = cancel_page(&visitor, &loaded, &form.reason, &errors);
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        }
    } else {
        None
    };
    match journey::move_challenge(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        to,
        reason,
        state.today(),
        Utc::now(),
    )
    .await
    {
        Ok(()) => {
            let notice = if to == ChallengeState::Cancelled {
                "cancelled"
            } else {
                "moved"
            };
            Ok(see_other(&format!("{}?notice={notice}", loaded.href())))
        }
        Err(why) => {
            let message = refused(why)?;
            let page = challenge_page(&state, &visitor, &loaded, None, Some(message)).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/cancel.html")]
pub struct CancelPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: String,
    heading: String,
    reason: Textarea,
}

fn cancel_page(
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    reason: &str,
    errors: &FormErrors,
) -> CancelPage {
    let mut field = Textarea::new("reason", "Why is the challenge being cancelled?", reason)
        .hint("Everyone who can see the challenge will read this.")
        .limit(CANCEL_REASON_LIMIT)
        .errors(errors);
    field.rows = 4;
    CancelPage {
        chrome: Chrome::new(visitor, format!("Cancel {}", loaded.record.reference), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: loaded.record.id.to_string(),
        heading: loaded.title(),
        reason: field,
    }
}

/// The reason for cancelling: required, bounded, and free of anything identifying a child.
/// Both ways to cancel (the cancel page and a move to cancelled) check it here.
fn cancel_reason(typed: &str) -> Result<String, FormErrors> {
    let mut errors = FormErrors::default();
    let checked = MultiLine::required(
        "Reason for cancelling",
        "the reason for cancelling",
        typed,
        CANCEL_REASON_LIMIT,
    );
    match errors.check("reason", checked) {
        Some(reason) => match domain::personal_data::check_free_text("reason", reason.as_str()) {
            Ok(()) => Ok(reason.into_string()),
            Err(found) => {
                errors.add(found.field, found.message);
                Err(errors)
            }
        },
        None => Err(errors),
    }
}

fn may_cancel(visitor: &Visitor, loaded: &LoadedChallenge) -> Result<(), AppError> {
    visitor.authorise(&Action::MoveChallenge {
        access: loaded.access.clone(),
        from: loaded.record.state,
        to: ChallengeState::Cancelled,
    })?;
    Ok(())
}

pub async fn show_cancel(
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<CancelPage, AppError> {
    may_cancel(&visitor, &loaded)?;
    Ok(cancel_page(&visitor, &loaded, "", &FormErrors::default()))
}

pub async fn cancel(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    may_cancel(&visitor, &loaded)?;
    let reason = match cancel_reason(&form.reason) {
        Ok(reason) => reason,
        Err(errors) => {
            let page = cancel_page(&visitor, &loaded, &form.reason, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match journey::move_challenge(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        ChallengeState::Cancelled,
        Some(reason),
        state.today(),
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("{}?notice=cancelled", loaded.href()))),
        Err(why) => {
            let mut errors = FormErrors::default();
            errors.add("reason", refused(why)?);
            let page = cancel_page(&visitor, &loaded, &form.reason, &errors);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

// ---- KLOEs ----------------------------------------------------------------------------

struct VersionView {
    version: i32,
    by: String,
    at: String,
    kloes: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/kloes.html")]
pub struct KloesPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    banner: Option<NotificationBanner>,
    id: String,
    heading: String,
    rule: &'static str,
    editable: bool,
    may_agree: bool,
    agreed: Option<String>,
    slots: Vec<KloeSlot>,
    history: Vec<VersionView>,
}

async fn kloes_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    answers: &KloeAnswers,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<KloesPage, AppError> {
    let record = &loaded.record;
    let view =
        challenges::kloes_view(&state.store, visitor.principal.as_ref(), loaded.on()).await?;
    Ok(KloesPage {
        chrome: Chrome::new(visitor, format!("KLOEs: {}", record.reference), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        banner,
        id: record.id.to_string(),
        heading: loaded.title(),
        rule: match record.kind {
            ChallengeKind::OneDay => "A one-day challenge has exactly one main KLOE.",
            ChallengeKind::TwoDay => {
                "A two-day challenge has two or three KLOEs, drafted by the local area lead and the co-ordinator together."
            }
        },
        editable: view.editable,
        may_agree: view.may_agree,
        agreed: record
            .kloes_agreed
            .as_ref()
            .map(|(at, by)| format!("Agreed by {by} on {}.", dates::date_time(*at))),
        slots: kloe_slots(answers, &view.themes, errors),
        history: view
            .history
            .into_iter()
            .map(|v| VersionView {
                version: v.version,
                by: v.edited_by,
                at: dates::date_time(v.edited_at),
                kloes: v.kloes.into_iter().map(|k| k.question).collect(),
            })
            .collect(),
    })
}

pub async fn show_kloes(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<KloesPage, AppError> {
    let answers = KloeAnswers::from_kloes(&loaded.record.kloes);
    kloes_page(
        &state,
        &visitor,
        &loaded,
        &answers,
        &FormErrors::default(),
        banner(&notice.notice),
    )
    .await
}

pub async fn save_kloes(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<KloeForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::DraftKloes(loaded.access.clone()))?;
    let answers = form.answers();
    let mut errors = FormErrors::default();
    if !loaded.record.state.may_edit_kloes() || loaded.record.kloes_agreed() {
        errors.add(
            "kloe_1",
            "The KLOEs have been agreed and can no longer be changed",
        );
    }
    let themes = known_themes(&state).await?;
    let codes: Vec<ThemeCode> = themes.iter().map(|(code, _)| code.clone()).collect();
    let kloes = match answers.check(loaded.record.kind, &codes, false) {
        Ok(kloes) if errors.is_empty() => kloes,
        Ok(_) => Vec::new(),
        Err(problems) => {
            errors = FormErrors::from_problems(problems);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        let page = kloes_page(&state, &visitor, &loaded, &answers, &errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    match state
        .store
        .save_kloes(principal, loaded.record.id, &kloes, Utc::now())
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}/kloes?notice=kloes", loaded.href()))),
        Err(StoreError::Conflict(_)) => Ok(see_other(&format!("{}/kloes", loaded.href()))),
        Err(other) => Err(other.into()),
    }
}

pub async fn agree_kloes(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    let why = match journey::agree_kloes(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        Utc::now(),
    )
    .await
    {
        Ok(Agreement::Agreed) => {
            return Ok(see_other(&format!("{}?notice=agreed", loaded.href())));
        }
        Ok(Agreement::AlreadySettled) => {
            return Ok(see_other(&format!("{}/kloes", loaded.href())));
        }
        Err(why) => why,
    };
    let answers = KloeAnswers::from_kloes(&loaded.record.kloes);
    let (errors, banner) = match why {
        Refused::Invalid(problems) => (FormErrors::from_problems(problems), None),
        other => {
            let banner = NotificationBanner {
                success: false,
                heading: refused(other)?,
            };
            (FormErrors::default(), Some(banner))
        }
    };
    let page = kloes_page(&state, &visitor, &loaded, &answers, &errors, banner).await?;
    let status = if errors.is_empty() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

// ---- The visit: days and seats --------------------------------------------------------

#[derive(Clone, Debug, Default, Deserialize)]
pub struct VisitForm {
    #[serde(default, rename = "visit_date-day")]
    day: String,
    #[serde(default, rename = "visit_date-month")]
    month: String,
    #[serde(default, rename = "visit_date-year")]
    year: String,
    #[serde(default)]
    outside_windows: String,
    #[serde(flatten)]
    seats: std::collections::HashMap<String, String>,
}

impl VisitForm {
    fn answers(&self) -> VisitAnswers {
        VisitAnswers {
            day: self.day.clone(),
            month: self.month.clone(),
            year: self.year.clone(),
            seats: SeatRole::ALL
                .iter()
                .map(|role| {
                    let field = |prefix: &str| {
                        self.seats
                            .get(&format!("{prefix}_{}", role.code()))
                            .cloned()
                            .unwrap_or_default()
                    };
                    (role.code().to_owned(), field("seats"), field("shadowing"))
                })
                .collect(),
            outside_windows: self.outside_windows.clone(),
        }
    }
}

pub(crate) struct SeatField {
    label: &'static str,
    seats: crate::components::TextInput,
    shadowing: crate::components::TextInput,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/visit.html")]
pub struct VisitPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: String,
    heading: String,
    date: DateInput,
    two_day: bool,
    /// The area's preferred dates, in words; empty when it gave none.
    windows: Vec<String>,
    outside_windows_agreed: bool,
    seats: Vec<SeatField>,
}

fn visit_page(
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    answers: &VisitAnswers,
    errors: &FormErrors,
) -> VisitPage {
    use crate::components::TextInput;
    VisitPage {
        chrome: Chrome::new(visitor, format!("Visit: {}", loaded.record.reference), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::linking(errors, &["visit_date"])),
        id: loaded.record.id.to_string(),
        heading: loaded.title(),
        date: DateInput::new(
            "visit_date",
            "First visit day",
            (&answers.day, &answers.month, &answers.year),
        )
        .hint("A weekday, for example 11 3 2027")
        .errors(errors),
        two_day: loaded.record.kind == ChallengeKind::TwoDay,
        windows: loaded
            .record
            .windows
            .iter()
            .map(|w| format!("{} to {}", dates::date(w.start()), dates::date(w.end())))
            .collect(),
        outside_windows_agreed: answers.outside_windows == "agreed",
        seats: answers
            .seats
            .iter()
            .filter_map(|(code, seats, shadowing)| {
                let role = SeatRole::parse(code)?;
                Some(SeatField {
                    label: role.label(),
                    seats: TextInput::new(
                        &format!("seats_{code}"),
                        &format!("{}: seats", role.label()),
                    )
                    .classes("govuk-input--width-2")
                    .input_type("text")
                    .value(seats)
                    .errors(errors),
                    shadowing: TextInput::new(
                        &format!("shadowing_{code}"),
                        &format!("{}: of which shadowing", role.label()),
                    )
                    .classes("govuk-input--width-2")
                    .value(shadowing)
                    .errors(errors),
                })
            })
            .collect(),
    }
}

fn may_plan(visitor: &Visitor) -> Result<(), AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    Ok(())
}

pub async fn show_visit(visitor: Visitor, loaded: LoadedChallenge) -> Result<VisitPage, AppError> {
    may_plan(&visitor)?;
    let record = &loaded.record;
    let seats = if record.seats.is_empty() {
        record.kind.default_seats()
    } else {
        record.seats.clone()
    };
    let answers = VisitAnswers::from_plan(&record.visit_days, &seats);
    Ok(visit_page(
        &visitor,
        &loaded,
        &answers,
        &FormErrors::default(),
    ))
}

pub async fn plan_visit(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<VisitForm>,
) -> Result<Response, AppError> {
    may_plan(&visitor)?;
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let answers = form.answers();
    let mut errors = FormErrors::default();
    if !loaded.record.state.may_plan_visit() {
        errors.add(
            "visit_date",
            "The visit can no longer be changed at this stage",
        );
    }
    let plan = match answers.check(loaded.record.kind, state.today(), &loaded.record.windows) {
        Ok(plan) if errors.is_empty() => Some(plan),
        Ok(_) => None,
        Err(problems) => {
            errors = FormErrors::from_problems(problems);
            None
        }
    };
    let Some(plan) = plan else {
        let page = visit_page(&visitor, &loaded, &answers, &errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    // New or moved days are news to the host's leads and, once invited, to the team.
    let invited = loaded.team.iter().any(|m| m.status.is_on_team());
    let emails = if loaded.record.visit_days == plan.days {
        Vec::new()
    } else if !invited {
        challenge_emails::emails(
            &state.settings,
            &state.store.staff().await?,
            loaded.on().about(),
            Step::VisitSet,
        )
    } else {
        let moved = ChallengeRecord {
            visit_days: plan.days.clone(),
            ..loaded.record.clone()
        };
        let mut emails = challenge_emails::emails(
            &state.settings,
            &state.store.staff().await?,
            loaded.on().about(),
            Step::VisitChanged,
        );
        emails.extend(services::team::visit_changed_emails(
            &state.settings,
            &moved,
            &loaded.team,
            Utc::now(),
        ));
        emails
    };
    state
        .store
        .plan_visit_and_tell(principal, loaded.record.id, &plan, emails, Utc::now())
        .await?;
    Ok(see_other(&format!("{}?notice=visit", loaded.href())))
}
