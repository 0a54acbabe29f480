//! Shared builders for the integration tests (included with `mod common;`).
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use matching::*;
use std::collections::BTreeMap;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn reviewer(id: &str, roles: &[&str], home: &str) -> Reviewer {
    Reviewer {
        id: ReviewerId::new(id),
        name: None,
        roles: roles.iter().map(|r| Role::new(*r)).collect(),
        home_authority: AuthorityId::new(home),
        nhs_board: None,
        trained: true,
        expertise: BTreeMap::new(),
        unavailable: Vec::new(),
        conflicts: Vec::new(),
        max_per_year: 4,
        current_load: 0,
        past_challenges: 3,
        location: None,
    }
}

pub fn challenge(id: &str, host: &str, dates: Vec<NaiveDate>, seats: &[(&str, u32)]) -> Challenge {
    Challenge {
        id: ChallengeId::new(id),
        dates,
        host_authority: AuthorityId::new(host),
        host_nhs_board: None,
        themes: Vec::new(),
        seats: seats
            .iter()
            .map(|(role, count)| Seat {
                role: Role::new(*role),
                count: *count,
                shadowing: false,
            })
            .collect(),
        pinned: Vec::new(),
        declined: Vec::new(),
    }
}

pub fn problem(challenges: Vec<Challenge>, reviewers: Vec<Reviewer>) -> Problem {
    Problem {
        challenges,
        reviewers,
        travel: Travel::default(),
        options: Options::default(),
        authority_names: BTreeMap::new(),
    }
}

/// The objective levels computed independently from the problem, for comparison with brute force.
pub fn levels(problem: &Problem, teams: &[Team]) -> [u64; 6] {
    let by_id: BTreeMap<&ReviewerId, &Reviewer> =
        problem.reviewers.iter().map(|r| (&r.id, r)).collect();
    let mut uncovered = 0;
    let mut shortfall = 0;
    let mut travel = 0;
    let mut unpaired = 0;
    let mut changes = 0;
    let mut load: BTreeMap<&ReviewerId, u32> = BTreeMap::new();
    for team in teams {
        let challenge = problem
            .challenges
            .iter()
            .find(|c| c.id == team.challenge)
            .unwrap();
        let mut themes = challenge.themes.clone();
        themes.sort();
        themes.dedup();
        let members: Vec<&Reviewer> = team.members().map(|id| by_id[id]).collect();
        for theme in &themes {
            if !members
                .iter()
                .any(|m| m.expertise.get(theme).is_some_and(|l| l.covers()))
            {
                uncovered += 1;
            }
        }
        for m in &members {
            let depth: u32 = themes
                .iter()
                .filter_map(|t| m.expertise.get(t))
                .map(|l| l.points())
                .sum();
            shortfall += u64::from(3 * themes.len() as u32 - depth);
            travel += u64::from(problem.travel.cost(
                m.location.as_ref().unwrap_or(&m.home_authority),
                &challenge.host_authority,
            ));
            *load.entry(&m.id).or_default() += 1;
        }
        let new = members.iter().any(|m| m.past_challenges == 0);
        let experienced = members
            .iter()
            .any(|m| m.past_challenges >= problem.options.experienced_after);
        if new && !experienced {
            unpaired += 1;
        }
        if let Some(previous) = problem
            .options
            .previous
            .iter()
            .find(|p| p.challenge == team.challenge)
        {
            for seat in &team.seats {
                for m in &seat.members {
                    let pinned = challenge.pinned.iter().any(|p| p.reviewer == m.reviewer);
                    if !pinned
                        && !previous
                            .members
                            .iter()
                            .any(|p| p.seat == seat.seat && p.reviewer == m.reviewer)
                    {
                        changes += 1;
                    }
                }
            }
        }
    }
    let mut load_cost = 0u64;
    for r in &problem.reviewers {
        let l = u64::from(r.current_load + load.get(&r.id).copied().unwrap_or(0));
        load_cost += l * l - u64::from(r.current_load) * u64::from(r.current_load);
    }
    [
        changes,
        uncovered,
        shortfall,
        if problem.options.balance_load {
            load_cost
        } else {
            0
        },
        travel,
        unpaired,
    ]
}
