//! The emails a biennial cycle sends, and to whom: when the pairing is published (or repaired
//! after an area opts out) each taking-part area's LA leads hear whom their team challenges
//! and who challenges them. The wording lives here, under snapshot tests.

use domain::AuthoritySlug;
use domain::biennial::Pair;
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

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use domain::{EmailAddress, Role, RoleGrant, UserId};

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
}
