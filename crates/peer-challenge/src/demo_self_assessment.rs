//! The demo's annual self-assessment: last year's cycle with its triads published, and this
//! year's with triads proposed to avoid last year's groupings and waiting for the
//! co-ordinator to publish them. The published data (EHC plan timeliness) and inspection
//! outcomes come with the reference data. Self-assessments in every state: last year's
//! signed off (Derby's text is offered as this year's starting point), this year's
//! Leicestershire signed off, Nottingham submitted, Rutland a draft, Derby not started.
//! The real published figures flag some of these claims (`domain::triangulation`): for
//! example Leicestershire and Nottingham rating themselves typically positive on the right
//! help at the right time while their 20-week timeliness is in the region's bottom third or
//! fell sharply, below England; each area's data pack is on its page.
//! Running the demo again adds nothing twice.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Datelike, Utc};
use domain::area_send_framework::{Confidence, SelfRating, Strand};
use domain::self_assessment::{CycleTimetable, propose_triads};
use domain::self_assessment_form::{Section, SelfAssessmentAnswers, SignOff};
use domain::{AuthoritySlug, EmailAddress};
use store::Store;

pub async fn seed(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    let address =
        EmailAddress::parse("coordinator@example.org").map_err(|problem| anyhow!("{problem}"))?;
    let (id, _) = store
        .credentials(&address)
        .await?
        .context("the demo co-ordinator")?;
    let coordinator = store
        .principal(id)
        .await?
        .context("the demo co-ordinator")?;
    let today = now.date_naive();
    let areas: Vec<AuthoritySlug> = store
        .authorities()
        .await?
        .into_iter()
        .filter(|a| a.is_current(today))
        .map(|a| a.slug)
        .collect();
    // The cycle that starts in the autumn: before September, last autumn's is the current one.
    let this_year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let mut last_triads = Vec::new();
    for year in [this_year - 1, this_year] {
        let cycle = match store.annual_cycle(year).await? {
            Some(cycle) => cycle,
            None => {
                let triads = propose_triads(&areas, &last_triads);
                let timetable = CycleTimetable::usual(year).context("a timetable")?;
                let id = store
                    .create_annual_cycle(year, timetable, &areas, &triads, &coordinator, now)
                    .await
                    .with_context(|| format!("the {year} cycle"))?;
                if year < this_year {
                    // Last year's emails were sent last year: the demo writes none now.
                    store
                        .publish_triads(id, &coordinator, Vec::new(), now)
                        .await?;
                }
                store
                    .annual_cycle(year)
                    .await?
                    .context("the cycle just made")?
            }
        };
        let states: &[(&str, u8)] = if year < this_year {
            &[("derby", 2), ("nottingham", 2), ("leicestershire", 2)]
        } else {
            &[("leicestershire", 2), ("nottingham", 1), ("rutland", 0)]
        };
        for (area, state) in states {
            let area = AuthoritySlug::parse(area).map_err(|problem| anyhow!("{problem}"))?;
            if !cycle.areas.contains(&area)
                || store.self_assessment(cycle.id, &area).await?.is_some()
            {
                continue;
            }
            let answers = demo_answers(year, *state > 0);
            store
                .save_self_assessment(cycle.id, &area, &answers, &coordinator, now)
                .await?;
            if *state > 0 {
                store
                    .submit_self_assessment(cycle.id, &area, &coordinator, now)
                    .await?;
            }
            if *state > 1 {
                let sign_off = SignOff {
                    for_authority: "Director of Children's Services".to_owned(),
                    for_health: "ICB Designated Clinical Officer".to_owned(),
                    for_forum: "Parent carer forum chair".to_owned(),
                    on: today.min(
                        CycleTimetable::usual(year)
                            .context("a timetable")?
                            .self_assessment_due,
                    ),
                };
                store
                    .sign_off_self_assessment(cycle.id, &area, &sign_off, &coordinator, now)
                    .await?;
            }
        }
        last_triads = cycle.triads;
    }
    Ok(())
}

/// A self-assessment with every strand written; a draft's ratings left half done.
pub(crate) fn demo_answers(year: i32, whole: bool) -> SelfAssessmentAnswers {
    let mut answers = SelfAssessmentAnswers {
        summary: format!(
            "In {year} the partnership cut waits for assessment and widened co-production; timeliness and preparation for adulthood remain uneven."
        ),
        priorities: "1. EHC needs assessments within 20 weeks\n2. Supported internships and paths to employment\n3. Joint commissioning of therapies".to_owned(),
        ..SelfAssessmentAnswers::default()
    };
    for (index, strand) in Strand::ALL.into_iter().enumerate() {
        let rated = whole || index < 4;
        answers.sections.insert(
            strand,
            Section {
                rating: rated.then_some(if index % 3 == 0 {
                    SelfRating::Inconsistent
                } else {
                    SelfRating::Positive
                }),
                confidence: rated.then_some(if index % 2 == 0 {
                    Confidence::Medium
                } else {
                    Confidence::High
                }),
                strengths:
                    "Multi-agency panels meet weekly and decisions are recorded with families."
                        .to_owned(),
                development: "Consistency across localities; the quality of health advice."
                    .to_owned(),
                impact: "Families report clearer information at the start of assessment."
                    .to_owned(),
                actions: "Quality-assure a sample of plans each month with the parent carer forum."
                    .to_owned(),
                evidence: vec![
                    "https://www.gov.uk/government/publications/area-send-framework-and-handbook"
                        .to_owned(),
                ],
            },
        );
    }
    answers
}
