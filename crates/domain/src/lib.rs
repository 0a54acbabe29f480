//! The Peer Challenge domain: who people are, what they may do, and the values the rest of
//! the system trusts because they were validated once, here. No IO, no async.

#[macro_use]
mod vocabulary;

pub mod agreed_actions;
pub mod application;
pub mod area_send_framework;
pub mod audit;
pub mod authority;
pub mod biennial;
pub mod case_sample;
pub mod challenge;
pub mod clock;
pub mod email;
pub mod events;
pub mod findings;
pub mod forms;
pub mod ids;
pub mod indicators;
pub mod inspections;
pub mod lifecycle;
pub mod next_steps;
pub mod password;
pub mod personal_data;
pub mod policy;
pub mod pool;
pub mod principal;
pub mod programme;
pub mod role;
pub mod self_assessment;
pub mod self_assessment_form;
pub mod text;
pub mod theme;
pub mod timetable;
pub mod training;
pub mod triads;
pub mod triangulation;
pub mod upkeep;

pub use audit::{AuditEvent, AuditObject};
pub use authority::{AuthorityKind, AuthoritySlug};
pub use email::EmailAddress;
pub use ids::{
    ActionId, ActivityId, ApplicationId, BiennialKloeId, CaseId, ChallengeId, DocumentId,
    EvidenceId, FindingCommentId, FindingId, GuidanceId, OutboxId, PoolMemberId,
    ProgrammeActivityId, ReportVersionId, ReturnId, TeamMemberId, TrainingSessionId, UserId,
};
pub use password::{NewPassword, PasswordHash, PasswordProblem};
pub use policy::{Action, Denied, authorise};
pub use principal::Principal;
pub use programme::{Programme, ReturnKind};
pub use role::{Role, RoleGrant, RoleGrantError};
pub use text::{MultiLine, OneLine, PersonName, TextProblem, limits};
pub use theme::{FrameworkFamily, ThemeCode};
