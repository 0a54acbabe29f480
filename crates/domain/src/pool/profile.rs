//! A member's own profile form, and where a member can travel, as typed and as checked: the
//! answers exactly as posted (so a page can show them back), read from the form's fields,
//! and checked into a `MemberProfile` with a problem against each field that needs one. The
//! member edits these on their own profile; the project manager changes the travel on the
//! member's page.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{
    ConflictAnswer, DateProblem, DateRange, ExpertiseLevel, MemberProfile, PhoneNumber,
    check_conflicts, parse_date_parts,
};
use crate::forms::FieldProblem;
use crate::{AuthoritySlug, PersonName, ThemeCode};

/// At most this many rows of periods or conflicts are read from one form.
const ROWS_LIMIT: usize = 100;

/// A date typed in three boxes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateAnswer {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateAnswer {
    pub fn of(day: NaiveDate) -> Self {
        Self {
            day: day.day().to_string(),
            month: day.month().to_string(),
            year: day.year().to_string(),
        }
    }

    fn is_blank(&self) -> bool {
        [&self.day, &self.month, &self.year]
            .iter()
            .all(|part| part.trim().is_empty())
    }

    fn parse(&self, what: &'static str, missing: &str) -> Result<NaiveDate, String> {
        parse_date_parts(what, &self.day, &self.month, &self.year).map_err(
            |problem| match problem {
                DateProblem::Missing(_) => missing.to_owned(),
                other => other.to_string(),
            },
        )
    }
}

/// A period they cannot do, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodAnswer {
    pub start: DateAnswer,
    pub end: DateAnswer,
}

/// Whether they take part online only and the areas they travel to, as typed. A hard rule
/// of the team engine rests on these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TravelAnswers {
    pub online_only: String,
    pub travel_to: Vec<String>,
}

/// Who the messages speak to: the member about themselves, or staff about a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressing {
    Member,
    Staff,
}

impl TravelAnswers {
    pub fn of(profile: &MemberProfile) -> Self {
        Self {
            online_only: if profile.online_only { "yes" } else { "no" }.to_owned(),
            travel_to: profile.travel_to.iter().map(ToString::to_string).collect(),
        }
    }

    /// Take `online_only` and `travel_to` fields; false for any other field.
    pub fn read(&mut self, key: &str, value: &str) -> bool {
        match key {
            "online_only" => self.online_only = value.to_owned(),
            "travel_to" if self.travel_to.len() < ROWS_LIMIT => {
                self.travel_to.push(value.to_owned())
            }
            "travel_to" => {}
            _ => return false,
        }
        true
    }

    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let mut answers = Self::default();
        for (key, value) in fields {
            answers.read(key, value);
        }
        answers
    }

    /// `(online_only, travel_to)` among the region's current `authorities`.
    pub fn check(
        &self,
        authorities: &[AuthoritySlug],
        addressing: Addressing,
    ) -> Result<(bool, Vec<AuthoritySlug>), FieldProblem> {
        let member = addressing == Addressing::Member;
        let online_only = match self.online_only.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(FieldProblem::new(
                    "online_only",
                    if member {
                        "Select whether you can only take part online"
                    } else {
                        "Select whether they can only take part online"
                    },
                ));
            }
        };
        if online_only {
            return Ok((true, Vec::new()));
        }
        let mut travel: Vec<AuthoritySlug> = self
            .travel_to
            .iter()
            .filter_map(|slug| AuthoritySlug::parse(slug).ok())
            .filter(|slug| authorities.contains(slug))
            .collect();
        travel.sort();
        travel.dedup();
        if travel.is_empty() {
            return Err(FieldProblem::new(
                "travel_to",
                if member {
                    "Select the areas you can travel to, or say you can only take part online"
                } else {
                    "Select the areas they can travel to, or say they can only take part online"
                },
            ));
        }
        Ok((false, travel))
    }
}

/// The profile form's answers exactly as typed, so they can be shown back on an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileAnswers {
    pub name: String,
    pub phone: String,
    /// Theme code to level code; a theme left out is not one of theirs.
    pub levels: BTreeMap<String, String>,
    pub periods: Vec<PeriodAnswer>,
    pub conflicts: Vec<ConflictAnswer>,
    pub travel: TravelAnswers,
}

