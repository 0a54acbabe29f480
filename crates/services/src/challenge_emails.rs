//! The emails a challenge's steps send, and to whom: the host area's LA leads hear of every
//! step that waits on them or changes their visit (request, scoping, KLOEs agreed, team
//! confirmed, report shared for accuracy, report final, cancellation); the co-ordinators and
//! project managers hear of a new request to scope. Handlers pass these to the store, which
//! writes them to the outbox in the transaction of the step itself. The wording lives here
//! and nowhere else, under snapshot tests.

use domain::challenge::ChallengeKind;
use domain::findings::ReportFormat;
use domain::{AuthoritySlug, ChallengeId, EmailAddress, Role};
use store::{NewEmail, StaffMember};

use crate::settings::Settings;

/// The challenge a step is about, as the emails name it.
#[derive(Clone, Copy, Debug)]
pub struct About<'a> {
    pub id: ChallengeId,
    pub reference: &'a str,
    pub authority: &'a AuthoritySlug,
    pub authority_name: &'a str,
    pub kind: ChallengeKind,
}

/// A step of the challenge that someone needs to hear of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Requested,
    /// The request accepted: scoping has started.
    Scoping,
    KloesAgreed,
    TeamConfirmed,
    ReportShared {
        format: ReportFormat,
        version: i32,
    },
    ReportFinal {
        format: ReportFormat,
        version: i32,
    },
    /// Cancelled (the reason stays on the challenge page, behind sign-in).
    Cancelled,
    /// The timetable published (the challenge scheduled): the team hears too.
    TimetablePublished,
    /// The visit days changed after the team was invited: the team hears too, with the
    /// calendar invitation updated.
    VisitChanged,
    /// The visit days set (or moved) before anyone is invited: the host books rooms and people.
    VisitSet,
}

impl Step {
    /// The step a move of the lifecycle is, when the host hears of it.
    pub fn of_move(to: domain::lifecycle::ChallengeState) -> Option<Self> {
        use domain::lifecycle::ChallengeState as S;
        match to {
            S::Scoping => Some(Self::Scoping),
            S::Cancelled => Some(Self::Cancelled),
            S::Scheduled => Some(Self::TimetablePublished),
            _ => None,
        }
    }
}

/// Every email `step` sends, one per person it concerns, among `staff`.
pub fn emails(
    settings: &Settings,
    staff: &[StaffMember],
    about: About<'_>,
    step: Step,
) -> Vec<NewEmail> {
    let mut emails: Vec<NewEmail> = leads_of(staff, about.authority)
        .map(|(name, to)| lead_email(settings, about, step, name, to.clone()))
        .collect();
    if step == Step::Requested {
        emails.extend(
            scheme_runners(staff)
                .map(|(name, to)| new_request_email(settings, about, name, to.clone())),
        );
    }
    emails
}

/// Every email `step` sends to the challenge's team (those invited or who accepted), for the
/// steps that concern them; none for the others.
pub fn team_emails(
    settings: &Settings,
    team: &[store::TeamMember],
    about: About<'_>,
    step: Step,
) -> Vec<NewEmail> {
    if step != Step::TimetablePublished {
        return Vec::new();
    }
    let challenge = settings.link(&format!("/challenges/{}", about.id));
    team.iter()
        .filter(|member| member.status.is_on_team())
        .map(|member| {
            NewEmail::text(
                member.email.clone(),
                format!(
                    "{}: the visit timetable has been published",
                    about.reference
                ),
                format!(
                    "Dear {name},\n\n\
                     The timetable for the {kind} in {area} has been published. Please read it \
                     before the visit, with the case sample and the pre-reading.\n\n\
                     Read the timetable at:\n{challenge}/timetable\n\n\
                     Add the visit to your calendar from the same page.\n\n{SIGN_OFF}\n",
                    name = member.name,
                    kind = kind_words(about.kind),
                    area = about.authority_name,
                ),
            )
        })
        .collect()
}

