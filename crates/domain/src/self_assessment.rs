//! The annual self-assessment cycle: its year and timetable, and the triads the region's
//! areas meet in. Triads are proposed to avoid last year's groupings, explained in words,
//! and checked again whenever the co-ordinator changes them.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;

use crate::AuthoritySlug;
use crate::forms::FieldProblem;

/// A cycle's timetable, as the region runs it: self-assessments written in November and
/// December, triad conversations in January and February, development plans due in March.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CycleTimetable {
    pub self_assessment_opens: NaiveDate,
    pub self_assessment_due: NaiveDate,
    pub conversations_from: NaiveDate,
    pub conversations_to: NaiveDate,
    pub plans_due: NaiveDate,
}

impl CycleTimetable {
    /// The region's usual timetable for the cycle starting in the autumn of `year`.
    pub fn usual(year: i32) -> Option<Self> {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        Some(Self {
            self_assessment_opens: day(year, 11, 1)?,
            self_assessment_due: day(year, 12, 19)?,
            conversations_from: day(year + 1, 1, 12)?,
            conversations_to: day(year + 1, 2, 27)?,
            plans_due: day(year + 1, 3, 31)?,
        })
    }
}

/// A cycle's name: "2026 to 2027".
pub fn cycle_title(year: i32) -> String {
    format!("Annual self-assessment {year} to {}", year + 1)
}

/// The year typed for a new cycle, checked.
pub fn parse_cycle_year(text: &str, today: NaiveDate) -> Result<i32, FieldProblem> {
    use chrono::Datelike;
    let year: i32 = text
        .trim()
        .parse()
        .map_err(|_| FieldProblem::new("year", "Enter the year the cycle starts, like 2026"))?;
    if !(today.year() - 1..=today.year() + 1).contains(&year) {
        return Err(FieldProblem::new(
            "year",
            format!(
                "The cycle must start in {}, {} or {}",
                today.year() - 1,
                today.year(),
                today.year() + 1
            ),
        ));
    }
    Ok(year)
}

/// How many areas each triad has: threes, with a four where the areas do not divide by
/// three (ten areas make 3 + 3 + 4, eleven 3 + 4 + 4). Fewer than six areas make one group.
pub fn triad_sizes(areas: usize) -> Vec<usize> {
    if areas < 6 {
        return vec![areas];
    }
    match areas % 3 {
        0 => vec![3; areas / 3],
        1 => {
            let mut sizes = vec![3; areas / 3 - 1];
            sizes.push(4);
            sizes
        }
        _ => {
            let mut sizes = vec![3; areas / 3 - 2];
            sizes.extend([4, 4]);
            sizes
        }
    }
}

/// Two areas that were in the same triad last year.
fn pairs(group: &[AuthoritySlug]) -> Vec<(&AuthoritySlug, &AuthoritySlug)> {
    let mut out = Vec::new();
    for (i, a) in group.iter().enumerate() {
        for b in &group[i + 1..] {
            out.push(if a < b { (a, b) } else { (b, a) });
        }
    }
    out
}

fn last_year_pairs(last_year: &[Vec<AuthoritySlug>]) -> HashSet<(AuthoritySlug, AuthoritySlug)> {
    last_year
        .iter()
        .flat_map(|group| {
            pairs(group)
                .into_iter()
                .map(|(a, b)| (a.clone(), b.clone()))
        })
        .collect()
}

/// The pairs in `group` that were together last year.
pub fn repeated_pairs(
    group: &[AuthoritySlug],
    last_year: &[Vec<AuthoritySlug>],
) -> Vec<(AuthoritySlug, AuthoritySlug)> {
    let before = last_year_pairs(last_year);
    pairs(group)
        .into_iter()
        .filter(|(a, b)| before.contains(&((*a).clone(), (*b).clone())))
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect()
}

