//! The same change asked for many times at once, each in a task of its own: exactly one makes
//! it and every other is refused with the rule (a `Conflict`), on both databases. On
//! PostgreSQL each read committed transaction sees the rows as they were before the others
//! commit, so a check made by reading first holds only if the writers take turns on the row
//! they change.

use std::future::Future;

use domain::self_assessment::propose_triads;
use domain::self_assessment_form::SelfAssessmentAnswers;
use domain::{AuthoritySlug, Principal, ProgrammeActivityId};
use store::{ReturnFilter, Store, StoreError, store_test};

use crate::support::annual;
use crate::support::challenge_walk::{at, audit_of, slug};

const AT_ONCE: usize = 8;

/// `change` asked for `AT_ONCE` times at once; panics unless exactly one was made and every
/// other was refused with its rule.
async fn once<F, Fut, T>(change: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    T: Send + std::fmt::Debug + 'static,
{
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..AT_ONCE {
        requests.spawn(change());
    }
    let answers = requests.join_all().await;
    let made = answers.iter().filter(|answer| answer.is_ok()).count();
    assert_eq!(made, 1, "{made} were told they made the one change");
    for refused in answers.iter().filter(|answer| answer.is_err()) {
        assert!(
            matches!(refused, Err(StoreError::Conflict(_))),
            "a refusal names its rule: {refused:?}"
        );
    }
}

/// An annual cycle with its triads published, so every area owes its self-assessment, and
/// Derby's LA lead with a draft saved.
async fn annual_cycle_with_a_draft(
    store: &Store,
) -> (ProgrammeActivityId, AuthoritySlug, Principal) {
    let coordinator = annual::coordinator(store).await;
    let lead = annual::lead_of_derby(store).await;
    let areas: Vec<_> = [
        "derby",
        "derbyshire",
        "leicester",
        "nottingham",
        "rutland",
        "lincolnshire",
    ]
    .into_iter()
    .map(slug)
    .collect();
    let triads = propose_triads(&areas, &[]);
    let cycle = annual::cycle_2026(store, &coordinator, &areas, &triads).await;
    store
        .publish_triads(cycle, &coordinator, vec![], at(1))
        .await
        .expect("published");
    let derby = slug("derby");
    let answers = SelfAssessmentAnswers {
        summary: "Our strengths and what we are working on".to_owned(),
        ..SelfAssessmentAnswers::default()
    };
    store
        .save_self_assessment(cycle, &derby, &answers, &lead, at(2))
        .await
        .expect("draft");
    (cycle, derby, lead)
}

store_test!(
    a_self_assessment_submitted_at_once_is_submitted_once,
    |store: Store| async move {
        let (cycle, derby, lead) = annual_cycle_with_a_draft(&store).await;
        once(|| {
            let (store, derby, lead) = (store.clone(), derby.clone(), lead.clone());
            async move {
                store
                    .submit_self_assessment(cycle, &derby, &lead, at(3))
                    .await
            }
        })
        .await;
        assert_eq!(audit_of(&store, "self_assessment.submitted").await.len(), 1);
    }
);

store_test!(
    a_return_submitted_at_once_is_submitted_once,
    |store: Store| async move {
        let (_, derby, lead) = annual_cycle_with_a_draft(&store).await;
        let owed = store
            .returns(&ReturnFilter {
                area: Some(derby),
                ..ReturnFilter::default()
            })
            .await
            .expect("returns");
        let id = owed.first().expect("Derby owes its self-assessment").id;
        once(|| {
            let (store, lead) = (store.clone(), lead.clone());
            async move { store.submit_return(id, &lead, at(3)).await }
        })
        .await;
        assert_eq!(audit_of(&store, "return.submitted").await.len(), 1);
    }
);
