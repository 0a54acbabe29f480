//! A challenge's lifecycle as an explicit state machine: the states, the transitions between
//! them, who may make each one, and what must be true first. The policy asks [`Transition::who`]
//! whether a person may make a move; [`check_transition`] says whether the challenge is ready.

use chrono::NaiveDate;
use thiserror::Error;

vocabulary!(
    /// Where a challenge is, from the authority's request to the board's last look at its next steps.
    ChallengeState {
        Requested => "requested", "Requested";
        Scoping => "scoping", "Scoping";
        TeamProposed => "team_proposed", "Team proposed";
        TeamConfirmed => "team_confirmed", "Team confirmed";
        Scheduled => "scheduled", "Scheduled";
        Visit => "visit", "Visit";
        Reporting => "reporting", "Reporting";
        NextSteps => "next_steps", "Next steps";
        Closed => "closed", "Closed";
        Cancelled => "cancelled", "Cancelled";
    }
);

impl ChallengeState {
    /// The GOV.UK tag colour class for this state.
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Requested => "govuk-tag--blue",
            Self::Scoping => "govuk-tag--light-blue",
            Self::TeamProposed | Self::TeamConfirmed => "govuk-tag--purple",
            Self::Scheduled | Self::Visit => "govuk-tag--green",
            Self::Reporting | Self::NextSteps => "govuk-tag--yellow",
            Self::Closed => "govuk-tag--grey",
            Self::Cancelled => "govuk-tag--red",
        }
    }

    /// Closed and cancelled challenges take no more transitions.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Cancelled)
    }

    // Which state allows what: asked by the pages (to offer a step) and by the store (to
    // refuse it in the transaction), so the two never keep different lists.

    /// KLOEs can be drafted until the visit is being planned in earnest.
    pub fn may_edit_kloes(self) -> bool {
        matches!(self, Self::Requested | Self::Scoping)
    }

    /// The team may be (re-)proposed and changed until the visit starts.
    pub fn may_change_team(self) -> bool {
        matches!(
            self,
            Self::Scoping | Self::TeamProposed | Self::TeamConfirmed | Self::Scheduled
        )
    }

    /// The visit's dates and place may change until the challenge is scheduled.
    pub fn may_plan_visit(self) -> bool {
        matches!(
            self,
            Self::Scoping | Self::TeamProposed | Self::TeamConfirmed
        )
    }

    /// The host builds the timetable, case sample and pre-reading once a team is being formed.
    pub fn may_prepare_visit(self) -> bool {
        matches!(
            self,
            Self::Scoping
                | Self::TeamProposed
                | Self::TeamConfirmed
                | Self::Scheduled
                | Self::Visit
        )
    }

    /// Evidence and findings are written on the visit and while reporting.
    pub fn may_record_evidence(self) -> bool {
        matches!(self, Self::Visit | Self::Reporting)
    }

    /// Report versions are made, shared, commented on and made final while reporting.
    pub fn may_change_reports(self) -> bool {
        self == Self::Reporting
    }

    /// The host's action plan is written and changed at the next steps stage.
    pub fn may_plan_next_steps(self) -> bool {
        self == Self::NextSteps
    }
}
/// Who may make a transition. `HostLead` is an LA lead of the challenge's own authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mover {
    Coordinator,
    ProjectManager,
    HostLead,
}

/// One allowed move, with who may make it and the words on its button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: ChallengeState,
    pub to: ChallengeState,
    pub who: &'static [Mover],
    pub action: &'static str,
}

use ChallengeState as S;
use Mover::{Coordinator as C, HostLead as L, ProjectManager as P};

/// Every transition except cancelling, which [`transition`] allows from any open state.
const TRANSITIONS: &[Transition] = &[
    Transition {
        from: S::Requested,
        to: S::Scoping,
        who: &[C, P],
        action: "Accept the request and start scoping",
    },
    Transition {
        from: S::Scoping,
        to: S::TeamProposed,
        who: &[C, P],
        action: "Propose a team",
    },
    Transition {
        from: S::TeamProposed,
        to: S::TeamConfirmed,
        who: &[C, P],
        action: "Confirm the team and send invitations",
    },
    Transition {
        from: S::TeamConfirmed,
        to: S::Scheduled,
        who: &[C, P, L],
        action: "Publish the timetable",
    },
    Transition {
        from: S::Scheduled,
        to: S::Visit,
        who: &[C, P],
        action: "Start the visit",
    },
    Transition {
        from: S::Visit,
        to: S::Reporting,
        who: &[C, P],
        action: "End the visit and start reporting",
    },
    Transition {
        from: S::Reporting,
        to: S::NextSteps,
        who: &[C, P],
        action: "Move to next steps",
    },
    Transition {
        from: S::NextSteps,
        to: S::Closed,
        who: &[C],
        action: "Close the challenge",
    },
];

/// The host's LA lead may withdraw their own request before a team is proposed; after that only
/// the people running the scheme cancel, because reviewers have been asked.
const CANCEL_EARLY: &[Mover] = &[C, P, L];
const CANCEL_LATE: &[Mover] = &[C, P];

