//! The reviewer pool as the co-ordinator and project manager see it (the directory with its
//! filters and exports, and each member's profile), and a reviewer's own profile, which they
//! keep up to date themselves.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Months, NaiveDate, Utc};
use documents::csv::CsvTable;
use documents::xlsx::{Cell, Sheet, workbook};
use domain::pool::profile::{
    Addressing, DateAnswer, PeriodAnswer, ProfileAnswers, ProfileChoices, TravelAnswers,
};
use domain::pool::{
    CONFLICT_REASON_LIMIT, ConflictAnswer, DateProblem, DateRange, ExpertiseLevel, HomeArea,
    MemberProfile, MemberStatus, PhoneNumber, ReviewerType, parse_date_parts,
};
use domain::{
    Action, AuditEvent, AuditObject, AuthoritySlug, PersonName, PoolMemberId, ThemeCode, authorise,
};
use serde::Deserialize;
use store::{AuditEntry, Authority, HomeFilter, PoolFilter, PoolMember, Theme};

use crate::components::{
    CheckboxItem, Checkboxes, DateInput, ErrorSummary, NotificationBanner, Radios, Select,
    SelectItem, TextInput,
};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of the pool of reviewers, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/pool", get(show_directory)),
        route(Method::GET, "/pool.csv", get(download_csv)),
        route(Method::GET, "/pool.xlsx", get(download_xlsx)),
        route(Method::GET, "/pool/members/{id}", get(show_member)),
        route(
            Method::POST,
            "/pool/members/{id}/status",
            post(change_member_status),
        ),
        route(
            Method::POST,
            "/pool/members/{id}/trained",
            post(mark_member_trained),
        ),
        route(
            Method::POST,
            "/pool/members/{id}/travel",
            post(change_member_travel),
        ),
        route(Method::GET, "/my-profile", get(show_my_profile)),
        route(Method::GET, "/my-profile/edit", get(show_edit_my_profile)),
        route(Method::POST, "/my-profile/edit", post(edit_my_profile)),
        route(Method::POST, "/my-profile/status", post(change_my_status)),
    ]
}

fn invalid(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

// ---- Names for codes ----------------------------------------------------------------

/// Authorities and themes by name, as people read them.
struct Names {
    authorities: Vec<Authority>,
    themes: Vec<Theme>,
    today: NaiveDate,
}

impl Names {
    async fn load(state: &AppState) -> Result<Self, AppError> {
        Ok(Self {
            authorities: state.store.authorities().await?,
            themes: state.store.themes().await?,
            today: state.today(),
        })
    }

    fn authority(&self, slug: &AuthoritySlug) -> String {
        self.authorities
            .iter()
            .find(|authority| &authority.slug == slug)
            .map_or_else(|| slug.to_string(), |authority| authority.name.clone())
    }

    fn current_slugs(&self) -> Vec<AuthoritySlug> {
        self.current_authorities().map(|a| a.slug.clone()).collect()
    }

    fn current_names(&self) -> Vec<(AuthoritySlug, String)> {
        self.current_authorities()
            .map(|a| (a.slug.clone(), a.name.clone()))
            .collect()
    }

    fn current_authorities(&self) -> impl Iterator<Item = &Authority> {
        self.authorities
            .iter()
            .filter(|authority| authority.is_current(self.today))
    }

    fn theme(&self, code: &ThemeCode) -> String {
        self.themes
            .iter()
            .find(|theme| &theme.code == code)
            .map_or_else(|| code.to_string(), |theme| theme.label.clone())
    }

    fn home(&self, home: &HomeArea) -> String {
        match home {
            HomeArea::Authority(slug) => self.authority(slug),
            HomeArea::OutsideRegion(region) if region.trim().is_empty() => {
                "Outside the East Midlands".into()
            }
            HomeArea::OutsideRegion(region) => format!("Outside the East Midlands ({region})"),
        }
    }
}

fn status_tag_class(status: MemberStatus) -> &'static str {
    match status {
        MemberStatus::Active => "govuk-tag--green",
        MemberStatus::Paused => "govuk-tag--yellow",
        MemberStatus::Left => "govuk-tag--grey",
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "Yes" } else { "No" }
}

/// A theme and, where it covers a theme on a team, how deep the knowledge goes.
struct ThemeTag {
    label: String,
    level: &'static str,
    strong: bool,
}

fn theme_tags(names: &Names, expertise: &[(ThemeCode, ExpertiseLevel)]) -> Vec<ThemeTag> {
    let mut tags: Vec<ThemeTag> = expertise
        .iter()
        .map(|(code, level)| ThemeTag {
            label: names.theme(code),
            level: level.code(),
            strong: level.covers_a_theme(),
        })
        .collect();
    // Strong and specialist knowledge first: that is what a team needs.
    tags.sort_by_key(|tag| !tag.strong);
    tags
}

// ---- The directory ------------------------------------------------------------------

struct DirectoryRow {
    href: String,
    name: String,
    kind: &'static str,
    home: String,
    trained: String,
    themes: Vec<ThemeTag>,
    status: &'static str,
    status_class: &'static str,
}