/// A team member told that the visit days have changed; the caller attaches the updated
/// calendar invitation.
pub fn visit_changed_email(
    settings: &Settings,
    about: About<'_>,
    days: &[chrono::NaiveDate],
    name: &str,
    to: EmailAddress,
) -> NewEmail {
    let challenge = settings.link(&format!("/challenges/{}", about.id));
    let days = days
        .iter()
        .map(|day| day.format("%A %-d %B %Y").to_string())
        .collect::<Vec<_>>()
        .join(" and ");
    NewEmail::text(
        to,
        format!("{}: the visit days have changed", about.reference),
        format!(
            "Dear {name},\n\n\
             The {kind} in {area} will now be on {days}. The attached calendar invitation \
             replaces the one you had.\n\n\
             If you can no longer take part on these days, tell the project manager, or answer \
             on the challenge's page:\n{challenge}\n\n{SIGN_OFF}\n",
            kind = kind_words(about.kind),
            area = about.authority_name,
        ),
    )
}

/// The LA leads of `authority`: their names and addresses.
pub(crate) fn leads_of<'a>(
    staff: &'a [StaffMember],
    authority: &'a AuthoritySlug,
) -> impl Iterator<Item = (&'a str, &'a EmailAddress)> {
    staff
        .iter()
        .filter(move |person| {
            person
                .grants
                .iter()
                .any(|grant| grant.role() == Role::LaLead && grant.authority() == Some(authority))
        })
        .map(|person| (person.name.as_str(), &person.email))
}

/// The co-ordinators and project managers, who scope requests.
fn scheme_runners(staff: &[StaffMember]) -> impl Iterator<Item = (&str, &EmailAddress)> {
    staff
        .iter()
        .filter(|person| {
            person
                .grants
                .iter()
                .any(|grant| matches!(grant.role(), Role::Coordinator | Role::ProjectManager))
        })
        .map(|person| (person.name.as_str(), &person.email))
}

pub(crate) const SIGN_OFF: &str = "Peer Challenge, the East Midlands SEND peer challenge scheme";

fn kind_words(kind: ChallengeKind) -> String {
    kind.label().to_lowercase()
}

