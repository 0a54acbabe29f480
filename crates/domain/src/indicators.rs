//! Published data: the indicators the annual self-assessment is triangulated against, and the
//! checks of a statistics-service (DfE Explore Education Statistics) CSV file, row by row,
//! into observations. A file is checked whole: every problem names its row and column, and a
//! file with any problem yields none.

use std::collections::HashMap;
use std::fmt;

use crate::AuthoritySlug;

vocabulary!(
    /// The indicators the product knows, by the statistics service's column name (the code),
    /// so a file's columns are found by header, never position. Other columns are ignored
    /// and named in the import's summary.
    Indicator {
        /// SEN2: the share of new plans issued within 20 weeks, excluding exceptions.
        TwentyWeekTimeliness => "percent_issued_within_20_weeks", "EHC plans issued within 20 weeks (%)";
        /// SEN2: requests for an EHC needs assessment made in the calendar year.
        RequestsForAssessment => "requests_for_assessment", "Requests for an EHC needs assessment";
        /// SEN2: new EHC plans issued in the calendar year.
        PlansIssued => "plans_issued", "New EHC plans issued";
    }
);

impl Indicator {
    /// Whether a higher value is better (the chart and the flags read it so); `None` for a
    /// count, which is neither.
    pub fn higher_is_better(self) -> Option<bool> {
        match self {
            Self::TwentyWeekTimeliness => Some(true),
            Self::RequestsForAssessment | Self::PlansIssued => None,
        }
    }

    /// Whether the value is a percentage (0–100).
    pub fn is_percentage(self) -> bool {
        matches!(self, Self::TwentyWeekTimeliness)
    }
}

vocabulary!(
    /// The geographic levels kept: England, a region and a local authority. The label is the
    /// statistics service's own word in `geographic_level`.
    GeographicLevel {
        National => "national", "National";
        Regional => "regional", "Regional";
        LocalAuthority => "local_authority", "Local authority";
    }
);

vocabulary!(
    /// The statistics service's (and the GSS standard's) symbols for a value that is not
    /// there, each kept with its meaning and never read as zero.
    Suppression {
        Confidential => "c", "Confidential: suppressed to protect people's identities";
        NotAvailable => "x", "Not available";
        NotApplicable => "z", "Not applicable";
        Low => "low", "Rounds to zero, but is not zero";
        LowReliability => "u", "Low reliability";
        NotCollected => ":", "Not available (older releases' symbol)";
        Tilde => "~", "Rounds to zero, but is not zero (older releases' symbol)";
        Dots => "..", "Not available";
        LowFigure => "k", "Low figure: rounds to zero";
    }
);

/// England's GSS code, as the statistics service gives it in `country_code`.
pub const ENGLAND_CODE: &str = "E92000001";
/// The East Midlands region's GSS code.
pub const EAST_MIDLANDS_CODE: &str = "E12000004";

/// A value as published: a number, or the symbol saying why there is none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reading {
    Value(f64),
    Missing(Suppression),
}

impl Reading {
    /// A cell as the statistics service writes it: a plain decimal number, or a symbol.
    pub fn parse(cell: &str) -> Option<Self> {
        let cell = cell.trim();
        if let Some(symbol) = Suppression::parse(&cell.to_ascii_lowercase()) {
            return Some(Self::Missing(symbol));
        }
        let plain = !cell.is_empty()
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
        if !plain {
            return None;
        }
        cell.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Self::Value)
    }

    pub fn value(self) -> Option<f64> {
        match self {
            Self::Value(v) => Some(v),
            Self::Missing(_) => None,
        }
    }
}

/// The time an observation is for: `time_period` ("2023", or "202324" for a year across two)
/// and `time_identifier` ("Calendar year", "Academic year", ...).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub time_period: String,
    pub time_identifier: String,
}

