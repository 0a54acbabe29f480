//! The emails a biennial cycle sends, and to whom: when the pairing is published (or repaired
//! after an area opts out) each taking-part area's LA leads hear whom their team challenges
//! and who challenges them. The wording lives here, under snapshot tests.

use domain::biennial::Pair;
use domain::{AuthoritySlug, EmailAddress};
use store::{NewEmail, StaffMember};

use crate::challenge_emails::{SIGN_OFF, leads_of};
use crate::settings::Settings;

/// The cycle the emails are about.
#[derive(Clone, Copy, Debug)]
pub struct AboutCycle<'a> {
    pub path: &'a str,
    pub title: &'a str,
    /// The day of the event, written out ("Thursday 15 October 2026").
    pub day: &'a str,
    pub venue: &'a str,
    pub kloes_due: &'a str,
}

/// Why the areas are hearing of their pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occasion {
    Published,
    /// An area opted out and the pairing was repaired: only areas whose pair changed hear.
    Changed,
}

/// One email per LA lead of each area in `areas`, saying whom its team challenges and who
/// challenges it under `pairs`. `name` names an area.
pub fn pairing_emails(
    settings: &Settings,
    staff: &[StaffMember],
    about: AboutCycle<'_>,
    occasion: Occasion,
    pairs: &[Pair],
    areas: &[AuthoritySlug],
    name: &dyn Fn(&AuthoritySlug) -> String,
) -> Vec<NewEmail> {
    let link = settings.link(about.path);
    let mut emails = Vec::new();
    for area in areas {
        let challenges = pairs.iter().find(|p| &p.challenger == area);
        let challenged_by = pairs.iter().find(|p| &p.challenged == area);
        let (Some(challenges), Some(challenged_by)) = (challenges, challenged_by) else {
            continue;
        };
        let (subject, opening) = match occasion {
            Occasion::Published => (
                format!("{}: whom your team challenges", about.title),
                format!("The pairing for the {} has been published.", about.title),
            ),
            Occasion::Changed => (
                format!("{}: your pairing has changed", about.title),
                format!(
                    "An area has left the {}, so the pairing has changed. This replaces what \
                     you were told before.",
                    about.title
                ),
            ),
        };
        for (lead, to) in leads_of(staff, area) {
            emails.push(NewEmail::text(
                to.clone(),
                subject.clone(),
                format!(
                    "Dear {lead},\n\n\
                     {opening}\n\n\
                     {own}'s team challenges {target}.\n\
                     {own} is challenged by {challenger}'s team.\n\n\
                     The event is on {day} at {venue}. Please name your team and draft the key \
                     lines of enquiry for {target} by {kloes}; the co-ordinator will support you.\n\n\
                     See the cycle's priorities and the whole pairing at:\n{link}\n\n{SIGN_OFF}\n",
                    own = name(area),
                    target = name(&challenges.challenged),
                    challenger = name(&challenged_by.challenger),
                    day = about.day,
                    venue = about.venue,
                    kloes = about.kloes_due,
                ),
            ));
        }
    }
    emails
}

/// A team member told the event's details, with its calendar file attached. Members have no
/// account: this email is all they get, so it says everything they need.
pub fn member_email(
    settings: &Settings,
    about: AboutCycle<'_>,
    area: &str,
    challenges: &str,
    member: &domain::biennial::TeamMember,
    event: documents::ics::CalendarEvent,
) -> NewEmail {
    let role = if member.team_lead {
        "as its team lead"
    } else {
        "as a member"
    };
    let ics = documents::ics::calendar(documents::ics::CalendarMethod::Request, &[event]);
    NewEmail::text(
        member.email.clone(),
        format!("{}: you are on {area}'s team", about.title),
        format!(
            "Dear {name},\n\n\
             {area}'s LA lead has named you on its team for the {title}, {role}, representing \
             {partner}.\n\n\
             The event is on {day} at {venue}. {area}'s team challenges {challenges}: the team \
             drafts its key lines of enquiry for {challenges} by {kloes}, through {area}'s LA \
             lead.\n\n\
             The attached calendar invitation holds the day. Questions: {coordinator} ({email}).\n\n\
             {SIGN_OFF}\n",
            name = member.name.as_str(),
            title = about.title,
            partner = member.partner.label().to_lowercase(),
            day = about.day,
            venue = about.venue,
            kloes = about.kloes_due,
            coordinator = settings.contact.coordinator_name,
            email = settings.contact.coordinator_email,
        ),
    )
    .with_attachment(store::EmailAttachment {
        file_name: "biennial-peer-challenge.ics".into(),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
        bytes: ics.into_bytes(),
    })
}

