//! Triangulation: a self-assessment's claims set against the published figures and the latest
//! inspection. Which indicators bear on which strand is a declarative table (`RELATED`); where
//! an area stands on an indicator is worked out once (`position`: its trend, the region's
//! middle, England, its place among the region's areas); and `flags` applies the documented
//! rules (`FlagRule`) to one section. Pure: figures in, flags out. A figure that is not there
//! (never published, or a statistics-service symbol) is never read as zero: it raises nothing.

use chrono::{Months, NaiveDate};

use crate::area_send_framework::{SelfRating, Strand};
use crate::indicators::{Indicator, Period, Reading};
use crate::inspections::{Inspection, InspectionKind, InspectionOutcome, month_year};

/// Which published indicators bear on which strand. A strand absent here has no published
/// figure in the store yet (participation, preparation for adulthood and inclusion need
/// other publications); it is triangulated against the inspection only.
///
/// Why each: 20-week timeliness is how timely assessment is (needs identified), whether help
/// comes at the right time, what leaders' evaluation has (or has not) improved, and depends on
/// health and care advice arriving in six weeks (multi-agency working); requests and plans
/// issued are the demand leaders must understand and commission for.
pub const RELATED: &[(Strand, &[Indicator])] = &[
    (
        Strand::NeedsIdentified,
        &[
            Indicator::TwentyWeekTimeliness,
            Indicator::RequestsForAssessment,
        ],
    ),
    (
        Strand::RightHelp,
        &[Indicator::TwentyWeekTimeliness, Indicator::PlansIssued],
    ),
    (
        Strand::SharedUnderstanding,
        &[Indicator::RequestsForAssessment, Indicator::PlansIssued],
    ),
    (Strand::Commissioning, &[Indicator::PlansIssued]),
    (Strand::EvaluateImprove, &[Indicator::TwentyWeekTimeliness]),
    (Strand::MultiAgency, &[Indicator::TwentyWeekTimeliness]),
];

/// The indicators related to a strand (empty for none).
pub fn related_indicators(strand: Strand) -> &'static [Indicator] {
    RELATED
        .iter()
        .find(|(s, _)| *s == strand)
        .map_or(&[], |(_, indicators)| indicators)
}

/// A fall of at least this much (percentage points, for a percentage) from one period to the
/// next counts as falling for `FlagRule::PositiveWhileFalling`.
pub const FALL_POINTS: f64 = 10.0;
/// How long an inspection's outcome stands against a self-rating: the framework's three years
/// to a full re-inspection after inconsistent or systemic failings.
pub const INSPECTION_STANDS_MONTHS: u32 = 36;

/// An area's figures for one indicator, as the store holds them: the latest period with a
/// figure for any area of the region or England, and the one before.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorFigures {
    pub indicator: Indicator,
    pub period: Period,
    pub own: Option<Reading>,
    pub previous: Option<(Period, Option<Reading>)>,
    pub england: Option<Reading>,
    /// Every current area of the region in the period, the area itself included.
    pub region: Vec<Option<Reading>>,
}

/// An area's place among the region's areas with a figure: 1 is the best.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rank {
    pub place: usize,
    pub of: usize,
}

impl Rank {
    /// In the bottom third of at least three areas (the last `of / 3` places).
    pub fn bottom_third(self) -> bool {
        self.of >= 3 && self.place > self.of - self.of / 3
    }

    /// In the top third of at least three areas (the first `of / 3` places).
    pub fn top_third(self) -> bool {
        self.of >= 3 && self.place <= self.of / 3
    }
}

impl std::fmt::Display for Rank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} of {}", ordinal(self.place), self.of)
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Where an area stands on one indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorPosition {
    pub indicator: Indicator,
    pub period: Period,
    pub own: Option<Reading>,
    pub previous: Option<(Period, f64)>,
    pub england: Option<f64>,
    /// The middle (median) of the region's areas with a figure.
    pub region_middle: Option<f64>,
    /// Only for an indicator where higher or lower is better, and only with a figure.
    pub rank: Option<Rank>,
}

