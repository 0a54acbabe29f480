//! Triangulation as the pages and the data pack read it: the region's published figures and
//! inspections loaded once (a query per indicator and one for inspections, however many
//! areas), then for an area each section's self-rating beside its related indicators (trend
//! chart, region, England, rank) and its standing inspection, with the flags of
//! `domain::triangulation`.

use std::collections::HashMap;

use chrono::NaiveDate;
use documents::trend_chart::{TrendChart, TrendSeries, trend_chart};
use domain::AuthoritySlug;
use domain::area_send_framework::{SelfRating, Strand};
use domain::indicators::{ENGLAND_CODE, Indicator, Period, Reading};
use domain::inspections::Inspection;
use domain::self_assessment_form::SelfAssessmentAnswers;
use domain::triangulation::{
    Flag, IndicatorFigures, IndicatorPosition, figure, flags, median, position, related_indicators,
    standing_inspection,
};
use store::{Authority, Store, StoreError};

use crate::indicators::reading_text;

/// One indicator's figures for the region: every period, and each place's reading in it.
#[derive(Clone, Debug, Default)]
struct Series {
    periods: Vec<Period>,
    by_place: HashMap<String, HashMap<Period, Reading>>,
}

/// The region's figures and inspections, loaded once for any number of its areas.
#[derive(Clone, Debug)]
pub struct RegionEvidence {
    /// The region's current areas.
    areas: Vec<Authority>,
    series: Vec<(Indicator, Series)>,
    inspections: HashMap<AuthoritySlug, Vec<Inspection>>,
}

/// One indicator beside a section: its figures in words and its trend as a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorLine {
    pub indicator: Indicator,
    pub period: String,
    pub own: String,
    pub previous: String,
    pub region_middle: String,
    pub england: String,
    pub rank: String,
    /// The trend: the area, the middle of the region's areas, England.
    pub chart: TrendChart,
}

impl IndicatorLine {
    pub fn svg(&self) -> String {
        trend_chart(&self.chart)
    }

    /// The chart's figures as a table: a row per period, a cell per line ("No figure" for a
    /// gap, never zero).
    pub fn trend_rows(&self) -> Vec<(String, Vec<String>)> {
        self.chart
            .periods
            .iter()
            .enumerate()
            .map(|(i, period)| {
                let cells =
                    self.chart
                        .series
                        .iter()
                        .map(|s| {
                            s.values.get(i).copied().flatten().map_or_else(
                                || "No figure".to_owned(),
                                |v| figure(self.indicator, v),
                            )
                        })
                        .collect();
                (period.clone(), cells)
            })
            .collect()
    }

    /// The chart's lines' names, for the table's columns.
    pub fn trend_columns(&self) -> Vec<String> {
        self.chart.series.iter().map(|s| s.name.clone()).collect()
    }
}

/// A section of the self-assessment set against the evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionEvidence {
    pub strand: Strand,
    pub rating: Option<SelfRating>,
    pub lines: Vec<IndicatorLine>,
    pub inspection: Option<Inspection>,
    pub flags: Vec<Flag>,
}

/// The date a cycle's claims are read at: when its self-assessment window opens (1 September
/// of its year, when unknown), so an inspection's outcome stands or not the same all cycle.
pub fn as_of(year: i32, opens: Option<NaiveDate>) -> NaiveDate {
    opens
        .or_else(|| NaiveDate::from_ymd_opt(year, 9, 1))
        .unwrap_or(NaiveDate::MIN)
}

/// Load the published figures of `region`'s current areas and England, and their inspections.
pub async fn region_evidence(
    store: &Store,
    region: &str,
    all: &[Authority],
) -> Result<RegionEvidence, StoreError> {
    let areas: Vec<Authority> = all
        .iter()
        .filter(|a| a.region == region && a.valid_to.is_none())
        .cloned()
        .collect();
    let mut codes: Vec<String> = areas.iter().map(|a| a.gss_code.clone()).collect();
    codes.push(ENGLAND_CODE.to_owned());
    let mut series = Vec::new();
    for indicator in Indicator::ALL {
        let mut one = Series::default();
        for value in store.published_values(indicator, &codes).await? {
            one.periods.push(value.period.clone());
            one.by_place
                .entry(value.area_code)
                .or_default()
                .insert(value.period, value.reading);
        }
        one.periods.sort();
        one.periods.dedup();
        series.push((indicator, one));
    }
    let mut inspections: HashMap<AuthoritySlug, Vec<Inspection>> = HashMap::new();
    for recorded in store.inspections(None).await? {
        inspections
            .entry(recorded.area)
            .or_default()
            .push(recorded.inspection);
    }
    Ok(RegionEvidence {
        areas,
        series,
        inspections,
    })
}

