//! A challenge's team: the engine's proposal with reasons, alternates and unfilled seats; the
//! project manager's swaps and additions (the engine's rules checked, warnings shown);
//! confirmation, which sends each member an email with a calendar invitation; members'
//! answers with their conflict declaration and confidentiality undertaking; re-composition
//! after a decline; and a reviewer's own list of challenges.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use documents::ics::{CalendarMethod, calendar};
use domain::challenge::{DECLARATION_LIMIT, MemberStatus, ResponseAnswers, SeatRole};
use domain::lifecycle::ChallengeState;
use domain::pool::MemberStatus as PoolStatus;
use domain::{Action, PoolMemberId, TeamMemberId};
use serde::Deserialize;
use store::{NewTeamMember, PoolFilter, TeamMember};

use crate::components::{ErrorSummary, Radios, SelectItem, Textarea};
use crate::composition::{
    Comparison, HelpAct, Proposal, SeatPicker, check_team, compare_with_engine,
};
use crate::error::refused;
use crate::forms::FormErrors;
use crate::pages::challenges::{ChallengeRow, LoadedChallenge};
use crate::pages::{Chrome, Notice, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of the team: proposal, changes, confirmation, answers, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/challenges/{id}/team", get(show_team)),
        route(
            Method::POST,
            "/challenges/{id}/team/propose",
            post(propose_team),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/recompose",
            post(recompose_team),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/swap",
            post(swap_member),
        ),
        route(Method::POST, "/challenges/{id}/team/add", post(add_member)),
        route(
            Method::POST,
            "/challenges/{id}/team/remove",
            post(remove_member),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/confirm",
            post(confirm_team),
        ),
        route(
            Method::GET,
            "/challenges/{id}/invitation.ics",
            get(download_invitation),
        ),
        route(Method::GET, "/challenges/{id}/respond", get(show_respond)),
        route(Method::POST, "/challenges/{id}/respond", post(respond)),
        route(Method::GET, "/my-challenges", get(show_my_challenges)),
    ]
}

const NAV: &str = "/challenges";

fn runs_scheme(visitor: &Visitor) -> bool {
    domain::authorise(visitor.principal.as_ref(), &Action::ComposeTeam).is_ok()
}

// ---- The team page --------------------------------------------------------------------

struct MemberRow {
    name: String,
    seat: String,
    status: &'static str,
    tag: &'static str,
    why: String,
    answer: Option<String>,
}

struct SeatChoice {
    seat_id: String,
    label: String,
    candidates: Vec<SelectItem>,
}

/// One theme of the challenge across the team: each member's level, and whether someone
/// knows it well.
struct CoverageRow {
    theme: String,
    levels: Vec<&'static str>,
    covered: bool,
}

/// The challenge's themes × the members holding seats.
struct Coverage {
    members: Vec<String>,
    rows: Vec<CoverageRow>,
}