/// What a profile's answers are checked against: the themes and the region's current
/// authorities, with their names for the messages.
#[derive(Debug)]
pub struct ProfileChoices<'a> {
    pub themes: &'a [ThemeCode],
    pub authorities: &'a [(AuthoritySlug, String)],
}

impl ProfileAnswers {
    pub fn of(profile: &MemberProfile) -> Self {
        Self {
            name: profile.name.to_string(),
            phone: profile
                .phone
                .as_ref()
                .map(PhoneNumber::to_string)
                .unwrap_or_default(),
            levels: profile
                .expertise
                .iter()
                .map(|(code, level)| (code.to_string(), level.code().to_owned()))
                .collect(),
            periods: profile
                .unavailable
                .iter()
                .map(|range| PeriodAnswer {
                    start: DateAnswer::of(range.start()),
                    end: DateAnswer::of(range.end()),
                })
                .collect(),
            conflicts: profile
                .conflicts
                .iter()
                .map(|(slug, reason)| ConflictAnswer {
                    authority: slug.to_string(),
                    reason: reason.clone(),
                })
                .collect(),
            travel: TravelAnswers::of(profile),
        }
    }

    /// Read the posted fields: `name`, `phone`, `theme-<CODE>`, `period-<n>-start-day` and
    /// the rest of each period's boxes, `conflict-<n>-authority` and `conflict-<n>-reason`,
    /// and the travel questions. Rows keep the order of their numbers.
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let mut answers = Self::default();
        let mut periods: BTreeMap<usize, PeriodAnswer> = BTreeMap::new();
        let mut conflicts: BTreeMap<usize, ConflictAnswer> = BTreeMap::new();
        for (key, value) in fields {
            let value = value.clone();
            if key == "name" {
                answers.name = value;
            } else if key == "phone" {
                answers.phone = value;
            } else if answers.travel.read(key, &value) {
            } else if let Some(code) = key.strip_prefix("theme-") {
                answers.levels.insert(code.to_owned(), value);
            } else if let Some((number, part)) = numbered(key, "period-") {
                let period = periods.entry(number).or_default();
                let slot = match part {
                    "start-day" => &mut period.start.day,
                    "start-month" => &mut period.start.month,
                    "start-year" => &mut period.start.year,
                    "end-day" => &mut period.end.day,
                    "end-month" => &mut period.end.month,
                    "end-year" => &mut period.end.year,
                    _ => continue,
                };
                *slot = value;
            } else if let Some((number, part)) = numbered(key, "conflict-") {
                let conflict = conflicts.entry(number).or_default();
                match part {
                    "authority" => conflict.authority = value,
                    "reason" => conflict.reason = value,
                    _ => {}
                }
            }
        }
        answers.periods = periods.into_values().take(ROWS_LIMIT).collect();
        answers.conflicts = conflicts.into_values().take(ROWS_LIMIT).collect();
        answers
    }

    /// `profile` with these answers applied, or a problem against each field that has one.
    pub fn check(
        &self,
        profile: &MemberProfile,
        choices: &ProfileChoices<'_>,
    ) -> Result<MemberProfile, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let name = PersonName::parse(&self.name)
            .map_err(|problem| problems.push(FieldProblem::new("name", problem)))
            .ok();
        let phone = PhoneNumber::parse_optional(&self.phone)
            .map_err(|problem| problems.push(FieldProblem::new("phone", problem)))
            .ok();
        let expertise = self.expertise(choices.themes, &mut problems);
        let unavailable = self.unavailable(&mut problems);
        let conflicts = check_conflicts(&self.conflicts, choices.authorities, 1, &mut problems);
        // Unchanged travel is kept as it is, even an empty list from before it was asked.
        let travel = if self.travel == TravelAnswers::of(profile) {
            Some((profile.online_only, profile.travel_to.clone()))
        } else {
            let slugs: Vec<AuthoritySlug> = choices
                .authorities
                .iter()
                .map(|(slug, _)| slug.clone())
                .collect();
            self.travel
                .check(&slugs, Addressing::Member)
                .map_err(|problem| problems.push(problem))
                .ok()
        };
        match (name, phone, travel) {
            (Some(name), Some(phone), Some((online_only, travel_to))) if problems.is_empty() => {
                Ok(MemberProfile {
                    name,
                    phone,
                    expertise,
                    unavailable,
                    conflicts,
                    online_only,
                    travel_to,
                    ..profile.clone()
                })
            }
            _ => Err(problems),
        }
    }

    fn expertise(
        &self,
        themes: &[ThemeCode],
        problems: &mut Vec<FieldProblem>,
    ) -> Vec<(ThemeCode, ExpertiseLevel)> {
        let mut expertise = Vec::new();
        for theme in themes {
            let code = theme.as_str();
            match self.levels.get(code).map(String::as_str) {
                None | Some("") => {}
                Some(level) => match ExpertiseLevel::parse(level) {
                    Some(level) => expertise.push((theme.clone(), level)),
                    None => problems.push(FieldProblem::new(
                        format!("theme-{code}"),
                        "Select a level from the list",
                    )),
                },
            }
        }
        expertise
    }

    fn unavailable(&self, problems: &mut Vec<FieldProblem>) -> Vec<DateRange> {
        let mut unavailable = Vec::new();
        for (index, period) in self.periods.iter().enumerate() {
            if period.start.is_blank() && period.end.is_blank() {
                continue;
            }
            let number = index + 1;
            let start = period
                .start
                .parse("Start date", "Enter the start date")
                .map_err(|message| {
                    problems.push(FieldProblem::new(format!("period-{number}-start"), message))
                })
                .ok();
            let end = period
                .end
                .parse(
                    "End date",
                    "Enter the end date (the same as the start date for a single day)",
                )
                .map_err(|message| {
                    problems.push(FieldProblem::new(format!("period-{number}-end"), message))
                })
                .ok();
            if let (Some(start), Some(end)) = (start, end) {
                match DateRange::new(start, end) {
                    Ok(range) => unavailable.push(range),
                    Err(problem) => {
                        problems.push(FieldProblem::new(format!("period-{number}-end"), problem))
                    }
                }
            }
        }
        unavailable.sort();
        unavailable.dedup();
        unavailable
    }
}

