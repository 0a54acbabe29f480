//! The demo's annual self-assessment: last year's cycle with its triads published, and this
//! year's with triads proposed to avoid last year's groupings and waiting for the
//! co-ordinator to publish them. The published data (EHC plan timeliness) and inspection
//! outcomes come with the reference data. Running the demo again adds nothing twice.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Datelike, Utc};
use domain::self_assessment::{CycleTimetable, propose_triads};
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
        last_triads = cycle.triads;
    }
    Ok(())
}