async fn coverage(
    state: &AppState,
    loaded: &LoadedChallenge,
) -> Result<Option<Coverage>, AppError> {
    let mut themes: Vec<domain::ThemeCode> = loaded
        .record
        .kloes
        .iter()
        .flat_map(|k| k.themes.iter().cloned())
        .collect();
    themes.sort();
    themes.dedup();
    let seated: Vec<&TeamMember> = loaded
        .team
        .iter()
        .filter(|m| m.status.holds_seat())
        .collect();
    if themes.is_empty() || seated.is_empty() {
        return Ok(None);
    }
    let labels = state.store.themes().await?;
    let mut profiles = Vec::new();
    for member in &seated {
        profiles.push(state.store.pool_member(member.member).await?);
    }
    let rows = themes
        .iter()
        .map(|code| {
            let levels: Vec<Option<domain::pool::ExpertiseLevel>> = profiles
                .iter()
                .map(|p| {
                    p.as_ref().and_then(|p| {
                        p.profile
                            .expertise
                            .iter()
                            .find(|(c, _)| c == code)
                            .map(|(_, level)| *level)
                    })
                })
                .collect();
            CoverageRow {
                theme: labels
                    .iter()
                    .find(|t| &t.code == code)
                    .map_or_else(|| code.to_string(), |t| t.label.clone()),
                covered: levels
                    .iter()
                    .any(|l| l.is_some_and(|l| l >= domain::pool::ExpertiseLevel::Strong)),
                levels: levels
                    .iter()
                    .map(|l| l.map_or("", domain::pool::ExpertiseLevel::label))
                    .collect(),
            }
        })
        .collect();
    Ok(Some(Coverage {
        members: seated.iter().map(|m| m.name.clone()).collect(),
        rows,
    }))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/team.html")]
pub struct TeamPage {
    chrome: Chrome,
    banner: Option<crate::components::NotificationBanner>,
    refusal: Option<String>,
    id: String,
    heading: String,
    state: &'static str,
    members: Vec<MemberRow>,
    proposal: Option<Proposal>,
    /// After a change by hand: how the team compares with the engine's proposal.
    comparison: Option<Comparison>,
    coverage: Option<Coverage>,
    warnings: Vec<String>,
    manage: bool,
    /// Whether the team may be changed now, so the diagnosis's actions are offered.
    editable: bool,
    may_propose: bool,
    may_confirm: bool,
    confirm_label: &'static str,
    may_recompose: bool,
    swaps: Vec<SeatChoice>,
    add_roles: Vec<SelectItem>,
    add_candidates: Vec<SelectItem>,
}

fn member_row(member: &TeamMember, manage: bool) -> MemberRow {
    let answer = match member.status {
        MemberStatus::Declined => Some(format!(
            "Declined{}",
            member
                .decline_reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        )),
        MemberStatus::ConflictDeclared => member
            .conflict_details
            .as_ref()
            .map(|d| format!("Declared a conflict: {d}")),
        MemberStatus::Accepted => member.confidentiality_at.map(|at| {
            format!(
                "Accepted and signed the confidentiality undertaking on {}",
                dates::date_time(at)
            )
        }),
        _ => None,
    };
    MemberRow {
        name: member.name.clone(),
        seat: format!(
            "{}{}",
            member.seat_role.label(),
            if member.shadowing { " (shadowing)" } else { "" }
        ),
        status: member.status.label(),
        tag: member.status.tag_class(),
        why: if manage {
            member.reasons.clone()
        } else {
            String::new()
        },
        answer: if manage { answer } else { None },
    }
}

fn candidates(picker: &SeatPicker, role: SeatRole, shadowing: bool) -> Vec<SelectItem> {
    std::iter::once(SelectItem {
        value: String::new(),
        text: "Choose someone".into(),
        selected: true,
    })
    .chain(
        picker
            .options(role, shadowing)
            .into_iter()
            .map(|option| SelectItem {
                value: option.member.to_string(),
                text: option.text,
                selected: false,
            }),
    )
    .collect()
}

async fn team_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    banner: Option<crate::components::NotificationBanner>,
    refusal: Option<String>,
) -> Result<TeamPage, AppError> {
    let record = &loaded.record;
    let manage = runs_scheme(visitor);
    let editable = manage && record.state.may_change_team();
    let shown: Vec<&TeamMember> = loaded
        .team
        .iter()
        .filter(|m| manage || m.status.is_on_team())
        .filter(|m| m.status != MemberStatus::Removed)
        .collect();
    let picker = if editable {
        Some(
            SeatPicker::load(&state.store, record, &loaded.team, state.today())
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?,
        )
    } else {
        None
    };
    let pool = if editable {
        state
            .store
            .search_pool(&PoolFilter {
                status: Some(PoolStatus::Active),
                ..PoolFilter::default()
            })
            .await?
    } else {
        Vec::new()
    };
    let warnings = if editable && loaded.team.iter().any(|m| m.status.holds_seat()) {
        check_team(
            &state.store,
            record,
            &loaded.team,
            state.today(),
            state.settings.max_per_authority,
        )
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    } else {
        Vec::new()
    };
    let proposed = loaded
        .team
        .iter()
        .any(|m| m.status == MemberStatus::Proposed);
    let freed = loaded.team.iter().any(|m| {
        matches!(
            m.status,
            MemberStatus::Declined | MemberStatus::ConflictDeclared
        )
    });
    let proposal: Option<Proposal> = if manage {
        record
            .proposal
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    } else {
        None
    };
    let comparison = match &proposal {
        Some(proposal) => {
            compare_with_engine(&state.store, record, &loaded.team, proposal, state.today()).await?
        }
        None => None,
    };
    Ok(TeamPage {
        chrome: Chrome::new(visitor, format!("Team: {}", record.reference), NAV)
            .with_errors(refusal.is_some()),
        banner,
        refusal,
        id: record.id.to_string(),
        heading: loaded.title(),
        state: record.state.label(),
        members: shown.iter().map(|m| member_row(m, manage)).collect(),
        proposal,
        comparison,
        coverage: if manage {
            coverage(state, loaded).await?
        } else {
            None
        },
        warnings,
        manage,
        editable,
        may_propose: editable && !record.visit_days.is_empty() && record.kloes_agreed(),
        may_confirm: editable && proposed,
        confirm_label: if record.state == ChallengeState::TeamProposed {
            "Confirm the team and send invitations"
        } else {
            "Send invitations to the new members"
        },
        may_recompose: editable && freed,
        swaps: if editable {
            shown
                .iter()
                .filter(|m| m.status.holds_seat())
                .map(|m| SeatChoice {
                    seat_id: m.id.to_string(),
                    label: format!(
                        "Replace {} ({})",
                        m.name,
                        m.seat_role.label().to_lowercase()
                    ),
                    candidates: picker
                        .as_ref()
                        .map(|p| candidates(p, m.seat_role, m.shadowing))
                        .unwrap_or_default(),
                })
                .collect()
        } else {
            Vec::new()
        },
        add_roles: SeatRole::ALL
            .iter()
            .map(|r| SelectItem {
                value: r.code().to_owned(),
                text: r.label().to_owned(),
                selected: false,
            })
            .collect(),
        add_candidates: if editable {
            pool.iter()
                .filter(|m| {
                    !loaded
                        .team
                        .iter()
                        .any(|t| t.member == m.id && t.status.holds_seat())
                        && m.profile.home
                            != domain::pool::HomeArea::Authority(record.authority.clone())
                })
                .map(|m| SelectItem {
                    value: m.id.to_string(),
                    text: format!("{} ({})", m.profile.name, m.profile.reviewer_type.label()),
                    selected: false,
                })
                .collect()
        } else {
            Vec::new()
        },
    })
}

