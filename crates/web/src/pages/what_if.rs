//! What-if staffing: the people who run the scheme ask whether a one- or two-day challenge
//! for an area could be staffed on given days, before anyone has requested it. The engine is
//! asked as for a real challenge and nothing is saved, so the form is a GET whose answer can
//! be bookmarked or linked to (the diagnosis's "Try other dates" links here pre-filled).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use domain::challenge::ChallengeKind;
use domain::pool::parse_date_parts;
use domain::{Action, AuthoritySlug};
use serde::Deserialize;

use crate::components::{DateInput, ErrorSummary, Radios, Select, SelectItem};
use crate::composition::{CompositionError, Proposal, WhatIf, what_if};
use crate::forms::FormErrors;
use crate::pages::Chrome;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

/// Every route of the what-if question to the team engine, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![route(Method::GET, "/challenges/what-if", get(show_what_if))]
}

const NAV: &str = "/challenges";

/// The question as typed. `asked` is set by the form's button only, so a link that pre-fills
/// the area and kind shows the form without complaining about the missing days.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct WhatIfQuery {
    #[serde(default)]
    asked: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    kind: String,
    #[serde(default, rename = "first-day")]
    first_day: String,
    #[serde(default, rename = "first-month")]
    first_month: String,
    #[serde(default, rename = "first-year")]
    first_year: String,
    #[serde(default, rename = "second-day")]
    second_day: String,
    #[serde(default, rename = "second-month")]
    second_month: String,
    #[serde(default, rename = "second-year")]
    second_year: String,
}

impl WhatIfQuery {
    fn second_typed(&self) -> bool {
        [&self.second_day, &self.second_month, &self.second_year]
            .iter()
            .any(|part| !part.trim().is_empty())
    }

    /// The question in domain terms, or every problem keyed by its field.
    fn check(
        &self,
        areas: &[(AuthoritySlug, String)],
        today: NaiveDate,
    ) -> Result<WhatIf, FormErrors> {
        let mut errors = FormErrors::default();
        let area = AuthoritySlug::parse(&self.area)
            .ok()
            .filter(|slug| areas.iter().any(|(known, _)| known == slug));
        if area.is_none() {
            errors.add("area", "Select the area the challenge would be in");
        }
        let kind = ChallengeKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Select a one-day or a two-day challenge");
        }
        let first = errors.check(
            "first",
            parse_date_parts(
                "The first visit day",
                &self.first_day,
                &self.first_month,
                &self.first_year,
            ),
        );
        if first.is_some_and(|day| day < today) {
            errors.add(
                "first",
                "The first visit day must be today or in the future",
            );
        }
        let second = if self.second_typed() {
            if kind == Some(ChallengeKind::OneDay) {
                errors.add(
                    "second",
                    "A one-day challenge has one visit day: leave the second day empty",
                );
                None
            } else {
                let second = errors.check(
                    "second",
                    parse_date_parts(
                        "The second visit day",
                        &self.second_day,
                        &self.second_month,
                        &self.second_year,
                    ),
                );
                if let (Some(first), Some(second)) = (first, second)
                    && second <= first
                {
                    errors.add("second", "The second visit day must be after the first");
                }
                second
            }
        } else {
            None
        };
        match (area, kind, first) {
            (Some(authority), Some(kind), Some(first)) if errors.is_empty() => {
                let mut days = vec![first];
                if kind == ChallengeKind::TwoDay {
                    days.push(second.unwrap_or_else(|| next_weekday(first)));
                }
                Ok(WhatIf {
                    authority,
                    kind,
                    days,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The working day after `day`: a two-day visit asked with one date runs on into the next.
fn next_weekday(day: NaiveDate) -> NaiveDate {
    let mut next = day + Duration::days(1);
    while matches!(next.weekday(), Weekday::Sat | Weekday::Sun) {
        next += Duration::days(1);
    }
    next
}

/// The engine's answer in words.
pub enum Answer {
    /// Every seat can be filled, or some cannot: the proposal says which.
    Proposal(Proposal),
    /// No team at all, for a reason that is not one seat's.
    NoTeam(String),
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/challenges/what_if.html")]
pub struct WhatIfPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    area: Select,
    kind: Radios,
    first: DateInput,
    second: DateInput,
    /// What was asked, in words ("A two-day challenge in Rutland on …"), with the answer.
    question: Option<String>,
    answer: Option<Answer>,
}

fn long_date(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

pub async fn show_what_if(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<WhatIfQuery>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    let today = state.today();
    let areas: Vec<(AuthoritySlug, String)> = state
        .store
        .authorities()
        .await?
        .into_iter()
        .filter(|a| a.is_current(today))
        .map(|a| (a.slug, a.name))
        .collect();
    let asked = !query.asked.is_empty();
    let (errors, question, answer) = if asked {
        match query.check(&areas, today) {
            Ok(question) => {
                let answer = match what_if(
                    &state.store,
                    &question,
                    today,
                    state.settings.max_per_authority,
                )
                .await
                {
                    Ok(composed) => Answer::Proposal(composed.proposal),
                    Err(CompositionError::NoTeam(why)) => Answer::NoTeam(why),
                    Err(other) => return Err(AppError::Internal(other.to_string())),
                };
                let area = areas
                    .iter()
                    .find(|(slug, _)| *slug == question.authority)
                    .map_or_else(|| question.authority.to_string(), |(_, name)| name.clone());
                let days = question
                    .days
                    .iter()
                    .map(|day| long_date(*day))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let kind = match question.kind {
                    ChallengeKind::OneDay => "A one-day",
                    ChallengeKind::TwoDay => "A two-day",
                };
                (
                    FormErrors::default(),
                    Some(format!("{kind} challenge in {area} on {days}")),
                    Some(answer),
                )
            }
            Err(errors) => (errors, None, None),
        }
    } else {
        (FormErrors::default(), None, None)
    };
    let page = WhatIfPage {
        chrome: Chrome::new(&visitor, "What-if staffing", NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::linking(&errors, &["first", "second"])),
        area: Select {
            id: "area".into(),
            name: "area".into(),
            label: "Area".into(),
            hint: None,
            error: errors.get("area"),
            items: std::iter::once(SelectItem {
                value: String::new(),
                text: "Choose an area".into(),
                selected: query.area.is_empty(),
            })
            .chain(areas.iter().map(|(slug, name)| SelectItem {
                value: slug.to_string(),
                text: name.clone(),
                selected: slug.as_str() == query.area,
            }))
            .collect(),
        },
        kind: Radios::new(
            "kind",
            "Kind of challenge",
            &[
                (ChallengeKind::OneDay.code(), "One-day"),
                (ChallengeKind::TwoDay.code(), "Two-day"),
            ],
            &query.kind,
        )
        .errors(&errors),
        first: DateInput::new(
            "first",
            "First visit day",
            (&query.first_day, &query.first_month, &query.first_year),
        )
        .hint("For example, 10 3 2027")
        .errors(&errors),
        second: DateInput::new(
            "second",
            "Second visit day (two-day challenges only)",
            (&query.second_day, &query.second_month, &query.second_year),
        )
        .hint("Leave empty for a one-day challenge, or for the working day after the first")
        .errors(&errors),
        question,
        answer,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}
