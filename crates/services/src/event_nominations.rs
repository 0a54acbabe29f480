//! A thematic event's page and its nominations page as read models: the moves the principal
//! is offered, whether they see the nominations, how many each area has named (numbers only,
//! for everyone who reads the event), and on the nominations page which areas the principal
//! names for, whether nominations are still open and which areas have named nobody. The pages
//! word, link and lay out the forms.

use chrono::NaiveDate;
use domain::events::EventState;
use domain::{Action, AuthoritySlug, Denied, Principal, authorise};
use store::{Nomination, Store, ThematicEvent};

use crate::reads::Unreadable;

/// An area's name (its slug when the region no longer lists it).
fn name_of(names: &[(AuthoritySlug, String)], area: &AuthoritySlug) -> String {
    names
        .iter()
        .find(|(slug, _)| slug == area)
        .map_or_else(|| area.to_string(), |(_, name)| name.clone())
}

async fn area_names(store: &Store) -> Result<Vec<(AuthoritySlug, String)>, Unreadable> {
    Ok(store
        .authorities()
        .await?
        .into_iter()
        .map(|a| (a.slug, a.name))
        .collect())
}

/// How many an area has named.
#[derive(Debug, PartialEq, Eq)]
pub struct AreaNamed {
    pub area: String,
    /// Officers, who take a place.
    pub named: usize,
    pub deputies: usize,
}

/// The event page as the principal may see it.
#[derive(Debug)]
pub struct EventView {
    /// The area of practice's label (its code if the theme is gone).
    pub theme: String,
    /// Whether the principal runs events (edits and moves this one).
    pub manages: bool,
    /// The next step the principal may move the event to, and whether they may cancel it.
    pub next_move: Option<EventState>,
    pub may_cancel: bool,
    pub may_see_nominations: bool,
    /// Each area taking part with how many it has named, in the event's order.
    pub counts: Vec<AreaNamed>,
}

/// The page of `event`, loaded for a principal who may view events.
pub async fn event_view(
    store: &Store,
    principal: Option<&Principal>,
    event: &ThematicEvent,
) -> Result<EventView, Unreadable> {
    authorise(principal, &Action::ViewEvents)?;
    let may = |action: &Action| authorise(principal, action).is_ok();
    let theme = store
        .themes()
        .await?
        .into_iter()
        .find(|t| t.code == event.details.theme)
        .map_or_else(|| event.details.theme.to_string(), |t| t.label);
    let manages = may(&Action::ManageEvents);
    let nominations = store.nominations(event.id).await?;
    let names = area_names(store).await?;
    let counts = event
        .areas
        .iter()
        .map(|area| {
            let of_area = || nominations.iter().filter(move |n| &n.area == area);
            AreaNamed {
                area: name_of(&names, area),
                named: of_area().filter(|n| !n.nominee.deputy).count(),
                deputies: of_area().filter(|n| n.nominee.deputy).count(),
            }
        })
        .collect();
    Ok(EventView {
        theme,
        manages,
        next_move: event.state.next().filter(|_| manages),
        may_cancel: manages && event.state.is_live(),
        may_see_nominations: manages
            || event
                .areas
                .iter()
                .any(|area| may(&Action::NominateForEvent(area.clone()))),
        counts,
    })
}

/// One area's nominations as the nominations page lists them.
#[derive(Debug)]
pub struct AreaNominations {
    pub area: AuthoritySlug,
    pub name: String,
    pub nominations: Vec<Nomination>,
    /// Officers named, deputies left out.
    pub named: usize,
    /// Whether the principal may withdraw them now.
    pub may_withdraw: bool,
}

/// The nominations page as the principal may see it.
#[derive(Debug)]
pub struct NominationsView {
    /// Whether the principal runs events: every area shown, those that named nobody listed.
    pub manages: bool,
    /// Whether nominations are still taken (the event takes them and the close date is not
    /// past).
    pub open: bool,
    /// The areas the principal names for (every area for the co-ordinator, a lead's own),
    /// slug and name.
    pub naming: Vec<(AuthoritySlug, String)>,
    /// The areas shown: every area to those who run events, else those they name for.
    pub sections: Vec<AreaNominations>,
    /// The names of the areas that have named nobody.
    pub missing: Vec<String>,
    /// Whether the principal records attendance now (the event has been held).
    pub attendance: bool,
}

