//! Turns an assignment into teams a project manager can read: why each member was chosen, and for each
//! seat group the ranked alternates with the reason each was not chosen.

use crate::assignment::Assignment;
use crate::ids::ThemeId;
use crate::model::{Experience, Model, unpaired};
use crate::objective::{Level, marginal_load_cost};
use crate::problem::{Challenge, Reviewer};
use crate::solution::{Alternate, Member, MemberReasons, NotChosen, SeatTeam, Team};
use std::collections::BTreeMap;

/// How many alternates to list per seat group.
const ALTERNATES_PER_SEAT: usize = 5;

#[cfg(test)]
pub(crate) fn build_teams(model: &Model<'_>, assignment: &Assignment) -> Vec<Team> {
    build_teams_until(model, assignment, None)
}

/// [`build_teams`], leaving out the alternates of teams explained after `deadline`: the
/// members and why they were chosen are always given, the ranked alternates only while the
/// time limit allows (they are the costly part, ranking every seat's whole role pool).
pub(crate) fn build_teams_until(
    model: &Model<'_>,
    assignment: &Assignment,
    deadline: Option<std::time::Instant>,
) -> Vec<Team> {
    let pools = Pools::new(model.problem);
    model
        .problem
        .challenges
        .iter()
        .enumerate()
        .map(|(c, challenge)| {
            let in_time = deadline.is_none_or(|deadline| std::time::Instant::now() < deadline);
            build_team(model, assignment, &pools, c, challenge, in_time)
        })
        .collect()
}

/// What ranking the alternates needs for everyone holding a role, indexed once per solve: the
/// alternates of every seat are ranked over its whole role pool, so the per-person key must be cheap.
struct Pools<'p> {
    /// Reviewers holding each role, in index order.
    by_role: BTreeMap<&'p crate::ids::Role, Vec<usize>>,
    /// Every theme anyone has expertise in, sorted.
    themes: Vec<&'p ThemeId>,
    /// Per reviewer: (theme index, depth points, covers) for each theme of their expertise.
    expertise: Vec<Vec<(usize, u32, bool)>>,
}

impl<'p> Pools<'p> {
    fn new(problem: &'p crate::problem::Problem) -> Self {
        let mut by_role: BTreeMap<&crate::ids::Role, Vec<usize>> = BTreeMap::new();
        for (r, reviewer) in problem.reviewers.iter().enumerate() {
            for role in &reviewer.roles {
                let list = by_role.entry(role).or_default();
                if list.last() != Some(&r) {
                    list.push(r);
                }
            }
        }
        let mut themes: Vec<&ThemeId> = problem
            .reviewers
            .iter()
            .flat_map(|r| r.expertise.keys())
            .collect();
        themes.sort();
        themes.dedup();
        let expertise = problem
            .reviewers
            .iter()
            .map(|r| {
                r.expertise
                    .iter()
                    .filter_map(|(theme, level)| {
                        let t = themes.binary_search(&theme).ok()?;
                        Some((t, level.points(), level.covers()))
                    })
                    .collect()
            })
            .collect();
        Self {
            by_role,
            themes,
            expertise,
        }
    }

    /// Which of the indexed themes are among `themes`.
    fn theme_flags(&self, themes: &[ThemeId]) -> Vec<bool> {
        self.themes
            .iter()
            .map(|t| themes.binary_search(t).is_ok())
            .collect()
    }

    /// Reviewer `r`'s (themes covered, depth points) on the flagged themes: as [`match_on`], counted.
    fn match_key(&self, r: usize, flags: &[bool]) -> (usize, u32) {
        self.expertise[r].iter().filter(|(t, _, _)| flags[*t]).fold(
            (0, 0),
            |(covered, depth), &(_, points, covers)| {
                (covered + usize::from(covers), depth + points)
            },
        )
    }
}

/// Themes covered (strong or specialist) and depth points of `reviewer` on `themes`.
fn match_on(reviewer: &Reviewer, themes: &[ThemeId]) -> (Vec<ThemeId>, u32) {
    let mut covered = Vec::new();
    let mut depth = 0;
    for (theme, level) in &reviewer.expertise {
        if themes.binary_search(theme).is_ok() {
            depth += level.points();
            if level.covers() {
                covered.push(theme.clone());
            }
        }
    }
    (covered, depth)
}

