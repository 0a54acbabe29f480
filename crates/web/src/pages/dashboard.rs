//! The signed-in home page: for each role the person holds, what it has to do now.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::Method;
use axum::routing::get;
use chrono::Utc;
use services::dashboard::{CoordinatorWork, LeadWork, ProjectManagerWork, ReturnToSend, RoleWork};
use store::{ActionCounts, NextStepsDue, WorkItem, WorkTask};

use crate::dates;
use crate::pages::Chrome;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

/// Every route of the dashboard, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![route(Method::GET, "/dashboard", get(show_dashboard))]
}

/// One role's part of the dashboard: what waits on them now, each item linking to where it
/// is done, then the pages they keep coming back to.
struct RoleSection {
    heading: String,
    intro: String,
    todo: Vec<Task>,
    tasks: Vec<Task>,
}

struct Task {
    text: String,
    href: String,
    detail: String,
}

impl Task {
    fn new(text: impl Into<String>, href: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: href.into(),
            detail: detail.into(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/dashboard.html")]
pub struct DashboardPage {
    chrome: Chrome,
    name: String,
    sections: Vec<RoleSection>,
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<DashboardPage, AppError> {
    let dashboard = services::dashboard::dashboard(
        &state.store,
        &state.views,
        visitor.principal.as_ref(),
        state.today(),
        Utc::now(),
    )
    .await?;
    Ok(DashboardPage {
        chrome: Chrome::new(&visitor, "Dashboard", "/dashboard"),
        name: dashboard.name,
        sections: dashboard.roles.into_iter().map(section).collect(),
    })
}

/// One role's part, worded and linked.
fn section(role: RoleWork) -> RoleSection {
    match role {
        RoleWork::Coordinator(work) => coordinator_section(work),
        RoleWork::ProjectManager(work) => RoleSection {
            heading: "Project manager".into(),
            intro: "You run the pool of reviewers and convene challenge teams.".into(),
            todo: to_do(&work.to_do),
            tasks: pool_tasks(&work),
        },
        RoleWork::LaLead(work) => lead_section(work),
        RoleWork::Reviewer(work) => {
            let todo = to_do(&work.to_do);
            RoleSection {
                heading: "Reviewer".into(),
                intro: match (todo.is_empty(), work.on_a_team) {
                    (false, _) => "Your challenges: what waits on you now.".into(),
                    (true, true) => "Nothing waits on you at the moment. Your challenges are under My challenges.".into(),
                    (true, false) => "You are not on a challenge team at the moment. The project manager will contact you when a team needs you.".into(),
                },
                todo,
                tasks: vec![
                    Task::new(
                        "My challenges",
                        "/my-challenges",
                        "Every challenge you have been invited to, and your answers.",
                    ),
                    Task::new(
                        "My profile",
                        "/my-profile",
                        "Keep your contact details, areas of expertise and dates you cannot do up to date.",
                    ),
                ],
            }
        }
        RoleWork::Board(work) => RoleSection {
            heading: "Regional board".into(),
            intro: "You monitor every area's progress against its next steps.".into(),
            todo: work
                .overdue_areas
                .into_iter()
                .map(|area| {
                    Task::new(
                        format!("{}: overdue actions", area.authority_name),
                        format!("/progress/areas/{}", area.authority),
                        match area.overdue {
                            1 => "1 action is past its due date.".to_owned(),
                            n => format!("{n} actions are past their due date."),
                        },
                    )
                })
                .collect(),
            tasks: vec![
                progress_task(
                    work.region_actions,
                    "Progress across the region",
                    "/progress".into(),
                ),
                Task::new(
                    "Local authorities",
                    "/authorities",
                    "The ten East Midlands authorities.",
                ),
            ],
        },
    }
}

/// The pool's work: applications waiting for a decision, the pool itself and training demand.
fn pool_tasks(work: &ProjectManagerWork) -> Vec<Task> {
    let applications = match work.applications_waiting {
        0 => "No applications are waiting for a decision.".to_owned(),
        1 => "1 application is waiting for a decision.".to_owned(),
        n => format!("{n} applications are waiting for a decision."),
    };
    let training = match (work.training.waiting, work.training.longest_wait_days) {
        (0, _) => "Nobody is waiting for training.".to_owned(),
        (waiting, Some(days)) => {
            format!("{waiting} waiting for training, the longest for {days} days.")
        }
        (waiting, None) => format!("{waiting} waiting for training."),
    };
    vec![
        Task::new(
            "Applications to the pool",
            "/pool/applications",
            applications,
        ),
        Task::new(
            "Reviewer pool",
            "/pool",
            format!("{} active members.", work.active_members),
        ),
        Task::new("Training", "/training", training),
    ]
}

fn coordinator_section(work: CoordinatorWork) -> RoleSection {
    let accounts = work.accounts;
    let mut tasks = vec![Task::new(
        "Staff accounts",
        "/admin/staff",
        match work.invitations_waiting {
            0 => format!("{accounts} accounts. Every invitation has been accepted."),
            1 => format!("{accounts} accounts. 1 invitation has not been accepted yet."),
            n => format!("{accounts} accounts. {n} invitations have not been accepted yet."),
        },
    )];
    if work.failed_emails > 0 {
        tasks.push(Task::new(
            "Emails that could not be sent",
            "/admin/outbox",
            format!("{} need checking.", work.failed_emails),
        ));
    }
    tasks.push(Task::new(
        "Guidance document",
        "/admin/guidance",
        if work.guidance_published {
            "Published."
        } else {
            "Not published yet: publish it so the public can download it."
        },
    ));
    tasks.push(progress_task(
        work.region_actions,
        "Progress across the region",
        "/progress".into(),
    ));
    tasks.push(Task::new(
        "Audit log",
        "/admin/audit",
        "Every change, who made it and when.",
    ));
    let mut todo = to_do(&work.to_do);
    todo.extend(work.overdue_returns.iter().map(|late| {
        Task::new(
            format!("{}: {} overdue", late.activity.title, late.kind.label()),
            "/returns",
            format!("Not sent yet by {}.", late.areas.join(", ")),
        )
    }));
    RoleSection {
        heading: "Regional SEND co-ordinator".into(),
        intro: "You run the scheme across the region.".into(),
        todo,
        tasks,
    }
}

fn lead_section(work: LeadWork) -> RoleSection {
    let mut tasks = Vec::new();
    for (authority, counts) in work.areas {
        tasks.push(Task::new(
            authority.name.clone(),
            format!("/authorities/{}", authority.slug),
            format!("Your local area, with {}.", authority.nhs_board),
        ));
        tasks.push(progress_task(
            counts,
            &format!("{}: next steps", authority.name),
            format!("/progress/areas/{}", authority.slug),
        ));
    }
    tasks.push(Task::new(
        "Request a challenge",
        "/challenges/new",
        "Ask for a one-day or two-day peer challenge for your area.",
    ));
    let mut todo = to_do(&work.to_do);
    todo.extend(returns_to_send(&work.returns_to_send));
    todo.extend(next_steps_due(&work.next_steps_due));
    RoleSection {
        heading: "Local area lead".into(),
        intro: "You request challenges for your area and keep its next steps up to date.".into(),
        todo,
        tasks,
    }
}

/// The next steps to watch: how many actions are open and how many of those are overdue.
fn progress_task(counts: ActionCounts, title: &str, href: String) -> Task {
    let summary = match (counts.open, counts.overdue) {
        (0, _) => "No open actions.".to_owned(),
        (open, 0) => format!("{open} open action(s), none overdue."),
        (open, overdue) => format!("{open} open action(s), {overdue} overdue."),
    };
    Task::new(title.to_owned(), href, summary)
}

/// The returns the lead's areas have not yet sent, each linked to where it is sent.
fn returns_to_send(owed: &[ReturnToSend]) -> Vec<Task> {
    owed.iter()
        .map(|to_send| {
            let owed = &to_send.owed;
            let detail = if to_send.overdue {
                format!("Overdue: it was due by {}.", dates::date(to_send.due))
            } else {
                format!("Due by {}.", dates::date(to_send.due))
            };
            Task::new(
                format!(
                    "Send your {}: {}",
                    owed.kind.label().to_lowercase(),
                    owed.activity.title
                ),
                format!("/returns/{}", owed.id),
                detail,
            )
        })
        .collect()
}

/// Each activity whose next steps have actions due, linked to where they are updated: a
/// challenge's plan, or the area's progress page for the programme.
fn next_steps_due(due: &[NextStepsDue]) -> Vec<Task> {
    due.iter()
        .map(|item| {
            let href = match item.activity.challenge {
                Some(challenge) => format!("/challenges/{challenge}/actions"),
                None => format!(
                    "/progress/areas/{}?programme={}",
                    item.authority,
                    item.activity.programme.code()
                ),
            };
            let detail = match (item.due_soon, item.overdue) {
                (0, overdue) => format!("{overdue} overdue."),
                (due_soon, 0) => format!("{due_soon} due within a fortnight."),
                (due_soon, overdue) => {
                    format!("{overdue} overdue and {due_soon} due within a fortnight.")
                }
            };
            Task::new(
                format!("Actions due: {}", item.activity.title),
                href,
                detail,
            )
        })
        .collect()
}

/// Each item of a to-do list as a link to the page where it is done.
fn to_do(items: &[WorkItem]) -> Vec<Task> {
    items
        .iter()
        .map(|item| {
            let challenge = format!("/challenges/{}", item.challenge);
            let about = format!("{}, {}", item.reference, item.authority_name);
            let (text, href, detail) = match item.task {
                WorkTask::AnswerInvitation => (
                    format!("Answer your invitation: {about}"),
                    format!("{challenge}/respond"),
                    "Accept or decline your place on the team.".to_owned(),
                ),
                WorkTask::ComingVisit(day) => (
                    format!("Visit to {} on {}", item.authority_name, dates::date(day)),
                    challenge,
                    format!("{}: read the timetable and the pre-reading before the day.", item.reference),
                ),
                WorkTask::RecordEvidence => (
                    format!("Record your evidence: {about}"),
                    format!("{challenge}/evidence"),
                    "The visit is under way: record what you see and hear, and finish any drafts.".to_owned(),
                ),
                WorkTask::CommentOnFindings => (
                    format!("Comment on the findings: {about}"),
                    format!("{challenge}/findings"),
                    "The team is writing its findings: add what you saw.".to_owned(),
                ),
                WorkTask::AgreeKloes => (
                    format!("Agree the KLOEs: {about}"),
                    format!("{challenge}/kloes"),
                    "Draft the key lines of enquiry and agree them with the co-ordinator.".to_owned(),
                ),
                WorkTask::BuildTimetable => (
                    format!("Build the timetable: {about}"),
                    format!("{challenge}/timetable"),
                    "The team is confirmed: plan the visit's activities, then publish the timetable.".to_owned(),
                ),
                WorkTask::CheckReport => (
                    format!("Check the report for accuracy: {about}"),
                    format!("{challenge}/reports"),
                    "A report has been shared with you: comment on anything not factually accurate.".to_owned(),
                ),
                WorkTask::ScopeRequest => (
                    format!("Scope the request: {about}"),
                    challenge,
                    "Read the request, then accept it and start scoping.".to_owned(),
                ),
                WorkTask::ProposeTeam => (
                    format!("Propose a team: {about}"),
                    format!("{challenge}/team"),
                    "Scoping: plan the visit and propose its team.".to_owned(),
                ),
                WorkTask::RecomposeTeam => (
                    format!("Re-compose the team: {about}"),
                    format!("{challenge}/team"),
                    "Someone has declined or declared a conflict: fill their seat.".to_owned(),
                ),
                WorkTask::FinishReport => (
                    format!("Finish the report: {about}"),
                    format!("{challenge}/reports"),
                    "Reporting: share the report with the host and make it final.".to_owned(),
                ),
            };
            Task::new(text, href, detail)
        })
        .collect()
}
