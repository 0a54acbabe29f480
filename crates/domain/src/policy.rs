//! The one access policy: may this principal do this? Every protected route asks it, and
//! nothing else decides access. Deny by default: an action is allowed only by an explicit
//! arm below, and anonymous visitors are never allowed a protected action.

use thiserror::Error;

use crate::lifecycle::{ChallengeState, Mover, transition};
use crate::pool::ReviewerType;
use crate::{AuthoritySlug, Principal, Role};

/// What the policy needs to know about one challenge: whose it is, and whether the person
/// asking sits on its team (invited or accepted), as which kind of reviewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeAccess {
    pub authority: AuthoritySlug,
    pub team_member: Option<ReviewerType>,
    /// On the team and has accepted the invitation (and with it the confidentiality
    /// undertaking): only then may they record evidence and read the team's notes.
    pub accepted: bool,
    /// Sits in the lead reviewer's seat, accepted.
    pub lead_reviewer: bool,
    /// A two-day challenge, which the co-ordinator leads; a lead reviewer leads a one-day.
    pub led_by_coordinator: bool,
}

/// Something a signed-in person may try to do. Object-scoped actions carry the object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// See their own dashboard.
    ViewDashboard,
    /// See the list of local authorities and their reference facts.
    ViewAuthorities,
    /// See one authority's page.
    ViewAuthority(AuthoritySlug),
    /// See staff accounts and their roles.
    ViewStaff,
    /// Invite a member of staff, choosing their role and scope.
    InviteStaff,
    /// Read the audit log.
    ViewAuditLog,
    /// See what the outbox has sent or is trying to send.
    ViewOutbox,
    /// See the scheduled upkeep jobs: last run, outcome and next run.
    ViewUpkeep,
    /// Publish a new version of the scheme guidance.
    ManageGuidance,
    /// Search the reviewer pool and read members' profiles and exports.
    ViewPool,
    /// Change any member's profile or status, and record training.
    ManagePool,
    /// Read applications to the pool and decide them.
    VetApplications,
    /// Arrange training sessions, invite the waiting list and record attendance.
    ManageTraining,
    /// See and edit one's own pool profile (the handler finds it by the principal's account).
    EditOwnPoolProfile,
    /// See the list of challenges (an LA lead's list holds only their own authority's).
    ListChallenges,
    /// Ask for a one-day or two-day challenge for this authority.
    RequestChallenge(AuthoritySlug),
    /// See a challenge's page: its request, KLOEs, team, timetable and case references.
    ViewChallenge(ChallengeAccess),
    /// Draft the KLOEs with the co-ordinator (until the co-ordinator agrees them).
    DraftKloes(ChallengeAccess),
    /// Agree the KLOEs, which fixes them.
    AgreeKloes,
    /// Plan the visit's days and seats, ask the engine for a team, change and confirm it.
    ComposeTeam,
    /// Move a challenge along its lifecycle; who may make each move is the lifecycle's table.
    MoveChallenge {
        access: ChallengeAccess,
        from: ChallengeState,
        to: ChallengeState,
    },
    /// See one's own challenges and answer invitations (the handler finds the seats by account).
    ViewOwnChallenges,
    /// Build the visit: timetable, case sample and pre-reading uploads.
    PrepareVisit(ChallengeAccess),
    /// Read a sampled case's age band, need type, setting and notes, not just its reference.
    ViewCaseDetails(ChallengeAccess),
    /// Download the pre-reading.
    ReadPreReading(ChallengeAccess),
    /// Record evidence on the day (the handler finds the author's own notes by account).
    RecordEvidence(ChallengeAccess),
    /// Read the team's evidence notes.
    ViewEvidence(ChallengeAccess),
    /// Read the findings and comment on them.
    DiscussFindings(ChallengeAccess),
    /// Write the findings and produce, share and finalise the reports: whoever leads the
    /// challenge.
    WriteFindings(ChallengeAccess),
    /// Read the reports (the host reads only versions shared with them; the handler filters).
    ViewReports(ChallengeAccess),
    /// Comment on a shared report version as the host's factual-accuracy check.
    CheckReportAccuracy(ChallengeAccess),
    /// Build and update the area's action plan from a challenge's recommendations.
    ManageActionPlan(ChallengeAccess),
    /// Read one area's next steps and their history.
    ViewAreaProgress(AuthoritySlug),
    /// Read every area's next steps across the region, with the board's exports.
    ViewRegionalProgress,
    /// Open the progress pages at all: the region's, or an LA lead's own area's.
    ViewProgress,
    /// Open the list of returns at all (each row is then `ViewAreaReturns`).
    ViewReturns,
    /// Read the returns one area owes.
    ViewAreaReturns(AuthoritySlug),
    /// Give one area's return a later due date.
    ExtendReturn,
    /// Submit the return one area owes.
    SubmitReturn(AuthoritySlug),
    /// Name which of the area's LA leads answers for its return (and hears its reminders).
    AssignReturnOwner(AuthoritySlug),
    /// Keep one area's next steps up to date (change them, record progress), whatever
    /// programme activity they came from.
    KeepNextSteps(AuthoritySlug),
    /// See the list of thematic events and each event's page.
    ViewEvents,
    /// Create, change and move thematic events; see who comes from where and remind areas.
    ManageEvents,
    /// Name (and withdraw) an area's officers for a thematic event.
    NominateForEvent(AuthoritySlug),
    /// See the biennial cycles and a cycle's page (priorities, areas, the published pairing).
    ViewBiennial,
    /// Plan a biennial cycle: its details, areas, pairing (generate, swap, publish) and moves;
    /// comment on and agree the KLOEs.
    ManageBiennial,
    /// Name this area's team for a biennial cycle: its own LA lead only.
    NameBiennialTeam(AuthoritySlug),
    /// Draft KLOEs for the area this area challenges: the challenging area's LA lead only.
    DraftBiennialKloes(AuthoritySlug),
    /// Read the KLOEs `challenger` drafts for `challenged`: the challenging area's lead and the
    /// co-ordinator always; the challenged area's lead and the board once they are shared.
    /// No other area ever sees another pair's drafts.
    ReadBiennialKloes {
        challenger: AuthoritySlug,
        challenged: AuthoritySlug,
        shared: bool,
    },
    /// Record this area's offer of support to another area in a biennial cycle.
    OfferBiennialSupport(AuthoritySlug),
    /// Read the published data the product holds and the releases it came from.
    ViewIndicators,
    /// Import a statistics-service file of published data.
    ImportIndicators,
    /// Record and correct areas' inspection outcomes.
    ManageInspections,
    /// Open the annual self-assessment cycles at all.
    ViewAnnualCycles,
    /// Read a cycle's triads: the scheme's staff and the board always; LA leads once
    /// published to the areas.
    ViewTriads { published: bool },
    /// Start a cycle, change its triads and publish them.
    ManageAnnualCycle,
    /// Write, submit and record the sign-off of one area's self-assessment.
    EditSelfAssessment(AuthoritySlug),
    /// Read one area's self-assessment: `submitted` when a submitted or signed-off version
    /// exists (drafts are the area's own); `same_triad` when the reader leads an area in the
    /// same published triad that year.
    ReadSelfAssessment {
        area: AuthoritySlug,
        submitted: bool,
        same_triad: bool,
    },
    /// The board's heat map of a cycle's submitted self-ratings, areas by strands.
    ViewSelfAssessmentHeatMap,
    /// Write challenge comments and questions on `area`'s submitted self-assessment: the
    /// leads of the other areas of its published triad, never the area itself.
    ScrutiniseSelfAssessment {
        area: AuthoritySlug,
        submitted: bool,
        same_triad: bool,
    },
    /// Read the comments on `area`'s self-assessment: the area, its triad's leads, the
    /// scheme's staff and the board.
    ReadTriadComments {
        area: AuthoritySlug,
        same_triad: bool,
    },
    /// Read a triad's page (its conversation, requests and offers): the scheme's staff and
    /// the board, and the leads of the triad's areas (`member`) once published.
    ViewTriad { member: bool },
    /// Record a triad's conversation: the co-ordinator, or the lead of one of its areas.
    RecordTriadConversation { member: bool },
    /// Record `area`'s request for help or offer of support: its lead, or the co-ordinator.
    RecordSupport(AuthoritySlug),
    /// Download an area's data pack for a cycle (its published figures, inspections and
    /// flags, for the triad conversation): the area's lead, the leads of its published triad
    /// (`same_triad`), and those who monitor the region.
    DownloadDataPack {
        area: AuthoritySlug,
        same_triad: bool,
    },
    /// Download a thematic event's or biennial cycle's overview (.docx, .pptx): the scheme's
    /// staff always (a draft to check); once `published`, the board and the LA leads of the
    /// `areas` that took part. Reviewers never.
    ReadProgrammeOverview {
        areas: Vec<AuthoritySlug>,
        published: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum Denied {
    #[error("You need to sign in to see this page")]
    SignInRequired,
    #[error("You do not have permission to do this")]
    Forbidden,
}

/// Decide whether `principal` (None when nobody is signed in) may take `action`.
pub fn authorise(principal: Option<&Principal>, action: &Action) -> Result<(), Denied> {
    let principal = principal.ok_or(Denied::SignInRequired)?;
    if allows(principal, action) {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

fn allows(principal: &Principal, action: &Action) -> bool {
    let any_role = !principal.grants().is_empty();
    match action {
        Action::ViewDashboard | Action::ViewAuthorities | Action::ViewAuthority(_) => any_role,
        Action::ViewStaff
        | Action::InviteStaff
        | Action::ViewAuditLog
        | Action::ViewOutbox
        | Action::ViewUpkeep
        | Action::ManageGuidance => principal.has_role(Role::Coordinator),
        // The pool holds personal data: only the two people who run it see it. The board
        // monitors areas' progress, not individuals; LA leads never see the pool.
        Action::ViewPool
        | Action::ManagePool
        | Action::VetApplications
        | Action::ManageTraining => {
            principal.has_role(Role::Coordinator) || principal.has_role(Role::ProjectManager)
        }
        Action::EditOwnPoolProfile | Action::ViewOwnChallenges => {
            principal.has_role(Role::Reviewer)
        }
        Action::ListChallenges => runs_scheme(principal) || principal.has_role(Role::LaLead),
        Action::RequestChallenge(authority) => principal.leads(authority),
        Action::AgreeKloes => principal.has_role(Role::Coordinator),
        Action::ComposeTeam => runs_scheme(principal),
        Action::ViewChallenge(access) => {
            runs_scheme(principal)
                || principal.leads(&access.authority)
                || access.team_member.is_some()
        }
        // The pre-reading and the cases' details are for a team that has accepted, and with
        // it the confidentiality undertaking: an invited reviewer may yet decline.
        Action::ReadPreReading(access) => {
            runs_scheme(principal) || principal.leads(&access.authority) || access.accepted
        }
        Action::DraftKloes(access) => {
            principal.has_role(Role::Coordinator) || principal.leads(&access.authority)
        }
        Action::PrepareVisit(access) => {
            runs_scheme(principal) || principal.leads(&access.authority)
        }
        // A parent carer or young ambassador on the team sees the case references only, and
        // a professional only once they have accepted.
        Action::ViewCaseDetails(access) => {
            runs_scheme(principal)
                || principal.leads(&access.authority)
                || (access.accepted
                    && access
                        .team_member
                        .is_some_and(ReviewerType::is_professional))
        }
        // Evidence is the team's working notes: neither the host nor the board reads them.
        Action::RecordEvidence(access) => access.accepted || leads_challenge(principal, access),
        Action::ViewEvidence(access) | Action::DiscussFindings(access) => {
            runs_scheme(principal) || access.accepted
        }
        Action::WriteFindings(access) => leads_challenge(principal, access),
        Action::ViewReports(access) => {
            runs_scheme(principal) || access.accepted || principal.leads(&access.authority)
        }
        Action::CheckReportAccuracy(access) => principal.leads(&access.authority),
        // The area owns its plan; the co-ordinator may help keep it.
        Action::ManageActionPlan(access) => {
            principal.leads(&access.authority) || principal.has_role(Role::Coordinator)
        }
        Action::ViewAreaProgress(authority) => {
            monitors_region(principal) || principal.leads(authority)
        }
        Action::ViewRegionalProgress => monitors_region(principal),
        Action::ViewProgress => monitors_region(principal) || principal.has_role(Role::LaLead),
        // The board and the scheme's staff see every area's returns; a lead their own.
        Action::ViewReturns => monitors_region(principal) || principal.has_role(Role::LaLead),
        Action::ViewAreaReturns(area) => monitors_region(principal) || principal.leads(area),
        // The co-ordinator sets the deadlines, so only they move one.
        Action::ExtendReturn => principal.has_role(Role::Coordinator),
        // The area answers for its return; the co-ordinator may submit one handed in by email.
        Action::SubmitReturn(area)
        | Action::KeepNextSteps(area)
        | Action::AssignReturnOwner(area) => {
            principal.leads(area) || principal.has_role(Role::Coordinator)
        }
        // Every area of the region takes part in every event, so an LA lead reads them all;
        // reviewers take no part in events.
        Action::ViewEvents => monitors_region(principal) || principal.has_role(Role::LaLead),
        Action::ManageEvents => principal.has_role(Role::Coordinator),
        // The area names its own officers; the co-ordinator may enter names sent by email.
        Action::NominateForEvent(area) => {
            principal.leads(area) || principal.has_role(Role::Coordinator)
        }
        // Every area takes part in the biennial, and the board monitors it.
        Action::ViewBiennial => monitors_region(principal) || principal.has_role(Role::LaLead),
        // The co-ordinator runs the biennial event.
        Action::ManageBiennial => principal.has_role(Role::Coordinator),
        Action::NameBiennialTeam(area)
        | Action::DraftBiennialKloes(area)
        | Action::OfferBiennialSupport(area) => principal.leads(area),
        Action::ReadBiennialKloes {
            challenger,
            challenged,
            shared,
        } => {
            principal.has_role(Role::Coordinator)
                || principal.leads(challenger)
                || (*shared && (principal.leads(challenged) || monitors_region(principal)))
        }
        // Published data and inspections are public facts: anyone with a role reads them.
        Action::ViewIndicators => any_role,
        // The co-ordinator keeps the region's evidence base.
        Action::ImportIndicators | Action::ManageInspections => {
            principal.has_role(Role::Coordinator)
        }
        // Reviewers take no part in the annual self-assessment.
        Action::ViewAnnualCycles => monitors_region(principal) || principal.has_role(Role::LaLead),
        Action::ViewTriads { published } => {
            monitors_region(principal) || (*published && principal.has_role(Role::LaLead))
        }
        Action::ManageAnnualCycle => principal.has_role(Role::Coordinator),
        // The area writes its own; nobody else, not even the co-ordinator, writes for it.
        Action::EditSelfAssessment(area) => principal.leads(area),
        // The board and the scheme's staff read submitted ones; a triad's leads each other's
        // submitted ones; reviewers none.
        Action::ReadSelfAssessment {
            area,
            submitted,
            same_triad,
        } => {
            principal.leads(area)
                || (*submitted
                    && (monitors_region(principal)
                        || (*same_triad && principal.has_role(Role::LaLead))))
        }
        Action::ViewSelfAssessmentHeatMap => monitors_region(principal),
        // Scrutiny is peer work: the triad's other leads, on what the area has submitted.
        Action::ScrutiniseSelfAssessment {
            area,
            submitted,
            same_triad,
        } => {
            *submitted && *same_triad && principal.has_role(Role::LaLead) && !principal.leads(area)
        }
        Action::ReadTriadComments { area, same_triad }
        | Action::DownloadDataPack { area, same_triad } => {
            principal.leads(area)
                || monitors_region(principal)
                || (*same_triad && principal.has_role(Role::LaLead))
        }
        Action::ViewTriad { member } => {
            monitors_region(principal) || (*member && principal.has_role(Role::LaLead))
        }
        Action::RecordTriadConversation { member } => {
            principal.has_role(Role::Coordinator) || (*member && principal.has_role(Role::LaLead))
        }
        Action::RecordSupport(area) => {
            principal.leads(area) || principal.has_role(Role::Coordinator)
        }
        Action::MoveChallenge { access, from, to } => transition(*from, *to).is_some_and(|move_| {
            movers(principal, access)
                .into_iter()
                .any(|mover| move_.allows(mover))
        }),
        Action::ReadProgrammeOverview { areas, published } => {
            runs_scheme(principal)
                || (*published
                    && (monitors_region(principal) || areas.iter().any(|a| principal.leads(a))))
        }
    }
}

/// The co-ordinator and the project manager run the scheme across the region.
fn runs_scheme(principal: &Principal) -> bool {
    principal.has_role(Role::Coordinator) || principal.has_role(Role::ProjectManager)
}

/// The board monitors every area's next steps, with the people who run the scheme.
fn monitors_region(principal: &Principal) -> bool {
    runs_scheme(principal) || principal.has_role(Role::Board)
}

/// Whoever leads the challenge's findings: the co-ordinator always (they lead two-day
/// challenges and stand behind every report), and a one-day challenge's lead reviewer.
fn leads_challenge(principal: &Principal, access: &ChallengeAccess) -> bool {
    principal.has_role(Role::Coordinator) || (access.lead_reviewer && !access.led_by_coordinator)
}

/// The lifecycle parts this person can play for this challenge.
fn movers(principal: &Principal, access: &ChallengeAccess) -> Vec<Mover> {
    let mut movers = Vec::new();
    if principal.has_role(Role::Coordinator) {
        movers.push(Mover::Coordinator);
    }
    if principal.has_role(Role::ProjectManager) {
        movers.push(Mover::ProjectManager);
    }
    if principal.leads(&access.authority) {
        movers.push(Mover::HostLead);
    }
    movers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EmailAddress, RoleGrant, UserId};

    fn person(grants: Vec<RoleGrant>) -> Principal {
        let email = EmailAddress::parse("someone@example.org").unwrap_or_else(|_| unreachable!());
        Principal::new(UserId::new(), "Someone".into(), email, grants)
    }

    fn grant(role: Role) -> RoleGrant {
        let authority = role
            .needs_authority()
            .then(|| AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!()));
        RoleGrant::new(role, authority).unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn anonymous_visitors_are_asked_to_sign_in() {
        assert_eq!(
            authorise(None, &Action::ViewDashboard),
            Err(Denied::SignInRequired)
        );
    }

    #[test]
    fn an_account_without_roles_may_do_nothing() {
        let nobody = person(vec![]);
        assert_eq!(
            authorise(Some(&nobody), &Action::ViewDashboard),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn only_the_coordinator_administers() {
        for role in Role::ALL {
            let someone = person(vec![grant(role)]);
            let expected = if role == Role::Coordinator {
                Ok(())
            } else {
                Err(Denied::Forbidden)
            };
            for action in [
                Action::InviteStaff,
                Action::ViewAuditLog,
                Action::ViewOutbox,
                Action::ViewUpkeep,
                Action::ManageGuidance,
            ] {
                assert_eq!(
                    authorise(Some(&someone), &action),
                    expected,
                    "{role:?} {action:?}"
                );
            }
            assert_eq!(authorise(Some(&someone), &Action::ViewDashboard), Ok(()));
        }
    }

    #[test]
    fn only_the_people_who_run_the_pool_see_it() {
        for role in Role::ALL {
            let someone = person(vec![grant(role)]);
            let runs_pool = matches!(role, Role::Coordinator | Role::ProjectManager);
            for action in [
                Action::ViewPool,
                Action::ManagePool,
                Action::VetApplications,
                Action::ManageTraining,
            ] {
                assert_eq!(
                    authorise(Some(&someone), &action).is_ok(),
                    runs_pool,
                    "{role:?} {action:?}"
                );
            }
            assert_eq!(
                authorise(Some(&someone), &Action::EditOwnPoolProfile).is_ok(),
                role == Role::Reviewer
            );
        }
    }

    #[test]
    fn holding_several_roles_grants_their_union() {
        let both = person(vec![grant(Role::Reviewer), grant(Role::Coordinator)]);
        assert_eq!(authorise(Some(&both), &Action::InviteStaff), Ok(()));
    }

    fn access(authority: &str, team_member: Option<ReviewerType>) -> ChallengeAccess {
        ChallengeAccess {
            authority: AuthoritySlug::parse(authority).unwrap_or_else(|_| unreachable!()),
            team_member,
            accepted: false,
            lead_reviewer: false,
            led_by_coordinator: false,
        }
    }

    #[test]
    fn the_board_sees_every_areas_progress_and_a_lead_only_their_own() {
        let board = person(vec![grant(Role::Board)]);
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let reviewer = person(vec![grant(Role::Reviewer)]);
        let derby = access("derby", None);
        let rutland = access("rutland", None);
        assert!(allowed(&board, Action::ViewRegionalProgress));
        assert!(allowed(
            &board,
            Action::ViewAreaProgress(rutland.authority.clone())
        ));
        assert!(!allowed(&board, Action::ManageActionPlan(derby.clone())));
        assert!(!allowed(&lead_of_derby, Action::ViewRegionalProgress));
        assert!(allowed(&lead_of_derby, Action::ViewProgress));
        assert!(!allowed(&reviewer, Action::ViewProgress));
        assert!(allowed(
            &lead_of_derby,
            Action::ViewAreaProgress(derby.authority.clone())
        ));
        assert!(!allowed(
            &lead_of_derby,
            Action::ViewAreaProgress(rutland.authority.clone())
        ));
        assert!(allowed(
            &lead_of_derby,
            Action::ManageActionPlan(derby.clone())
        ));
        assert!(!allowed(&lead_of_derby, Action::ManageActionPlan(rutland)));
        assert!(!allowed(
            &reviewer,
            Action::ViewAreaProgress(derby.authority)
        ));
    }

    #[test]
    fn an_areas_next_steps_are_kept_by_its_lead_and_the_coordinator_only() {
        let derby = AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!());
        let rutland = AuthoritySlug::parse("rutland").unwrap_or_else(|_| unreachable!());
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let coordinator = person(vec![grant(Role::Coordinator)]);
        assert!(allowed(
            &lead_of_derby,
            Action::KeepNextSteps(derby.clone())
        ));
        assert!(!allowed(&lead_of_derby, Action::KeepNextSteps(rutland)));
        assert!(allowed(&coordinator, Action::KeepNextSteps(derby.clone())));
        for role in [Role::Board, Role::ProjectManager, Role::Reviewer] {
            let other = person(vec![grant(role)]);
            assert!(
                !allowed(&other, Action::KeepNextSteps(derby.clone())),
                "{role:?}"
            );
        }
    }

    #[test]
    fn evidence_is_the_teams_and_findings_are_the_leaders() {
        let reviewer = person(vec![grant(Role::Reviewer)]);
        let coordinator = person(vec![grant(Role::Coordinator)]);
        let pm = person(vec![grant(Role::ProjectManager)]);
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let board = person(vec![grant(Role::Board)]);
        let invited = access("derby", Some(ReviewerType::ParentCarer));
        let accepted = ChallengeAccess {
            accepted: true,
            ..invited.clone()
        };
        let lead = ChallengeAccess {
            lead_reviewer: true,
            ..accepted.clone()
        };
        let two_day_lead = ChallengeAccess {
            led_by_coordinator: true,
            ..lead.clone()
        };
        assert!(!allowed(&reviewer, Action::RecordEvidence(invited.clone())));
        assert!(!allowed(&reviewer, Action::ViewEvidence(invited.clone())));
        assert!(allowed(&reviewer, Action::RecordEvidence(accepted.clone())));
        assert!(allowed(
            &reviewer,
            Action::DiscussFindings(accepted.clone())
        ));
        assert!(!allowed(&reviewer, Action::WriteFindings(accepted.clone())));
        assert!(allowed(&reviewer, Action::WriteFindings(lead.clone())));
        assert!(!allowed(
            &reviewer,
            Action::WriteFindings(two_day_lead.clone())
        ));
        assert!(allowed(&coordinator, Action::WriteFindings(two_day_lead)));
        assert!(!allowed(&pm, Action::WriteFindings(invited.clone())));
        assert!(allowed(&pm, Action::ViewEvidence(invited.clone())));
        assert!(!allowed(
            &lead_of_derby,
            Action::ViewEvidence(invited.clone())
        ));
        assert!(allowed(
            &lead_of_derby,
            Action::ViewReports(invited.clone())
        ));
        assert!(allowed(
            &lead_of_derby,
            Action::CheckReportAccuracy(invited.clone())
        ));
        assert!(!allowed(
            &lead_of_derby,
            Action::CheckReportAccuracy(access("rutland", None))
        ));
        assert!(!allowed(&reviewer, Action::CheckReportAccuracy(lead)));
        for action in [
            Action::ViewEvidence(invited.clone()),
            Action::ViewReports(invited.clone()),
            Action::WriteFindings(invited),
        ] {
            assert!(!allowed(&board, action));
        }
    }

    fn allowed(someone: &Principal, action: Action) -> bool {
        authorise(Some(someone), &action).is_ok()
    }

    #[test]
    fn a_challenge_is_seen_by_its_host_its_team_and_the_people_who_run_the_scheme() {
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let reviewer = person(vec![grant(Role::Reviewer)]);
        let board = person(vec![grant(Role::Board)]);
        let pm = person(vec![grant(Role::ProjectManager)]);
        let derby = access("derby", None);
        let nottingham = access("nottingham", None);
        assert!(allowed(
            &lead_of_derby,
            Action::ViewChallenge(derby.clone())
        ));
        assert!(!allowed(
            &lead_of_derby,
            Action::ViewChallenge(nottingham.clone())
        ));
        assert!(!allowed(
            &reviewer,
            Action::ViewChallenge(nottingham.clone())
        ));
        assert!(allowed(
            &reviewer,
            Action::ViewChallenge(access("nottingham", Some(ReviewerType::ParentCarer)))
        ));
        assert!(!allowed(&board, Action::ViewChallenge(derby.clone())));
        assert!(allowed(&pm, Action::ViewChallenge(nottingham)));
        assert!(allowed(
            &lead_of_derby,
            Action::RequestChallenge(derby.authority.clone())
        ));
        assert!(!allowed(&pm, Action::RequestChallenge(derby.authority)));
    }

    #[test]
    fn no_area_sees_another_pairs_biennial_drafts() {
        let derby = AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!());
        let rutland = AuthoritySlug::parse("rutland").unwrap_or_else(|_| unreachable!());
        let leicester = AuthoritySlug::parse("leicester").unwrap_or_else(|_| unreachable!());
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let coordinator = person(vec![grant(Role::Coordinator)]);
        let board = person(vec![grant(Role::Board)]);
        let read = |challenger: &AuthoritySlug, challenged: &AuthoritySlug, shared| {
            Action::ReadBiennialKloes {
                challenger: challenger.clone(),
                challenged: challenged.clone(),
                shared,
            }
        };
        assert!(allowed(&lead_of_derby, read(&derby, &rutland, false)));
        assert!(!allowed(&lead_of_derby, read(&rutland, &derby, false)));
        assert!(allowed(&lead_of_derby, read(&rutland, &derby, true)));
        assert!(!allowed(&lead_of_derby, read(&rutland, &leicester, false)));
        assert!(!allowed(&lead_of_derby, read(&rutland, &leicester, true)));
        assert!(allowed(&coordinator, read(&rutland, &leicester, false)));
        assert!(!allowed(&board, read(&rutland, &leicester, false)));
        assert!(allowed(&board, read(&rutland, &leicester, true)));
        assert!(allowed(
            &lead_of_derby,
            Action::DraftBiennialKloes(derby.clone())
        ));
        assert!(!allowed(
            &lead_of_derby,
            Action::DraftBiennialKloes(rutland.clone())
        ));
        assert!(!allowed(
            &coordinator,
            Action::NameBiennialTeam(derby.clone())
        ));
        assert!(allowed(&lead_of_derby, Action::NameBiennialTeam(derby)));
    }

    #[test]
    fn a_triads_other_leads_scrutinise_a_submitted_self_assessment_and_no_one_else() {
        let derby = AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!());
        let rutland = AuthoritySlug::parse("rutland").unwrap_or_else(|_| unreachable!());
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let scrutinise =
            |area: &AuthoritySlug, submitted, same_triad| Action::ScrutiniseSelfAssessment {
                area: area.clone(),
                submitted,
                same_triad,
            };
        assert!(allowed(&lead_of_derby, scrutinise(&rutland, true, true)));
        assert!(!allowed(&lead_of_derby, scrutinise(&rutland, false, true)));
        assert!(!allowed(&lead_of_derby, scrutinise(&rutland, true, false)));
        assert!(!allowed(&lead_of_derby, scrutinise(&derby, true, true)));
        for role in [
            Role::Coordinator,
            Role::Board,
            Role::ProjectManager,
            Role::Reviewer,
        ] {
            let other = person(vec![grant(role)]);
            assert!(
                !allowed(&other, scrutinise(&rutland, true, true)),
                "{role:?}"
            );
        }
        let read = |area: &AuthoritySlug, same_triad| Action::ReadTriadComments {
            area: area.clone(),
            same_triad,
        };
        assert!(allowed(&lead_of_derby, read(&derby, false)));
        assert!(allowed(&lead_of_derby, read(&rutland, true)));
        assert!(!allowed(&lead_of_derby, read(&rutland, false)));
        assert!(allowed(
            &person(vec![grant(Role::Board)]),
            read(&rutland, false)
        ));
        assert!(!allowed(
            &person(vec![grant(Role::Reviewer)]),
            read(&rutland, true)
        ));
        assert!(allowed(
            &lead_of_derby,
            Action::RecordTriadConversation { member: true }
        ));
        assert!(!allowed(
            &lead_of_derby,
            Action::RecordTriadConversation { member: false }
        ));
        assert!(allowed(
            &person(vec![grant(Role::Coordinator)]),
            Action::RecordTriadConversation { member: false }
        ));
        assert!(!allowed(
            &person(vec![grant(Role::Board)]),
            Action::RecordTriadConversation { member: false }
        ));
    }

    #[test]
    fn a_parent_carer_on_the_team_sees_case_references_but_not_details() {
        let reviewer = person(vec![grant(Role::Reviewer)]);
        let accepted = |kind| ChallengeAccess {
            accepted: true,
            ..access("nottingham", Some(kind))
        };
        let as_parent = accepted(ReviewerType::ParentCarer);
        let as_officer = accepted(ReviewerType::LaOfficer);
        assert!(allowed(&reviewer, Action::ViewChallenge(as_parent.clone())));
        assert!(!allowed(&reviewer, Action::ViewCaseDetails(as_parent)));
        assert!(allowed(
            &reviewer,
            Action::ViewCaseDetails(as_officer.clone())
        ));
        assert!(!allowed(&reviewer, Action::PrepareVisit(as_officer)));
    }

    #[test]
    fn an_invited_reviewer_sees_the_challenge_but_not_its_confidential_papers_until_accepting() {
        let reviewer = person(vec![grant(Role::Reviewer)]);
        let invited = access("nottingham", Some(ReviewerType::LaOfficer));
        assert!(allowed(&reviewer, Action::ViewChallenge(invited.clone())));
        assert!(!allowed(&reviewer, Action::ReadPreReading(invited.clone())));
        assert!(!allowed(
            &reviewer,
            Action::ViewCaseDetails(invited.clone())
        ));
        let accepted = ChallengeAccess {
            accepted: true,
            ..invited
        };
        assert!(allowed(&reviewer, Action::ReadPreReading(accepted.clone())));
        assert!(allowed(&reviewer, Action::ViewCaseDetails(accepted)));
    }

    #[test]
    fn moves_follow_the_lifecycle_table() {
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let pm = person(vec![grant(Role::ProjectManager)]);
        let move_ = |from, to, authority| Action::MoveChallenge {
            access: access(authority, None),
            from,
            to,
        };
        use ChallengeState as S;
        assert!(allowed(
            &lead_of_derby,
            move_(S::TeamConfirmed, S::Scheduled, "derby")
        ));
        assert!(!allowed(
            &lead_of_derby,
            move_(S::TeamConfirmed, S::Scheduled, "rutland")
        ));
        assert!(!allowed(
            &lead_of_derby,
            move_(S::TeamProposed, S::TeamConfirmed, "derby")
        ));
        assert!(allowed(
            &pm,
            move_(S::TeamProposed, S::TeamConfirmed, "derby")
        ));
        assert!(!allowed(&pm, move_(S::NextSteps, S::Closed, "derby")));
        assert!(!allowed(&pm, move_(S::Requested, S::Closed, "derby")));
    }

    #[test]
    fn an_overview_is_read_by_the_board_and_the_areas_that_took_part_once_published() {
        let derby = AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!());
        let rutland = AuthoritySlug::parse("rutland").unwrap_or_else(|_| unreachable!());
        let read = |areas: &[&AuthoritySlug], published| Action::ReadProgrammeOverview {
            areas: areas.iter().map(|a| (*a).clone()).collect(),
            published,
        };
        let coordinator = person(vec![grant(Role::Coordinator)]);
        let board = person(vec![grant(Role::Board)]);
        let lead_of_derby = person(vec![grant(Role::LaLead)]);
        let reviewer = person(vec![grant(Role::Reviewer)]);
        assert!(allowed(&coordinator, read(&[&rutland], false)));
        assert!(!allowed(&board, read(&[&rutland], false)));
        assert!(allowed(&board, read(&[&rutland], true)));
        assert!(!allowed(&lead_of_derby, read(&[&derby], false)));
        assert!(allowed(&lead_of_derby, read(&[&rutland, &derby], true)));
        assert!(!allowed(&lead_of_derby, read(&[&rutland], true)));
        assert!(!allowed(&reviewer, read(&[&derby], true)));
    }
}