fn build_team(
    model: &Model<'_>,
    assignment: &Assignment,
    pools: &Pools<'_>,
    c: usize,
    challenge: &Challenge,
    with_alternates: bool,
) -> Team {
    let problem = model.problem;
    let mut themes = challenge.themes.clone();
    themes.sort();
    themes.dedup();
    let host = &challenge.host_authority;
    let mut members_by_seat: Vec<Vec<(usize, bool)>> = vec![Vec::new(); challenge.seats.len()];
    for pin in &challenge.pinned {
        if let Some(&r) = model.reviewer_index.get(&pin.reviewer) {
            members_by_seat[pin.seat].push((r as usize, true));
        }
    }
    for pick in &assignment.picks[c] {
        let seat = model.challenges[c].groups[pick.group].seat;
        members_by_seat[seat].push((pick.reviewer as usize, false));
    }
    let team_members: Vec<usize> = members_by_seat.iter().flatten().map(|(r, _)| *r).collect();

    let mut covered_all: Vec<ThemeId> = Vec::new();
    let mut seats = Vec::with_capacity(challenge.seats.len());
    for (s, seat) in challenge.seats.iter().enumerate() {
        let mut members = Vec::new();
        for &(r, pinned) in &members_by_seat[s] {
            let reviewer = &problem.reviewers[r];
            let (covers, depth) = match_on(reviewer, &themes);
            covered_all.extend(covers.iter().cloned());
            let facts = &model.reviewers[r];
            let load_after = facts.base + assignment.load[r];
            let travel = problem.travel.cost(reviewer.travels_from(), host);
            let summary = member_summary(
                reviewer,
                &covers,
                depth,
                load_after,
                travel,
                facts.experience,
                pinned,
            );
            members.push(Member {
                reviewer: reviewer.id.clone(),
                pinned,
                why: MemberReasons {
                    covers_themes: covers,
                    depth,
                    load_after,
                    max_per_year: reviewer.max_per_year,
                    travel,
                    new_reviewer: facts.experience == Experience::New,
                    experienced: facts.experience == Experience::Experienced,
                    summary,
                },
            });
        }
        members.sort_by(|a, b| a.reviewer.cmp(&b.reviewer));
        let alternates = if with_alternates {
            alternates_for(
                model,
                assignment,
                pools,
                c,
                s,
                &themes,
                &team_members,
                &members_by_seat[s],
            )
        } else {
            Vec::new()
        };
        seats.push(SeatTeam {
            seat: s,
            role: seat.role.clone(),
            shadowing: seat.shadowing,
            members,
            alternates,
        });
    }
    covered_all.sort();
    covered_all.dedup();
    let uncovered_themes = themes
        .iter()
        .filter(|t| covered_all.binary_search(t).is_err())
        .cloned()
        .collect();
    let changes = assignment.picks[c]
        .iter()
        .filter(|p| p.candidate.is_change)
        .count() as u32;
    Team {
        challenge: challenge.id.clone(),
        seats,
        uncovered_themes,
        changes,
    }
}

fn member_summary(
    reviewer: &Reviewer,
    covers: &[ThemeId],
    depth: u32,
    load_after: u32,
    travel: u32,
    experience: Experience,
    pinned: bool,
) -> String {
    let mut parts = Vec::new();
    if pinned {
        parts.push("already accepted (pinned)".to_owned());
    }
    if covers.is_empty() {
        parts.push(format!("{depth} depth point(s) on the themes"));
    } else {
        let names: Vec<&str> = covers.iter().map(ThemeId::as_str).collect();
        parts.push(format!(
            "covers {} ({depth} depth points)",
            names.join(", ")
        ));
    }
    parts.push(format!(
        "{load_after} of {} seats this year",
        reviewer.max_per_year
    ));
    parts.push(format!("travel {travel}"));
    match experience {
        Experience::New => parts.push("new reviewer".to_owned()),
        Experience::Experienced => parts.push(format!(
            "experienced ({} past challenges)",
            reviewer.past_challenges
        )),
        Experience::Some => {}
    }
    let mut text = format!("{}: {}", reviewer.display_name(), parts.join("; "));
    text.push('.');
    text
}