fn may_see_team(visitor: &Visitor, loaded: &LoadedChallenge) -> Result<(), AppError> {
    if runs_scheme(visitor) || loaded.membership.is_some() {
        return Ok(());
    }
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    Ok(())
}

pub async fn show_team(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<TeamPage, AppError> {
    may_see_team(&visitor, &loaded)?;
    let banner = match notice.notice.as_str() {
        "proposed" => Some("The engine has proposed a team"),
        "changed" => Some("The team has been changed"),
        "invited" => Some("The invitations have been sent"),
        "asked" => Some("Your email asking them to travel there has been sent"),
        _ => None,
    }
    .map(crate::components::NotificationBanner::success);
    team_page(&state, &visitor, &loaded, banner, None).await
}

pub(crate) async fn refuse(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    message: String,
) -> Result<Response, AppError> {
    let page = team_page(state, visitor, loaded, None, Some(message)).await?;
    Ok((StatusCode::CONFLICT, page).into_response())
}

async fn propose(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    minimise_changes: bool,
) -> Result<Response, AppError> {
    match services::team::propose_team(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        &loaded.team,
        minimise_changes,
        state.today(),
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "{}/team?notice=proposed",
            loaded.href()
        ))),
        Err(why) => refuse(state, visitor, loaded, refused(why)?).await,
    }
}

pub async fn propose_team(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    propose(&state, &visitor, &loaded, false).await
}

/// After a decline or a declared conflict: keep everyone else, change as few seats as possible.
pub async fn recompose_team(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    propose(&state, &visitor, &loaded, true).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    seat: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    role: String,
}

fn parse_member(raw: &str) -> Option<PoolMemberId> {
    raw.parse().ok()
}

