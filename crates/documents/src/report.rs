//! What a challenge's report says, as plain data: the input shared by the slide deck
//! ([`crate::pptx::slide_deck`]) and the written report ([`crate::docx::written_report`]).
//! The web layer fills it from the challenge, its team, timetable and findings.

use chrono::{Datelike, NaiveDate, NaiveTime};

#[derive(Clone, Debug, PartialEq)]
pub struct ReportContent {
    /// "Two-day SEND peer challenge: Derby".
    pub title: String,
    /// "Derby City Council and its SEND partners".
    pub area: String,
    /// "DER-2027-01".
    pub reference: String,
    /// "Two-day peer challenge".
    pub kind: String,
    /// "Draft 2" or "Final".
    pub version: String,
    pub generated_on: NaiveDate,
    pub visit_dates: Vec<NaiveDate>,
    /// The areas of focus the host asked for: the scope.
    pub focus: Vec<String>,
    pub team: Vec<TeamLine>,
    /// What the team did on the visit: the method.
    pub activities: Vec<ActivityLine>,
    pub kloes: Vec<KloeFindings>,
    pub what_happens_next: Vec<String>,
}

/// A member of the peer team and the seat they filled.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamLine {
    pub name: String,
    /// "Lead reviewer", "Parent carer", ...
    pub seat: String,
}

/// One activity of the visit timetable.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityLine {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// "Focus group", "Case review", ...
    pub kind: String,
    pub title: String,
}

/// A key line of enquiry and what the team found.
#[derive(Clone, Debug, PartialEq)]
pub struct KloeFindings {
    /// 1-based, as people number KLOEs.
    pub number: usize,
    pub question: String,
    /// The practice themes' labels.
    pub themes: Vec<String>,
    pub strengths: Vec<Finding>,
    pub areas_for_development: Vec<Finding>,
    pub recommendations: Vec<Finding>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub text: String,
    /// Short summaries of the notes of evidence behind the finding.
    pub evidence: Vec<String>,
}

impl ReportContent {
    /// The visit dates in words, in order: "4 and 5 March 2027", "30 June and 1 July 2027".
    pub fn visit_dates_in_words(&self) -> String {
        let mut dates = self.visit_dates.clone();
        dates.sort();
        dates.dedup();
        dates_in_words(&dates)
    }
}

impl KloeFindings {
    /// "KLOE 2".
    pub fn label(&self) -> String {
        format!("KLOE {}", self.number)
    }
}

/// A date as GOV.UK writes it: "4 March 2027".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Sorted dates as a list in words, naming a month or year once where dates share it.
fn dates_in_words(dates: &[NaiveDate]) -> String {
    let Some((last, earlier)) = dates.split_last() else {
        return String::new();
    };
    let mut words: Vec<String> = Vec::new();
    for (index, date) in earlier.iter().enumerate() {
        let next = dates[index + 1];
        let format = if date.year() != next.year() {
            "%-d %B %Y"
        } else if date.month() != next.month() {
            "%-d %B"
        } else {
            "%-d"
        };
        words.push(date.format(format).to_string());
    }
    let last = long_date(*last);
    if words.is_empty() {
        last
    } else {
        format!("{} and {last}", words.join(", "))
    }
}

/// A sample report with awkward text, for the writers' tests.
#[cfg(test)]
pub(crate) fn sample(kloes: usize, findings_per_list: usize) -> ReportContent {
    let date = |day| NaiveDate::from_ymd_opt(2027, 3, day).expect("valid date");
    let time = |hour| NaiveTime::from_hms_opt(hour, 0, 0).expect("valid time");
    let finding = |kloe: usize, kind: &str, index: usize| Finding {
        text: format!(
            "{kind} {kloe}.{index}: families in Ōtautahi – naïve <guesses> & \"quotes\" aside – \
             say the plan arrived within 20 weeks and reflected what matters to them."
        ),
        evidence: vec![
            format!("Focus group with parent carers, day 1 ({kind} {kloe}.{index})"),
            "Case review 4: plan & annual review < 12 months".to_owned(),
        ],
    };
    let list = |kloe, kind| {
        (1..=findings_per_list)
            .map(|index| finding(kloe, kind, index))
            .collect()
    };
    ReportContent {
        title: "Two-day SEND peer challenge: Derby & \"partners\"".to_owned(),
        area: "Derby City Council and its SEND partners <all>".to_owned(),
        reference: "DER-2027-01".to_owned(),
        kind: "Two-day peer challenge".to_owned(),
        version: "Draft 2".to_owned(),
        generated_on: date(12),
        visit_dates: vec![date(5), date(4)],
        focus: vec![
            "Timeliness & quality of EHC plans".to_owned(),
            "Preparation for adulthood – naïve assumptions".to_owned(),
        ],
        team: vec![
            TeamLine {
                name: "Zoë Ó Briain".to_owned(),
                seat: "Lead reviewer".to_owned(),
            },
            TeamLine {
                name: "Jo Smith".to_owned(),
                seat: "Parent carer".to_owned(),
            },
        ],
        activities: vec![
            ActivityLine {
                date: date(4),
                start: time(9),
                end: time(10),
                kind: "Focus group".to_owned(),
                title: "Parent carers' forum & SENDIASS".to_owned(),
            },
            ActivityLine {
                date: date(5),
                start: time(11),
                end: time(12),
                kind: "Case review".to_owned(),
                title: "Case file review <sample A>".to_owned(),
            },
        ],
        kloes: (1..=kloes)
            .map(|number| KloeFindings {
                number,
                question: format!(
                    "KLOE question {number}: how well do leaders & partners identify needs \
                     early (\"at 0–25\")?"
                ),
                themes: vec![
                    "Co-production with families".to_owned(),
                    "Health services: therapies".to_owned(),
                ],
                strengths: list(number, "Strength"),
                areas_for_development: list(number, "Development"),
                recommendations: list(number, "Recommendation"),
            })
            .collect(),
        what_happens_next: vec![
            "The area writes an action plan within 8 weeks & shares it.".to_owned(),
            "A follow-up visit in 12 months".to_owned(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
    }

    #[test]
    fn dates_read_as_words() {
        let words = |dates: &[NaiveDate]| dates_in_words(dates);
        assert_eq!(words(&[]), "");
        assert_eq!(words(&[date(2027, 3, 4)]), "4 March 2027");
        assert_eq!(
            words(&[date(2027, 3, 4), date(2027, 3, 5)]),
            "4 and 5 March 2027"
        );
        assert_eq!(
            words(&[date(2027, 6, 30), date(2027, 7, 1), date(2027, 7, 2)]),
            "30 June, 1 and 2 July 2027"
        );
        assert_eq!(
            words(&[date(2027, 12, 31), date(2028, 1, 1)]),
            "31 December 2027 and 1 January 2028"
        );
    }

    #[test]
    fn visit_dates_are_sorted_and_unique() {
        let mut report = sample(1, 1);
        report.visit_dates = vec![date(2027, 3, 5), date(2027, 3, 4), date(2027, 3, 5)];
        assert_eq!(report.visit_dates_in_words(), "4 and 5 March 2027");
    }
}