/// The triads for this year's areas with as few of last year's pairings as can be: every
/// grouping is tried for a region's dozen areas; past that, areas are placed one by one
/// where they meet fewest of last year's partners. The same areas and history always give
/// the same triads.
pub fn propose_triads(
    areas: &[AuthoritySlug],
    last_year: &[Vec<AuthoritySlug>],
) -> Vec<Vec<AuthoritySlug>> {
    let mut areas: Vec<AuthoritySlug> = areas.to_vec();
    areas.sort();
    areas.dedup();
    let sizes = triad_sizes(areas.len());
    let before = last_year_pairs(last_year);
    let cost = |groups: &[Vec<AuthoritySlug>]| -> usize {
        groups
            .iter()
            .flat_map(|g| pairs(g))
            .filter(|(a, b)| before.contains(&((*a).clone(), (*b).clone())))
            .count()
    };
    if areas.len() <= 12 {
        let mut best: Option<(usize, Vec<Vec<AuthoritySlug>>)> = None;
        for order in size_orders(&sizes) {
            let mut groups = Vec::new();
            search(&areas, &order, &mut groups, &mut |found| {
                let c = cost(found);
                if best.as_ref().is_none_or(|(b, _)| c < *b) {
                    best = Some((c, found.to_vec()));
                }
            });
        }
        return best.map(|(_, groups)| groups).unwrap_or_default();
    }
    // Greedy, for a region larger than any in England's nine but London.
    let mut groups: Vec<Vec<AuthoritySlug>> = sizes.iter().map(|_| Vec::new()).collect();
    for area in areas {
        let target = (0..groups.len())
            .filter(|g| groups[*g].len() < sizes[*g])
            .min_by_key(|g| {
                let clashes = groups[*g]
                    .iter()
                    .filter(|other| {
                        let pair = if &area < *other {
                            (area.clone(), (*other).clone())
                        } else {
                            ((*other).clone(), area.clone())
                        };
                        before.contains(&pair)
                    })
                    .count();
                (clashes, groups[*g].len())
            });
        if let Some(g) = target {
            groups[g].push(area);
        }
    }
    groups
}

/// The distinct orders of the group sizes (3, 3, 4 → three orders), so the search's rule
/// "the first unplaced area opens the next group" reaches every grouping.
fn size_orders(sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut orders = BTreeSet::new();
    permute(&mut sizes.to_vec(), 0, &mut orders);
    orders.into_iter().collect()
}

fn permute(sizes: &mut Vec<usize>, from: usize, out: &mut BTreeSet<Vec<usize>>) {
    if from == sizes.len() {
        out.insert(sizes.clone());
        return;
    }
    for i in from..sizes.len() {
        sizes.swap(from, i);
        permute(sizes, from + 1, out);
        sizes.swap(from, i);
    }
}

fn search(
    left: &[AuthoritySlug],
    sizes: &[usize],
    groups: &mut Vec<Vec<AuthoritySlug>>,
    found: &mut dyn FnMut(&[Vec<AuthoritySlug>]),
) {
    let Some((&size, rest_sizes)) = sizes.split_first() else {
        found(groups);
        return;
    };
    let Some((first, others)) = left.split_first() else {
        return;
    };
    for chosen in combinations(others.len(), size.saturating_sub(1)) {
        let mut group = vec![first.clone()];
        group.extend(chosen.iter().map(|i| others[*i].clone()));
        let remaining: Vec<AuthoritySlug> = others
            .iter()
            .enumerate()
            .filter(|(i, _)| !chosen.contains(i))
            .map(|(_, a)| a.clone())
            .collect();
        groups.push(group);
        search(&remaining, rest_sizes, groups, found);
        groups.pop();
    }
}

/// Every way of choosing `k` of `n` indices, in order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn walk(start: usize, n: usize, k: usize, current: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if current.len() == k {
            out.push(current.clone());
            return;
        }
        for i in start..n {
            current.push(i);
            walk(i + 1, n, k, current, out);
            current.pop();
        }
    }
    let mut out = Vec::new();
    walk(0, n, k, &mut Vec::new(), &mut out);
    out
}