/// Swap one person for another in the same seat.
pub async fn swap_member(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let seat = form.seat.parse::<TeamMemberId>().ok().and_then(|seat| {
        loaded
            .team
            .iter()
            .find(|m| m.id == seat && m.status.holds_seat())
    });
    let (Some(seat), Some(member)) = (seat, parse_member(&form.member)) else {
        return refuse(
            &state,
            &visitor,
            &loaded,
            "Choose the person to put in the seat".into(),
        )
        .await;
    };
    if !loaded.record.state.may_change_team() {
        return refuse(
            &state,
            &visitor,
            &loaded,
            "The team can no longer be changed at this stage".into(),
        )
        .await;
    }
    let new_seat = NewTeamMember {
        member,
        seat_role: seat.seat_role,
        shadowing: seat.shadowing,
        reasons: "Chosen by the project manager.".into(),
    };
    state
        .store
        .add_team_member(
            principal,
            loaded.record.id,
            &new_seat,
            Some(seat.id),
            Utc::now(),
        )
        .await?;
    Ok(see_other(&format!("{}/team?notice=changed", loaded.href())))
}

/// Add someone to a seat of a role (for a seat the engine could not fill, or an extra one).
pub async fn add_member(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let (Some(role), Some(member)) = (SeatRole::parse(&form.role), parse_member(&form.member))
    else {
        return refuse(
            &state,
            &visitor,
            &loaded,
            "Choose a seat and the person to put in it".into(),
        )
        .await;
    };
    if !loaded.record.state.may_change_team() {
        return refuse(
            &state,
            &visitor,
            &loaded,
            "The team can no longer be changed at this stage".into(),
        )
        .await;
    }
    let seat = NewTeamMember {
        member,
        seat_role: role,
        shadowing: false,
        reasons: "Added by the project manager.".into(),
    };
    state
        .store
        .add_team_member(principal, loaded.record.id, &seat, None, Utc::now())
        .await?;
    Ok(see_other(&format!("{}/team?notice=changed", loaded.href())))
}

pub async fn remove_member(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let Some(seat) = form
        .seat
        .parse::<TeamMemberId>()
        .ok()
        .filter(|seat| loaded.team.iter().any(|m| m.id == *seat))
    else {
        return refuse(
            &state,
            &visitor,
            &loaded,
            "Choose the person to take off the team".into(),
        )
        .await;
    };
    state
        .store
        .remove_team_member(principal, seat, Utc::now())
        .await?;
    Ok(see_other(&format!("{}/team?notice=changed", loaded.href())))
}

/// Confirm the team: every proposed seat is invited (an email with a calendar invitation each).
/// Nobody hears of a proposal before this (`services::team::confirm_team`).
#[derive(Debug, Default, Deserialize)]
pub struct ConfirmForm {
    /// Why the project manager confirms a team that breaks a composition rule.
    #[serde(default)]
    override_reason: String,
}

pub async fn confirm_team(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    match services::team::confirm_team(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        &loaded.team,
        &form.override_reason,
        state.today(),
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("{}/team?notice=invited", loaded.href()))),
        Err(why) => refuse(&state, &visitor, &loaded, refused(why)?).await,
    }
}

// ---- The invitation -------------------------------------------------------------------

pub async fn download_invitation(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewChallenge(loaded.access.clone()))?;
    if loaded.record.visit_days.is_empty() {
        return Err(AppError::NotFound);
    }
    let ics = calendar(
        CalendarMethod::Publish,
        &services::team::visit_events(
            &state.settings,
            &loaded.record,
            loaded.membership.as_ref(),
            Utc::now(),
        ),
    );
    let disposition = format!("attachment; filename=\"{}.ics\"", loaded.record.reference);
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            ),
        ],
        ics,
    )
        .into_response())
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ResponseForm {
    #[serde(default)]
    response: String,
    #[serde(default)]
    conflict: String,
    #[serde(default)]
    conflict_details: String,
    #[serde(default)]
    confidentiality: String,
    #[serde(default)]
    decline_reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/respond.html")]
pub struct RespondPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: String,
    heading: String,
    seat: String,
    days: String,
    response: Radios,
    conflict: Radios,
    conflict_details: Textarea,
    confidentiality_checked: bool,
    confidentiality_error: Option<String>,
    decline_reason: Textarea,
}