impl RegionEvidence {
    fn area(&self, slug: &AuthoritySlug) -> Option<&Authority> {
        self.areas.iter().find(|a| &a.slug == slug)
    }

    /// The area's inspections, oldest first.
    pub fn inspections(&self, slug: &AuthoritySlug) -> &[Inspection] {
        self.inspections.get(slug).map_or(&[], Vec::as_slice)
    }

    /// Where the area stands on each indicator in the latest period with a figure for any
    /// area of the region or England (none for an indicator never published).
    pub fn positions(&self, slug: &AuthoritySlug) -> Vec<IndicatorPosition> {
        let Some(area) = self.area(slug) else {
            return Vec::new();
        };
        self.series
            .iter()
            .filter_map(|(indicator, series)| {
                let period = series.periods.last()?.clone();
                let previous = series
                    .periods
                    .len()
                    .checked_sub(2)
                    .map(|i| series.periods[i].clone());
                let at = |code: &str, period: &Period| {
                    series
                        .by_place
                        .get(code)
                        .and_then(|p| p.get(period))
                        .copied()
                };
                Some(position(&IndicatorFigures {
                    indicator: *indicator,
                    own: at(&area.gss_code, &period),
                    previous: previous.map(|p| (p.clone(), at(&area.gss_code, &p))),
                    england: at(ENGLAND_CODE, &period),
                    region: self
                        .areas
                        .iter()
                        .map(|a| at(&a.gss_code, &period))
                        .collect(),
                    period,
                }))
            })
            .collect()
    }

    fn chart(&self, area: &Authority, indicator: Indicator, id: &str) -> Option<TrendChart> {
        let (_, series) = self.series.iter().find(|(i, _)| *i == indicator)?;
        let at = |code: &str, period: &Period| {
            series
                .by_place
                .get(code)
                .and_then(|p| p.get(period))
                .and_then(|r| r.value())
        };
        let middle = |period: &Period| {
            median(
                self.areas
                    .iter()
                    .filter_map(|a| at(&a.gss_code, period))
                    .collect(),
            )
        };
        Some(TrendChart {
            id: id.to_owned(),
            title: format!("{}: {}", area.name, indicator.label()),
            periods: series.periods.iter().map(ToString::to_string).collect(),
            series: vec![
                TrendSeries {
                    name: area.name.clone(),
                    values: series
                        .periods
                        .iter()
                        .map(|p| at(&area.gss_code, p))
                        .collect(),
                },
                TrendSeries {
                    name: format!("{} (middle of its areas)", area.region),
                    values: series.periods.iter().map(&middle).collect(),
                },
                TrendSeries {
                    name: "England".to_owned(),
                    values: series.periods.iter().map(|p| at(ENGLAND_CODE, p)).collect(),
                },
            ],
            max: indicator.is_percentage().then_some(100.0),
            unit: if indicator.is_percentage() {
                "%".into()
            } else {
                String::new()
            },
        })
    }

    /// Where the area stands on each indicator in the latest period, in words (the authority
    /// page's panel).
    pub fn standings(&self, slug: &AuthoritySlug) -> Vec<IndicatorLine> {
        let Some(area) = self.area(slug) else {
            return Vec::new();
        };
        self.positions(slug)
            .iter()
            .filter_map(|p| Some(line(p, self.chart(area, p.indicator, "standing")?)))
            .collect()
    }

    /// The flags on each rated section of `answers`, without the charts (the heat map's).
    pub fn flags(
        &self,
        slug: &AuthoritySlug,
        answers: &SelfAssessmentAnswers,
        as_of: NaiveDate,
    ) -> Vec<Flag> {
        let positions = self.positions(slug);
        let inspection = standing_inspection(self.inspections(slug), as_of);
        Strand::ALL
            .into_iter()
            .flat_map(|strand| {
                flags(
                    strand,
                    answers.section(strand).rating,
                    &positions,
                    inspection,
                )
            })
            .collect()
    }