impl IndicatorPosition {
    fn own_value(&self) -> Option<f64> {
        self.own.and_then(Reading::value)
    }

    /// Whether the area's figure is worse than England's; `None` without both figures or for
    /// an indicator with no better direction.
    pub fn worse_than_england(&self) -> Option<bool> {
        let higher = self.indicator.higher_is_better()?;
        let (own, england) = (self.own_value()?, self.england?);
        Some(if higher { own < england } else { own > england })
    }

    /// Whether the area's figure is better than England's (same conditions).
    pub fn better_than_england(&self) -> Option<bool> {
        let higher = self.indicator.higher_is_better()?;
        let (own, england) = (self.own_value()?, self.england?);
        Some(if higher { own > england } else { own < england })
    }

    /// How far the figure fell (got worse) since the period before; `None` without both.
    pub fn fall(&self) -> Option<f64> {
        let higher = self.indicator.higher_is_better()?;
        let (own, (_, before)) = (self.own_value()?, self.previous.as_ref()?);
        Some(if higher { before - own } else { own - before })
    }
}

/// A value as a page shows it: "14.0%" or "769".
pub fn figure(indicator: Indicator, value: f64) -> String {
    if indicator.is_percentage() {
        format!("{value:.1}%")
    } else {
        format!("{value:.0}")
    }
}

/// The middle of some figures (the mean of the two middle ones for an even count).
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Where the area stands: only areas with a figure are ranked, and an area without one has
/// no rank (it is not last).
pub fn position(figures: &IndicatorFigures) -> IndicatorPosition {
    let region: Vec<f64> = figures
        .region
        .iter()
        .filter_map(|r| r.and_then(Reading::value))
        .collect();
    let own = figures.own.and_then(Reading::value);
    let rank = match (figures.indicator.higher_is_better(), own) {
        (Some(higher), Some(own)) => {
            let better = region
                .iter()
                .filter(|v| if higher { **v > own } else { **v < own })
                .count();
            Some(Rank {
                place: better + 1,
                of: region.len().max(better + 1),
            })
        }
        _ => None,
    };
    IndicatorPosition {
        indicator: figures.indicator,
        period: figures.period.clone(),
        own: figures.own,
        previous: figures
            .previous
            .as_ref()
            .and_then(|(p, r)| r.and_then(Reading::value).map(|v| (p.clone(), v))),
        england: figures.england.and_then(Reading::value),
        region_middle: median(region),
        rank,
    }
}

vocabulary!(
    /// The rules a flag is raised by: where what the area claims and what the data says
    /// disagree. Each is documented at `flags`.
    FlagRule {
        PositiveWhileBottomThird => "positive_bottom_third", "Rated typically positive while in the region's bottom third and below England";
        PositiveWhileFalling => "positive_falling", "Rated typically positive while the figure fell sharply and is below England";
        BetterThanInspection => "better_than_inspection", "Rated better than the latest full inspection found";
        FailingsWhileTopThird => "failings_top_third", "Rated systemic failings while in the region's top third and above England";
    }
);

/// A disagreement between a section's self-rating and the evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub rule: FlagRule,
    pub strand: Strand,
    pub indicator: Option<Indicator>,
    /// The disagreement in words, with the figures.
    pub says: String,
}

/// The latest full inspection, when it still stands at `as_of` (within
/// `INSPECTION_STANDS_MONTHS`).
pub fn standing_inspection(history: &[Inspection], as_of: NaiveDate) -> Option<&Inspection> {
    history
        .iter()
        .filter(|i| i.kind == InspectionKind::Full && i.month <= as_of)
        .max_by_key(|i| i.month)
        .filter(|i| {
            i.month
                .checked_add_months(Months::new(INSPECTION_STANDS_MONTHS))
                .is_some_and(|until| as_of < until)
        })
}

fn outcome_rank(outcome: InspectionOutcome) -> Option<u8> {
    match outcome {
        InspectionOutcome::Positive => Some(0),
        InspectionOutcome::Inconsistent => Some(1),
        InspectionOutcome::SystemicFailings => Some(2),
        InspectionOutcome::EffectiveAction | InspectionOutcome::InsufficientAction => None,
    }
}

