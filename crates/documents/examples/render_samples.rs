//! Writes every document this crate makes, from realistic sample content, into a folder, and
//! says how long each took and how big it is: for looking at the design (open the files, or
//! convert them to PDF with LibreOffice) and for a rough timing.
//!
//! `cargo run --release -p documents --example render_samples -- /tmp/samples`

#![allow(
    clippy::print_stdout,
    reason = "a command-line example reports what it wrote"
)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{NaiveDate, NaiveTime};
use documents::DocumentError;
use documents::action_plan::{
    ActionPlanSheet, AreaActions, ExportedAction, ThemeLine, actions_export, write_action_plan,
};
use documents::board::{AreaProgress, BoardPack};
use documents::chart::{ProgressChart, ProgressPoint, progress_chart};
use documents::docx::written_report;
use documents::pptx::{board_pack, slide_deck};
use documents::report::{ActivityLine, Finding, KloeFindings, ReportContent, TeamLine};
use domain::next_steps::ActionAnswers;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let folder = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "samples".to_owned()),
    );
    std::fs::create_dir_all(&folder)?;
    let report = report();
    save(&folder, "findings.pptx", || slide_deck(&report))?;
    save(&folder, "report.docx", || written_report(&report))?;
    save(&folder, "board-pack.pptx", || board_pack(&board()))?;
    save(&folder, "action-plan.xlsx", || {
        write_action_plan(&action_plan())
    })?;
    save(&folder, "actions.xlsx", || {
        actions_export(&[AreaActions {
            area: "Derby".to_owned(),
            actions: action_plan()
                .rows
                .into_iter()
                .map(|row| ExportedAction {
                    programme: "Peer challenges".to_owned(),
                    activity: "PC-2027-001: Derby".to_owned(),
                    row,
                })
                .collect(),
        }])
    })?;
    save(&folder, "progress.svg", || {
        Ok(progress_chart(&chart()).into_bytes())
    })?;
    Ok(())
}

/// Writes one document into `folder`, saying how big it is and how long it took.
fn save(
    folder: &Path,
    name: &str,
    write: impl FnOnce() -> Result<Vec<u8>, DocumentError>,
) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let bytes = write()?;
    let took = started.elapsed();
    std::fs::write(folder.join(name), &bytes)?;
    println!("{name}: {} bytes in {took:.2?}", bytes.len());
    Ok(())
}

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, day).expect("valid date")
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time")
}

const STRENGTHS: [&str; 8] = [
    "Leaders across education, health and care share a clear ambition for children and young people with SEND, and partners described it in the same words.",
    "The parent carer forum is a respected partner: it co-chairs the SEND partnership board and shaped the new graduated approach guidance.",
    "Early years settings have quick access to specialist advice through the Early Years Inclusion Team, and families said it made a difference.",
    "Annual reviews for children moving into secondary school were completed on time this year, with plans amended before the move.",
    "The designated clinical officer has improved the timeliness of health advice for EHC needs assessments, now 92% within six weeks.",
    "Young people on the youth forum spoke confidently about how their views changed the Local Offer website.",
    "Schools value the inclusion partnership's termly moderation of top-up funding, which they see as fair and transparent.",
    "Social care practitioners contribute to EHC plans for children in need, and their advice is specific about outcomes.",
];

const DEVELOPMENTS: [&str; 8] = [
    "Only 38% of new EHC plans were issued within 20 weeks last year; families described long waits with little news.",
    "The quality of EHC plans varies: outcomes are often generic and provision is not always specified or quantified.",
    "Waiting times for the neurodevelopmental pathway exceed 18 months, and support while waiting is not well understood.",
    "Information on the Local Offer is hard to find, and some families did not know the information, advice and support service exists.",
    "Transitions to adult health services start late, and young people reported not knowing who would support them after 18.",
    "Data on the outcomes of children on SEN support is not used routinely by the partnership board.",
    "Some schools reported using part-time timetables for children with social, emotional and mental health needs without review dates.",
    "Short breaks sufficiency has not been reviewed since 2022, and families in rural areas travel far for provision.",
];