/// The transition from `from` to `to`, if the lifecycle has one.
pub fn transition(from: ChallengeState, to: ChallengeState) -> Option<Transition> {
    if to == S::Cancelled {
        return from.is_open().then_some(Transition {
            from,
            to,
            who: if matches!(from, S::Requested | S::Scoping) {
                CANCEL_EARLY
            } else {
                CANCEL_LATE
            },
            action: "Cancel the challenge",
        });
    }
    TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.to == to)
        .copied()
}

/// The forward moves out of `from` (cancelling excluded), in lifecycle order.
pub fn next_states(from: ChallengeState) -> Vec<ChallengeState> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from == from)
        .map(|t| t.to)
        .collect()
}

impl Transition {
    pub fn allows(&self, mover: Mover) -> bool {
        self.who.contains(&mover)
    }
}

/// What the lifecycle needs to know about a challenge to decide whether a move is ready.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readiness {
    pub kloes_agreed: bool,
    pub visit_days: Vec<NaiveDate>,
    pub seats_unfilled: usize,
    pub members_not_accepted: usize,
    pub visit_days_without_activities: usize,
    pub clashes: usize,
    pub today: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
    /// Reports the challenge owes that have no final version yet: the slide deck, and for a
    /// two-day challenge the written report too.
    pub reports_not_final: usize,
}

/// Why a move is refused, in words for the page.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TransitionRefused {
    #[error("A challenge cannot move from {} to {}", .0.label().to_lowercase(), .1.label().to_lowercase())]
    NoSuchTransition(ChallengeState, ChallengeState),
    #[error("The KLOEs must be agreed by the co-ordinator first")]
    KloesNotAgreed,
    #[error("Set the visit dates and seats first")]
    NoVisitDates,
    #[error("{0} seat(s) still need someone before the team can be confirmed")]
    SeatsUnfilled(usize),
    #[error("{0} member(s) of the team have not accepted yet")]
    NotAllAccepted(usize),
    #[error("{0} visit day(s) have no activities in the timetable")]
    TimetableIncomplete(usize),
    #[error("The timetable has {0} clash(es) to fix first")]
    Clashes(usize),
    #[error("The visit cannot start before its first day")]
    VisitNotStarted,
    #[error("Enter the reason for cancelling")]
    NoCancelReason,
    #[error("{0} report(s) must be made final before next steps")]
    ReportsNotFinal(usize),
}

