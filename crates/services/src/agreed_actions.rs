//! What an area's next-steps return answers, read for its page and its checks: for a biennial
//! cycle's agreed actions, the cycle's priorities (P1, P2, ...) and the agreed KLOEs the
//! challenging team put to the area (K1, K2, ...), which each action must name; other
//! programmes' next steps answer in the area's own words.

use domain::agreed_actions::{AnswerLinks, kloe_code, priority_code};
use domain::biennial::KloeStatus;
use domain::{AuthoritySlug, Programme, ProgrammeActivityId};
use store::{Store, StoreError};

/// One thing an action may name, as the return's page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answerable {
    /// `P2`, `K1`.
    pub code: String,
    pub words: String,
    /// For a KLOE, the code of the priority it serves.
    pub serves: Option<String>,
}

/// What an area's actions under an activity must answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answering {
    /// The rule, for a biennial cycle; None for every other programme.
    pub links: Option<AnswerLinks>,
    pub priorities: Vec<Answerable>,
    pub kloes: Vec<Answerable>,
}

/// What `area`'s next steps under `activity` answer. The KLOEs are those agreed for the area
/// by the team that challenges it, in the order drafted, once shared (before the KLOE deadline
/// they are another pair's drafts, which no area sees).
pub async fn answering(
    store: &Store,
    activity: ProgrammeActivityId,
    programme: Programme,
    area: &AuthoritySlug,
) -> Result<Answering, StoreError> {
    if programme != Programme::Biennial {
        return Ok(Answering::default());
    }
    let cycle = store
        .biennial_cycle(activity)
        .await?
        .ok_or(StoreError::NotFound)?;
    let challenger = cycle
        .pairs
        .iter()
        .find(|stored| &stored.pair.challenged == area)
        .map(|stored| stored.pair.challenger.clone());
    let kloes: Vec<_> = if cycle.state.kloes_shared() {
        store
            .biennial_kloes(activity)
            .await?
            .into_iter()
            .filter(|kloe| {
                Some(&kloe.challenger) == challenger.as_ref() && kloe.status == KloeStatus::Agreed
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Answering {
        links: Some(AnswerLinks {
            priorities: cycle.details.priorities.len(),
            kloe_priorities: kloes.iter().map(|kloe| kloe.priority).collect(),
        }),
        priorities: cycle
            .details
            .priorities
            .iter()
            .enumerate()
            .map(|(at, priority)| Answerable {
                code: priority_code(at),
                words: priority.title.to_string(),
                serves: None,
            })
            .collect(),
        kloes: kloes
            .iter()
            .enumerate()
            .map(|(at, kloe)| Answerable {
                code: kloe_code(at),
                words: kloe.question.clone(),
                serves: Some(priority_code(kloe.priority)),
            })
            .collect(),
    })
}
