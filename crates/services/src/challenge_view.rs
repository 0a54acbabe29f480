//! A challenge as its pages read it: the record, the team, the timetable and the sampled
//! cases' references, kept between requests while none of their tables changes
//! (`ReadSet::Challenge`). During a visit the team records evidence note after note; each
//! note used to read all of this again (eleven statements) to check the form's choices.
//!
//! Nothing here is authorised: the view is the challenge's data, the same for everyone, and
//! the caller works out the visitor's access from its record and team and asks the policy
//! before showing any of it.

use std::sync::Arc;

use domain::ChallengeId;
use store::{Activity, CaseReferenceOnly, ChallengeRecord, DataVersion, Store, TeamMember};

use crate::reads::Unreadable;
use crate::view_cache::{ViewCache, ViewKey};

#[derive(Clone, Debug)]
pub struct ChallengeView {
    pub record: ChallengeRecord,
    pub team: Vec<TeamMember>,
    /// The timetable and the cases, shared: most of a challenge's pages do not read them.
    pub timetable: Arc<Vec<Activity>>,
    pub cases: Arc<Vec<CaseReferenceOnly>>,
}

/// The challenge `id` as kept, or read afresh when one of its tables has changed, with the
/// version of `ReadSet::Challenge` it is kept at; None when there is no such challenge.
pub async fn challenge_view(
    store: &Store,
    views: &ViewCache,
    id: ChallengeId,
) -> Result<Option<(ChallengeView, DataVersion)>, Unreadable> {
    let (view, version) = views
        .get_or_load_at(store, ViewKey::Challenge { id }, read(store, id))
        .await?;
    Ok(view.map(|view| (view, version)))
}

/// The challenge `id` as last kept, with the version it is kept at, without reading anything:
/// possibly out of date, so only for a write that carries the version and is refused
/// (`StoreError::Stale`) if it has moved, as `Store::save_evidence` does. During a visit the
/// team records note after note, and this spares each the read of the version.
pub fn last_kept_challenge_view(
    views: &ViewCache,
    id: ChallengeId,
) -> Option<(ChallengeView, DataVersion)> {
    let (view, version) = views.last_kept::<Option<ChallengeView>>(&ViewKey::Challenge { id })?;
    Some((view?, version))
}

async fn read(store: &Store, id: ChallengeId) -> Result<Option<ChallengeView>, Unreadable> {
    let Some(record) = store.challenge(id).await? else {
        return Ok(None);
    };
    Ok(Some(ChallengeView {
        record,
        team: store.team(id).await?,
        timetable: Arc::new(store.timetable(id).await?),
        cases: Arc::new(store.case_references(id).await?),
    }))
}

#[cfg(test)]
mod tests {
    use domain::Role;
    use domain::challenge::{ChallengeKind, ChallengeRequest, Kloe, VisitFormat, VisitPlan};
    use domain::lifecycle::ChallengeState;
    use domain::pool::DateRange;

    use super::*;
    use crate::read_model_fixtures::{account, day, grant, made_at, slug};

    fn request() -> ChallengeRequest {
        ChallengeRequest {
            kind: ChallengeKind::TwoDay,
            format: VisitFormat::OnSite,
            partners: vec![],
            windows: vec![DateRange::new(day(3, 1), day(3, 31)).expect("window")],
            focus: "Transitions to adulthood".into(),
            kloes: vec![Kloe {
                question: "How well do young people prepare for adulthood?".into(),
                themes: vec![],
            }],
        }
    }

    /// The statements one read of the view sends, and the view.
    async fn read_counted(
        store: &Store,
        views: &ViewCache,
        id: ChallengeId,
    ) -> (u64, ChallengeView) {
        let before = store.statements_run();
        let view = challenge_view(store, views, id)
            .await
            .expect("read")
            .expect("the challenge");
        (store.statements_run() - before, view.0)
    }

    store::store_test!(
        a_kept_challenge_is_read_again_only_when_its_own_tables_change,
        |store: Store| async move {
            let pm = account(
                &store,
                "Jo Bennett",
                vec![grant(Role::ProjectManager, None)],
            )
            .await;
            let id = store
                .request_challenge(&pm, &slug("derby"), &request(), made_at())
                .await
                .expect("requested");
            let views = ViewCache::default();
            let (cold, first) = read_counted(&store, &views, id).await;
            assert!(cold > 1, "read from the tables: {cold} statements");
            assert_eq!(read_counted(&store, &views, id).await.0, 1, "kept");

            // A change elsewhere (a new account) leaves it kept.
            account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            assert_eq!(read_counted(&store, &views, id).await.0, 1, "still kept");

            // A change to the challenge is seen at once.
            store
                .move_challenge(
                    &pm,
                    id,
                    ChallengeState::Requested,
                    ChallengeState::Scoping,
                    None,
                    made_at(),
                )
                .await
                .expect("scoping");
            store
                .plan_visit(
                    &pm,
                    id,
                    &VisitPlan {
                        days: vec![day(3, 11), day(3, 12)],
                        seats: ChallengeKind::TwoDay.default_seats(),
                    },
                    made_at(),
                )
                .await
                .expect("visit planned");
            // As last kept: the version it carries is no longer current, which is how a write
            // that carries it knows to be refused.
            let (stale, kept_at) = last_kept_challenge_view(&views, id).expect("kept");
            assert_eq!(stale.record.state, ChallengeState::Requested);
            let now_at = store
                .read_set_version(store::ReadSet::Challenge)
                .await
                .expect("version");
            assert_ne!(kept_at, now_at);
            let (count, planned) = read_counted(&store, &views, id).await;
            let (_, kept_at) = last_kept_challenge_view(&views, id).expect("kept again");
            assert_eq!(kept_at, now_at);
            assert!(count > 1, "read again after the change");
            assert_eq!(first.record.state, ChallengeState::Requested);
            assert_eq!(planned.record.state, ChallengeState::Scoping);
            assert_eq!(planned.record.visit_days, [day(3, 11), day(3, 12)]);
        }
    );
}
