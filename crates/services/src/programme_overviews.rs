//! The board's overview of a thematic event or a biennial cycle, assembled from what the store
//! holds (the event's published text, every area's returns and next steps; the cycle's
//! priorities, pairing, agreed actions and support offers) into `documents`' one overview
//! model and written as .docx or .pptx. The pages and `peer-challenge report` both call
//! [`event_overview_file`] and [`cycle_overview_file`], so a file made in batch is the one a
//! person downloads.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use documents::programme_overview::{Overview, OverviewColumn, OverviewTable, Section};
use domain::biennial::CycleState;
use domain::events::{EventState, Place};
use domain::findings::ReportFormat;
use domain::{AuthoritySlug, Programme, ProgrammeActivityId, ThemeCode};
use store::{
    BiennialCycle, NextStepFilter, OwedReturn, PlannedAction, ReturnFilter, Store, StoreError,
    ThematicEvent,
};
use thiserror::Error;

use crate::dates::date;

#[derive(Debug, Error)]
pub enum OverviewError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the overview could not be written: {0}")]
    Document(#[from] documents::DocumentError),
}

/// Whether an event's overview has gone to the board (the policy's `published`).
pub fn event_overview_published(state: EventState) -> bool {
    matches!(state, EventState::OverviewPublished | EventState::Closed)
}

/// Whether a cycle's overview has gone to the board.
pub fn cycle_overview_published(state: CycleState) -> bool {
    matches!(state, CycleState::OverviewPublished | CycleState::Closed)
}

/// The file name a download offers: "overview-preparation-for-adulthood.docx".
pub fn file_name(title: &str, format: ReportFormat) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let extension = match format {
        ReportFormat::SlideDeck => "pptx",
        ReportFormat::WrittenReport => "docx",
    };
    format!("{slug}.{extension}")
}

fn write(overview: &Overview, format: ReportFormat) -> Result<Vec<u8>, OverviewError> {
    Ok(match format {
        ReportFormat::SlideDeck => documents::pptx::overview_deck(overview)?,
        ReportFormat::WrittenReport => documents::programme_overview::written_overview(overview)?,
    })
}

/// The event's overview as a file; `NotFound` when there is no such event.
pub async fn event_overview_file(
    store: &Store,
    event: ProgrammeActivityId,
    format: ReportFormat,
    today: NaiveDate,
) -> Result<(String, Vec<u8>), OverviewError> {
    let event = store.event(event).await?.ok_or(StoreError::NotFound)?;
    let overview = event_overview(store, &event, today).await?;
    Ok((
        file_name(&overview.title, format),
        write(&overview, format)?,
    ))
}

/// The cycle's overview as a file; `NotFound` when there is no such cycle.
pub async fn cycle_overview_file(
    store: &Store,
    cycle: ProgrammeActivityId,
    format: ReportFormat,
    today: NaiveDate,
) -> Result<(String, Vec<u8>), OverviewError> {
    let cycle = store
        .biennial_cycle(cycle)
        .await?
        .ok_or(StoreError::NotFound)?;
    let overview = cycle_overview(store, &cycle, today).await?;
    Ok((
        file_name(&overview.title, format),
        write(&overview, format)?,
    ))
}

/// What every overview reads alike: the areas' names, the themes' labels, and one activity's
/// returns and next steps.
struct Returns {
    names: BTreeMap<AuthoritySlug, String>,
    themes: BTreeMap<ThemeCode, String>,
    owed: Vec<OwedReturn>,
    steps: Vec<PlannedAction>,
}

impl Returns {
    async fn read(
        store: &Store,
        activity: ProgrammeActivityId,
        programme: Programme,
    ) -> Result<Self, StoreError> {
        let names = store.authority_names().await?;
        let themes = store.theme_labels().await?.into_iter().collect();
        let owed = store
            .returns(&ReturnFilter {
                area: None,
                programme: Some(programme),
            })
            .await?
            .into_iter()
            .filter(|r| r.activity.id == activity)
            .collect();
        let steps = store
            .next_steps(&NextStepFilter {
                area: None,
                programme: Some(programme),
            })
            .await?
            .into_iter()
            .filter(|s| s.activity.id == activity)
            .collect();
        Ok(Self {
            names,
            themes,
            owed,
            steps,
        })
    }

    fn name(&self, area: &AuthoritySlug) -> String {
        self.names
            .get(area)
            .cloned()
            .unwrap_or_else(|| area.to_string())
    }

    fn theme(&self, code: &ThemeCode) -> String {
        self.themes
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    fn received(&self) -> usize {
        self.owed.iter().filter(|r| r.submitted.is_some()).count()
    }

    /// The themes the areas' actions answer, the most widely shared first.
    fn emerging_themes(&self, heading: &str, noun: &str) -> Section {
        let mut themes: BTreeMap<&ThemeCode, (usize, BTreeSet<&AuthoritySlug>)> = BTreeMap::new();
        for step in &self.steps {
            let entry = themes.entry(&step.entry.theme).or_default();
            entry.0 += 1;
            entry.1.insert(&step.authority);
        }
        let mut ranked: Vec<_> = themes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.1.len().cmp(&a.1.1.len()).then(a.0.cmp(b.0)));
        Section {
            heading: heading.to_owned(),
            bullets: ranked
                .into_iter()
                .map(|(code, (count, areas))| {
                    format!(
                        "{}: {} from {}",
                        self.theme(code),
                        plural(count, noun),
                        plural(areas.len(), "area")
                    )
                })
                .collect(),
            ..Section::default()
        }
    }

