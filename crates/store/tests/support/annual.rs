//! The annual programme's people and a year's cycle, as several store tests need them.

use domain::self_assessment::CycleTimetable;
use domain::{AuthoritySlug, Principal, ProgrammeActivityId, Role, RoleGrant};
use store::Store;

use super::challenge_walk::{account, at, slug};

/// The regional co-ordinator, who runs the cycle.
pub async fn coordinator(store: &Store) -> Principal {
    account(
        store,
        "Cora Ordinator",
        RoleGrant::new(Role::Coordinator, None).expect("grant"),
    )
    .await
}

/// Derby's LA lead, who writes Derby's self-assessment.
pub async fn lead_of_derby(store: &Store) -> Principal {
    account(
        store,
        "Lee Derby",
        RoleGrant::new(Role::LaLead, Some(slug("derby"))).expect("grant"),
    )
    .await
}

/// The 2026 cycle of `areas` in `triads`, on the usual timetable, made at minute 0.
pub async fn cycle_2026(
    store: &Store,
    coordinator: &Principal,
    areas: &[AuthoritySlug],
    triads: &[Vec<AuthoritySlug>],
) -> ProgrammeActivityId {
    let timetable = CycleTimetable::usual(2026).expect("timetable");
    store
        .create_annual_cycle(2026, timetable, areas, triads, coordinator, at(0))
        .await
        .expect("cycle")
}