impl Period {
    /// Checked: four digits, or six for a year across two; an identifier of at most 40
    /// characters.
    pub fn parse(time_period: &str, time_identifier: &str) -> Result<Self, &'static str> {
        let time_period = time_period.trim();
        let digits = time_period.chars().all(|c| c.is_ascii_digit());
        if !digits || !(time_period.len() == 4 || time_period.len() == 6) {
            return Err("Enter the period as 4 digits (2023) or 6 (202324)");
        }
        let time_identifier = time_identifier.trim();
        if time_identifier.is_empty()
            || time_identifier.chars().count() > 40
            || time_identifier.chars().any(char::is_control)
        {
            return Err("Enter what the period is, such as Calendar year");
        }
        Ok(Self {
            time_period: time_period.to_owned(),
            time_identifier: time_identifier.to_owned(),
        })
    }
}

impl fmt::Display for Period {
    /// "2023", or "2023/24" for a year across two.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.time_period.len() == 6 {
            write!(f, "{}/{}", &self.time_period[..4], &self.time_period[4..])
        } else {
            f.write_str(&self.time_period)
        }
    }
}

/// An authority the product knows, to name a local-authority row by: its codes and slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownArea {
    pub slug: AuthoritySlug,
    pub gss_code: String,
    pub dfe_number: i32,
}

/// One published figure: an indicator for a place and a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub indicator: Indicator,
    pub level: GeographicLevel,
    /// The place's GSS code: England's, a region's or an authority's.
    pub area_code: String,
    pub area_name: String,
    /// The authority the row is, when the product knows it (the region's ten and the old
    /// Northamptonshire county); authorities elsewhere are kept by code as comparators.
    pub authority: Option<AuthoritySlug>,
    pub period: Period,
    pub reading: Reading,
}

/// A problem in an uploaded file: its row (the header is row 1), the column's header, and
/// what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellProblem {
    pub row: u64,
    pub column: String,
    pub message: String,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.row, self.column, self.message
        )
    }
}

/// The columns every file must have, found by header name.
pub const REQUIRED_COLUMNS: [&str; 8] = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "new_la_code",
    "old_la_code",
    "la_name",
];

/// What a checked file holds: its observations and the columns it carried that the product
/// does not keep.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedFile {
    pub observations: Vec<Observation>,
    pub ignored_columns: Vec<String>,
}

