//! An area's next steps for a thematic event as a read model: its actions under the event,
//! the return it owes for them, and whether the principal may upload its plan now (the event
//! is taking returns, the return is not yet sent, and the area's next steps are theirs to
//! keep). The page and the workbook download both read it.

use domain::events::EventState;
use domain::{Action, AuthoritySlug, Principal, Programme, authorise};
use store::{NextStepFilter, OwedReturn, PlannedAction, ReturnFilter, Store, ThematicEvent};

use crate::reads::Unreadable;

/// The area's next steps under the event.
#[derive(Debug)]
pub struct AreaNextSteps {
    /// The area's name (its slug when the region no longer lists it).
    pub area_name: String,
    pub plan: Vec<PlannedAction>,
    /// The return the area owes for the event, once owed.
    pub owed: Option<OwedReturn>,
    pub may_upload: bool,
}

/// `area`'s next steps for `event`; `NotFound` when the event does not involve the area.
pub async fn area_next_steps(
    store: &Store,
    principal: Option<&Principal>,
    event: &ThematicEvent,
    area: &AuthoritySlug,
) -> Result<AreaNextSteps, Unreadable> {
    if !event.areas.contains(area) {
        return Err(Unreadable::NotFound);
    }
    authorise(principal, &Action::ViewAreaProgress(area.clone()))?;
    let plan = event_plan(store, event, area).await?;
    let owed = store
        .returns(&ReturnFilter {
            area: Some(area.clone()),
            programme: Some(Programme::Thematic),
        })
        .await?
        .into_iter()
        .find(|r| r.activity.id == event.id);
    let area_name = store
        .authority_names()
        .await?
        .get(area)
        .cloned()
        .unwrap_or_else(|| area.to_string());
    Ok(AreaNextSteps {
        may_upload: event.state == EventState::Returns
            && owed.as_ref().is_some_and(|r| r.submitted.is_none())
            && authorise(principal, &Action::KeepNextSteps(area.clone())).is_ok(),
        area_name,
        plan,
        owed,
    })
}

/// The area's actions under the event, in the store's order.
async fn event_plan(
    store: &Store,
    event: &ThematicEvent,
    area: &AuthoritySlug,
) -> Result<Vec<PlannedAction>, Unreadable> {
    Ok(store
        .next_steps(&NextStepFilter {
            area: Some(area.clone()),
            programme: Some(Programme::Thematic),
        })
        .await?
        .into_iter()
        .filter(|a| a.activity.id == event.id)
        .collect())
}

#[cfg(test)]
mod tests {
    use domain::Role;
    use domain::next_steps::{ActionEntry, Rag};

    use super::*;
    use crate::read_model_fixtures::{account, day, grant, made_at, open_event, slug};

    store::store_test!(
        a_lead_uploads_their_areas_plan_only_while_the_return_is_owed,
        |store: Store| async move {
            let coordinator = account(
                &store,
                "Cora Ordinator",
                vec![grant(Role::Coordinator, None)],
            )
            .await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let board = account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            let opened = open_event(&store, &coordinator).await;
            let derby = slug("derby");
            let read = |who: Principal, event: ThematicEvent, area: AuthoritySlug| {
                let store = store.clone();
                async move { area_next_steps(&store, Some(&who), &event, &area).await }
            };
            // Open: nothing is owed yet.
            let before = read(lead.clone(), opened.clone(), derby.clone())
                .await
                .expect("Derby's next steps");
            assert!(before.owed.is_none() && !before.may_upload);

            for (from, to) in [
                (EventState::Open, EventState::KloesShared),
                (EventState::KloesShared, EventState::Held),
                (EventState::Held, EventState::Returns),
            ] {
                store
                    .move_event(opened.id, from, to, vec![], &coordinator, made_at())
                    .await
                    .expect("moved");
            }
            let event = store
                .event(opened.id)
                .await
                .expect("read")
                .expect("the event");
            let owed = read(lead.clone(), event.clone(), derby.clone())
                .await
                .expect("Derby's next steps");
            assert!(owed.owed.is_some() && owed.may_upload);
            assert_eq!(owed.area_name, "Derby");
            let watched = read(board.clone(), event.clone(), derby.clone())
                .await
                .expect("the board reads Derby's");
            assert!(
                !watched.may_upload,
                "the board watches, it does not keep the plan"
            );
            assert!(matches!(
                read(lead.clone(), event.clone(), slug("nottingham")).await,
                Err(Unreadable::Denied(_))
            ));
            assert!(matches!(
                read(lead.clone(), event.clone(), slug("rutland")).await,
                Err(Unreadable::NotFound)
            ));

            let entry = ActionEntry {
                reference: "EHCNA-1".into(),
                answers: "KLOE 1".into(),
                theme: domain::ThemeCode::parse("EHCNA_TIMELINESS").expect("theme"),
                action: "Track every assessment weekly".into(),
                owner: "Head of SEND".into(),
                partners: String::new(),
                start: day(3, 20),
                due: day(6, 30),
                milestones: String::new(),
                baseline: String::new(),
                target: String::new(),
                rag: Rag::Green,
                progress: Vec::new(),
                impact: String::new(),
            };
            store
                .save_next_step(event.id, &derby, None, &entry, &lead, made_at())
                .await
                .expect("next step");
            let return_id = owed.owed.as_ref().map(|r| r.id).expect("owed");
            store
                .submit_return(return_id, &lead, made_at())
                .await
                .expect("submitted");
            let sent = read(lead, event, derby).await.expect("Derby's next steps");
            assert_eq!(sent.plan.len(), 1);
            assert!(!sent.may_upload, "a return sent takes no more uploads");
        }
    );
}
