//! Importing published data: a statistics-service CSV file read within bounds, checked whole
//! against the authorities the product knows, and written as one release in one transaction
//! (or refused with every problem by row and column, nothing written). The co-ordinator's
//! upload page and `peer-challenge indicators import` both call `import_file`.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use documents::published_data::read_table;
use domain::forms::FieldProblem;
use domain::indicators::{CellProblem, check_file};
use domain::{Action, OneLine, Principal, authorise};
use sha2::{Digest, Sha256};
use store::{ImportSummary, Store};

use crate::journey::Refused;

/// The longest publication or release name.
pub const NAME_LIMIT: usize = 120;
/// The largest file imported, in bytes.
pub const MAX_FILE_BYTES: usize = documents::published_data::MAX_BYTES;
/// The publication a file is from when none is named.
pub const DEFAULT_PUBLICATION: &str = "Education, health and care plans (SEN2)";

/// Who imports: a signed-in person (asked of the policy), or the operator at the command
/// line, who has the server's own access already.
#[derive(Clone, Copy, Debug)]
pub enum Importer<'a> {
    Person(&'a Principal),
    CommandLine,
}

/// Why a file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportRefused {
    /// The policy, the names given or the store refused (`Refused` says which).
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The file could not be read at all (too large, not UTF-8, not CSV).
    #[error("{0}")]
    Unreadable(String),
    /// The file was read and has these problems: nothing was imported.
    #[error("the file has {} problem(s)", .0.len())]
    Problems(Vec<CellProblem>),
}

/// What an import did, and the columns it did not keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub publication: String,
    pub release: String,
    pub summary: ImportSummary,
    pub ignored_columns: Vec<String>,
}

impl Imported {
    /// The import in words, one line each: what the command line prints.
    pub fn report(&self) -> String {
        let mut text = format!("{}, release \"{}\"\n", self.publication, self.release);
        for (level, period, count) in &self.summary.by_level_and_period {
            let _ = writeln!(
                text,
                "  {:<16} {:<8} {count} figures",
                level.label(),
                period.to_string()
            );
        }
        let _ = writeln!(
            text,
            "{} added, {} corrected, {} revising an earlier release, {} unchanged",
            self.summary.added,
            self.summary.corrected,
            self.summary.revised,
            self.summary.unchanged
        );
        if !self.ignored_columns.is_empty() {
            let _ = writeln!(
                text,
                "Columns not kept: {}",
                self.ignored_columns.join(", ")
            );
        }
        text
    }
}

/// Import one file as release `release` of `publication`.
pub async fn import_file(
    store: &Store,
    importer: Importer<'_>,
    publication: &str,
    release: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Imported, ImportRefused> {
    if let Importer::Person(principal) = importer {
        authorise(Some(principal), &Action::ImportIndicators).map_err(Refused::from)?;
    }
    let mut problems = Vec::new();
    let publication = OneLine::required("Publication", "the publication", publication, NAME_LIMIT)
        .map_err(|p| problems.push(FieldProblem::new("publication", p)))
        .ok();
    let release = OneLine::required(
        "Release",
        "the release, such as June 2025",
        release,
        NAME_LIMIT,
    )
    .map_err(|p| problems.push(FieldProblem::new("release", p)))
    .ok();
    let (Some(publication), Some(release)) = (publication, release) else {
        return Err(Refused::Invalid(problems).into());
    };
    let table =
        read_table(bytes).map_err(|problem| ImportRefused::Unreadable(problem.to_string()))?;
    let known = store.known_areas().await.map_err(Refused::from)?;
    let checked =
        check_file(&table.headers, &table.rows, &known).map_err(ImportRefused::Problems)?;
    let sha = Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        });
    let by = match importer {
        Importer::Person(principal) => Some((principal.user_id, principal.name.as_str())),
        Importer::CommandLine => None,
    };
    let summary = store
        .import_indicators(
            publication.as_str(),
            release.as_str(),
            &sha,
            &checked.observations,
            by,
            now,
        )
        .await
        .map_err(Refused::from)?;
    Ok(Imported {
        publication: publication.as_str().to_owned(),
        release: release.as_str().to_owned(),
        summary,
        ignored_columns: checked.ignored_columns,
    })
}

// ---- An area's evidence: its indicators against the region and England, its inspections ----

use documents::trend_chart::{TrendChart, TrendSeries, trend_chart};
use domain::indicators::{EAST_MIDLANDS_CODE, ENGLAND_CODE, Indicator, Period, Reading};
use domain::inspections::{Inspection, NextInspection, next_inspection};
use store::{Authority, PublishedValue, StoreError};

/// One indicator for one area: the chart, and the same figures as a table.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorEvidence {
    pub indicator: Indicator,
    pub title: String,
    /// The server-drawn SVG (escaped inside; the page includes it as it is).
    pub svg: String,
    /// The table's column headings after "Period": the area, the region, England.
    pub columns: Vec<String>,
    /// (period, a cell per column).
    pub rows: Vec<(String, Vec<String>)>,
    /// Where the figures come from: the releases, in words.
    pub sources: Vec<String>,
}

/// What the authority's page and the data pack show of an area's evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaEvidence {
    pub indicators: Vec<IndicatorEvidence>,
    pub inspections: Vec<Inspection>,
    pub next_inspection: Option<NextInspection>,
}