impl DirectoryRow {
    fn new(member: &PoolMember, names: &Names) -> Self {
        let profile = &member.profile;
        let trained = match (profile.trained_on, profile.needs_training) {
            (Some(on), _) => format!("Yes ({})", dates::date(on)),
            (None, true) => "No, waiting for training".into(),
            (None, false) => "No".into(),
        };
        Self {
            href: format!("/pool/members/{}", member.id),
            name: profile.name.to_string(),
            kind: profile.reviewer_type.label(),
            home: names.home(&profile.home),
            trained,
            themes: theme_tags(names, &profile.expertise),
            status: member.status.label(),
            status_class: status_tag_class(member.status),
        }
    }
}

/// The directory's filters as typed: every field is kept as text, so a bad date is shown
/// back with its message and the URL stays shareable.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DirectoryQuery {
    #[serde(default)]
    reviewer_type: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    min_level: String,
    #[serde(default)]
    home: String,
    #[serde(default)]
    trained: String,
    #[serde(default)]
    available_on: String,
    #[serde(default)]
    travels_to: String,
    /// Absent means active members only; `any` means every status.
    status: Option<String>,
    #[serde(default)]
    q: String,
}

impl DirectoryQuery {
    fn status_choice(&self) -> &str {
        self.status
            .as_deref()
            .unwrap_or(MemberStatus::Active.code())
    }

    fn query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("reviewer_type", &self.reviewer_type)
            .append_pair("theme", &self.theme)
            .append_pair("min_level", &self.min_level)
            .append_pair("home", &self.home)
            .append_pair("trained", &self.trained)
            .append_pair("available_on", &self.available_on)
            .append_pair("travels_to", &self.travels_to)
            .append_pair("status", self.status_choice())
            .append_pair("q", &self.q)
            .finish()
    }
}

/// A day typed as 24/11/2026 (or 24-11-2026, 24 Nov 2026, 2026-11-24).
fn parse_typed_day(what: &'static str, input: &str) -> Result<Option<NaiveDate>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = input
        .split(['/', '-', ' ', '.'])
        .filter(|part| !part.is_empty())
        .collect();
    let not_real = || format!("{what} must be a real date, like 24/11/2026");
    let [first, second, third] = parts.as_slice() else {
        return Err(not_real());
    };
    let (day, month, year) = if first.len() == 4 {
        (third, second, first)
    } else {
        (first, second, third)
    };
    parse_date_parts(what, day, month, year)
        .map(Some)
        .map_err(|_| not_real())
}

/// The store's filter for a query, or the errors to show next to its fields.
fn directory_filter(query: &DirectoryQuery, names: &Names) -> Result<PoolFilter, FormErrors> {
    let mut errors = FormErrors::default();
    let theme = ThemeCode::parse(&query.theme)
        .filter(|code| names.themes.iter().any(|theme| &theme.code == code));
    let min_level = ExpertiseLevel::parse(&query.min_level);
    if min_level.is_some() && theme.is_none() {
        errors.add("min_level", "Select a theme to filter by its level");
    }
    let home = match query.home.as_str() {
        "outside" => Some(HomeFilter::OutsideRegion),
        slug => AuthoritySlug::parse(slug)
            .ok()
            .filter(|slug| names.authorities.iter().any(|a| &a.slug == slug))
            .map(HomeFilter::Authority),
    };
    let available_on = errors
        .check("available_on", parse_typed_day("Date", &query.available_on))
        .flatten();
    let status = match query.status_choice() {
        "any" => None,
        code => Some(MemberStatus::parse(code).unwrap_or(MemberStatus::Active)),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PoolFilter {
        reviewer_type: ReviewerType::parse(&query.reviewer_type),
        theme,
        min_level,
        home,
        trained: match query.trained.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        available_on,
        status,
        text: Some(query.q.trim().to_owned()).filter(|text| !text.is_empty()),
        travels_to: AuthoritySlug::parse(&query.travels_to)
            .ok()
            .filter(|slug| names.authorities.iter().any(|a| &a.slug == slug)),
    })
}

fn select(id: &str, label: &str, chosen: &str, items: Vec<(String, String)>) -> Select {
    Select {
        id: id.into(),
        name: id.into(),
        label: label.into(),
        items: items
            .into_iter()
            .map(|(value, text)| SelectItem {
                selected: value == chosen,
                value,
                text,
            })
            .collect(),
        ..Select::default()
    }
}

fn options<'a>(
    any: &str,
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(
            items
                .into_iter()
                .map(|(value, text)| (value.to_owned(), text.to_owned())),
        )
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/pool/directory.html")]
pub struct DirectoryPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    reviewer_type: Select,
    theme: Select,
    min_level: Select,
    home: Select,
    travels_to: Select,
    trained: Select,
    available_on: TextInput,
    status: Select,
    q: TextInput,
    rows: Vec<DirectoryRow>,
    csv_href: String,
    xlsx_href: String,
}