#[allow(clippy::too_many_arguments)]
fn alternates_for(
    model: &Model<'_>,
    assignment: &Assignment,
    pools: &Pools<'_>,
    c: usize,
    s: usize,
    themes: &[ThemeId],
    team_members: &[usize],
    seat_members: &[(usize, bool)],
) -> Vec<Alternate> {
    let problem = model.problem;
    let challenge = &problem.challenges[c];
    let seat = &challenge.seats[s];
    let Some(pool) = pools.by_role.get(&seat.role) else {
        return Vec::new();
    };
    let flags = pools.theme_flags(themes);
    // Rank everyone who holds the role by how well they match the themes, then travel.
    // (better match first, less travel, reviewer index)
    type Ranked = (std::cmp::Reverse<(usize, u32)>, u32, usize);
    let mut ranked: Vec<Ranked> = pool
        .iter()
        .filter(|&&r| !seat_members.iter().any(|(m, _)| *m == r))
        .map(|&r| {
            let (covers, depth) = pools.match_key(r, &flags);
            (
                std::cmp::Reverse((covers, depth)),
                model.travel_cost(r, c),
                r,
            )
        })
        .collect();
    let keep = ALTERNATES_PER_SEAT.min(ranked.len());
    if keep == 0 {
        return Vec::new();
    }
    ranked.select_nth_unstable(keep - 1);
    ranked.truncate(keep);
    ranked.sort_unstable();
    ranked
        .into_iter()
        .enumerate()
        .map(|(rank, (_, _, r))| {
            let reason = why_not(model, assignment, c, s, r, team_members, seat_members);
            let reviewer = &problem.reviewers[r];
            let explanation = format!(
                "{} {}",
                reviewer.display_name(),
                crate::infeasibility::not_chosen_phrase(model, &reason)
            );
            Alternate {
                rank: rank as u32 + 1,
                reviewer: reviewer.id.clone(),
                reason,
                explanation,
            }
        })
        .collect()
}

fn why_not(
    model: &Model<'_>,
    assignment: &Assignment,
    c: usize,
    s: usize,
    r: usize,
    team_members: &[usize],
    seat_members: &[(usize, bool)],
) -> NotChosen {
    let problem = model.problem;
    if let Some(reason) = model.rules.rejection(c, s, r) {
        return reason;
    }
    if team_members.contains(&r) {
        return NotChosen::AlreadyOnTeam;
    }
    let overlapping = &model.challenges[c].overlapping;
    if let Some(&other) = assignment.booked[r]
        .iter()
        .find(|o| overlapping.binary_search(o).is_ok())
    {
        return NotChosen::BookedElsewhere {
            challenge: problem.challenges[other as usize].id.clone(),
        };
    }
    let facts = &model.reviewers[r];
    if assignment.load[r] >= facts.spare {
        return NotChosen::LoadCap {
            max_per_year: problem.reviewers[r].max_per_year,
        };
    }
    if let Some(cap) = problem.options.max_per_authority {
        let same = team_members
            .iter()
            .filter(|&&m| model.reviewers[m].authority == facts.authority)
            .count() as u32;
        let frees_one = seat_members
            .iter()
            .any(|&(m, pinned)| !pinned && model.reviewers[m].authority == facts.authority);
        if same >= cap && !frees_one {
            return NotChosen::AuthorityLimit {
                authority: problem.reviewers[r].home_authority.clone(),
            };
        }
    }
    NotChosen::WeakerMatch {
        by: weaker_by(model, assignment, c, s, r, team_members, seat_members),
    }
}