const RECOMMENDATIONS: [&str; 8] = [
    "Set out a recovery plan for the timeliness of EHC needs assessments, with monthly reporting to the partnership board.",
    "Introduce a multi-agency quality assurance framework for EHC plans, with parent carer forum members on audit panels.",
    "Agree a 'support while waiting' offer for the neurodevelopmental pathway and publish it on the Local Offer.",
    "Co-produce a redesign of the Local Offer website with families and young people, testing it with those who use it.",
    "Start preparation for adulthood planning from Year 9 in every annual review, with adult services invited.",
    "Add outcome measures for children on SEN support to the partnership board's data dashboard.",
    "Require review dates and governor oversight for every part-time timetable, and report their use termly.",
    "Review the sufficiency of short breaks with families, including travel and rural access.",
];

fn findings(texts: &[&str], kloe: usize) -> Vec<Finding> {
    texts
        .iter()
        .enumerate()
        .map(|(index, text)| Finding {
            text: (*text).to_owned(),
            evidence: vec![
                format!(
                    "Focus group with parent carers, day 1 (note {kloe}.{})",
                    index + 1
                ),
                "Case review: plan and annual review papers".to_owned(),
            ],
        })
        .collect()
}

fn report() -> ReportContent {
    let questions = [
        "How effectively do leaders across education, health and care work together to identify and meet the needs of children and young people with SEND early?",
        "How well does the partnership co-produce services with families, and how well are families kept informed?",
        "How well are young people with SEND prepared for adulthood, including employment, independent living and health?",
    ];
    let themes = [
        vec![
            "Early identification, early years and SEN support",
            "Strategic leadership, partnership governance, data and quality assurance",
        ],
        vec![
            "Co-production with families, the parent carer forum and young people",
            "Communication with families, the Local Offer and information, advice and support",
        ],
        vec![
            "Preparation for adulthood: employment, independent living, community, health",
            "Transitions between phases and into adult services",
        ],
    ];
    let activity =
        |day: u32, start: (u32, u32), end: (u32, u32), kind: &str, title: &str| ActivityLine {
            date: date(3, day),
            start: time(start.0, start.1),
            end: time(end.0, end.1),
            kind: kind.to_owned(),
            title: title.to_owned(),
        };
    ReportContent {
        title: "Two-day SEND peer challenge: Derby".to_owned(),
        area: "Derby City Council and its SEND partners".to_owned(),
        reference: "DER-2027-01".to_owned(),
        kind: "Two-day peer challenge".to_owned(),
        version: "Draft 2".to_owned(),
        generated_on: date(3, 12),
        visit_dates: vec![date(3, 4), date(3, 5)],
        focus: vec![
            "Timeliness and quality of EHC plans".to_owned(),
            "Co-production with families".to_owned(),
            "Preparation for adulthood".to_owned(),
        ],
        team: [
            ("Zoë Ó Briain", "Lead reviewer"),
            ("Jo Smith", "Parent carer"),
            ("Priya Patel", "Health reviewer"),
            ("Tom Evans", "Education reviewer"),
            ("Sam Okafor", "Social care reviewer"),
        ]
        .iter()
        .map(|(name, seat)| TeamLine { name: (*name).to_owned(), seat: (*seat).to_owned() })
        .collect(),
        activities: vec![
            activity(4, (9, 0), (9, 45), "Meeting", "Welcome and area self-assessment"),
            activity(4, (10, 0), (11, 30), "Focus group", "Parent carers' forum and SENDIASS"),
            activity(4, (11, 45), (13, 0), "Case review", "Case file review: sample A"),
            activity(4, (14, 0), (15, 0), "Focus group", "Special educational needs coordinators"),
            activity(4, (15, 15), (16, 30), "Visit", "Secondary school resource base"),
            activity(5, (9, 0), (10, 0), "Focus group", "Youth forum"),
            activity(5, (10, 15), (11, 30), "Case review", "Case file review: sample B"),
            activity(5, (11, 45), (12, 45), "Meeting", "Health commissioners and the DCO"),
            activity(5, (14, 0), (15, 30), "Meeting", "Feedback to leaders"),
        ],
        kloes: (0..3)
            .map(|index| KloeFindings {
                number: index + 1,
                question: questions[index].to_owned(),
                themes: themes[index].iter().map(|t| (*t).to_owned()).collect(),
                strengths: findings(&STRENGTHS, index + 1),
                areas_for_development: findings(&DEVELOPMENTS, index + 1),
                recommendations: findings(&RECOMMENDATIONS, index + 1),
            })
            .collect(),
        what_happens_next: vec![
            "Derby shares this draft with its partners and sends factual corrections within two weeks.".to_owned(),
            "The final report is published to the partnership board in April 2027.".to_owned(),
            "The area writes an action plan against the recommendations within eight weeks.".to_owned(),
            "The regional board reviews progress on the action plan every quarter.".to_owned(),
        ],
    }
}