async fn directory_page(
    state: &AppState,
    visitor: &Visitor,
    query: &DirectoryQuery,
    names: &Names,
) -> Result<Response, AppError> {
    let (members, errors) = match directory_filter(query, names) {
        Ok(filter) => (
            state.store.search_pool(&filter).await?,
            FormErrors::default(),
        ),
        Err(errors) => (Vec::new(), errors),
    };
    let query_string = query.query_string();
    let page = DirectoryPage {
        chrome: Chrome::new(visitor, "Reviewer pool", "/pool").with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(&errors)),
        reviewer_type: select(
            "reviewer_type",
            "Type of reviewer",
            &query.reviewer_type,
            options(
                "Any type",
                ReviewerType::ALL.map(|kind| (kind.code(), kind.label())),
            ),
        ),
        theme: select(
            "theme",
            "Theme",
            &query.theme,
            options(
                "Any theme",
                names
                    .themes
                    .iter()
                    .map(|theme| (theme.code.as_str(), theme.label.as_str())),
            ),
        ),
        min_level: Select {
            error: errors.get("min_level"),
            ..select(
                "min_level",
                "Knowledge of the theme",
                &query.min_level,
                options(
                    "Any level",
                    [
                        ("some", "Some knowledge or more"),
                        ("strong", "Strong knowledge or specialist"),
                        ("specialist", "Specialist"),
                    ],
                ),
            )
        },
        home: select(
            "home",
            "Home authority",
            &query.home,
            options(
                "Anywhere",
                names
                    .current_authorities()
                    .map(|authority| (authority.slug.as_str(), authority.name.as_str()))
                    .chain([("outside", "Outside the East Midlands")]),
            ),
        ),
        travels_to: select(
            "travels_to",
            "Travels to",
            &query.travels_to,
            options(
                "Any area",
                names
                    .current_authorities()
                    .map(|authority| (authority.slug.as_str(), authority.name.as_str())),
            ),
        ),
        trained: select(
            "trained",
            "Trained",
            &query.trained,
            options(
                "Trained or not",
                [("yes", "Trained"), ("no", "Not trained yet")],
            ),
        ),
        available_on: TextInput::new("available_on", "Available on")
            .hint("For example, 24/11/2026")
            .classes("govuk-input--width-10")
            .value(&query.available_on)
            .errors(&errors),
        status: select(
            "status",
            "Status",
            query.status_choice(),
            MemberStatus::ALL
                .iter()
                .map(|status| (status.code().to_owned(), status.label().to_owned()))
                .chain([("any".to_owned(), "Any status".to_owned())])
                .collect(),
        ),
        q: TextInput::new("q", "Name, email or organisation")
            .spellcheck(false)
            .value(&query.q),
        rows: members
            .iter()
            .map(|member| DirectoryRow::new(member, names))
            .collect(),
        csv_href: format!("/pool.csv?{query_string}"),
        xlsx_href: format!("/pool.xlsx?{query_string}"),
    };
    Ok(if errors.is_empty() {
        page.into_response()
    } else {
        invalid(page)
    })
}

pub async fn show_directory(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewPool)?;
    let names = Names::load(&state).await?;
    directory_page(&state, &visitor, &query, &names).await
}

// ---- Exports ------------------------------------------------------------------------

const EXPORT_HEADERS: [&str; 16] = [
    "Name",
    "Email",
    "Phone",
    "Type",
    "Organisation",
    "Home",
    "Trained on",
    "Needs training",
    "Online only",
    "Can travel to",
    "Most challenges a year",
    "Themes",
    "Dates they cannot do",
    "Conflicts",
    "Status",
    "Joined",
];

/// One member as the export's cells, dates as dates.
fn export_cells(member: &PoolMember, names: &Names) -> Vec<Cell> {
    let profile = &member.profile;
    let themes = profile
        .expertise
        .iter()
        .map(|(code, level)| format!("{} ({})", names.theme(code), level.code()))
        .collect::<Vec<_>>()
        .join("; ");
    let unavailable = profile
        .unavailable
        .iter()
        .map(DateRange::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    let conflicts = profile
        .conflicts
        .iter()
        .map(|(slug, reason)| format!("{}: {reason}", names.authority(slug)))
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        profile.name.to_string().into(),
        profile.email.to_string().into(),
        profile
            .phone
            .as_ref()
            .map_or("", PhoneNumber::as_str)
            .into(),
        profile.reviewer_type.label().into(),
        profile.organisation.clone().into(),
        names.home(&profile.home).into(),
        profile.trained_on.into(),
        yes_no(profile.needs_training).into(),
        yes_no(profile.online_only).into(),
        travel_text(profile, names).into(),
        i64::from(profile.max_per_year).into(),
        themes.into(),
        unavailable.into(),
        conflicts.into(),
        member.status.label().into(),
        member.joined_at.date_naive().into(),
    ]
}

/// Where someone can travel, for the exports: the areas by name, "Anywhere" when they list
/// none, nothing when they take part online only.
fn travel_text(profile: &MemberProfile, names: &Names) -> String {
    if profile.online_only {
        String::new()
    } else if profile.travel_to.is_empty() {
        "Anywhere".to_owned()
    } else {
        profile
            .travel_to
            .iter()
            .map(|slug| names.authority(slug))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(number) => number.to_string(),
        Cell::Integer(integer) => integer.to_string(),
        // ISO dates in CSV: every spreadsheet reads them as dates, whatever its locale.
        Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
        Cell::Bool(value) => yes_no(*value).to_owned(),
        Cell::Empty => String::new(),
    }
}

#[derive(Clone, Copy)]
enum ExportFormat {
    Csv,
    Xlsx,
}