fn respond_page(
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    seat: &TeamMember,
    form: &ResponseForm,
    errors: &FormErrors,
) -> RespondPage {
    let mut details = Textarea::new("conflict_details", "Describe the conflict", &form.conflict_details)
        .hint("For example, a recent employer, a family member, or a case of your own in this area. Do not name a child.")
        .limit(DECLARATION_LIMIT)
        .errors(errors);
    details.rows = 3;
    let mut reason = Textarea::new(
        "decline_reason",
        "Why can you not take part? (optional)",
        &form.decline_reason,
    )
    .limit(DECLARATION_LIMIT)
    .errors(errors);
    reason.rows = 3;
    RespondPage {
        chrome: Chrome::new(
            visitor,
            format!("Your invitation: {}", loaded.record.reference),
            "/my-challenges",
        )
        .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: loaded.record.id.to_string(),
        heading: loaded.title(),
        seat: seat.seat_role.label().to_owned(),
        days: loaded
            .record
            .visit_days
            .iter()
            .map(|d| dates::date(*d))
            .collect::<Vec<_>>()
            .join(" and "),
        response: Radios::new(
            "response",
            "Can you take part?",
            &[("accept", "Yes, I accept"), ("decline", "No, I decline")],
            &form.response,
        )
        .errors(errors),
        conflict: Radios::new(
            "conflict",
            "Conflict of interest (if you accept)",
            &[
                (
                    "none",
                    "I have no conflict of interest with this local area",
                ),
                ("conflict", "I have a conflict of interest to declare"),
            ],
            &form.conflict,
        )
        .hint("The project manager decides what happens if you declare one.")
        .errors(errors),
        conflict_details: details,
        confidentiality_checked: form.confidentiality == "agreed",
        confidentiality_error: errors.get("confidentiality"),
        decline_reason: reason,
    }
}

fn invited_seat(loaded: &LoadedChallenge) -> Result<TeamMember, AppError> {
    loaded
        .membership
        .clone()
        .filter(|m| m.status == MemberStatus::Invited)
        .ok_or(AppError::NotFound)
}

pub async fn show_respond(
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<RespondPage, AppError> {
    visitor.authorise(&Action::ViewOwnChallenges)?;
    visitor.authorise(&Action::ViewChallenge(loaded.access.clone()))?;
    let seat = invited_seat(&loaded)?;
    Ok(respond_page(
        &visitor,
        &loaded,
        &seat,
        &ResponseForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn respond(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<ResponseForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewOwnChallenges)?;
    visitor.authorise(&Action::ViewChallenge(loaded.access.clone()))?;
    let seat = invited_seat(&loaded)?;
    let answers = ResponseAnswers {
        response: form.response.clone(),
        conflict: form.conflict.clone(),
        conflict_details: form.conflict_details.clone(),
        confidentiality: form.confidentiality.clone(),
        decline_reason: form.decline_reason.clone(),
    };
    let response = match answers.check() {
        Ok(response) => response,
        Err(problems) => {
            let errors = FormErrors::from_problems(problems);
            let page = respond_page(&visitor, &loaded, &seat, &form, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match services::team::answer_invitation(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        &seat,
        &response,
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other("/my-challenges?notice=answered")),
        Err(why) => {
            let mut errors = FormErrors::default();
            errors.add("response", refused(why)?);
            let page = respond_page(&visitor, &loaded, &seat, &form, &errors);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

// ---- My challenges --------------------------------------------------------------------

struct MySeatRow {
    challenge: ChallengeRow,
    seat: String,
    status: &'static str,
    tag: &'static str,
    respond_href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/mine.html")]
pub struct MyChallengesPage {
    chrome: Chrome,
    banner: Option<crate::components::NotificationBanner>,
    rows: Vec<MySeatRow>,
}

pub async fn show_my_challenges(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(notice): Query<Notice>,
) -> Result<MyChallengesPage, AppError> {
    let principal = visitor.authorise(&Action::ViewOwnChallenges)?;
    let seats = state.store.seats_of_user(principal.user_id).await?;
    Ok(MyChallengesPage {
        chrome: Chrome::new(&visitor, "My challenges", "/my-challenges"),
        banner: (notice.notice == "answered").then(|| {
            crate::components::NotificationBanner::success(
                "Thank you: your answer has been sent to the project manager",
            )
        }),
        rows: seats
            .iter()
            .filter(|(_, seat)| seat.status != MemberStatus::Removed)
            .map(|(summary, seat)| MySeatRow {
                challenge: ChallengeRow::from(summary),
                seat: seat.seat_role.label().to_owned(),
                status: seat.status.label(),
                tag: seat.status.tag_class(),
                respond_href: (seat.status == MemberStatus::Invited)
                    .then(|| format!("/challenges/{}/respond", summary.id)),
            })
            .collect(),
    })
}
