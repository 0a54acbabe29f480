//! Area SEND inspections (Ofsted and CQC, the framework in use since January 2023): an
//! area's history of inspections and their outcomes, and the window in which the next one is
//! expected, which follows from the outcome.

use chrono::{Datelike, Months, NaiveDate};

use crate::forms::FieldProblem;

vocabulary!(
    /// What kind of inspection it was.
    InspectionKind {
        Full => "full", "Full inspection";
        Monitoring => "monitoring", "Monitoring inspection";
    }
);

vocabulary!(
    /// The outcome, on the current framework's scale (a full inspection's three outcomes) or a
    /// monitoring inspection's finding on the priority action plan.
    InspectionOutcome {
        Positive => "positive", "Typically positive experiences and outcomes";
        Inconsistent => "inconsistent", "Inconsistent experiences and outcomes";
        SystemicFailings => "systemic_failings", "Widespread and/or systemic failings";
        EffectiveAction => "effective_action", "Taking effective action on the areas for priority action";
        InsufficientAction => "insufficient_action", "Not taking effective action on the areas for priority action";
    }
);

impl InspectionOutcome {
    /// Whether this outcome can follow that kind of inspection.
    pub fn fits(self, kind: InspectionKind) -> bool {
        match kind {
            InspectionKind::Full => matches!(
                self,
                Self::Positive | Self::Inconsistent | Self::SystemicFailings
            ),
            InspectionKind::Monitoring => {
                matches!(self, Self::EffectiveAction | Self::InsufficientAction)
            }
        }
    }

    /// The GOV.UK tag colour class the outcome is shown with.
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Positive | Self::EffectiveAction => "govuk-tag--green",
            Self::Inconsistent => "govuk-tag--yellow",
            Self::SystemicFailings | Self::InsufficientAction => "govuk-tag--red",
        }
    }
}

/// One inspection of one area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    /// The first day of the month the inspection took place.
    pub month: NaiveDate,
    pub kind: InspectionKind,
    pub outcome: InspectionOutcome,
    /// The published report, when known.
    pub report_url: Option<String>,
}

/// When the next inspection is expected, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextInspection {
    pub kind: InspectionKind,
    /// The first month of the window.
    pub from: NaiveDate,
    /// The last month of the window.
    pub to: NaiveDate,
    pub reason: String,
}

/// The window for the next inspection from an area's history, following the framework: after
/// positive, a full inspection in about five years; after inconsistent, in about three; after
/// systemic failings, a monitoring inspection within about 18 months, then a full
/// re-inspection within about three years of the full one. `None` without a full inspection.
pub fn next_inspection(history: &[Inspection]) -> Option<NextInspection> {
    let last_full = history
        .iter()
        .filter(|i| i.kind == InspectionKind::Full)
        .max_by_key(|i| i.month)?;
    let window = |from: u32, to: u32| {
        (
            last_full.month.checked_add_months(Months::new(from)),
            last_full.month.checked_add_months(Months::new(to)),
        )
    };
    let when = month_year(last_full.month);
    let (kind, (from, to), reason) = match last_full.outcome {
        InspectionOutcome::Positive => (
            InspectionKind::Full,
            window(54, 66),
            format!("Typically positive in {when}: the next full inspection in about five years"),
        ),
        InspectionOutcome::SystemicFailings => {
            let monitored = history
                .iter()
                .any(|i| i.kind == InspectionKind::Monitoring && i.month > last_full.month);
            if monitored {
                (
                    InspectionKind::Full,
                    window(30, 36),
                    format!(
                        "Systemic failings in {when}, monitored since: full re-inspection within about three years"
                    ),
                )
            } else {
                (
                    InspectionKind::Monitoring,
                    window(12, 18),
                    format!(
                        "Systemic failings in {when}: a monitoring inspection within about 18 months"
                    ),
                )
            }
        }
        // Inconsistent, or a monitoring outcome recorded as a full one by mistake.
        _ => (
            InspectionKind::Full,
            window(30, 42),
            format!("Inconsistent in {when}: the next full inspection in about three years"),
        ),
    };
    Some(NextInspection {
        kind,
        from: from?,
        to: to?,
        reason,
    })
}