/// The flags on one section. The rules:
///
/// - **PositiveWhileBottomThird**: rated typically positive on a strand while a related
///   indicator (one where higher or lower is better) is in the region's bottom third (the last
///   `n / 3` of the `n ≥ 3` areas with a figure) and worse than England. For example, rated
///   positive on needs identified and assessed in a timely way while 20-week timeliness is
///   8th of 10 in the region and below England.
/// - **PositiveWhileFalling**: rated typically positive while a related indicator got worse by
///   at least `FALL_POINTS` since the period before and is worse than England.
/// - **BetterThanInspection**: rated better on the framework's scale than the outcome of the
///   area's latest full inspection, while that outcome stands (`INSPECTION_STANDS_MONTHS`).
/// - **FailingsWhileTopThird**: rated systemic failings while a related indicator is in the
///   region's top third and better than England: an under-claim worth a question too.
///
/// No figure (not published, or a symbol such as `c` or `x`) raises nothing, nor does an
/// England figure or a region of fewer than three areas that is missing: a gap is never read
/// as zero or as last place. An unrated section raises nothing.
pub fn flags(
    strand: Strand,
    rating: Option<SelfRating>,
    positions: &[IndicatorPosition],
    inspection: Option<&Inspection>,
) -> Vec<Flag> {
    let Some(rating) = rating else {
        return Vec::new();
    };
    let related = related_indicators(strand);
    let mut flags = Vec::new();
    for position in positions.iter().filter(|p| related.contains(&p.indicator)) {
        let indicator = position.indicator;
        let (Some(own), Some(england)) = (position.own_value(), position.england) else {
            continue;
        };
        let name = indicator.label();
        let period = &position.period;
        match rating {
            SelfRating::Positive => {
                if let Some(rank) = position.rank.filter(|r| r.bottom_third())
                    && position.worse_than_england() == Some(true)
                {
                    flags.push(Flag {
                        rule: FlagRule::PositiveWhileBottomThird,
                        strand,
                        indicator: Some(indicator),
                        says: format!(
                            "Rated typically positive, while {name} in {period} was {}: {rank} in the region (its bottom third) and below England ({}).",
                            figure(indicator, own),
                            figure(indicator, england)
                        ),
                    });
                }
                if let Some(fall) = position.fall().filter(|f| *f >= FALL_POINTS)
                    && position.worse_than_england() == Some(true)
                    && let Some((before_period, before)) = &position.previous
                {
                    flags.push(Flag {
                        rule: FlagRule::PositiveWhileFalling,
                        strand,
                        indicator: Some(indicator),
                        says: format!(
                            "Rated typically positive, while {name} fell from {} in {before_period} to {} in {period} (by {fall:.1}) and is below England ({}).",
                            figure(indicator, *before),
                            figure(indicator, own),
                            figure(indicator, england)
                        ),
                    });
                }
            }
            SelfRating::SystemicFailings => {
                if let Some(rank) = position.rank.filter(|r| r.top_third())
                    && position.better_than_england() == Some(true)
                {
                    flags.push(Flag {
                        rule: FlagRule::FailingsWhileTopThird,
                        strand,
                        indicator: Some(indicator),
                        says: format!(
                            "Rated systemic failings, while {name} in {period} was {}: {rank} in the region (its top third) and above England ({}).",
                            figure(indicator, own),
                            figure(indicator, england)
                        ),
                    });
                }
            }
            SelfRating::Inconsistent => {}
        }
    }
    if let Some(inspection) = inspection
        && let Some(found) = outcome_rank(inspection.outcome)
        && rating.rank() < found
    {
        flags.push(Flag {
            rule: FlagRule::BetterThanInspection,
            strand,
            indicator: None,
            says: format!(
                "Rated \"{}\", while the full inspection of {} found \"{}\".",
                rating.short().to_lowercase(),
                month_year(inspection.month),
                inspection.outcome.label().to_lowercase()
            ),
        });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Suppression;

    fn year(y: &str) -> Period {
        Period::parse(y, "Calendar year").expect("period")
    }

    /// Derby's published 20-week timeliness in 2024 against its region and England.
    fn derby_2024() -> IndicatorFigures {
        IndicatorFigures {
            indicator: Indicator::TwentyWeekTimeliness,
            period: year("2024"),
            own: Some(Reading::Value(14.0)),
            previous: Some((year("2023"), Some(Reading::Value(22.6)))),
            england: Some(Reading::Value(46.4)),
            region: [14.0, 35.7, 51.8, 4.3, 74.3, 99.0, 29.9, 37.5, 21.4, 10.8]
                .into_iter()
                .map(|v| Some(Reading::Value(v)))
                .collect(),
        }
    }

    fn inspection(month: &str, kind: InspectionKind, outcome: InspectionOutcome) -> Inspection {
        Inspection {
            month: NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").expect("date"),
            kind,
            outcome,
            report_url: None,
        }
    }

    #[test]
    fn derby_is_eighth_of_ten_in_the_bottom_third() {
        let p = position(&derby_2024());
        assert_eq!(p.rank, Some(Rank { place: 8, of: 10 }));
        assert!(p.rank.is_some_and(Rank::bottom_third));
        assert_eq!(p.worse_than_england(), Some(true));
        assert_eq!(p.region_middle, Some((29.9 + 35.7) / 2.0));
        assert_eq!(p.rank.map(|r| r.to_string()).as_deref(), Some("8th of 10"));
    }

    #[test]
    fn positive_in_the_bottom_third_and_below_england_is_flagged() {
        let p = position(&derby_2024());
        let flags = flags(
            Strand::NeedsIdentified,
            Some(SelfRating::Positive),
            &[p],
            None,
        );
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].rule, FlagRule::PositiveWhileBottomThird);
        assert!(flags[0].says.contains("8th of 10"), "{}", flags[0].says);
        assert!(flags[0].says.contains("46.4%"));
    }

    #[test]
    fn bottom_third_but_above_england_is_not_flagged() {
        let mut f = derby_2024();
        f.england = Some(Reading::Value(10.0));
        let flags = flags(
            Strand::NeedsIdentified,
            Some(SelfRating::Positive),
            &[position(&f)],
            None,
        );
        assert!(flags.is_empty(), "{flags:?}");
    }

    #[test]
    fn an_unrelated_strand_or_an_honest_rating_is_not_flagged() {
        let p = position(&derby_2024());
        assert!(
            flags(
                Strand::LeadersEngage,
                Some(SelfRating::Positive),
                std::slice::from_ref(&p),
                None
            )
            .is_empty()
        );
        assert!(
            flags(
                Strand::NeedsIdentified,
                Some(SelfRating::Inconsistent),
                std::slice::from_ref(&p),
                None
            )
            .is_empty()
        );
        assert!(flags(Strand::NeedsIdentified, None, &[p], None).is_empty());
    }

    #[test]
    fn no_figure_is_never_read_as_zero() {
        // Leicester's 2023 figure was withheld (`x`): not last in the region, no flag.
        let mut f = derby_2024();
        f.own = Some(Reading::Missing(Suppression::NotAvailable));
        f.region[0] = f.own;
        let p = position(&f);
        assert_eq!(p.rank, None);
        assert!(
            flags(
                Strand::NeedsIdentified,
                Some(SelfRating::Positive),
                &[p],
                None
            )
            .is_empty()
        );
        // No England figure: "below England" cannot be said.
        let mut f = derby_2024();
        f.england = Some(Reading::Missing(Suppression::Confidential));
        assert!(
            flags(
                Strand::NeedsIdentified,
                Some(SelfRating::Positive),
                &[position(&f)],
                None
            )
            .is_empty()
        );
        // Missing neighbours are not counted as areas below it.
        let mut f = derby_2024();
        f.region = vec![
            Some(Reading::Value(14.0)),
            None,
            None,
            Some(Reading::Value(10.0)),
        ];
        let p = position(&f);
        assert_eq!(p.rank, Some(Rank { place: 1, of: 2 }));
        assert!(
            !p.rank.is_some_and(Rank::bottom_third),
            "too few areas to have thirds"
        );
        assert!(
            flags(
                Strand::NeedsIdentified,
                Some(SelfRating::Positive),
                &[p],
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn a_sharp_fall_below_england_is_flagged() {
        let mut f = derby_2024();
        // Middle of the region, so only the fall speaks.
        f.own = Some(Reading::Value(30.0));
        f.previous = Some((year("2023"), Some(Reading::Value(45.0))));
        let got = flags(
            Strand::RightHelp,
            Some(SelfRating::Positive),
            &[position(&f)],
            None,
        );
        assert_eq!(
            got.iter().map(|f| f.rule).collect::<Vec<_>>(),
            [FlagRule::PositiveWhileFalling]
        );
        // A withheld earlier figure is no fall.
        f.previous = Some((
            year("2023"),
            Some(Reading::Missing(Suppression::NotAvailable)),
        ));
        assert!(
            flags(
                Strand::RightHelp,
                Some(SelfRating::Positive),
                &[position(&f)],
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn failings_in_the_top_third_above_england_is_flagged() {
        let mut f = derby_2024();
        f.own = Some(Reading::Value(99.0));
        let got = flags(
            Strand::EvaluateImprove,
            Some(SelfRating::SystemicFailings),
            &[position(&f)],
            None,
        );
        assert_eq!(
            got.iter().map(|f| f.rule).collect::<Vec<_>>(),
            [FlagRule::FailingsWhileTopThird]
        );
    }

    #[test]
    fn counts_have_no_rank_and_raise_nothing() {
        let mut f = derby_2024();
        f.indicator = Indicator::PlansIssued;
        let p = position(&f);
        assert_eq!(p.rank, None);
        assert!(
            flags(
                Strand::Commissioning,
                Some(SelfRating::Positive),
                &[p],
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn a_rating_better_than_a_standing_inspection_is_flagged() {
        let history = [
            inspection(
                "2024-01",
                InspectionKind::Full,
                InspectionOutcome::SystemicFailings,
            ),
            inspection(
                "2025-06",
                InspectionKind::Monitoring,
                InspectionOutcome::EffectiveAction,
            ),
        ];
        let as_of = NaiveDate::from_ymd_opt(2026, 9, 1).expect("date");
        let standing = standing_inspection(&history, as_of);
        assert_eq!(standing.map(|i| i.month), Some(history[0].month));
        let got = flags(
            Strand::LeadersEngage,
            Some(SelfRating::Inconsistent),
            &[],
            standing,
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rule, FlagRule::BetterThanInspection);
        assert!(got[0].says.contains("January 2024"), "{}", got[0].says);
        assert!(
            flags(
                Strand::LeadersEngage,
                Some(SelfRating::SystemicFailings),
                &[],
                standing
            )
            .is_empty()
        );
        // Three years on, the outcome no longer stands against the rating.
        let later = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        assert!(standing_inspection(&history, later).is_none());
        // A positive outcome leaves any rating unflagged.
        let good = [inspection(
            "2025-01",
            InspectionKind::Full,
            InspectionOutcome::Positive,
        )];
        let standing = standing_inspection(&good, as_of);
        assert!(
            flags(
                Strand::LeadersEngage,
                Some(SelfRating::Positive),
                &[],
                standing
            )
            .is_empty()
        );
    }

    #[test]
    fn the_table_names_only_strands_once() {
        for (i, (strand, indicators)) in RELATED.iter().enumerate() {
            assert!(!indicators.is_empty());
            assert!(
                RELATED[i + 1..].iter().all(|(s, _)| s != strand),
                "{strand:?} twice"
            );
        }
        assert!(
            related_indicators(Strand::NeedsIdentified).contains(&Indicator::TwentyWeekTimeliness)
        );
    }
}