/// Check a whole file: `rows` are (row number, cells) in the header's order. Every problem is
/// listed; any problem means nothing is kept.
pub fn check_file(
    headers: &[String],
    rows: &[(u64, Vec<String>)],
    known: &[KnownArea],
) -> Result<CheckedFile, Vec<CellProblem>> {
    let mut problems = Vec::new();
    let position: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    for column in REQUIRED_COLUMNS {
        if !position.contains_key(column) {
            problems.push(CellProblem {
                row: 1,
                column: column.to_owned(),
                message: "This required column is missing".to_owned(),
            });
        }
    }
    let indicators: Vec<(Indicator, usize)> = Indicator::ALL
        .into_iter()
        .filter_map(|i| position.get(i.code()).map(|p| (i, *p)))
        .collect();
    if indicators.is_empty() {
        problems.push(CellProblem {
            row: 1,
            column: "(indicator columns)".to_owned(),
            message: format!(
                "The file has none of the indicator columns the product keeps ({})",
                Indicator::ALL.map(Indicator::code).join(", ")
            ),
        });
    }
    let mut seen_headers = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        if let Some(first) = seen_headers.insert(header.trim(), i) {
            problems.push(CellProblem {
                row: 1,
                column: header.clone(),
                message: format!(
                    "This column appears twice (columns {} and {})",
                    first + 1,
                    i + 1
                ),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let ignored_columns = headers
        .iter()
        .filter(|h| {
            let h = h.trim();
            !REQUIRED_COLUMNS.contains(&h)
                && Indicator::parse(h).is_none()
                && !matches!(h, "country_name" | "region_name")
        })
        .cloned()
        .collect();
    let by_code: HashMap<&str, &KnownArea> =
        known.iter().map(|a| (a.gss_code.as_str(), a)).collect();
    let mut first_row_of: HashMap<(GeographicLevel, String, Period), u64> = HashMap::new();
    let mut observations = Vec::new();
    for (row, cells) in rows {
        let row = *row;
        let cell = |column: &str| -> &str {
            position
                .get(column)
                .and_then(|p| cells.get(*p))
                .map(|c| c.trim())
                .unwrap_or("")
        };
        let mut problem = |column: &str, message: String| {
            problems.push(CellProblem {
                row,
                column: column.to_owned(),
                message,
            });
        };
        if cells.len() != headers.len() {
            problem(
                "(whole row)",
                format!(
                    "The row has {} cells where the header has {}",
                    cells.len(),
                    headers.len()
                ),
            );
            continue;
        }
        let period = match Period::parse(cell("time_period"), cell("time_identifier")) {
            Ok(period) => Some(period),
            Err(message) => {
                let column = if Period::parse(cell("time_period"), "Calendar year").is_err() {
                    "time_period"
                } else {
                    "time_identifier"
                };
                problem(column, message.to_owned());
                None
            }
        };
        let level = match GeographicLevel::ALL
            .into_iter()
            .find(|l| l.label().eq_ignore_ascii_case(cell("geographic_level")))
        {
            Some(level) => Some(level),
            None => {
                problem(
                    "geographic_level",
                    format!(
                        "\"{}\" is not a level the product keeps (National, Regional or Local authority)",
                        shown(cell("geographic_level"))
                    ),
                );
                None
            }
        };
        let place = level.and_then(|level| match level {
            GeographicLevel::National => {
                if cell("country_code") == ENGLAND_CODE {
                    Some((ENGLAND_CODE.to_owned(), "England".to_owned(), None))
                } else {
                    problem(
                        "country_code",
                        format!(
                            "\"{}\" is not England's code ({ENGLAND_CODE})",
                            shown(cell("country_code"))
                        ),
                    );
                    None
                }
            }
            GeographicLevel::Regional => {
                let code = cell("region_code");
                if is_gss(code, &["E12"]) {
                    let name = position
                        .get("region_name")
                        .and_then(|p| cells.get(*p))
                        .map(|n| n.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| code.to_owned());
                    Some((code.to_owned(), name, None))
                } else {
                    problem(
                        "region_code",
                        format!(
                            "\"{}\" is not a region's code (E12 and six digits)",
                            shown(code)
                        ),
                    );
                    None
                }
            }
            GeographicLevel::LocalAuthority => {
                let code = cell("new_la_code");
                let old = cell("old_la_code");
                if !is_gss(code, &["E06", "E07", "E08", "E09", "E10"]) {
                    problem(
                        "new_la_code",
                        format!("\"{}\" is not a local authority's code", shown(code)),
                    );
                    return None;
                }
                if old.len() != 3 || !old.chars().all(|c| c.is_ascii_digit()) {
                    problem(
                        "old_la_code",
                        format!("\"{}\" is not a three-digit DfE number", shown(old)),
                    );
                    return None;
                }
                let name = cell("la_name");
                if name.is_empty() || name.chars().count() > 100 {
                    problem("la_name", "Enter the authority's name".to_owned());
                    return None;
                }
                let known = by_code.get(code);
                if let Some(area) = known
                    && old.parse::<i32>().ok() != Some(area.dfe_number)
                {
                    problem(
                        "old_la_code",
                        format!(
                            "{old} is not {code}'s DfE number ({}): the codes disagree",
                            area.dfe_number
                        ),
                    );
                    return None;
                }
                Some((
                    code.to_owned(),
                    name.to_owned(),
                    known.map(|a| a.slug.clone()),
                ))
            }
        });
        let (Some(period), Some(level), Some((area_code, area_name, authority))) =
            (period, level, place)
        else {
            continue;
        };
        let key = (level, area_code.clone(), period.clone());
        if let Some(first) = first_row_of.get(&key) {
            problems.push(CellProblem {
                row,
                column: "(whole row)".to_owned(),
                message: format!(
                    "This row repeats row {first}: the same place ({area_code}) and period ({period})"
                ),
            });
            continue;
        }
        first_row_of.insert(key, row);
        for (indicator, column) in &indicators {
            let text = cells.get(*column).map(|c| c.trim()).unwrap_or("");
            match Reading::parse(text) {
                Some(reading) => observations.push(Observation {
                    indicator: *indicator,
                    level,
                    area_code: area_code.clone(),
                    area_name: area_name.clone(),
                    authority: authority.clone(),
                    period: period.clone(),
                    reading,
                }),
                None => problems.push(CellProblem {
                    row,
                    column: indicator.code().to_owned(),
                    message: format!(
                        "\"{}\" is neither a number nor one of the statistics service's symbols (c, x, z, low, u, :, ~, .., k)",
                        shown(text)
                    ),
                }),
            }
        }
    }
    if problems.is_empty() {
        Ok(CheckedFile {
            observations,
            ignored_columns,
        })
    } else {
        Err(problems)
    }
}

/// A cell shown back in a message: at most 40 characters, so a hostile cell cannot flood
/// the page.
fn shown(cell: &str) -> String {
    let mut text: String = cell.chars().take(40).collect();
    if cell.chars().count() > 40 {
        text.push('…');
    }
    text
}

/// A GSS code: one of the prefixes, then six digits.
fn is_gss(code: &str, prefixes: &[&str]) -> bool {
    code.len() == 9
        && prefixes.iter().any(|p| code.starts_with(p))
        && code[3..].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    const HEADER: &[&str] = &[
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "new_la_code",
        "old_la_code",
        "la_name",
        "percent_issued_within_20_weeks",
    ];

    fn derby() -> Vec<KnownArea> {
        vec![KnownArea {
            slug: AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!()),
            gss_code: "E06000015".into(),
            dfe_number: 831,
        }]
    }

    #[test]
    fn symbols_are_kept_with_their_meaning_never_zero() {
        assert_eq!(
            Reading::parse("c"),
            Some(Reading::Missing(Suppression::Confidential))
        );
        assert_eq!(
            Reading::parse("low"),
            Some(Reading::Missing(Suppression::Low))
        );
        assert_eq!(Reading::parse("45.3"), Some(Reading::Value(45.3)));
        assert_eq!(Reading::parse("1,234"), None);
        assert_eq!(Reading::parse(""), None);
        assert_eq!(Reading::parse("NaN"), None);
    }

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        let mut header = strings(HEADER);
        header.reverse();
        let mut cells = strings(&[
            "2023",
            "Calendar year",
            "Local authority",
            "E92000001",
            "England",
            "E12000004",
            "East Midlands",
            "E06000015",
            "831",
            "Derby",
            "22.6",
        ]);
        cells.reverse();
        let checked = check_file(&header, &[(2, cells)], &derby()).unwrap_or_else(|p| {
            unreachable!("{p:?}");
        });
        assert_eq!(checked.observations.len(), 1);
        assert_eq!(checked.observations[0].reading, Reading::Value(22.6));
        assert_eq!(
            checked.observations[0]
                .authority
                .as_ref()
                .map(AuthoritySlug::as_str),
            Some("derby")
        );
    }

    #[test]
    fn every_problem_names_its_row_and_column() {
        let rows = vec![
            (
                2,
                strings(&[
                    "2023",
                    "Calendar year",
                    "Ward",
                    "E92000001",
                    "England",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "1",
                ]),
            ),
            (
                3,
                strings(&[
                    "2023",
                    "Calendar year",
                    "Local authority",
                    "E92000001",
                    "England",
                    "E12000004",
                    "East Midlands",
                    "E06000015",
                    "831",
                    "Derby",
                    "n/a",
                ]),
            ),
        ];
        let problems = check_file(&strings(HEADER), &rows, &derby())
            .err()
            .unwrap_or_default();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            (problems[0].row, problems[0].column.as_str()),
            (2, "geographic_level")
        );
        assert_eq!(
            (problems[1].row, problems[1].column.as_str()),
            (3, "percent_issued_within_20_weeks")
        );
    }

    #[test]
    fn a_missing_column_is_refused() {
        let header: Vec<String> = strings(HEADER)
            .into_iter()
            .filter(|h| h != "new_la_code")
            .collect();
        let problems = check_file(&header, &[], &derby()).err().unwrap_or_default();
        assert_eq!(problems[0].column, "new_la_code");
    }

    #[test]
    fn periods_read_as_people_write_them() {
        let period = Period::parse("202324", "Academic year").unwrap_or_else(|_| unreachable!());
        assert_eq!(period.to_string(), "2023/24");
        assert!(Period::parse("23", "Calendar year").is_err());
    }
}