/// The agreed KLOEs shared at the deadline: to `to`, about the KLOEs `challenger` will ask
/// `challenged`.
pub fn kloes_shared_email(
    settings: &Settings,
    about: AboutCycle<'_>,
    (name, to): (&str, EmailAddress),
    challenger: &str,
    challenged: &str,
    kloes: &[String],
) -> NewEmail {
    let list = kloes
        .iter()
        .enumerate()
        .map(|(n, k)| format!("{}. {k}", n + 1))
        .collect::<Vec<_>>()
        .join("\n");
    NewEmail::text(
        to,
        format!(
            "{}: the KLOEs {challenger} will ask {challenged}",
            about.title
        ),
        format!(
            "Dear {name},\n\n\
             The key lines of enquiry {challenger}'s team will pursue with {challenged} on {day} \
             have been agreed with the co-ordinator:\n\n{list}\n\n\
             Read them with the cycle's priorities at:\n{link}\n\n{SIGN_OFF}\n",
            day = about.day,
            link = settings.link(about.path),
        ),
    )
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use domain::{Role, RoleGrant, UserId};

    use super::*;

    fn slug(s: &str) -> AuthoritySlug {
        AuthoritySlug::parse(s).expect("slug")
    }

    fn lead(name: &str, email: &str, area: &str) -> StaffMember {
        StaffMember {
            id: UserId::new(),
            name: name.into(),
            email: EmailAddress::parse(email).expect("email"),
            grants: vec![RoleGrant::new(Role::LaLead, Some(slug(area))).expect("grant")],
            has_password: true,
            created_at: Utc::now(),
        }
    }

    fn pair(a: &str, b: &str) -> Pair {
        Pair {
            challenger: slug(a),
            challenged: slug(b),
        }
    }

    fn emails(occasion: Occasion) -> Vec<NewEmail> {
        let staff = [
            lead("Dana Lead", "dana@derby.example", "derby"),
            lead("Nora Lead", "nora@nottingham.example", "nottingham"),
        ];
        let about = AboutCycle {
            path: "/biennial/00000000-0000-0000-0000-000000000000",
            title: "Biennial peer challenge 2026",
            day: "Thursday 15 October 2026",
            venue: "East Midlands Conference Centre",
            kloes_due: "Thursday 1 October 2026",
        };
        let pairs = [
            pair("derby", "nottingham"),
            pair("nottingham", "rutland"),
            pair("rutland", "derby"),
        ];
        let name = |a: &AuthoritySlug| match a.as_str() {
            "derby" => "Derby".to_owned(),
            "nottingham" => "Nottingham".to_owned(),
            _ => "Rutland".to_owned(),
        };
        pairing_emails(
            &Settings::default(),
            &staff,
            about,
            occasion,
            &pairs,
            &[slug("derby"), slug("nottingham"), slug("rutland")],
            &name,
        )
    }

    fn text(email: &NewEmail) -> String {
        format!(
            "To: {}\nSubject: {}\n\n{}",
            email.to, email.subject, email.body_text
        )
    }

    #[test]
    fn each_lead_hears_whom_their_team_challenges_and_who_challenges_them() {
        let sent = emails(Occasion::Published);
        // Rutland has no LA lead account: nobody to tell.
        assert_eq!(sent.len(), 2);
        assert!(
            sent[0]
                .body_text
                .contains("Derby's team challenges Nottingham.")
        );
        assert!(
            sent[0]
                .body_text
                .contains("Derby is challenged by Rutland's team.")
        );
        insta::assert_snapshot!("biennial_pairing_published", text(&sent[0]));
        insta::assert_snapshot!(
            "biennial_pairing_changed",
            text(&emails(Occasion::Changed)[1])
        );
    }

    #[test]
    fn a_team_member_is_told_the_event_with_a_calendar_file() {
        let about = AboutCycle {
            path: "/biennial/00000000-0000-0000-0000-000000000000",
            title: "Biennial peer challenge 2026",
            day: "Thursday 15 October 2026",
            venue: "East Midlands Conference Centre",
            kloes_due: "Thursday 1 October 2026",
        };
        let member = domain::biennial::MemberAnswers {
            name: "Sam Patel".into(),
            email: "sam@derby.example".into(),
            partner: "health".into(),
            team_lead: "yes".into(),
        }
        .check()
        .expect("valid");
        let at = chrono::DateTime::parse_from_rfc3339("2026-10-15T08:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let event = documents::ics::CalendarEvent {
            uid: "biennial-test@example".into(),
            sequence: 0,
            starts: at,
            ends: at,
            summary: about.title.into(),
            description: String::new(),
            location: Some(about.venue.into()),
            url: None,
            organizer: None,
            attendees: vec![],
            created: at,
        };
        let email = member_email(
            &Settings::default(),
            about,
            "Derby",
            "Nottingham",
            &member,
            event,
        );
        assert_eq!(email.attachments.len(), 1);
        assert!(String::from_utf8_lossy(&email.attachments[0].bytes).contains("BEGIN:VEVENT"));
        insta::assert_snapshot!("biennial_member_added", text(&email));
    }

    #[test]
    fn kloes_are_shared_in_words() {
        let about = AboutCycle {
            path: "/biennial/00000000-0000-0000-0000-000000000000",
            title: "Biennial peer challenge 2026",
            day: "Thursday 15 October 2026",
            venue: "East Midlands Conference Centre",
            kloes_due: "Thursday 1 October 2026",
        };
        let email = kloes_shared_email(
            &Settings::default(),
            about,
            (
                "Nora Lead",
                EmailAddress::parse("nora@nottingham.example").expect("email"),
            ),
            "Derby",
            "Nottingham",
            &["How well do partners plan transitions?".to_owned()],
        );
        insta::assert_snapshot!("biennial_kloes_shared", text(&email));
    }
}