    /// One table per area with actions, in the order `areas` gives.
    fn actions_by_area(&self, heading: &str, areas: &[AuthoritySlug], what: &str) -> Section {
        let tables = areas
            .iter()
            .map(|area| {
                let mut steps: Vec<&PlannedAction> =
                    self.steps.iter().filter(|s| &s.authority == area).collect();
                steps.sort_by(|a, b| a.entry.reference.cmp(&b.entry.reference));
                OverviewTable {
                    title: self.name(area),
                    description: format!(
                        "{}: {what}, each with what it answers, its owner, due date and RAG status",
                        self.name(area)
                    ),
                    columns: ACTION_COLUMNS.to_vec(),
                    rows: steps
                        .into_iter()
                        .map(|step| {
                            vec![
                                step.entry.reference.clone(),
                                step.entry.action.clone(),
                                answers(&step.entry.answers, &self.theme(&step.entry.theme)),
                                step.entry.owner.clone(),
                                date(step.entry.due),
                                step.entry.rag.label().to_owned(),
                            ]
                        })
                        .collect(),
                }
            })
            .collect();
        Section {
            heading: heading.to_owned(),
            tables,
            ..Section::default()
        }
    }

    /// The areas owing a return not yet submitted, with the date it is due (extended or not);
    /// where no return is owed at all, the `taking_part` areas with no actions recorded.
    fn not_returned(&self, taking_part: &[AuthoritySlug], today: NaiveDate) -> Section {
        let bullets = if self.owed.is_empty() {
            taking_part
                .iter()
                .filter(|area| !self.steps.iter().any(|s| &s.authority == *area))
                .map(|area| self.name(area))
                .collect()
        } else {
            self.owed
                .iter()
                .filter(|r| r.submitted.is_none())
                .map(|r| {
                    let due = r.extended_to.unwrap_or(r.due);
                    let when = if due < today { "was due" } else { "due" };
                    let extended = if r.extended_to.is_some() {
                        " (extended)"
                    } else {
                        ""
                    };
                    format!("{}: {when} {}{extended}", self.name(&r.area), date(due))
                })
                .collect()
        };
        Section {
            heading: "Not yet returned".to_owned(),
            bullets,
            ..Section::default()
        }
    }
}

const ACTION_COLUMNS: [OverviewColumn; 6] = [
    OverviewColumn {
        heading: "Ref",
        share: 2,
    },
    OverviewColumn {
        heading: "Action",
        share: 7,
    },
    OverviewColumn {
        heading: "Answers",
        share: 4,
    },
    OverviewColumn {
        heading: "Owner",
        share: 3,
    },
    OverviewColumn {
        heading: "Due",
        share: 3,
    },
    OverviewColumn {
        heading: "RAG",
        share: 2,
    },
];

