//! Why no team can be formed, in plain English: which rule binds, for which challenge and seat, and what
//! would relax it. Never a bare "no solution".

use crate::calendar::{long_date, long_dates};
use crate::ids::{ChallengeId, ReviewerId, Role};
use crate::model::Model;
use crate::solution::NotChosen;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The problem has no valid set of teams; each reason names a binding rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct Infeasibility {
    pub reasons: Vec<Diagnosis>,
    /// True when the reasons are proven (a single challenge is impossible on its own); false when the
    /// search could not fit every team together, which is very likely but not proven impossible.
    pub proven: bool,
}

impl fmt::Display for Infeasibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no valid teams: ")?;
        let messages: Vec<String> = self
            .reasons
            .iter()
            .map(|d| format!("{} ({})", d.message, d.relax.join("; ")))
            .collect();
        f.write_str(&messages.join(" | "))
    }
}

/// One binding rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub challenge: ChallengeId,
    /// Seat group index, when one seat group is the problem.
    pub seat: Option<usize>,
    pub role: Option<Role>,
    pub rule: BindingRule,
    pub message: String,
    /// What would relax it.
    pub relax: Vec<String>,
}

/// The hard rule that binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingRule {
    NoOneHoldsRole,
    OwnAuthority,
    DeclaredConflict,
    SameNhsBoard,
    Unavailable,
    Untrained,
    Declined,
    LoadCap,
    OverlappingBooking,
    AuthorityLimit,
    OneSeatPerPerson,
    PinnedMemberBreaksRule,
    Capacity,
}

