//! A challenge walked along its journey by the very use cases the pages call: the demo builds
//! its challenges with it and the router tests build their fixtures with it, so neither can
//! reach a state the product itself could not (every move authorised by the policy and
//! checked by `domain::lifecycle`, every email the move sends written to the outbox). Each
//! step is taken as one person at one moment, both given, so the demo can date its history
//! and the tests can choose the day.

use chrono::{DateTime, Utc};
use domain::challenge::InvitationResponse;
use domain::clock::uk_date;
use domain::lifecycle::ChallengeState;
use domain::{ChallengeId, Principal};
use store::{ChallengeRecord, TeamMember};

use crate::journey::{self, Agreement, OnChallenge, Refused, Scheme};
use crate::team;

/// One challenge on its way, and the scheme it is walked in.
#[derive(Clone, Copy, Debug)]
pub struct ChallengeWalk<'a> {
    scheme: Scheme<'a>,
    id: ChallengeId,
}

impl<'a> ChallengeWalk<'a> {
    pub fn new(scheme: Scheme<'a>, id: ChallengeId) -> Self {
        Self { scheme, id }
    }

    pub fn id(&self) -> ChallengeId {
        self.id
    }

    /// The challenge as it stands now.
    pub async fn record(&self) -> Result<ChallengeRecord, Refused> {
        self.scheme
            .store
            .challenge(self.id)
            .await?
            .ok_or(Refused::NotFound)
    }

    pub async fn state(&self) -> Result<ChallengeState, Refused> {
        Ok(self.record().await?.state)
    }

    /// The record, the team and `actor`'s access to it, loaded as the pages load them.
    async fn as_seen_by(
        &self,
        actor: &Principal,
    ) -> Result<(ChallengeRecord, Vec<TeamMember>, Seen), Refused> {
        let record = self.record().await?;
        let team = self.scheme.store.team(self.id).await?;
        let (access, seat) = journey::access_of(actor, &record, &team);
        Ok((record, team, Seen { access, seat }))
    }

    /// The co-ordinator agrees the KLOEs as they stand.
    pub async fn agree_kloes(
        &self,
        coordinator: &Principal,
        at: DateTime<Utc>,
    ) -> Result<Agreement, Refused> {
        let (record, _, seen) = self.as_seen_by(coordinator).await?;
        journey::agree_kloes(self.scheme, Some(coordinator), seen.on(&record), at).await
    }

    /// `actor` moves the challenge on to `to` (with the reason, when cancelling), on the day
    /// `at` falls in the UK.
    pub async fn move_to(
        &self,
        actor: &Principal,
        to: ChallengeState,
        reason: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), Refused> {
        let (record, _, seen) = self.as_seen_by(actor).await?;
        journey::move_challenge(
            self.scheme,
            Some(actor),
            seen.on(&record),
            to,
            reason.map(str::to_owned),
            uk_date(at),
            at,
        )
        .await
    }

    /// The project manager asks the engine for a team and saves it as the proposal.
    pub async fn propose_team(
        &self,
        project_manager: &Principal,
        at: DateTime<Utc>,
    ) -> Result<(), Refused> {
        let (record, team, seen) = self.as_seen_by(project_manager).await?;
        team::propose_team(
            self.scheme,
            Some(project_manager),
            seen.on(&record),
            &team,
            false,
            uk_date(at),
            at,
        )
        .await
    }

    /// The project manager confirms the team as it stands: everyone proposed is invited, with
    /// the invitation and calendar file the page sends.
    pub async fn confirm_team(
        &self,
        project_manager: &Principal,
        at: DateTime<Utc>,
    ) -> Result<(), Refused> {
        let (record, team, seen) = self.as_seen_by(project_manager).await?;
        team::confirm_team(
            self.scheme,
            Some(project_manager),
            seen.on(&record),
            &team,
            "",
            uk_date(at),
            at,
        )
        .await
    }

    /// `member` answers the invitation to their seat on the team, as they would from "My
    /// challenges".
    pub async fn answer(
        &self,
        member: &Principal,
        response: &InvitationResponse,
        at: DateTime<Utc>,
    ) -> Result<(), Refused> {
        let (record, _, seen) = self.as_seen_by(member).await?;
        let seat = seen.seat.clone().ok_or_else(|| {
            Refused::Rule(format!("{} has no seat on this team", member.name.as_str()))
        })?;
        team::answer_invitation(
            self.scheme,
            Some(member),
            seen.on(&record),
            &seat,
            response,
            at,
        )
        .await
    }
}

/// What a person is to the challenge: the access the policy asks about, and their own seat.
struct Seen {
    access: domain::policy::ChallengeAccess,
    seat: Option<TeamMember>,
}

impl Seen {
    fn on<'r>(&'r self, record: &'r ChallengeRecord) -> OnChallenge<'r> {
        OnChallenge {
            record,
            access: &self.access,
        }
    }
}