/// "February 2023".
pub fn month_year(month: NaiveDate) -> String {
    month.format("%B %Y").to_string()
}

/// The inspection form's answers as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InspectionAnswers {
    /// "2023-02", or the month and year boxes joined by the handler.
    pub month: String,
    pub kind: String,
    pub outcome: String,
    pub report_url: String,
}

impl InspectionAnswers {
    /// The inspection, or every problem keyed by field id. A month in the future is refused:
    /// an inspection is recorded once it has happened.
    pub fn check(&self, today: NaiveDate) -> Result<Inspection, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let month = parse_month(&self.month);
        match month {
            None => problems.push(FieldProblem::new(
                "month",
                "Enter the month of the inspection as a year and month, like 2024-03",
            )),
            Some(m) if m > today => problems.push(FieldProblem::new(
                "month",
                "The month of the inspection must be this month or earlier",
            )),
            Some(m) if m.year() < 2014 => problems.push(FieldProblem::new(
                "month",
                "Area SEND inspections began in 2016: check the year",
            )),
            Some(_) => {}
        }
        let kind = InspectionKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(FieldProblem::new("kind", "Select the kind of inspection"));
        }
        let outcome = InspectionOutcome::parse(self.outcome.trim());
        match (kind, outcome) {
            (_, None) => problems.push(FieldProblem::new("outcome", "Select the outcome")),
            (Some(kind), Some(outcome)) if !outcome.fits(kind) => problems.push(FieldProblem::new(
                "outcome",
                format!("A {} cannot have that outcome", kind.label().to_lowercase()),
            )),
            _ => {}
        }
        let url = self.report_url.trim();
        let report_url = if url.is_empty() {
            None
        } else if url.len() <= 500
            && url.starts_with("https://")
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            Some(url.to_owned())
        } else {
            problems.push(FieldProblem::new(
                "report_url",
                "Enter the report's web address starting https://, or leave it blank",
            ));
            None
        };
        match (month, kind, outcome) {
            (Some(month), Some(kind), Some(outcome)) if problems.is_empty() => Ok(Inspection {
                month,
                kind,
                outcome,
                report_url,
            }),
            _ => Err(problems),
        }
    }
}

/// "2023-02" as the first day of that month.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> NaiveDate {
        parse_month(text).unwrap_or_else(|| unreachable!())
    }

    fn full(when: &str, outcome: InspectionOutcome) -> Inspection {
        Inspection {
            month: month(when),
            kind: InspectionKind::Full,
            outcome,
            report_url: None,
        }
    }

    #[test]
    fn systemic_failings_bring_a_monitoring_visit_then_a_full_one() {
        let mut history = vec![full("2023-02", InspectionOutcome::SystemicFailings)];
        let next = next_inspection(&history).unwrap_or_else(|| unreachable!());
        assert_eq!(next.kind, InspectionKind::Monitoring);
        assert_eq!((next.from, next.to), (month("2024-02"), month("2024-08")));
        history.push(Inspection {
            month: month("2024-07"),
            kind: InspectionKind::Monitoring,
            outcome: InspectionOutcome::EffectiveAction,
            report_url: None,
        });
        let next = next_inspection(&history).unwrap_or_else(|| unreachable!());
        assert_eq!(next.kind, InspectionKind::Full);
        assert_eq!(next.to, month("2026-02"));
    }

    #[test]
    fn positive_means_about_five_years() {
        let next = next_inspection(&[full("2023-05", InspectionOutcome::Positive)])
            .unwrap_or_else(|| unreachable!());
        assert_eq!((next.from, next.to), (month("2027-11"), month("2028-11")));
    }

    #[test]
    fn an_outcome_must_fit_the_kind() {
        let answers = InspectionAnswers {
            month: "2024-03".into(),
            kind: "monitoring".into(),
            outcome: "positive".into(),
            report_url: "http://example.org".into(),
        };
        let problems = answers.check(month("2026-01")).err().unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["outcome", "report_url"]);
    }
}