async fn export(
    state: AppState,
    visitor: Visitor,
    query: DirectoryQuery,
    format: ExportFormat,
) -> Result<Response, AppError> {
    let by = visitor.authorise(&Action::ViewPool)?.user_id;
    let names = Names::load(&state).await?;
    let Ok(filter) = directory_filter(&query, &names) else {
        return directory_page(&state, &visitor, &query, &names).await;
    };
    let members = state.store.search_pool(&filter).await?;
    let rows: Vec<Vec<Cell>> = members
        .iter()
        .map(|member| export_cells(member, &names))
        .collect();
    let today = state.today();
    let (bytes, content_type, extension, label) = match format {
        ExportFormat::Csv => {
            let mut table = CsvTable::new(&EXPORT_HEADERS);
            for row in &rows {
                let cells: Vec<String> = row.iter().map(cell_text).collect();
                table.push_row(cells.iter().map(String::as_str));
            }
            (table.into_bytes(), "text/csv; charset=utf-8", "csv", "CSV")
        }
        ExportFormat::Xlsx => {
            let sheet = Sheet {
                name: "Reviewer pool".into(),
                headers: EXPORT_HEADERS.map(str::to_owned).to_vec(),
                rows,
            };
            let bytes =
                workbook(&[sheet]).map_err(|error| AppError::Internal(error.to_string()))?;
            (
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
                "a spreadsheet",
            )
        }
    };
    // Personal details leaving the service: the log says who took them, and how many.
    state
        .store
        .record(
            AuditEvent::new(
                Some(by),
                "pool.exported",
                AuditObject::new("pool", "directory"),
                format!("Downloaded {} members as {label}", members.len()),
            ),
            Utc::now(),
        )
        .await?;
    let disposition = format!("attachment; filename=\"reviewer-pool-{today}.{extension}\"");
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

pub async fn download_csv(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    export(state, visitor, query, ExportFormat::Csv).await
}

pub async fn download_xlsx(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    export(state, visitor, query, ExportFormat::Xlsx).await
}

// ---- A profile, as its summary lists show it ----------------------------------------

/// Everything on a profile, ready to show.
struct ProfileView {
    name: String,
    email: String,
    phone: String,
    kind: &'static str,
    organisation: String,
    home: String,
    experience: String,
    adjustments: String,
    trained: String,
    needs_training: &'static str,
    online_only: &'static str,
    travel: Vec<String>,
    max_per_year: u8,
    themes: Vec<(String, &'static str)>,
    unavailable: Vec<String>,
    conflicts: Vec<(String, String)>,
    status: &'static str,
    status_class: &'static str,
    joined: String,
    left: Option<String>,
    has_account: bool,
}

impl ProfileView {
    fn new(member: &PoolMember, names: &Names) -> Self {
        let profile = &member.profile;
        Self {
            name: profile.name.to_string(),
            email: profile.email.to_string(),
            phone: profile
                .phone
                .as_ref()
                .map(PhoneNumber::to_string)
                .unwrap_or_default(),
            kind: profile.reviewer_type.label(),
            organisation: profile.organisation.clone(),
            home: names.home(&profile.home),
            experience: profile.experience.clone(),
            adjustments: profile.adjustments.clone(),
            trained: profile
                .trained_on
                .map_or_else(|| "Not yet".to_owned(), dates::date),
            needs_training: yes_no(profile.needs_training),
            online_only: yes_no(profile.online_only),
            travel: profile
                .travel_to
                .iter()
                .map(|slug| names.authority(slug))
                .collect(),
            max_per_year: profile.max_per_year,
            themes: profile
                .expertise
                .iter()
                .map(|(code, level)| (names.theme(code), level.label()))
                .collect(),
            unavailable: profile
                .unavailable
                .iter()
                .map(DateRange::to_string)
                .collect(),
            conflicts: profile
                .conflicts
                .iter()
                .map(|(slug, reason)| (names.authority(slug), reason.clone()))
                .collect(),
            status: member.status.label(),
            status_class: status_tag_class(member.status),
            joined: dates::date(member.joined_at.date_naive()),
            left: member.left_at.map(|at| dates::date(at.date_naive())),
            has_account: member.user.is_some(),
        }
    }
}

struct HistoryRow {
    when: String,
    who: String,
    what: String,
}

impl From<AuditEntry> for HistoryRow {
    fn from(entry: AuditEntry) -> Self {
        Self {
            when: dates::date_time(entry.at),
            who: match (entry.actor_name, entry.actor) {
                (Some(name), _) => name,
                (None, Some(_)) => "A removed account".into(),
                (None, None) => "The system".into(),
            },
            what: entry.summary,
        }
    }
}

// ---- Where a member can travel ------------------------------------------------------

/// The travel questions, showing `answers` and their errors; `you` words them for the member.
fn travel_fields(
    answers: &TravelAnswers,
    names: &Names,
    errors: &FormErrors,
    you: bool,
) -> (Radios, Checkboxes) {
    let online = [
        (
            "no",
            if you {
                "No, I can travel to some areas"
            } else {
                "No, they can travel to some areas"
            },
        ),
        (
            "yes",
            if you {
                "Yes, I can only take part online"
            } else {
                "Yes, they can only take part online"
            },
        ),
    ];
    let mut online_only = Radios::new(
        "online_only",
        if you {
            "Can you only take part online?"
        } else {
            "Can they only take part online?"
        },
        &online,
        &answers.online_only,
    )
    .errors(errors);
    online_only.legend_classes = Some("govuk-fieldset__legend--s");
    let travel = Checkboxes {
        id_prefix: "travel_to".into(),
        name: "travel_to".into(),
        legend: if you {
            "Which areas can you travel to?".into()
        } else {
            "Which areas can they travel to?".into()
        },
        legend_classes: Some("govuk-fieldset__legend--s"),
        hint: Some(
            "Select all that apply. Teams for a visit on site are only drawn from people who travel there."
                .into(),
        ),
        error: errors.get("travel_to"),
        items: names
            .current_authorities()
            .map(|authority| CheckboxItem {
                value: authority.slug.to_string(),
                text: authority.name.clone(),
                hint: None,
                checked: answers
                    .travel_to
                    .iter()
                    .any(|slug| slug == authority.slug.as_str()),
            })
            .collect(),
    };
    (online_only, travel)
}

// ---- A member's page, for the co-ordinator and project manager ----------------------

#[derive(Template, WebTemplate)]
#[template(path = "pages/pool/member.html")]
pub struct MemberPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    id: PoolMemberId,
    profile: ProfileView,
    /// Whether to show a "Change" link on the rows the member edits themselves.
    own: bool,
    can_manage: bool,
    status: Radios,
    trained: DateInput,
    online_only: Radios,
    travel: Checkboxes,
    history: Vec<HistoryRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct MemberNotice {
    updated: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    confirm: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct TrainedForm {
    #[serde(default, rename = "trained-day")]
    day: String,
    #[serde(default, rename = "trained-month")]
    month: String,
    #[serde(default, rename = "trained-year")]
    year: String,
}

const HISTORY_LIMIT: u64 = 50;

// Each form on the page keeps what was typed into it when another is shown back with errors.
#[allow(clippy::too_many_arguments)]
async fn member_page(
    state: &AppState,
    visitor: &Visitor,
    member: &PoolMember,
    banner: Option<NotificationBanner>,
    status_choice: &str,
    trained: &TrainedForm,
    travel: Option<&TravelAnswers>,
    errors: &FormErrors,
) -> Result<MemberPage, AppError> {
    let kept_months = state.settings.retention_months;
    let names = Names::load(state).await?;
    let history = state
        .store
        .pool_member_history(member.id, HISTORY_LIMIT)
        .await?;
    let can_manage = authorise(visitor.principal.as_ref(), &Action::ManagePool).is_ok();
    let status_options: Vec<(&str, &str)> = MemberStatus::ALL
        .iter()
        .map(|status| (status.code(), status.label()))
        .collect();
    let mut status = Radios::new(
        "status",
        "Change their status",
        &status_options,
        status_choice,
    )
    .errors(errors);
    status.legend_classes = Some("govuk-fieldset__legend--m");
    for item in &mut status.items {
        item.hint = match MemberStatus::parse(&item.value) {
            Some(MemberStatus::Active) => Some("Can be asked to join a team.".into()),
            Some(MemberStatus::Paused) => {
                Some("Taking a break: not asked until they return.".into())
            }
            Some(MemberStatus::Left) => Some(format!(
                "No longer in the pool. Their details are deleted {kept_months} months after they leave."
            )),
            None => None,
        };
    }
    let mut trained_input = DateInput::new(
        "trained",
        if member.profile.trained_on.is_some() {
            "Change the date they were trained"
        } else {
            "Date they were trained"
        },
        (&trained.day, &trained.month, &trained.year),
    )
    .hint("For training they did before joining, or elsewhere. For example, 27 3 2025")
    .errors(errors);
    trained_input.legend_classes = Some("govuk-fieldset__legend--m");
    let shown = travel
        .cloned()
        .unwrap_or_else(|| TravelAnswers::of(&member.profile));
    let (online_only, travel) = travel_fields(&shown, &names, errors, false);
    Ok(MemberPage {
        chrome: Chrome::new(visitor, member.profile.name.to_string(), "/pool")
            .with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: member.id,
        profile: ProfileView::new(member, &names),
        own: false,
        can_manage,
        status,
        trained: trained_input,
        online_only,
        travel,
        history: history.into_iter().map(HistoryRow::from).collect(),
    })
}

async fn find_member(state: &AppState, id: PoolMemberId) -> Result<PoolMember, AppError> {
    state.store.pool_member(id).await?.ok_or(AppError::NotFound)
}

pub async fn show_member(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<PoolMemberId>,
    Query(notice): Query<MemberNotice>,
) -> Result<MemberPage, AppError> {
    visitor.authorise(&Action::ViewPool)?;
    let member = find_member(&state, id).await?;
    let banner = match notice.updated.as_deref() {
        Some("status") => Some(NotificationBanner::success(format!(
            "Status changed to {}",
            member.status.label().to_lowercase()
        ))),
        Some("trained") => Some(NotificationBanner::success("Training recorded")),
        Some("travel") => Some(NotificationBanner::success("Travel changed")),
        _ => None,
    };
    member_page(
        &state,
        &visitor,
        &member,
        banner,
        member.status.code(),
        &TrainedForm::default(),
        None,
        &FormErrors::default(),
    )
    .await
}

/// A question asked on a page of its own before something hard to undo.
#[derive(Template, WebTemplate)]
#[template(path = "pages/pool/confirm.html")]
pub struct ConfirmPage {
    chrome: Chrome,
    caption: String,
    heading: String,
    paragraphs: Vec<String>,
    action: String,
    fields: Vec<(&'static str, &'static str)>,
    button: &'static str,
    cancel_href: String,
    cancel_text: &'static str,
}

pub async fn change_member_status(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<PoolMemberId>,
    axum::Form(form): axum::Form<StatusForm>,
) -> Result<Response, AppError> {
    let kept_months = state.settings.retention_months;
    let by = visitor.authorise(&Action::ManagePool)?.user_id;
    let member = find_member(&state, id).await?;
    let Some(status) = MemberStatus::parse(&form.status) else {
        let mut errors = FormErrors::default();
        errors.add("status", "Select a status");
        let page = member_page(
            &state,
            &visitor,
            &member,
            None,
            "",
            &TrainedForm::default(),
            None,
            &errors,
        )
        .await?;
        return Ok(invalid(page));
    };
    let back = format!("/pool/members/{}", member.id);
    if status == member.status {
        return Ok(see_other(&back));
    }
    if status == MemberStatus::Left && form.confirm != "yes" {
        let name = member.profile.name.to_string();
        return Ok(ConfirmPage {
            chrome: Chrome::new(&visitor, format!("Has {name} left the pool?"), "/pool"),
            caption: name.clone(),
            heading: format!("Has {name} left the pool?"),
            paragraphs: vec![
                "They will not be asked to join a team, and they can no longer change their profile or rejoin themselves.".into(),
                format!(
                    "Their details are kept for {kept_months} months and then deleted. The audit log keeps a note that they were deleted, not their details."
                ),
            ],
            action: format!("{back}/status"),
            fields: vec![("status", "left"), ("confirm", "yes")],
            button: "Yes, they have left the pool",
            cancel_href: back,
            cancel_text: "No, go back to their profile",
        }
        .into_response());
    }
    state
        .store
        .set_member_status(member.id, status, Some(by), Utc::now())
        .await?;
    Ok(see_other(&format!("{back}?updated=status")))
}

pub async fn mark_member_trained(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<PoolMemberId>,
    axum::Form(form): axum::Form<TrainedForm>,
) -> Result<Response, AppError> {
    let by = visitor.authorise(&Action::ManagePool)?.user_id;
    let member = find_member(&state, id).await?;
    let mut errors = FormErrors::default();
    let today = state.today();
    let on = errors
        .check(
            "trained",
            parse_date_parts("Date of training", &form.day, &form.month, &form.year).map_err(
                |problem| match problem {
                    DateProblem::Missing(_) => "Enter the date they were trained".to_owned(),
                    other => other.to_string(),
                },
            ),
        )
        .filter(|on| {
            let past = *on <= today;
            if !past {
                errors.add("trained", "Date of training must be today or in the past");
            }
            past
        });
    let Some(on) = on else {
        let page = member_page(
            &state,
            &visitor,
            &member,
            None,
            member.status.code(),
            &form,
            None,
            &errors,
        )
        .await?;
        return Ok(invalid(page));
    };
    state
        .store
        .mark_trained(member.id, on, Some(by), Utc::now())
        .await?;
    Ok(see_other(&format!(
        "/pool/members/{}?updated=trained",
        member.id
    )))
}

/// The project manager changes where a member can travel, for example after asking them to
/// add an area no team could otherwise be found for.
pub async fn change_member_travel(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<PoolMemberId>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let by = visitor.authorise(&Action::ManagePool)?.user_id;
    let member = find_member(&state, id).await?;
    let names = Names::load(&state).await?;
    let answers = TravelAnswers::from_fields(&fields);
    let checked = answers.check(&names.current_slugs(), Addressing::Staff);
    let Ok((online_only, travel_to)) = checked else {
        let errors = FormErrors::from_problems(checked.err());
        let page = member_page(
            &state,
            &visitor,
            &member,
            None,
            member.status.code(),
            &TrainedForm::default(),
            Some(&answers),
            &errors,
        )
        .await?;
        return Ok(invalid(page));
    };
    let profile = MemberProfile {
        online_only,
        travel_to,
        ..member.profile.clone()
    };
    state
        .store
        .update_pool_member(member.id, &profile, Some(by), Utc::now())
        .await?;
    Ok(see_other(&format!(
        "/pool/members/{}?updated=travel",
        member.id
    )))
}

// ---- My profile, for a reviewer -----------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "pages/pool/not_in_pool.html")]
pub struct NotInPoolPage {
    chrome: Chrome,
    contact_email: String,
}

fn not_in_pool(state: &AppState, visitor: &Visitor) -> Response {
    NotInPoolPage {
        chrome: Chrome::new(visitor, "You are not in the reviewer pool", "/my-profile"),
        contact_email: state.settings.contact.project_manager_email.clone(),
    }
    .into_response()
}

/// The reviewer's own pool membership, or the page saying they have none.
async fn own_membership(
    state: &AppState,
    visitor: &Visitor,
    action: &Action,
) -> Result<Result<PoolMember, Response>, AppError> {
    let user = visitor.authorise(action)?.user_id;
    Ok(match state.store.pool_member_for_user(user).await? {
        Some(member) => Ok(member),
        None => Err(not_in_pool(state, visitor)),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/pool/my_profile.html")]
pub struct MyProfilePage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    profile: ProfileView,
    own: bool,
    status: MemberStatus,
    /// The day a member who left will be deleted.
    kept_until: Option<String>,
    contact_email: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct MyProfileNotice {
    done: Option<String>,
}

fn kept_until(member: &PoolMember, kept_months: u32) -> Option<String> {
    let left = member.left_at?.date_naive();
    left.checked_add_months(Months::new(kept_months))
        .map(dates::date)
}

pub async fn show_my_profile(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(notice): Query<MyProfileNotice>,
) -> Result<Response, AppError> {
    let member = match own_membership(&state, &visitor, &Action::EditOwnPoolProfile).await? {
        Ok(member) => member,
        Err(page) => return Ok(page),
    };
    let names = Names::load(&state).await?;
    let banner = match notice.done.as_deref() {
        Some("saved") => Some(NotificationBanner::success("Your profile has been updated")),
        Some("paused") => Some(NotificationBanner::success(
            "Your membership is paused. We will not ask you to join a team until you resume it.",
        )),
        Some("resumed") => Some(NotificationBanner::success(
            "Welcome back. You can be asked to join a team again.",
        )),
        Some("left") => Some(NotificationBanner::success(
            "You have left the reviewer pool",
        )),
        _ => None,
    };
    Ok(MyProfilePage {
        chrome: Chrome::new(&visitor, "Your reviewer profile", "/my-profile"),
        banner,
        own: member.status != MemberStatus::Left,
        profile: ProfileView::new(&member, &names),
        status: member.status,
        kept_until: kept_until(&member, state.settings.retention_months),
        contact_email: state.settings.contact.project_manager_email.clone(),
    }
    .into_response())
}

pub async fn change_my_status(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(form): axum::Form<StatusForm>,
) -> Result<Response, AppError> {
    let kept_months = state.settings.retention_months;
    let member = match own_membership(&state, &visitor, &Action::EditOwnPoolProfile).await? {
        Ok(member) => member,
        Err(page) => return Ok(page),
    };
    let by = member.user;
    // Someone who has left comes back through the project manager, not by themselves.
    let Some(status) = MemberStatus::parse(&form.status)
        .filter(|status| *status != member.status && member.status != MemberStatus::Left)
    else {
        return Ok(see_other("/my-profile"));
    };
    if status == MemberStatus::Left && form.confirm != "yes" {
        let until = Utc::now()
            .date_naive()
            .checked_add_months(Months::new(kept_months))
            .map(dates::date)
            .unwrap_or_default();
        return Ok(ConfirmPage {
            chrome: Chrome::new(
                &visitor,
                "Are you sure you want to leave the reviewer pool?",
                "/my-profile",
            ),
            caption: "Your reviewer profile".into(),
            heading: "Are you sure you want to leave the reviewer pool?".into(),
            paragraphs: vec![
                "We will not ask you to join a peer challenge team again, and you will not be able to change your profile.".into(),
                format!(
                    "We keep your profile until {until} ({kept_months} months), so we can answer questions about challenges you took part in. Then we delete it."
                ),
                "If you only need a break, you can pause your membership instead and resume it when you are ready.".into(),
            ],
            action: "/my-profile/status".into(),
            fields: vec![("status", "left"), ("confirm", "yes")],
            button: "Yes, leave the pool",
            cancel_href: "/my-profile".into(),
            cancel_text: "No, keep my membership",
        }
        .into_response());
    }
    state
        .store
        .set_member_status(member.id, status, by, Utc::now())
        .await?;
    let done = match status {
        MemberStatus::Active => "resumed",
        MemberStatus::Paused => "paused",
        MemberStatus::Left => "left",
    };
    Ok(see_other(&format!("/my-profile?done={done}")))
}

// ---- Editing my profile -------------------------------------------------------------

/// Blank rows offered below the saved ones, so a period or conflict can be added without
/// JavaScript. Save to get more.
const BLANK_ROWS: usize = 2;

/// The answers with empty rows to add a period or a conflict in.
fn with_blank_rows(mut answers: ProfileAnswers) -> ProfileAnswers {
    answers
        .periods
        .extend(std::iter::repeat_n(PeriodAnswer::default(), BLANK_ROWS));
    answers
        .conflicts
        .extend(std::iter::repeat_n(ConflictAnswer::default(), BLANK_ROWS));
    answers
}

/// One row of dates they cannot do: a start and an end date input.
struct PeriodRow {
    legend: String,
    start: DateInput,
    end: DateInput,
}

/// One declared conflict: which authority, and why.
struct ConflictRow {
    legend: String,
    authority: Select,
    reason: TextInput,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/pool/edit.html")]
pub struct EditProfilePage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    name: TextInput,
    phone: TextInput,
    email: String,
    contact_email: String,
    themes: Vec<Select>,
    periods: Vec<PeriodRow>,
    conflicts: Vec<ConflictRow>,
    online_only: Radios,
    travel: Checkboxes,
}

fn edit_page(
    state: &AppState,
    visitor: &Visitor,
    member: &PoolMember,
    answers: &ProfileAnswers,
    names: &Names,
    errors: &FormErrors,
) -> EditProfilePage {
    let level_items = |chosen: &str| {
        std::iter::once(("", "Not one of my themes"))
            .chain(
                ExpertiseLevel::ALL
                    .iter()
                    .map(|level| (level.code(), level.label())),
            )
            .map(|(value, text)| SelectItem {
                selected: value == chosen,
                value: value.to_owned(),
                text: text.to_owned(),
            })
            .collect::<Vec<_>>()
    };
    let themes = names
        .themes
        .iter()
        .map(|theme| {
            let id = format!("theme-{}", theme.code);
            let chosen = answers
                .levels
                .get(theme.code.as_str())
                .map_or("", String::as_str);
            Select {
                error: errors.get(&id),
                name: id.clone(),
                id,
                label: theme.label.clone(),
                hint: None,
                items: level_items(chosen),
            }
        })
        .collect();
    let date_input = |id: String, legend: &str, answer: &DateAnswer| {
        let mut input = DateInput::new(&id, legend, (&answer.day, &answer.month, &answer.year));
        input.error = errors.get(&id);
        input.legend_classes = Some("govuk-fieldset__legend--s");
        input
    };
    let periods = answers
        .periods
        .iter()
        .enumerate()
        .map(|(index, period)| {
            let number = index + 1;
            PeriodRow {
                legend: format!("Period {number}"),
                start: date_input(
                    format!("period-{number}-start"),
                    "Start date",
                    &period.start,
                ),
                end: date_input(format!("period-{number}-end"), "End date", &period.end),
            }
        })
        .collect();
    let conflicts = answers
        .conflicts
        .iter()
        .enumerate()
        .map(|(index, conflict)| {
            let number = index + 1;
            let authority_id = format!("conflict-{number}-authority");
            let reason_id = format!("conflict-{number}-reason");
            let mut items = vec![SelectItem {
                value: String::new(),
                text: "Choose an authority".into(),
                selected: conflict.authority.is_empty(),
            }];
            items.extend(names.current_authorities().map(|authority| SelectItem {
                selected: authority.slug.as_str() == conflict.authority,
                value: authority.slug.to_string(),
                text: authority.name.clone(),
            }));
            let mut reason = TextInput::new(&reason_id, "Why you must not review it")
                .hint("For example, I worked there until 2025, or a family member works there.")
                .limit(CONFLICT_REASON_LIMIT)
                .value(&conflict.reason);
            reason.error = errors.get(&reason_id);
            ConflictRow {
                legend: format!("Conflict {number}"),
                authority: Select {
                    error: errors.get(&authority_id),
                    name: authority_id.clone(),
                    id: authority_id,
                    label: "Authority".into(),
                    hint: None,
                    items,
                },
                reason,
            }
        })
        .collect();
    let (online_only, travel) = travel_fields(&answers.travel, names, errors, true);
    EditProfilePage {
        chrome: Chrome::new(visitor, "Change your profile", "/my-profile")
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        name: TextInput::new("name", "Full name")
            .autocomplete("name")
            .spellcheck(false)
            .limit(PersonName::MAX_CHARS)
            .value(&answers.name)
            .errors(errors),
        phone: TextInput::new("phone", "Telephone number (optional)")
            .input_type("tel")
            .autocomplete("tel")
            .classes("govuk-input--width-20")
            .hint("For example, 01632 960 001 or 07700 900 982")
            .value(&answers.phone)
            .errors(errors),
        email: member.profile.email.to_string(),
        contact_email: state.settings.contact.project_manager_email.clone(),
        themes,
        periods,
        conflicts,
        online_only,
        travel,
    }
}

pub async fn show_edit_my_profile(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let member = match own_membership(&state, &visitor, &Action::EditOwnPoolProfile).await? {
        Ok(member) => member,
        Err(page) => return Ok(page),
    };
    if member.status == MemberStatus::Left {
        return Ok(see_other("/my-profile"));
    }
    let names = Names::load(&state).await?;
    let answers = with_blank_rows(ProfileAnswers::of(&member.profile));
    Ok(edit_page(
        &state,
        &visitor,
        &member,
        &answers,
        &names,
        &FormErrors::default(),
    )
    .into_response())
}

pub async fn edit_my_profile(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let member = match own_membership(&state, &visitor, &Action::EditOwnPoolProfile).await? {
        Ok(member) => member,
        Err(page) => return Ok(page),
    };
    if member.status == MemberStatus::Left {
        return Ok(see_other("/my-profile"));
    }
    let names = Names::load(&state).await?;
    let mut answers = ProfileAnswers::from_fields(&fields);
    if answers.travel == TravelAnswers::default() {
        // A form without the travel questions (an older page) leaves travel as it was.
        answers.travel = TravelAnswers::of(&member.profile);
    }
    let authorities = names.current_names();
    let themes: Vec<ThemeCode> = names.themes.iter().map(|t| t.code.clone()).collect();
    let choices = ProfileChoices {
        themes: &themes,
        authorities: &authorities,
    };
    match answers.check(&member.profile, &choices) {
        Ok(profile) => {
            state
                .store
                .update_pool_member(member.id, &profile, member.user, Utc::now())
                .await?;
            Ok(see_other("/my-profile?done=saved"))
        }
        Err(problems) => Ok(invalid(edit_page(
            &state,
            &visitor,
            &member,
            &answers,
            &names,
            &FormErrors::from_problems(problems),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn typed_days_are_read_the_uk_way() {
        assert_eq!(parse_typed_day("Date", "24/11/2026"), Ok(day(2026, 11, 24)));
        assert_eq!(parse_typed_day("Date", "4/3/2027"), Ok(day(2027, 3, 4)));
        assert_eq!(parse_typed_day("Date", "2026-11-24"), Ok(day(2026, 11, 24)));
        assert_eq!(
            parse_typed_day("Date", "24 Nov 2026"),
            Ok(day(2026, 11, 24))
        );
        assert_eq!(parse_typed_day("Date", "  "), Ok(None));
        for bad in ["31/02/2026", "24/11", "tomorrow", "24/11/26", "1/13/2026"] {
            assert_eq!(
                parse_typed_day("Date", bad),
                Err("Date must be a real date, like 24/11/2026".to_owned()),
                "{bad}"
            );
        }
    }
}