/// Compares the team with the alternate swapped in for the seat group's closest member, level by level,
/// and names the first level that gets worse.
fn weaker_by(
    model: &Model<'_>,
    assignment: &Assignment,
    c: usize,
    s: usize,
    alternate: usize,
    team_members: &[usize],
    seat_members: &[(usize, bool)],
) -> String {
    let problem = model.problem;
    let challenge = &problem.challenges[c];
    let mut themes = challenge.themes.clone();
    themes.sort();
    themes.dedup();
    let level_values = |members: &[usize], loads: &dyn Fn(usize) -> u32| -> [i64; 6] {
        let mut covered: Vec<ThemeId> = Vec::new();
        let mut shortfall = 0i64;
        let mut travel = 0i64;
        let mut load = 0i64;
        let mut flags = 0u8;
        for &m in members {
            let reviewer = &problem.reviewers[m];
            let (covers, depth) = match_on(reviewer, &themes);
            covered.extend(covers);
            shortfall += 3 * themes.len() as i64 - i64::from(depth);
            travel += i64::from(
                problem
                    .travel
                    .cost(reviewer.travels_from(), &challenge.host_authority),
            );
            load += marginal_load_cost(loads(m)) as i64;
            flags |= model.reviewers[m].experience.flag();
        }
        covered.sort();
        covered.dedup();
        let uncovered = themes.len() as i64 - covered.len() as i64;
        [
            0,
            uncovered,
            shortfall,
            load,
            travel,
            i64::from(unpaired(flags)),
        ]
    };
    let mut best: Option<(Vec<i64>, String)> = None;
    for &(member, pinned) in seat_members {
        if pinned {
            continue;
        }
        let others: Vec<usize> = team_members
            .iter()
            .copied()
            .filter(|&m| m != member)
            .collect();
        // Load before this challenge's seat for each person: their final load minus this seat.
        let load_without =
            |m: usize| model.reviewers[m].base + assignment.load[m] - u32::from(m != alternate);
        let mut with_member = others.clone();
        with_member.push(member);
        let mut with_alternate = others;
        with_alternate.push(alternate);
        let chosen = level_values(&with_member, &load_without);
        let swapped = level_values(&with_alternate, &load_without);
        let mut delta: Vec<i64> = swapped
            .iter()
            .zip(chosen.iter())
            .map(|(a, b)| a - b)
            .collect();
        let is_change_member = assignment.picks[c]
            .iter()
            .any(|p| p.reviewer as usize == member && p.candidate.is_change);
        let was_previous_alternate = problem.options.previous.iter().any(|p| {
            p.challenge == challenge.id
                && p.members
                    .iter()
                    .any(|m| m.seat == s && m.reviewer == problem.reviewers[alternate].id)
        });
        let has_previous = problem
            .options
            .previous
            .iter()
            .any(|p| p.challenge == challenge.id);
        if has_previous {
            delta[0] = i64::from(!was_previous_alternate) - i64::from(is_change_member);
        }
        let text = match Level::ALL.iter().zip(delta.iter()).find(|(_, d)| **d != 0) {
            Some((level, d)) if *d > 0 => level.describe(*d as u64),
            Some(_) => {
                "better on this team alone, but the whole schedule is better without the swap"
                    .to_owned()
            }
            None => "an equally good match; ties go to the earlier reviewer".to_owned(),
        };
        if best.as_ref().is_none_or(|(b, _)| delta < *b) {
            best = Some((delta, text));
        }
    }
    best.map_or_else(
        || "every seat in this group is pinned".to_owned(),
        |(_, text)| text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::generate_custom;

    /// The alternates' cheap ranking key (indexed expertise, travel matrix) is exactly what the
    /// members' reasons compute from the problem itself.
    #[test]
    fn the_ranking_key_matches_the_reasons() {
        let problem = generate_custom(60, 10, 6, 5);
        let model = Model::build(&problem).expect("model");
        let pools = Pools::new(&problem);
        for (c, challenge) in problem.challenges.iter().enumerate() {
            let mut themes = challenge.themes.clone();
            themes.sort();
            themes.dedup();
            let flags = pools.theme_flags(&themes);
            for (r, reviewer) in problem.reviewers.iter().enumerate() {
                let (covers, depth) = match_on(reviewer, &themes);
                assert_eq!(pools.match_key(r, &flags), (covers.len(), depth));
                assert_eq!(
                    model.travel_cost(r, c),
                    problem
                        .travel
                        .cost(reviewer.travels_from(), &challenge.host_authority)
                );
            }
        }
    }
}