fn lead_email(
    settings: &Settings,
    about: About<'_>,
    step: Step,
    name: &str,
    to: EmailAddress,
) -> NewEmail {
    let challenge = settings.link(&format!("/challenges/{}", about.id));
    let reference = about.reference;
    let area = about.authority_name;
    let kind = kind_words(about.kind);
    let (subject, what) = match step {
        Step::Requested => (
            format!("{reference}: your request for a {kind} has been received"),
            format!(
                "Your request for a {kind} in {area} has been received. The project manager will \
                 scope it with you: the next thing you will be asked to do is agree its key lines \
                 of enquiry (KLOEs).\n\n\
                 Follow the request, and draft its KLOEs, at:\n{challenge}/kloes"
            ),
        ),
        Step::Scoping => (
            format!("{reference}: your request has been accepted"),
            format!(
                "Your request for a {kind} in {area} has been accepted and scoping has started. \
                 Please make sure its key lines of enquiry (KLOEs) say what you want the team to \
                 look at: the co-ordinator agrees them with you.\n\n\
                 Read and draft the KLOEs at:\n{challenge}/kloes"
            ),
        ),
        Step::Cancelled => (
            format!("{reference}: the {kind} has been cancelled"),
            format!(
                "The {kind} in {area} has been cancelled. The reason is on the challenge's \
                 page:\n{challenge}"
            ),
        ),
        Step::KloesAgreed => (
            format!("{reference}: the key lines of enquiry have been agreed"),
            format!(
                "The key lines of enquiry (KLOEs) for the {kind} in {area} have been agreed and are \
                 now fixed. The project manager will propose a team next.\n\n\
                 Read the agreed KLOEs at:\n{challenge}/kloes"
            ),
        ),
        Step::TeamConfirmed => (
            format!("{reference}: your challenge team has been confirmed"),
            format!(
                "The team for the {kind} in {area} has been confirmed and its members invited. \
                 Please now build the visit's timetable, choose the case sample and add the \
                 pre-reading, then publish the timetable.\n\n\
                 Build the timetable at:\n{challenge}/timetable"
            ),
        ),
        Step::TimetablePublished => (
            format!("{reference}: the visit timetable has been published"),
            format!(
                "The timetable for the {kind} in {area} has been published and the team told. \
                 The team reads it, with the case sample and the pre-reading, before the visit.\n\n\
                 Read the timetable at:\n{challenge}/timetable"
            ),
        ),
        Step::VisitChanged => (
            format!("{reference}: the visit days have changed"),
            format!(
                "The days of the {kind} in {area} have changed, and the team has been sent the \
                 new dates. Please check the timetable and the rooms you booked still fit.\n\n\
                 See the new days at:\n{challenge}"
            ),
        ),
        Step::VisitSet => (
            format!("{reference}: the visit days have been set"),
            format!(
                "The days of the {kind} in {area} have been set. Please keep them free for the \
                 team's visit and start thinking about the rooms and people it will need; the \
                 team is invited once it is confirmed.\n\n\
                 See the days at:\n{challenge}"
            ),
        ),
        Step::ReportShared { format, version } => (
            format!("{reference}: please check the report for accuracy"),
            format!(
                "The {} (version {version}) for the {kind} in {area} has been shared with you. \
                 Please read it and comment on anything that is not factually accurate.\n\n\
                 Read it and comment at:\n{challenge}/reports",
                format.label().to_lowercase()
            ),
        ),
        Step::ReportFinal { format, version } => (
            format!("{reference}: the final report is ready"),
            format!(
                "The {} (version {version}) for the {kind} in {area} is now final. Your area's \
                 next steps follow from its recommendations: please draw up the action plan.\n\n\
                 Read the report at:\n{challenge}/reports\n\n\
                 Draw up the action plan at:\n{challenge}/actions",
                format.label().to_lowercase()
            ),
        ),
    };
    NewEmail::text(
        to,
        subject,
        format!("Dear {name},\n\n{what}\n\n{SIGN_OFF}\n"),
    )
}

fn new_request_email(
    settings: &Settings,
    about: About<'_>,
    name: &str,
    to: EmailAddress,
) -> NewEmail {
    let challenge = settings.link(&format!("/challenges/{}", about.id));
    NewEmail::text(
        to,
        format!(
            "{}: {} has requested a {}",
            about.reference,
            about.authority_name,
            kind_words(about.kind)
        ),
        format!(
            "Dear {name},\n\n\
             {area} has requested a {kind}. It is waiting to be scoped: read the request, then \
             accept it and start scoping at:\n{challenge}\n\n{SIGN_OFF}\n",
            area = about.authority_name,
            kind = kind_words(about.kind),
        ),
    )
}