/// A figure in words: "22.6%", or what the symbol means ("Not available (x)").
pub fn reading_text(indicator: Indicator, reading: Option<Reading>) -> String {
    match reading {
        Some(Reading::Value(v)) if indicator.is_percentage() => format!("{v:.1}%"),
        Some(Reading::Value(v)) => format!("{v:.0}"),
        Some(Reading::Missing(symbol)) => format!("{} ({})", symbol.label(), symbol.code()),
        None => "No figure".to_owned(),
    }
}

/// The middle of the region's areas' values for a period: the comparator when the file gave
/// no regional row.
fn median(mut values: Vec<f64>) -> Option<f64> {
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

/// An area's indicators (against its region and England) and inspections. `all` is every
/// authority the product knows, for the region's other areas and the predecessor.
pub async fn area_evidence(
    store: &Store,
    authority: &Authority,
    all: &[Authority],
) -> Result<AreaEvidence, StoreError> {
    let region_areas: Vec<&Authority> = all
        .iter()
        .filter(|a| a.region == authority.region && a.valid_to.is_none())
        .collect();
    let predecessor = authority
        .predecessor
        .as_ref()
        .and_then(|p| all.iter().find(|a| &a.slug == p));
    let mut codes: Vec<String> = region_areas.iter().map(|a| a.gss_code.clone()).collect();
    codes.push(authority.gss_code.clone());
    codes.push(ENGLAND_CODE.to_owned());
    codes.push(EAST_MIDLANDS_CODE.to_owned());
    if let Some(p) = predecessor {
        codes.push(p.gss_code.clone());
    }
    let mut indicators = Vec::new();
    for indicator in Indicator::ALL {
        let values = store.published_values(indicator, &codes).await?;
        let of = |code: &str| -> Vec<&PublishedValue> {
            values.iter().filter(|v| v.area_code == code).collect()
        };
        let own = of(&authority.gss_code);
        let before = predecessor.map(|p| of(&p.gss_code)).unwrap_or_default();
        if own.is_empty() && before.is_empty() {
            continue;
        }
        let mut periods: Vec<Period> = own
            .iter()
            .chain(&before)
            .map(|v| v.period.clone())
            .collect();
        periods.sort();
        periods.dedup();
        let find = |list: &[&PublishedValue], period: &Period| {
            list.iter().find(|v| &v.period == period).map(|v| v.reading)
        };
        let england = of(ENGLAND_CODE);
        let published_region = if authority.region == "East Midlands" {
            of(EAST_MIDLANDS_CODE)
        } else {
            Vec::new()
        };
        let region_name = if published_region.is_empty() {
            format!("{} (middle of its areas)", authority.region)
        } else {
            authority.region.clone()
        };
        let region_at = |period: &Period| -> Option<Reading> {
            if !published_region.is_empty() {
                return find(&published_region, period);
            }
            median(
                region_areas
                    .iter()
                    .filter_map(|a| find(&of(&a.gss_code), period).and_then(Reading::value))
                    .collect(),
            )
            .map(Reading::Value)
        };
        let mut columns = vec![authority.name.clone()];
        let mut series = vec![TrendSeries {
            name: authority.name.clone(),
            values: periods
                .iter()
                .map(|p| find(&own, p).and_then(Reading::value))
                .collect(),
        }];
        if let Some(p) = predecessor.filter(|_| !before.is_empty()) {
            columns.push(p.name.clone());
            series.push(TrendSeries {
                name: p.name.clone(),
                values: periods
                    .iter()
                    .map(|q| find(&before, q).and_then(Reading::value))
                    .collect(),
            });
        }
        columns.push(region_name.clone());
        columns.push("England".to_owned());
        series.push(TrendSeries {
            name: region_name,
            values: periods
                .iter()
                .map(|p| region_at(p).and_then(Reading::value))
                .collect(),
        });
        series.push(TrendSeries {
            name: "England".to_owned(),
            values: periods
                .iter()
                .map(|p| find(&england, p).and_then(Reading::value))
                .collect(),
        });
        let rows = periods
            .iter()
            .map(|period| {
                let mut cells = vec![reading_text(indicator, find(&own, period))];
                if predecessor.is_some() && !before.is_empty() {
                    cells.push(reading_text(indicator, find(&before, period)));
                }
                cells.push(reading_text(indicator, region_at(period)));
                cells.push(reading_text(indicator, find(&england, period)));
                (period.to_string(), cells)
            })
            .collect();
        let mut sources: Vec<String> = own
            .iter()
            .chain(&before)
            .map(|v| {
                if v.earlier.is_empty() {
                    v.release.clone()
                } else {
                    format!(
                        "{} (revising {})",
                        v.release,
                        v.earlier
                            .iter()
                            .map(|(r, _)| r.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            })
            .collect();
        sources.sort();
        sources.dedup();
        let title = format!("{}: {}", authority.name, indicator.label());
        // Four series share one colour order; the SVG ids only need to be unique on the page.
        series.truncate(4);
        indicators.push(IndicatorEvidence {
            indicator,
            svg: trend_chart(&TrendChart {
                id: format!("chart-{}", indicator.code().replace('_', "-")),
                title: title.clone(),
                periods: periods.iter().map(ToString::to_string).collect(),
                series,
                max: indicator.is_percentage().then_some(100.0),
                unit: if indicator.is_percentage() {
                    "%".into()
                } else {
                    String::new()
                },
            }),
            title,
            columns,
            rows,
            sources,
        });
    }
    let inspections: Vec<Inspection> = store
        .inspections(Some(&authority.slug))
        .await?
        .into_iter()
        .map(|r| r.inspection)
        .collect();
    Ok(AreaEvidence {
        next_inspection: next_inspection(&inspections),
        indicators,
        inspections,
    })
}