/// "parent_carer" → "parent carer".
pub fn role_label(role: &Role) -> String {
    role.as_str().replace(['_', '-'], " ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Pinned members must satisfy the hard rules themselves: say which one they break.
pub(crate) fn diagnose_pins(model: &Model<'_>) -> Option<Infeasibility> {
    let problem = model.problem;
    let mut reasons = Vec::new();
    for (c, challenge) in problem.challenges.iter().enumerate() {
        for pin in &challenge.pinned {
            let Some(&r) = model.reviewer_index.get(&pin.reviewer) else {
                continue;
            };
            let reviewer = &problem.reviewers[r as usize];
            let seat = &challenge.seats[pin.seat];
            let problem_with = if !reviewer.roles.contains(&seat.role) {
                Some(format!("cannot fill a {} seat", role_label(&seat.role)))
            } else if let Some(reason) = model.rules.rejection(c, pin.seat, r as usize) {
                Some(not_chosen_phrase(model, &reason))
            } else if model.reviewers[r as usize].base > reviewer.max_per_year {
                Some(format!(
                    "would hold {} assignments, over their cap of {}",
                    model.reviewers[r as usize].base, reviewer.max_per_year
                ))
            } else {
                None
            };
            if let Some(what) = problem_with {
                reasons.push(Diagnosis {
                    challenge: challenge.id.clone(),
                    seat: Some(pin.seat),
                    role: Some(seat.role.clone()),
                    rule: BindingRule::PinnedMemberBreaksRule,
                    message: format!(
                        "{} is pinned to the {} seat on the {} challenge ({}) but {}",
                        reviewer.display_name(),
                        role_label(&seat.role),
                        problem.authority_name(&challenge.host_authority),
                        long_dates(&challenge.dates),
                        what
                    ),
                    relax: vec![format!(
                        "unpin {} or correct their record",
                        reviewer.display_name()
                    )],
                });
            }
        }
    }
    (!reasons.is_empty()).then_some(Infeasibility {
        reasons,
        proven: true,
    })
}

/// A short phrase for a rejection reason, for messages about one person.
pub(crate) fn not_chosen_phrase(model: &Model<'_>, reason: &NotChosen) -> String {
    let problem = model.problem;
    match reason {
        NotChosen::Unavailable { date } => format!("is unavailable on {}", long_date(*date)),
        NotChosen::OwnAuthority => "would review their own authority".to_owned(),
        NotChosen::DeclaredConflict { authority } => {
            format!(
                "declared a conflict with {}",
                problem.authority_name(authority)
            )
        }
        NotChosen::SameNhsBoard => "is from the host's NHS board".to_owned(),
        NotChosen::Untrained => {
            "is not yet trained and the seat is not a shadowing seat".to_owned()
        }
        NotChosen::Declined => "declined this challenge".to_owned(),
        NotChosen::LoadCap { max_per_year } => {
            format!("has reached their yearly cap of {max_per_year}")
        }
        NotChosen::BookedElsewhere { challenge } => {
            format!("is booked on the overlapping challenge {challenge}")
        }
        NotChosen::AuthorityLimit { authority } => {
            format!(
                "would add one too many from {}",
                problem.authority_name(authority)
            )
        }
        NotChosen::AlreadyOnTeam => "already holds another seat on this team".to_owned(),
        NotChosen::WeakerMatch { by } => format!("is a weaker match: {by}"),
    }
}

/// Explains why each of `challenges` got no team. `proven` says the challenge failed even with every
/// coupling to other challenges relaxed.
pub(crate) fn diagnose_unfilled(
    model: &Model<'_>,
    challenges: &[usize],
    proven: bool,
) -> Infeasibility {
    let mut reasons = Vec::new();
    let mut all_static = true;
    for &c in challenges {
        let found = diagnose_seats(model, c);
        if found.is_empty() {
            all_static = false;
            reasons.push(diagnose_team_level(model, c, proven));
        } else {
            reasons.extend(found);
        }
    }
    Infeasibility {
        reasons,
        proven: proven || all_static,
    }
}

/// Seat groups with fewer eligible people than seats, with the reasons the others are ruled out.
fn diagnose_seats(model: &Model<'_>, c: usize) -> Vec<Diagnosis> {
    let problem = model.problem;
    let challenge = &problem.challenges[c];
    let host = problem.authority_name(&challenge.host_authority).to_owned();
    let dates = long_dates(&challenge.dates);
    let mut out = Vec::new();
    for group in &model.challenges[c].groups {
        let eligible: usize = group.classes.iter().map(|k| k.candidates.len()).sum();
        if eligible as u32 >= group.need {
            continue;
        }
        let seat = &challenge.seats[group.seat];
        let role = role_label(&seat.role);
        let mut tally: BTreeMap<BindingRule, Vec<&ReviewerId>> = BTreeMap::new();
        for (r, reviewer) in problem.reviewers.iter().enumerate() {
            if !reviewer.roles.contains(&seat.role)
                || challenge.pinned.iter().any(|p| p.reviewer == reviewer.id)
            {
                continue;
            }
            if let Some(reason) = model.rules.rejection(c, group.seat, r) {
                let rule = rule_of(&reason);
                tally.entry(rule).or_default().push(&reviewer.id);
            }
        }
        let needed = plural(group.need as usize, &role, &format!("{role}s"));
        let (rule, message, relax) = if tally.is_empty() {
            (
                BindingRule::NoOneHoldsRole,
                format!(
                    "no {role} in the pool can take the {role} seat on the {host} challenge ({dates}); it needs {needed}"
                ),
                vec![
                    format!("add a {role} to the pool"),
                    format!("remove the {role} seat"),
                ],
            )
        } else {
            let rules: Vec<BindingRule> = tally.keys().copied().collect();
            let only_place_and_time = rules.iter().all(|r| {
                matches!(
                    r,
                    BindingRule::OwnAuthority
                        | BindingRule::Unavailable
                        | BindingRule::OverlappingBooking
                )
            });
            let headline = if eligible == 0 && only_place_and_time {
                format!("no {role} outside {host} is free on {dates}")
            } else if eligible == 0 {
                format!("no {role} can sit on the {host} challenge ({dates})")
            } else {
                format!(
                    "only {eligible} {role}(s) can sit on the {host} challenge ({dates}), which needs {}",
                    group.need
                )
            };
            let mut details = Vec::new();
            let mut relax = Vec::new();
            for (rule, who) in &tally {
                let n = who.len();
                let (detail, fix) = describe_rule(
                    *rule,
                    n,
                    &role,
                    &host,
                    &dates,
                    challenge.host_nhs_board.is_some(),
                );
                details.push(detail);
                relax.push(fix);
            }
            let binding = tally
                .iter()
                .max_by_key(|(rule, who)| (who.len(), std::cmp::Reverse(**rule)))
                .map_or(BindingRule::Capacity, |(rule, _)| *rule);
            (
                binding,
                format!("{headline}: {}", details.join(", ")),
                relax,
            )
        };
        out.push(Diagnosis {
            challenge: challenge.id.clone(),
            seat: Some(group.seat),
            role: Some(seat.role.clone()),
            rule,
            message,
            relax,
        });
    }
    out
}

fn rule_of(reason: &NotChosen) -> BindingRule {
    match reason {
        NotChosen::Unavailable { .. } => BindingRule::Unavailable,
        NotChosen::OwnAuthority => BindingRule::OwnAuthority,
        NotChosen::DeclaredConflict { .. } => BindingRule::DeclaredConflict,
        NotChosen::SameNhsBoard => BindingRule::SameNhsBoard,
        NotChosen::Untrained => BindingRule::Untrained,
        NotChosen::Declined => BindingRule::Declined,
        NotChosen::LoadCap { .. } => BindingRule::LoadCap,
        NotChosen::BookedElsewhere { .. } => BindingRule::OverlappingBooking,
        NotChosen::AuthorityLimit { .. } => BindingRule::AuthorityLimit,
        NotChosen::AlreadyOnTeam => BindingRule::OneSeatPerPerson,
        NotChosen::WeakerMatch { .. } => BindingRule::Capacity,
    }
}

fn describe_rule(
    rule: BindingRule,
    n: usize,
    role: &str,
    host: &str,
    dates: &str,
    has_board: bool,
) -> (String, String) {
    let who = plural(n, role, &format!("{role}s"));
    match rule {
        BindingRule::OwnAuthority => (
            format!("{who} from {host} itself"),
            format!("recruit a {role} from another authority"),
        ),
        BindingRule::Unavailable => (
            format!("{who} unavailable on {dates}"),
            format!("move the visit, or ask the {who} unavailable then"),
        ),
        BindingRule::DeclaredConflict => (
            format!("{who} with a declared conflict with {host}"),
            "review the declared conflicts".to_owned(),
        ),
        BindingRule::SameNhsBoard => (
            format!("{who} from the host's NHS board"),
            if has_board {
                "allow members from the host's NHS board (forbid_same_nhs_board = false)".to_owned()
            } else {
                "allow members from the host's NHS board".to_owned()
            },
        ),
        BindingRule::Untrained => (
            format!("{who} not yet trained"),
            format!("make the seat a shadowing seat, or train a {role}"),
        ),
        BindingRule::Declined => (
            format!("{who} who declined"),
            format!("add another {role} to the pool"),
        ),
        BindingRule::LoadCap => (
            format!("{who} at their yearly cap"),
            format!("raise the yearly cap of a {role}"),
        ),
        BindingRule::OverlappingBooking => (
            format!("{who} already booked on an overlapping challenge"),
            "move one of the overlapping visits".to_owned(),
        ),
        _ => (
            format!("{who} ruled out"),
            format!("add a {role} to the pool"),
        ),
    }
}

/// Every seat group has enough eligible people, yet no team: the authority limit, one seat per person,
/// or (not proven) other challenges taking the people.
fn diagnose_team_level(model: &Model<'_>, c: usize, proven: bool) -> Diagnosis {
    let problem = model.problem;
    let challenge = &problem.challenges[c];
    let host = problem.authority_name(&challenge.host_authority).to_owned();
    let dates = long_dates(&challenge.dates);
    let mut people: Vec<u32> = model.challenges[c]
        .groups
        .iter()
        .flat_map(|g| {
            g.classes
                .iter()
                .flat_map(|k| k.candidates.iter().map(|cand| cand.reviewer))
        })
        .collect();
    people.sort_unstable();
    people.dedup();
    let open_seats: u32 = model.challenges[c].groups.iter().map(|g| g.need).sum();
    if (people.len() as u32) < open_seats {
        return Diagnosis {
            challenge: challenge.id.clone(),
            seat: None,
            role: None,
            rule: BindingRule::OneSeatPerPerson,
            message: format!(
                "the {host} challenge ({dates}) has {open_seats} open seats but only {} different people can take any of them, and nobody may hold two seats",
                people.len()
            ),
            relax: vec![
                "add reviewers to the pool".to_owned(),
                "reduce the number of seats".to_owned(),
            ],
        };
    }
    if let Some(cap) = problem.options.max_per_authority {
        let mut authorities: Vec<u32> = people
            .iter()
            .map(|&r| model.reviewers[r as usize].authority)
            .collect();
        authorities.sort_unstable();
        authorities.dedup();
        if proven || (authorities.len() as u32) * cap < challenge.team_size() {
            return Diagnosis {
                challenge: challenge.id.clone(),
                seat: None,
                role: None,
                rule: BindingRule::AuthorityLimit,
                message: format!(
                    "the {host} challenge ({dates}) cannot be staffed with at most {cap} member(s) from one authority: the eligible people come from only {} authorities",
                    authorities.len()
                ),
                relax: vec![
                    format!("raise max_per_authority above {cap}"),
                    "recruit from more authorities".to_owned(),
                ],
            };
        }
    }
    Diagnosis {
        challenge: challenge.id.clone(),
        seat: None,
        role: None,
        rule: BindingRule::Capacity,
        message: format!(
            "the {host} challenge ({dates}) could not be staffed alongside the other challenges: the people who could sit on it are booked on overlapping visits or at their yearly cap"
        ),
        relax: vec![
            "raise yearly caps".to_owned(),
            "move the visit to a less busy date".to_owned(),
            "add reviewers to the pool".to_owned(),
        ],
    }
}