/// The rules a set of triads must keep, checked whenever it is made or changed: every area of
/// the cycle in exactly one triad, and triads of three or four (one group when there are
/// fewer than six areas). Each problem is keyed by the area's field on the form.
pub fn check_triads(groups: &[Vec<AuthoritySlug>], areas: &[AuthoritySlug]) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for group in groups {
        for area in group {
            if !areas.contains(area) {
                problems.push(FieldProblem::new(
                    format!("triad-{area}"),
                    format!("{area} is not an area of this cycle"),
                ));
            } else if !seen.insert(area.clone()) {
                problems.push(FieldProblem::new(
                    format!("triad-{area}"),
                    format!("{area} is in more than one triad"),
                ));
            }
        }
    }
    for area in areas {
        if !seen.contains(area) {
            problems.push(FieldProblem::new(
                format!("triad-{area}"),
                format!("Choose a triad for {area}"),
            ));
        }
    }
    if areas.len() >= 6 {
        for (i, group) in groups.iter().enumerate() {
            if !group.is_empty() && !(3..=4).contains(&group.len()) {
                let field = group
                    .first()
                    .map(|a| format!("triad-{a}"))
                    .unwrap_or_else(|| "triads".to_owned());
                problems.push(FieldProblem::new(
                    field,
                    format!(
                        "Triad {} has {} areas: a triad has three areas, or four where the areas do not divide by three",
                        i + 1,
                        group.len()
                    ),
                ));
            }
        }
    }
    problems
}

/// Why each triad is as it is, in words: who was together last year, or that none were.
/// `name` gives an area's name.
pub fn explain_triads(
    groups: &[Vec<AuthoritySlug>],
    last_year: &[Vec<AuthoritySlug>],
    name: &dyn Fn(&AuthoritySlug) -> String,
) -> Vec<String> {
    groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let repeated = repeated_pairs(group, last_year);
            if last_year.is_empty() {
                format!("Triad {}: no triads last year to avoid", i + 1)
            } else if repeated.is_empty() {
                format!("Triad {}: none of these areas met in a triad last year", i + 1)
            } else {
                let said: Vec<String> = repeated
                    .iter()
                    .map(|(a, b)| format!("{} and {}", name(a), name(b)))
                    .collect();
                format!(
                    "Triad {}: {} were also together last year (no grouping of the region avoids every repeat)",
                    i + 1,
                    said.join("; ")
                )
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slugs(names: &[&str]) -> Vec<AuthoritySlug> {
        names
            .iter()
            .map(|n| AuthoritySlug::parse(n).unwrap_or_else(|_| unreachable!()))
            .collect()
    }

    const TEN: [&str; 10] = [
        "derby",
        "derbyshire",
        "leicester",
        "leicestershire",
        "lincolnshire",
        "north-northamptonshire",
        "nottingham",
        "nottinghamshire",
        "rutland",
        "west-northamptonshire",
    ];

    #[test]
    fn ten_areas_make_three_three_and_four() {
        assert_eq!(triad_sizes(10), [3, 3, 4]);
        assert_eq!(triad_sizes(11), [3, 4, 4]);
        assert_eq!(triad_sizes(9), [3, 3, 3]);
        let triads = propose_triads(&slugs(&TEN), &[]);
        let mut sizes: Vec<usize> = triads.iter().map(Vec::len).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [3, 3, 4]);
        assert!(check_triads(&triads, &slugs(&TEN)).is_empty());
    }

    #[test]
    fn last_years_groupings_are_avoided() {
        let areas = slugs(&TEN);
        let last_year = propose_triads(&areas, &[]);
        let this_year = propose_triads(&areas, &last_year);
        // Four areas from last year's three groups must hold one pair: one repeat is the least.
        let repeats: usize = this_year
            .iter()
            .map(|group| repeated_pairs(group, &last_year).len())
            .sum();
        assert_eq!(repeats, 1, "{this_year:?}");
        assert_eq!(
            propose_triads(&areas, &last_year),
            this_year,
            "deterministic"
        );
        let words = explain_triads(&this_year, &last_year, &|a| a.to_string());
        assert!(
            words.iter().any(|w| w.contains("none of these areas met")),
            "{words:?}"
        );
        assert!(
            words
                .iter()
                .any(|w| w.contains("were also together last year")),
            "{words:?}"
        );
    }

    #[test]
    fn a_changed_set_is_checked_again() {
        let areas = slugs(&TEN);
        let mut triads = propose_triads(&areas, &[]);
        let moved = triads[0].pop().unwrap_or_else(|| unreachable!());
        triads[1].push(moved.clone());
        triads[1].push(moved);
        let problems = check_triads(&triads, &areas);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("in more than one triad")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("Triad 1 has 2 areas")),
            "{messages:?}"
        );
    }
}