    /// Every section of `answers` set against the evidence, in the framework's order.
    pub fn sections(
        &self,
        slug: &AuthoritySlug,
        answers: &SelfAssessmentAnswers,
        as_of: NaiveDate,
    ) -> Vec<SectionEvidence> {
        let positions = self.positions(slug);
        let inspection = standing_inspection(self.inspections(slug), as_of).cloned();
        let area = self.area(slug);
        Strand::ALL
            .into_iter()
            .map(|strand| {
                let rating = answers.section(strand).rating;
                let lines = positions
                    .iter()
                    .filter(|p| related_indicators(strand).contains(&p.indicator))
                    .filter_map(|p| {
                        let id = format!(
                            "chart-{}-{}",
                            strand.code().replace('_', "-"),
                            p.indicator.code().replace('_', "-")
                        );
                        Some(line(p, self.chart(area?, p.indicator, &id)?))
                    })
                    .collect();
                SectionEvidence {
                    strand,
                    rating,
                    lines,
                    flags: flags(strand, rating, &positions, inspection.as_ref()),
                    inspection: inspection.clone(),
                }
            })
            .collect()
    }
}

fn line(p: &IndicatorPosition, chart: TrendChart) -> IndicatorLine {
    let shown =
        |v: Option<f64>| v.map_or_else(|| "No figure".to_owned(), |v| figure(p.indicator, v));
    IndicatorLine {
        indicator: p.indicator,
        period: p.period.to_string(),
        own: reading_text(p.indicator, p.own),
        previous: p.previous.as_ref().map_or_else(
            || "No figure".to_owned(),
            |(period, v)| format!("{} in {period}", figure(p.indicator, *v)),
        ),
        region_middle: shown(p.region_middle),
        england: shown(p.england),
        rank: p.rank.map_or_else(
            || {
                if p.indicator.higher_is_better().is_none() {
                    "Not ranked: a count".to_owned()
                } else {
                    "Not ranked: no figure".to_owned()
                }
            },
            |r| r.to_string(),
        ),
        chart,
    }
}

/// The self-assessment version a data pack reads its flags from, and how to name it.
#[derive(Clone, Debug)]
pub struct FlagsFrom<'a> {
    pub answers: &'a SelfAssessmentAnswers,
    /// "Version 2, submitted".
    pub described: String,
}

impl RegionEvidence {
    /// The area's data pack for a cycle: each indicator's trend against the region's middle
    /// and England, its inspections and the next one's window, and the flags of `from` (none
    /// when there is no version the reader may see).
    pub fn data_pack(
        &self,
        slug: &AuthoritySlug,
        cycle_title: &str,
        from: Option<FlagsFrom<'_>>,
        as_of: NaiveDate,
        today: NaiveDate,
    ) -> Option<documents::data_pack::DataPack> {
        let area = self.area(slug)?;
        let positions = self.positions(slug);
        let indicators = positions
            .iter()
            .filter_map(|p| {
                let chart = self.chart(area, p.indicator, "pack")?;
                let line = line(p, chart.clone());
                // A count's rank means nothing; a percentage's place does.
                let place = if p.rank.is_some() {
                    format!(", {} in the region", line.rank)
                } else {
                    String::new()
                };
                Some(documents::data_pack::PackIndicator {
                    title: p.indicator.label().to_owned(),
                    standing: format!(
                        "{}: {}{place}; the region's middle {}; England {}",
                        line.period, line.own, line.region_middle, line.england
                    ),
                    periods: chart.periods,
                    lines: chart
                        .series
                        .into_iter()
                        .map(|s| (s.name, s.values))
                        .collect(),
                    percentage: p.indicator.is_percentage(),
                })
            })
            .collect();
        let history = self.inspections(slug);
        let (flags, flags_from) = match from {
            Some(from) => (
                self.flags(slug, from.answers, as_of)
                    .into_iter()
                    .map(|flag| {
                        let rating = from
                            .answers
                            .section(flag.strand)
                            .rating
                            .map_or("Not rated", SelfRating::short);
                        [flag.strand.label().to_owned(), rating.to_owned(), flag.says]
                    })
                    .collect(),
                format!("Flags from the self-assessment: {}.", from.described),
            ),
            None => (
                Vec::new(),
                "No self-assessment to read flags from yet.".to_owned(),
            ),
        };
        Some(documents::data_pack::DataPack {
            title: format!("{}: data pack", area.name),
            cycle: cycle_title.to_owned(),
            area: area.name.clone(),
            generated_on: today,
            indicators,
            inspections: history
                .iter()
                .map(|i| {
                    [
                        domain::inspections::month_year(i.month),
                        i.kind.label().to_owned(),
                        i.outcome.label().to_owned(),
                    ]
                })
                .collect(),
            next_inspection: domain::inspections::next_inspection(history).map(|next| {
                format!(
                    "{} expected between {} and {}. {}.",
                    next.kind.label(),
                    domain::inspections::month_year(next.from),
                    domain::inspections::month_year(next.to),
                    next.reason
                )
            }),
            flags,
            flags_from,
        })
    }
}