fn answers(answers: &str, theme: &str) -> String {
    if answers.trim().is_empty() {
        theme.to_owned()
    } else {
        format!("{answers} ({theme})")
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The event's overview: the co-ordinator's text as saved (the published one once
/// published), the themes the areas' next steps answer, each area's next steps, and who has
/// not returned.
pub async fn event_overview(
    store: &Store,
    event: &ThematicEvent,
    today: NaiveDate,
) -> Result<Overview, StoreError> {
    let returns = Returns::read(store, event.id, Programme::Thematic).await?;
    let text = store.event_overview(event.id).await?.unwrap_or_default();
    let place = match &event.details.place {
        Place::FaceToFace { venue, .. } => format!("face to face at {}", venue.as_str()),
        Place::Online { .. } => "online".to_owned(),
    };
    let mut subtitle = vec![
        format!("Held on {}, {place}", date(event.details.date)),
        format!("Theme: {}", returns.theme(&event.details.theme)),
    ];
    if !returns.owed.is_empty() {
        subtitle.push(format!(
            "{} of {} areas returned their next steps",
            returns.received(),
            returns.owed.len()
        ));
    }
    if !event_overview_published(event.state) {
        subtitle.push("Draft: not yet published to the board".to_owned());
    }
    let returned: Vec<AuthoritySlug> = event
        .areas
        .iter()
        .filter(|area| returns.steps.iter().any(|s| &s.authority == *area))
        .cloned()
        .collect();
    let sections = vec![
        Section {
            heading: "Overview of emerging themes and next steps".to_owned(),
            paragraphs: paragraphs(&text),
            ..Section::default()
        },
        returns.emerging_themes("Themes across areas", "next step"),
        returns.actions_by_area("Each area's next steps", &returned, "its next steps"),
        returns.not_returned(&event.areas, today),
    ];
    Ok(Overview {
        title: format!("Overview: {}", event.details.title.as_str()),
        kind: "Thematic peer challenge event".to_owned(),
        subtitle,
        generated_on: today,
        sections,
    })
}

/// Blank-line separated paragraphs of the co-ordinator's text, each keeping its line breaks.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The cycle's overview: the priorities, the pairing, the themes across the agreed actions,
/// every area's agreed actions, the support offered, and who has not returned.
pub async fn cycle_overview(
    store: &Store,
    cycle: &BiennialCycle,
    today: NaiveDate,
) -> Result<Overview, StoreError> {
    let returns = Returns::read(store, cycle.id, Programme::Biennial).await?;
    let offers = store.biennial_support_offers(cycle.id).await?;
    let mut subtitle = vec![
        format!(
            "Held on {} at {}",
            date(cycle.details.event_date),
            cycle.details.venue.as_str()
        ),
        format!("{} took part", plural(cycle.areas.len(), "area")),
    ];
    if !returns.owed.is_empty() {
        subtitle.push(format!(
            "{} of {} areas returned their agreed actions",
            returns.received(),
            returns.owed.len()
        ));
    }
    if !cycle_overview_published(cycle.state) {
        subtitle.push("Draft: not yet published to the board".to_owned());
    }
    let priorities = Section {
        heading: "Priorities".to_owned(),
        bullets: cycle
            .details
            .priorities
            .iter()
            .map(|p| {
                let themes: Vec<String> = p.themes.iter().map(|t| returns.theme(t)).collect();
                if themes.is_empty() {
                    p.title.as_str().to_owned()
                } else {
                    format!("{} ({})", p.title.as_str(), themes.join("; "))
                }
            })
            .collect(),
        paragraphs: if cycle.opt_outs.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "Did not take part this time: {}.",
                cycle
                    .opt_outs
                    .iter()
                    .map(|o| returns.name(&o.area))
                    .collect::<Vec<_>>()
                    .join(", ")
            )]
        },
        tables: Vec::new(),
    };
    let pairing = Section {
        heading: "Who challenges whom".to_owned(),
        tables: vec![OverviewTable {
            title: "The pairing".to_owned(),
            description: "Each area taking part, the area its team challenged, and why the pair \
                          was chosen"
                .to_owned(),
            columns: vec![
                OverviewColumn {
                    heading: "Challenging area",
                    share: 4,
                },
                OverviewColumn {
                    heading: "Challenged area",
                    share: 4,
                },
                OverviewColumn {
                    heading: "Why this pair",
                    share: 6,
                },
            ],
            rows: cycle
                .pairs
                .iter()
                .map(|p| {
                    vec![
                        returns.name(&p.pair.challenger),
                        returns.name(&p.pair.challenged),
                        p.overridden.clone().unwrap_or_else(|| p.reason.clone()),
                    ]
                })
                .collect(),
        }],
        ..Section::default()
    };
    let support = Section {
        heading: "Support offered between areas".to_owned(),
        tables: vec![OverviewTable {
            title: "Who helps whom".to_owned(),
            description: "Each offer of support: from which area, to which, what is offered, \
                          by whom and how to reach them"
                .to_owned(),
            columns: vec![
                OverviewColumn {
                    heading: "From",
                    share: 3,
                },
                OverviewColumn {
                    heading: "To",
                    share: 3,
                },
                OverviewColumn {
                    heading: "What",
                    share: 6,
                },
                OverviewColumn {
                    heading: "Who",
                    share: 3,
                },
                OverviewColumn {
                    heading: "Contact",
                    share: 4,
                },
            ],
            rows: offers
                .iter()
                .map(|o| {
                    vec![
                        returns.name(&o.from),
                        returns.name(&o.to),
                        o.what.clone(),
                        o.who.clone(),
                        o.contact.clone(),
                    ]
                })
                .collect(),
        }],
        ..Section::default()
    };
    let sections = vec![
        priorities,
        pairing,
        returns.emerging_themes("Themes emerging across areas", "agreed action"),
        returns.actions_by_area(
            "Every area's agreed actions",
            &cycle.areas,
            "its agreed actions",
        ),
        support,
        returns.not_returned(&cycle.areas, today),
    ];
    Ok(Overview {
        title: format!("Overview: {}", cycle.title),
        kind: "Biennial large-scale peer challenge".to_owned(),
        subtitle,
        generated_on: today,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        assert_eq!(
            file_name(
                "Overview: Preparation for adulthood",
                ReportFormat::WrittenReport
            ),
            "overview-preparation-for-adulthood.docx"
        );
        assert_eq!(
            file_name("Overview: 2024 biennial – EHC", ReportFormat::SlideDeck),
            "overview-2024-biennial-ehc.pptx"
        );
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("One\nline two\n\n\nThree\n"),
            vec!["One\nline two".to_owned(), "Three".to_owned()]
        );
    }
}