fn board() -> BoardPack {
    let areas = [
        "Derby",
        "Derbyshire",
        "Leicester",
        "Leicestershire",
        "Lincolnshire",
        "North Northamptonshire",
        "West Northamptonshire",
        "Nottingham",
        "Nottinghamshire",
        "Rutland",
    ];
    BoardPack {
        months: Vec::new(),
        title: "SEND peer challenge: regional board, March 2027".to_owned(),
        generated_on: date(3, 12),
        areas: areas
            .iter()
            .enumerate()
            .map(|(index, area)| {
                let overdue = index % 4;
                AreaProgress {
                    area: (*area).to_owned(),
                    total: 12 + index,
                    red: index % 3,
                    amber: 3,
                    green: 5,
                    complete: 2 + index % 2,
                    overdue,
                    overdue_actions: (1..=overdue)
                        .map(|n| {
                            format!(
                                "{}-{n}: {} (due {} February 2027)",
                                &area[..3].to_uppercase(),
                                RECOMMENDATIONS[n],
                                n + 10
                            )
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

fn action_plan() -> ActionPlanSheet {
    let rags = ["Amber", "Green", "Red", "Complete"];
    ActionPlanSheet {
        area: "Derby".to_owned(),
        themes: [
            (
                "EHCNA_TIMELINESS",
                "EHC needs assessments and the 20-week timescale",
            ),
            (
                "EHCP_QUALITY",
                "Quality of EHC plans: outcomes, advice and quality assurance",
            ),
            (
                "COPRODUCTION",
                "Co-production with families, the parent carer forum and young people",
            ),
            (
                "PFA",
                "Preparation for adulthood: employment, independent living, community, health",
            ),
        ]
        .iter()
        .map(|(code, label)| ThemeLine {
            code: (*code).to_owned(),
            label: (*label).to_owned(),
        })
        .collect(),
        rows: RECOMMENDATIONS
            .iter()
            .enumerate()
            .map(|(index, recommendation)| ActionAnswers {
                reference: format!("DER-{}", index + 1),
                answers: (*recommendation).to_owned(),
                theme: "EHCNA_TIMELINESS".to_owned(),
                action: "Agree the plan with partners and report monthly to the board.".to_owned(),
                owner: "Head of SEND".to_owned(),
                partners: "Parent carer forum; health; schools".to_owned(),
                start: "01/04/2027".to_owned(),
                due: "31/12/2027".to_owned(),
                milestones: "Plan agreed by May; first report in June".to_owned(),
                baseline: "38% within 20 weeks".to_owned(),
                target: "80% within 20 weeks by March 2028".to_owned(),
                rag: rags[index % rags.len()].to_owned(),
                progress: String::new(),
                impact: String::new(),
            })
            .collect(),
    }
}

fn chart() -> ProgressChart {
    let months = [
        "Apr 2027", "May 2027", "Jun 2027", "Jul 2027", "Aug 2027", "Sep 2027",
    ];
    ProgressChart {
        id: "derby-progress".to_owned(),
        title: "Derby: actions by RAG status".to_owned(),
        period: "Month".to_owned(),
        points: months
            .iter()
            .enumerate()
            .map(|(index, month)| ProgressPoint {
                label: (*month).to_owned(),
                red: 4usize.saturating_sub(index),
                amber: 6 - index / 2,
                green: 2 + index,
                complete: index * 2,
            })
            .collect(),
    }
}