/// Whether `from → to` exists and the challenge is ready for it (who may make it is the policy's
/// question, answered with [`Transition::allows`]).
pub fn check_transition(
    from: ChallengeState,
    to: ChallengeState,
    readiness: &Readiness,
) -> Result<Transition, TransitionRefused> {
    let found = transition(from, to).ok_or(TransitionRefused::NoSuchTransition(from, to))?;
    let refusal = match to {
        S::Cancelled
            if readiness
                .cancel_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty()) =>
        {
            Some(TransitionRefused::NoCancelReason)
        }
        S::TeamProposed if !readiness.kloes_agreed => Some(TransitionRefused::KloesNotAgreed),
        S::TeamProposed if readiness.visit_days.is_empty() => Some(TransitionRefused::NoVisitDates),
        S::TeamConfirmed if readiness.seats_unfilled > 0 => {
            Some(TransitionRefused::SeatsUnfilled(readiness.seats_unfilled))
        }
        S::Scheduled if readiness.members_not_accepted > 0 => Some(
            TransitionRefused::NotAllAccepted(readiness.members_not_accepted),
        ),
        S::Scheduled if readiness.visit_days_without_activities > 0 => Some(
            TransitionRefused::TimetableIncomplete(readiness.visit_days_without_activities),
        ),
        S::Scheduled if readiness.clashes > 0 => {
            Some(TransitionRefused::Clashes(readiness.clashes))
        }
        S::NextSteps if readiness.reports_not_final > 0 => Some(
            TransitionRefused::ReportsNotFinal(readiness.reports_not_final),
        ),
        S::Visit => match (readiness.today, readiness.visit_days.first()) {
            (Some(today), Some(first)) if today >= *first => None,
            _ => Some(TransitionRefused::VisitNotStarted),
        },
        _ => None,
    };
    refusal.map_or(Ok(found), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each step's states, written out once more so a change to a method is a decision.
    #[test]
    fn which_state_allows_what() {
        use ChallengeState::*;
        let allowed = |may: fn(ChallengeState) -> bool| -> Vec<ChallengeState> {
            ChallengeState::ALL
                .into_iter()
                .filter(|s| may(*s))
                .collect()
        };
        assert_eq!(
            allowed(ChallengeState::may_edit_kloes),
            [Requested, Scoping]
        );
        assert_eq!(
            allowed(ChallengeState::may_change_team),
            [Scoping, TeamProposed, TeamConfirmed, Scheduled]
        );
        assert_eq!(
            allowed(ChallengeState::may_plan_visit),
            [Scoping, TeamProposed, TeamConfirmed]
        );
        assert_eq!(
            allowed(ChallengeState::may_prepare_visit),
            [Scoping, TeamProposed, TeamConfirmed, Scheduled, Visit]
        );
        assert_eq!(
            allowed(ChallengeState::may_record_evidence),
            [Visit, Reporting]
        );
        assert_eq!(allowed(ChallengeState::may_change_reports), [Reporting]);
        assert_eq!(allowed(ChallengeState::may_plan_next_steps), [NextSteps]);
    }

    fn ready() -> Readiness {
        let day = NaiveDate::from_ymd_opt(2027, 3, 11).unwrap_or_default();
        Readiness {
            kloes_agreed: true,
            visit_days: vec![day],
            today: Some(day),
            cancel_reason: Some("The authority asked to postpone".into()),
            ..Readiness::default()
        }
    }

    #[test]
    fn the_lifecycle_runs_forward_one_step_at_a_time() {
        let forward = [
            S::Requested,
            S::Scoping,
            S::TeamProposed,
            S::TeamConfirmed,
            S::Scheduled,
            S::Visit,
            S::Reporting,
            S::NextSteps,
            S::Closed,
        ];
        for pair in forward.windows(2) {
            assert_eq!(next_states(pair[0]), vec![pair[1]]);
            assert!(check_transition(pair[0], pair[1], &ready()).is_ok());
        }
        assert!(next_states(S::Closed).is_empty());
    }

    #[test]
    fn next_steps_wait_for_the_final_reports() {
        let owed = Readiness {
            reports_not_final: 2,
            ..ready()
        };
        assert_eq!(
            check_transition(S::Reporting, S::NextSteps, &owed).map_err(|e| e.to_string()),
            Err("2 report(s) must be made final before next steps".to_owned())
        );
    }

    #[test]
    fn skipping_a_state_or_going_back_is_refused_with_a_message() {
        let refused = check_transition(S::Requested, S::TeamConfirmed, &ready());
        assert_eq!(
            refused.map_err(|e| e.to_string()),
            Err("A challenge cannot move from requested to team confirmed".to_owned())
        );
        assert!(check_transition(S::Scheduled, S::Scoping, &ready()).is_err());
    }

    #[test]
    fn any_open_state_can_be_cancelled_with_a_reason_and_closed_ones_cannot() {
        for state in ChallengeState::ALL {
            let result = check_transition(state, S::Cancelled, &ready());
            assert_eq!(result.is_ok(), state.is_open(), "{state:?}");
        }
        let no_reason = Readiness {
            cancel_reason: Some("  ".into()),
            ..ready()
        };
        assert_eq!(
            check_transition(S::Scoping, S::Cancelled, &no_reason),
            Err(TransitionRefused::NoCancelReason)
        );
    }

    #[test]
    fn the_host_lead_may_withdraw_a_request_but_not_cancel_a_confirmed_team() {
        let early = transition(S::Scoping, S::Cancelled).map(|t| t.allows(Mover::HostLead));
        let late = transition(S::TeamConfirmed, S::Cancelled).map(|t| t.allows(Mover::HostLead));
        assert_eq!((early, late), (Some(true), Some(false)));
    }

    #[test]
    fn each_transition_names_who_may_make_it() {
        let confirm = transition(S::TeamProposed, S::TeamConfirmed);
        assert_eq!(confirm.map(|t| t.allows(Mover::HostLead)), Some(false));
        assert_eq!(confirm.map(|t| t.allows(Mover::ProjectManager)), Some(true));
        let publish = transition(S::TeamConfirmed, S::Scheduled);
        assert_eq!(publish.map(|t| t.allows(Mover::HostLead)), Some(true));
        let close = transition(S::NextSteps, S::Closed);
        assert_eq!(close.map(|t| t.allows(Mover::ProjectManager)), Some(false));
    }

    #[test]
    fn moves_wait_for_what_they_need() {
        let not_agreed = Readiness {
            kloes_agreed: false,
            ..ready()
        };
        assert_eq!(
            check_transition(S::Scoping, S::TeamProposed, &not_agreed),
            Err(TransitionRefused::KloesNotAgreed)
        );
        let unfilled = Readiness {
            seats_unfilled: 1,
            ..ready()
        };
        assert_eq!(
            check_transition(S::TeamProposed, S::TeamConfirmed, &unfilled),
            Err(TransitionRefused::SeatsUnfilled(1))
        );
        let clashing = Readiness {
            clashes: 2,
            ..ready()
        };
        assert_eq!(
            check_transition(S::TeamConfirmed, S::Scheduled, &clashing),
            Err(TransitionRefused::Clashes(2))
        );
        let early = Readiness {
            today: NaiveDate::from_ymd_opt(2027, 3, 10),
            ..ready()
        };
        assert_eq!(
            check_transition(S::Scheduled, S::Visit, &early),
            Err(TransitionRefused::VisitNotStarted)
        );
    }

    #[test]
    fn state_codes_round_trip() {
        for state in ChallengeState::ALL {
            assert_eq!(ChallengeState::parse(state.code()), Some(state));
        }
    }
}