/// `prefix<n>-<part>` as `(n, part)`.
fn numbered<'a>(key: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let (number, part) = key.strip_prefix(prefix)?.split_once('-')?;
    Some((number.parse().ok()?, part))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn posted_rows_keep_their_order_and_every_box() {
        let answers = ProfileAnswers::from_fields(&fields(&[
            ("name", "Jo Parent"),
            ("period-2-start-day", "1"),
            ("period-10-start-day", "9"),
            ("period-1-end-year", "2027"),
            ("conflict-1-reason", "Family"),
            ("theme-HEALTH", "strong"),
            ("period-x-start-day", "ignored"),
        ]));
        assert_eq!(answers.name, "Jo Parent");
        assert_eq!(answers.periods.len(), 3);
        assert_eq!(answers.periods[0].end.year, "2027");
        assert_eq!(answers.periods[1].start.day, "1");
        assert_eq!(answers.periods[2].start.day, "9");
        assert_eq!(answers.conflicts[0].reason, "Family");
        assert_eq!(
            answers.levels.get("HEALTH").map(String::as_str),
            Some("strong")
        );
    }

    #[test]
    fn travel_is_online_or_somewhere_in_the_region() {
        let derby = AuthoritySlug::parse("derby").expect("slug");
        let region = [derby.clone()];
        let answers = |online: &str, to: &[&str]| TravelAnswers {
            online_only: online.into(),
            travel_to: to.iter().map(|s| (*s).to_owned()).collect(),
        };
        assert_eq!(
            answers("no", &["derby", "derby", "atlantis"]).check(&region, Addressing::Member),
            Ok((false, vec![derby]))
        );
        assert_eq!(
            answers("yes", &["derby"]).check(&region, Addressing::Member),
            Ok((true, vec![]))
        );
        let problem = answers("no", &["atlantis"])
            .check(&region, Addressing::Staff)
            .expect_err("nowhere");
        assert_eq!(problem.field, "travel_to");
        assert!(problem.message.starts_with("Select the areas they"));
        let problem = answers("", &[])
            .check(&region, Addressing::Member)
            .expect_err("unanswered");
        assert_eq!(problem.field, "online_only");
    }
}
