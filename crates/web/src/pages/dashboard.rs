//! The signed-in home page: for each role the person holds, what it has to do now.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::Utc;
use domain::application::ApplicationStatus;
use domain::pool::MemberStatus;
use domain::{Action, Role};
use store::{OutboxStatus, PoolFilter};

use crate::pages::Chrome;
use crate::visitor::Visitor;
use crate::{AppError, AppState};

/// One role's part of the dashboard.
struct RoleSection {
    heading: String,
    intro: String,
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
    let principal = visitor.authorise(&Action::ViewDashboard)?;
    let mut sections = Vec::new();
    for role in principal.roles() {
        let section = match role {
            Role::Coordinator => coordinator_section(&state).await?,
            Role::ProjectManager => RoleSection {
                heading: "Project manager".into(),
                intro: "You run the pool of reviewers and convene challenge teams.".into(),
                tasks: pool_tasks(&state).await?,
            },
            Role::LaLead => lead_section(&state, principal.led_authorities().cloned().collect()).await?,
            Role::Reviewer => RoleSection {
                heading: "Reviewer".into(),
                intro: "You are not on a challenge team at the moment. The project manager will contact you when a team needs you.".into(),
                tasks: vec![Task::new(
                    "My profile",
                    "/my-profile",
                    "Keep your contact details, areas of expertise and dates you cannot do up to date.",
                )],
            },
            Role::Board => RoleSection {
                heading: "Regional board".into(),
                intro: "You monitor every area's progress against its next steps.".into(),
                tasks: vec![
                    progress_task(&state, None, "Progress across the region", "/progress".into()).await?,
                    Task::new("Local authorities", "/authorities", "The ten East Midlands authorities."),
                ],
            },
        };
        sections.push(section);
    }
    Ok(DashboardPage {
        chrome: Chrome::new(&visitor, "Dashboard", "/dashboard"),
        name: principal.name.clone(),
        sections,
    })
}

/// The pool's work: applications waiting for a decision, the pool itself and training demand.
async fn pool_tasks(state: &AppState) -> Result<Vec<Task>, AppError> {
    let to_review = state
        .store
        .applications(&[ApplicationStatus::Submitted])
        .await?
        .len();
    let active = state
        .store
        .search_pool(&PoolFilter {
            status: Some(MemberStatus::Active),
            ..PoolFilter::default()
        })
        .await?
        .len();
    let demand = state.store.training_demand(Utc::now()).await?;
    let applications = match to_review {
        0 => "No applications are waiting for a decision.".to_owned(),
        1 => "1 application is waiting for a decision.".to_owned(),
        n => format!("{n} applications are waiting for a decision."),
    };
    let training = match (demand.waiting, demand.longest_wait_days) {
        (0, _) => "Nobody is waiting for training.".to_owned(),
        (waiting, Some(days)) => {
            format!("{waiting} waiting for training, the longest for {days} days.")
        }
        (waiting, None) => format!("{waiting} waiting for training."),
    };
    Ok(vec![
        Task::new(
            "Applications to the pool",
            "/pool/applications",
            applications,
        ),
        Task::new(
            "Reviewer pool",
            "/pool",
            format!("{active} active members."),
        ),
        Task::new("Training", "/training", training),
    ])
}

async fn coordinator_section(state: &AppState) -> Result<RoleSection, AppError> {
    let staff = state.store.staff().await?;
    let awaiting = staff.iter().filter(|member| !member.has_password).count();
    let failed = state
        .store
        .outbox_emails(500)
        .await?
        .iter()
        .filter(|email| email.status == OutboxStatus::Failed)
        .count();
    let guidance = state.store.guidance_versions().await?;
    let mut tasks = vec![Task::new(
        "Staff accounts",
        "/admin/staff",
        match awaiting {
            0 => format!(
                "{} accounts. Every invitation has been accepted.",
                staff.len()
            ),
            1 => format!(
                "{} accounts. 1 invitation has not been accepted yet.",
                staff.len()
            ),
            n => format!(
                "{} accounts. {n} invitations have not been accepted yet.",
                staff.len()
            ),
        },
    )];
    if failed > 0 {
        tasks.push(Task::new(
            "Emails that could not be sent",
            "/admin/outbox",
            format!("{failed} need checking."),
        ));
    }
    tasks.push(Task::new(
        "Guidance document",
        "/admin/guidance",
        if guidance.is_empty() {
            "Not published yet: publish it so the public can download it."
        } else {
            "Published."
        },
    ));
    tasks.push(
        progress_task(
            state,
            None,
            "Progress across the region",
            "/progress".into(),
        )
        .await?,
    );
    tasks.push(Task::new(
        "Audit log",
        "/admin/audit",
        "Every change, who made it and when.",
    ));
    Ok(RoleSection {
        heading: "Regional SEND co-ordinator".into(),
        intro: "You run the scheme across the region.".into(),
        tasks,
    })
}

async fn lead_section(
    state: &AppState,
    led: Vec<domain::AuthoritySlug>,
) -> Result<RoleSection, AppError> {
    let authorities = state.store.authorities().await?;
    let mut tasks = Vec::new();
    for authority in authorities
        .iter()
        .filter(|authority| led.contains(&authority.slug))
    {
        tasks.push(Task::new(
            authority.name.clone(),
            format!("/authorities/{}", authority.slug),
            format!("Your local area, with {}.", authority.nhs_board),
        ));
        tasks.push(
            progress_task(
                state,
                Some(&authority.slug),
                &format!("{}: next steps", authority.name),
                format!("/progress/areas/{}", authority.slug),
            )
            .await?,
        );
    }
    Ok(RoleSection {
        heading: "Local area lead".into(),
        intro: "You request challenges for your area and keep its next steps up to date.".into(),
        tasks,
    })
}

/// The next steps to watch: how many actions are open and how many of those are overdue.
async fn progress_task(
    state: &AppState,
    area: Option<&domain::AuthoritySlug>,
    title: &str,
    href: String,
) -> Result<Task, AppError> {
    let actions = state.store.actions(area).await?;
    let today = crate::pages::challenges::today();
    let open = actions.iter().filter(|a| a.entry.rag.is_open()).count();
    let overdue = actions.iter().filter(|a| a.entry.is_overdue(today)).count();
    let summary = match (open, overdue) {
        (0, _) => "No open actions.".to_owned(),
        (open, 0) => format!("{open} open action(s), none overdue."),
        (open, overdue) => format!("{open} open action(s), {overdue} overdue."),
    };
    Ok(Task::new(title.to_owned(), href, summary))
}