/// A pool member otherwise free for a seat, asked by the project manager (`sender`) to add the
/// host area to the places they travel to. Their profile's travel section is where they say so.
pub fn travel_request_email(
    settings: &Settings,
    about: About<'_>,
    days: &[chrono::NaiveDate],
    sender: &str,
    name: &str,
    to: EmailAddress,
) -> NewEmail {
    let profile = settings.link("/my-profile/edit#travel");
    let area = about.authority_name;
    let days = days
        .iter()
        .map(|day| day.format("%A %-d %B %Y").to_string())
        .collect::<Vec<_>>()
        .join(" and ");
    let on = if days.is_empty() {
        String::new()
    } else {
        format!(" on {days}")
    };
    NewEmail::text(
        to,
        format!("Could you travel to {area} for a peer challenge?"),
        format!(
            "Dear {name},\n\n\
             {sender} is forming the team for a {kind} in {area}{on} ({reference}). You could \
             take a seat on it, but {area} is not among the places you have said you can travel \
             to, so the team engine cannot ask you.\n\n\
             If you can travel to {area}, add it to the places you travel to on your profile:\n\
             {profile}\n\n\
             If you cannot, there is nothing to do.\n\n{SIGN_OFF}\n",
            kind = kind_words(about.kind),
            reference = about.reference,
        ),
    )
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use domain::{RoleGrant, UserId};

    use super::*;
    use crate::settings::tests::example_settings;

    fn person(name: &str, email: &str, role: Role, authority: Option<&str>) -> StaffMember {
        StaffMember {
            id: UserId::new(),
            name: name.into(),
            email: EmailAddress::parse(email).expect("email"),
            grants: vec![
                RoleGrant::new(
                    role,
                    authority.map(|a| AuthoritySlug::parse(a).expect("slug")),
                )
                .expect("grant"),
            ],
            has_password: true,
            created_at: Utc::now(),
        }
    }

    fn staff() -> Vec<StaffMember> {
        vec![
            person(
                "Dana Lead",
                "dana@derby.example",
                Role::LaLead,
                Some("derby"),
            ),
            person(
                "Nora Lead",
                "nora@nottingham.example",
                Role::LaLead,
                Some("nottingham"),
            ),
            person(
                "Cole Ordinator",
                "cole@example.org",
                Role::Coordinator,
                None,
            ),
            person("Pat Manager", "pat@example.org", Role::ProjectManager, None),
            person("Rey Viewer", "rey@example.org", Role::Reviewer, None),
        ]
    }

    /// A challenge in Derby as the emails name it.
    fn derby_challenge(derby: &AuthoritySlug, kind: ChallengeKind) -> About<'_> {
        About {
            id: ChallengeId::new(),
            reference: "PC-2027-004",
            authority: derby,
            authority_name: "Derby",
            kind,
        }
    }

    /// Every email of `step` as text, ids redacted.
    fn rendered(step: Step) -> String {
        let derby = AuthoritySlug::parse("derby").expect("slug");
        let about = derby_challenge(&derby, ChallengeKind::OneDay);
        let settings = example_settings();
        emails(&settings, &staff(), about, step)
            .iter()
            .map(|email| {
                format!(
                    "To: {}\nSubject: {}\n\n{}",
                    email.to, email.subject, email.body_text
                )
            })
            .collect::<Vec<_>>()
            .join("\n----\n")
    }

    macro_rules! assert_emails {
        ($name:literal, $step:expr) => {
            insta::with_settings!({filters => vec![
                (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
            ]}, {
                insta::assert_snapshot!($name, rendered($step));
            });
        };
    }

    #[test]
    fn a_request_tells_its_lead_and_those_who_scope_it() {
        let text = rendered(Step::Requested);
        assert!(text.contains("To: dana@derby.example"));
        assert!(!text.contains("nora@"), "not another area's lead");
        assert!(!text.contains("rey@"), "not reviewers");
        assert_emails!("requested", Step::Requested);
    }

    #[test]
    fn later_steps_tell_the_host_leads_only() {
        for step in [
            Step::Scoping,
            Step::Cancelled,
            Step::KloesAgreed,
            Step::TeamConfirmed,
            Step::ReportShared {
                format: ReportFormat::SlideDeck,
                version: 2,
            },
            Step::ReportFinal {
                format: ReportFormat::SlideDeck,
                version: 2,
            },
        ] {
            let text = rendered(step);
            assert_eq!(text.matches("To: ").count(), 1, "{step:?}: {text}");
            assert!(text.contains("To: dana@derby.example"), "{step:?}");
        }
        assert_emails!("scoping", Step::Scoping);
        assert_emails!("cancelled", Step::Cancelled);
        assert_emails!("kloes_agreed", Step::KloesAgreed);
        assert_emails!("team_confirmed", Step::TeamConfirmed);
        assert_emails!(
            "report_shared",
            Step::ReportShared {
                format: ReportFormat::SlideDeck,
                version: 2
            }
        );
        assert_emails!(
            "report_final",
            Step::ReportFinal {
                format: ReportFormat::WrittenReport,
                version: 1
            }
        );
    }

    #[test]
    fn a_request_to_travel_names_the_area_and_links_to_the_travel_section() {
        let derby = AuthoritySlug::parse("derby").expect("slug");
        let about = derby_challenge(&derby, ChallengeKind::TwoDay);
        let settings = example_settings();
        let days = [
            chrono::NaiveDate::from_ymd_opt(2027, 3, 10).expect("date"),
            chrono::NaiveDate::from_ymd_opt(2027, 3, 11).expect("date"),
        ];
        let email = travel_request_email(
            &settings,
            about,
            &days,
            "Pat Manager",
            "Tia Traveller",
            EmailAddress::parse("tia@example.org").expect("email"),
        );
        let text = format!(
            "To: {}\nSubject: {}\n\n{}",
            email.to, email.subject, email.body_text
        );
        assert!(text.contains("https://peer-challenge.example/my-profile/edit#travel"));
        insta::assert_snapshot!("travel_request", text);
    }

    #[test]
    fn a_published_timetable_tells_the_host_leads_and_the_team() {
        assert_emails!("timetable_published", Step::TimetablePublished);
        let derby = AuthoritySlug::parse("derby").expect("slug");
        let about = derby_challenge(&derby, ChallengeKind::OneDay);
        let settings = example_settings();
        let member = |name: &str, email: &str, status| store::TeamMember {
            id: domain::TeamMemberId::new(),
            challenge: about.id,
            member: domain::PoolMemberId::new(),
            user: None,
            name: name.into(),
            email: EmailAddress::parse(email).expect("email"),
            reviewer_type: domain::pool::ReviewerType::LaOfficer,
            seat_role: domain::challenge::SeatRole::LaOfficer,
            shadowing: false,
            status,
            reasons: String::new(),
            invited_at: None,
            responded_at: None,
            conflict_details: None,
            decline_reason: None,
            confidentiality_at: None,
        };
        use domain::challenge::MemberStatus;
        let team = [
            member("Ada Accepted", "ada@example.org", MemberStatus::Accepted),
            member("Del Declined", "del@example.org", MemberStatus::Declined),
        ];
        let emails = team_emails(&settings, &team, about, Step::TimetablePublished);
        assert_eq!(emails.len(), 1, "not those who declined");
        let text = format!(
            "To: {}\nSubject: {}\n\n{}",
            emails[0].to, emails[0].subject, emails[0].body_text
        );
        insta::with_settings!({filters => vec![
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
        ]}, {
            insta::assert_snapshot!("timetable_published_team", text);
        });
        assert!(team_emails(&settings, &team, about, Step::KloesAgreed).is_empty());
    }

    #[test]
    fn changed_visit_days_tell_the_host_leads_and_the_team() {
        assert_emails!("visit_changed", Step::VisitChanged);
        assert_emails!("visit_set", Step::VisitSet);
        let derby = AuthoritySlug::parse("derby").expect("slug");
        let about = derby_challenge(&derby, ChallengeKind::OneDay);
        let settings = example_settings();
        let email = visit_changed_email(
            &settings,
            about,
            &[chrono::NaiveDate::from_ymd_opt(2027, 3, 17).expect("date")],
            "Ada Accepted",
            EmailAddress::parse("ada@example.org").expect("email"),
        );
        let text = format!(
            "To: {}\nSubject: {}\n\n{}",
            email.to, email.subject, email.body_text
        );
        insta::with_settings!({filters => vec![
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
        ]}, {
            insta::assert_snapshot!("visit_changed_team", text);
        });
    }
}
