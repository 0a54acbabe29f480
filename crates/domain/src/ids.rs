//! Typed identifiers, so that a user's ID can never be passed where an email's is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random identifier.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A person with an account.
    UserId
);
uuid_id!(
    /// An email waiting in, or sent from, the outbox.
    OutboxId
);
uuid_id!(
    /// A version of the scheme's guidance document.
    GuidanceId
);

uuid_id!(
    /// A member of the reviewer pool.
    PoolMemberId
);
uuid_id!(
    /// An application to join the reviewer pool.
    ApplicationId
);
uuid_id!(
    /// A training session for reviewers.
    TrainingSessionId
);

uuid_id!(
    /// A one-day or two-day peer challenge in a local area.
    ChallengeId
);
uuid_id!(
    /// A person's seat on a challenge team (proposed, invited, accepted or declined).
    TeamMemberId
);
uuid_id!(
    /// An activity in a challenge's visit timetable.
    ActivityId
);
uuid_id!(
    /// A case in a challenge's case sample (a pseudonymous reference, never a child's identity).
    CaseId
);
uuid_id!(
    /// A pre-reading document uploaded for a challenge.
    DocumentId
);
uuid_id!(
    /// A note a reviewer recorded on the day: evidence against a KLOE.
    EvidenceId
);
uuid_id!(
    /// A strength, area for development or recommendation written for a KLOE.
    FindingId
);
uuid_id!(
    /// A team member's comment on a finding.
    FindingCommentId
);
uuid_id!(
    /// One generated version of a challenge's slide deck or written report.
    ReportVersionId
);
uuid_id!(
    /// One action of an area's next steps.
    ActionId
);
uuid_id!(
    /// One activity of a programme (a challenge, a thematic event, a biennial or an annual
    /// cycle). A challenge's activity has the challenge's own id.
    ProgrammeActivityId
);
uuid_id!(
    /// A return one area owes for a programme activity.
    ReturnId
);
uuid_id!(
    /// A KLOE a biennial cycle's challenging area drafts for the area it challenges.
    BiennialKloeId
);

impl From<ChallengeId> for ProgrammeActivityId {
    /// A challenge's activity shares the challenge's id, so either names the other and the
    /// migration could backfill without generating ids in SQL.
    fn from(challenge: ChallengeId) -> Self {
        Self(challenge.as_uuid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id = UserId::new();
        assert_eq!(id.to_string().parse::<UserId>().ok(), Some(id));
        assert!("not-a-uuid".parse::<UserId>().is_err());
    }
}
uuid_id!(
    /// One officer an area names to a thematic event.
    NominationId
);