/// The nominations of `event` on `today`, for those who run events or name for an area.
pub async fn nominations_view(
    store: &Store,
    principal: Option<&Principal>,
    event: &ThematicEvent,
    today: NaiveDate,
) -> Result<NominationsView, Unreadable> {
    authorise(principal, &Action::ViewEvents)?;
    let may = |action: &Action| authorise(principal, action).is_ok();
    let manages = may(&Action::ManageEvents);
    let naming: Vec<&AuthoritySlug> = event
        .areas
        .iter()
        .filter(|area| may(&Action::NominateForEvent((*area).clone())))
        .collect();
    if !manages && naming.is_empty() {
        return Err(Unreadable::Denied(Denied::Forbidden));
    }
    let names = area_names(store).await?;
    let nominations = store.nominations(event.id).await?;
    let open = event.state.takes_nominations() && today <= event.details.nominations_close;
    let shown: Vec<&AuthoritySlug> = if manages {
        event.areas.iter().collect()
    } else {
        naming.clone()
    };
    let sections = shown
        .into_iter()
        .map(|area| {
            let of_area: Vec<Nomination> = nominations
                .iter()
                .filter(|n| &n.area == area)
                .cloned()
                .collect();
            AreaNominations {
                area: area.clone(),
                name: name_of(&names, area),
                named: of_area.iter().filter(|n| !n.nominee.deputy).count(),
                nominations: of_area,
                may_withdraw: open && naming.contains(&area),
            }
        })
        .collect();
    let missing = event
        .areas
        .iter()
        .filter(|area| !nominations.iter().any(|n| &n.area == *area))
        .map(|area| name_of(&names, area))
        .collect();
    Ok(NominationsView {
        manages,
        open,
        naming: naming
            .into_iter()
            .map(|area| (area.clone(), name_of(&names, area)))
            .collect(),
        sections,
        missing,
        attendance: manages && event.state.may_record_attendance(),
    })
}

#[cfg(test)]
mod tests {
    use domain::events::NominationAnswers;
    use domain::{EmailAddress, Role};
    use store::NewEmail;

    use super::*;
    use crate::read_model_fixtures::{account, day, grant, made_at, open_event, slug};

    /// `who` named for `area` by `by`, as an officer or as the area's deputy.
    async fn name(
        store: &Store,
        by: &Principal,
        event: &ThematicEvent,
        (area, who, deputy): (&str, &str, bool),
    ) {
        let email = format!("{who}@{area}.example.org");
        let nominee = NominationAnswers {
            name: format!("{who} Officer"),
            role: "Head of SEND".into(),
            organisation: "local_authority".into(),
            email: email.clone(),
            deputy: if deputy { "yes".into() } else { String::new() },
        }
        .check()
        .expect("valid nominee");
        let confirmation = NewEmail::text(
            EmailAddress::parse(&email).expect("email"),
            "Named",
            "You are named",
        );
        store
            .nominate(
                event.id,
                &slug(area),
                &nominee,
                confirmation,
                day(3, 1),
                by,
                made_at(),
            )
            .await
            .expect("named");
    }

    store::store_test!(
        a_lead_sees_their_own_areas_nominations_and_the_board_none,
        |store: Store| async move {
            let coordinator = account(
                &store,
                "Cora Ordinator",
                vec![grant(Role::Coordinator, None)],
            )
            .await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let board = account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            let event = open_event(&store, &coordinator).await;
            name(&store, &coordinator, &event, ("derby", "ann", false)).await;
            name(&store, &coordinator, &event, ("derby", "di", true)).await;

            let leads = nominations_view(&store, Some(&lead), &event, day(3, 1))
                .await
                .expect("the lead's nominations");
            assert!(leads.open && !leads.manages && !leads.attendance);
            assert_eq!(leads.naming.len(), 1);
            let [derby] = leads.sections.as_slice() else {
                panic!("a lead sees their own area only: {:?}", leads.sections);
            };
            assert_eq!((derby.area.as_str(), derby.named), ("derby", 1));
            assert_eq!(derby.nominations.len(), 2);
            assert!(derby.may_withdraw);
            assert_eq!(leads.missing.len(), 1, "Nottingham has named nobody");

            let closed = nominations_view(&store, Some(&lead), &event, day(3, 14))
                .await
                .expect("after the close");
            assert!(!closed.open && !closed.sections[0].may_withdraw);

            assert!(matches!(
                nominations_view(&store, Some(&board), &event, day(3, 1)).await,
                Err(Unreadable::Denied(Denied::Forbidden))
            ));
            let seen = event_view(&store, Some(&board), &event)
                .await
                .expect("the board reads the event");
            assert!(!seen.manages && !seen.may_see_nominations && seen.next_move.is_none());
            assert_eq!(
                seen.counts
                    .iter()
                    .map(|c| (c.named, c.deputies))
                    .collect::<Vec<_>>(),
                [(1, 1), (0, 0)]
            );
        }
    );
}
