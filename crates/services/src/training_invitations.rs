//! The invitation to a reviewer training session: its email with an `.ics` calendar
//! invitation attached, and the same session as a calendar file to download. The wording
//! lives here, under snapshot tests.

use chrono::Utc;
use documents::ics::{Attendee, CalendarEvent, CalendarMethod, calendar};
use store::{EmailAttachment, NewEmail, Trainee, TrainingSession};

use crate::dates;
use crate::settings::Settings;

/// "10:00am to 3:00pm", UK time.
pub fn times(session: &TrainingSession) -> String {
    format!(
        "{} to {}",
        dates::time(session.starts_at),
        dates::time(session.ends_at)
    )
}

/// The session as a calendar file to publish (no attendee): for the project manager's own
/// calendar or to forward.
pub fn session_calendar(settings: &Settings, session: &TrainingSession) -> String {
    calendar(
        CalendarMethod::Publish,
        &[session_event(settings, session, None)],
    )
}

fn session_event(
    settings: &Settings,
    session: &TrainingSession,
    attendee: Option<&Trainee>,
) -> CalendarEvent {
    let contact = &settings.contact;
    let mut description = format!("Reviewer training with {}.", session.trainer);
    if let Some(link) = &session.online_link {
        description.push_str(&format!("\nJoin online: {link}"));
    }
    description.push_str(&format!(
        "\nQuestions, or adjustments you need: {} ({}).",
        contact.project_manager_name, contact.project_manager_email
    ));
    CalendarEvent {
        // Stable for the life of the session, so calendars update one event, not add copies.
        uid: settings.calendar_uid(&format!("training-{}", session.id)),
        sequence: 0,
        starts: session.starts_at,
        ends: session.ends_at,
        summary: session.title.clone(),
        description,
        location: session
            .venue
            .clone()
            .or_else(|| session.online_link.clone()),
        url: session.online_link.clone(),
        organizer: Some(Attendee {
            name: contact.project_manager_name.clone(),
            email: contact.project_manager_email.clone(),
        }),
        attendees: attendee
            .map(|person| Attendee {
                name: person.name.to_string(),
                email: person.email.to_string(),
            })
            .into_iter()
            .collect(),
        created: Utc::now(),
    }
}

pub fn ics_file_name(session: &TrainingSession) -> String {
    format!("training-{}.ics", session.date().format("%Y-%m-%d"))
}

/// The invitation email: the details in plain text, and the calendar invitation attached.
pub fn invitation_email(
    settings: &Settings,
    session: &TrainingSession,
    person: &Trainee,
) -> NewEmail {
    let contact = &settings.contact;
    let mut details = format!(
        "{}\nDate: {}\nTime: {}\n",
        session.title,
        dates::date(session.date()),
        times(session)
    );
    if let Some(venue) = &session.venue {
        details.push_str(&format!("Venue: {venue}\n"));
    }
    if let Some(link) = &session.online_link {
        details.push_str(&format!("Online link: {link}\n"));
    }
    details.push_str(&format!("Trainer: {}\n", session.trainer));
    let body = format!(
        "Dear {},\n\n\
         You are invited to training for the East Midlands SEND peer challenge reviewer pool.\n\n\
         {details}\n\
         The attached calendar invitation adds the session to your calendar.\n\n\
         Please reply to {} at {} to accept or decline, and tell us about anything you need \
         to take part, such as adjustments or travel.\n",
        person.name, contact.project_manager_name, contact.project_manager_email
    );
    let ics = calendar(
        CalendarMethod::Request,
        &[session_event(settings, session, Some(person))],
    );
    NewEmail::text(
        person.email.clone(),
        format!(
            "Invitation: reviewer training on {}",
            dates::date(session.date())
        ),
        body,
    )
    .with_attachment(EmailAttachment {
        file_name: ics_file_name(session),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
        bytes: ics.into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use domain::pool::{HomeArea, ReviewerType};
    use domain::{AuthoritySlug, EmailAddress, PersonName, PoolMemberId, TrainingSessionId};

    use super::*;
    use crate::settings::tests::example_settings;

    fn session() -> TrainingSession {
        TrainingSession {
            id: TrainingSessionId::new(),
            title: "Reviewer induction".into(),
            // 10am to 3pm in summer time (UTC+1).
            starts_at: Utc.with_ymd_and_hms(2027, 6, 14, 9, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2027, 6, 14, 14, 0, 0).unwrap(),
            venue: Some("County Hall, Matlock".into()),
            online_link: None,
            capacity: 12,
            trainer: "Pat Trainer".into(),
            created_at: Utc::now(),
            invited: 0,
            attended: 0,
        }
    }

    fn trainee() -> Trainee {
        Trainee {
            id: PoolMemberId::new(),
            name: PersonName::parse("Alex Reviewer").expect("name"),
            email: EmailAddress::parse("alex@example.org").expect("email"),
            reviewer_type: ReviewerType::LaOfficer,
            home: HomeArea::Authority(AuthoritySlug::parse("derby").expect("slug")),
            joined_at: Utc::now(),
        }
    }

    #[test]
    fn the_invitation_carries_the_session_in_uk_time_and_its_calendar_entry() {
        let session = session();
        let email = invitation_email(&example_settings(), &session, &trainee());
        assert!(
            email.body_text.contains("Time: 10:00am to 3:00pm"),
            "{}",
            email.body_text
        );
        let attachment = &email.attachments[0];
        assert_eq!(attachment.file_name, "training-2027-06-14.ics");
        let ics = String::from_utf8(attachment.bytes.clone()).expect("utf-8");
        assert!(ics.contains("METHOD:REQUEST"));
        assert!(ics.contains(&format!(
            "UID:training-{}@peer-challenge.example",
            session.id
        )));
        assert!(ics.contains("alex@example.org"));
        insta::with_settings!({filters => vec![
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
        ]}, {
            insta::assert_snapshot!(
                "training_invitation",
                format!("To: {}\nSubject: {}\n\n{}", email.to, email.subject, email.body_text)
            );
        });
    }

    #[test]
    fn the_download_publishes_the_session_with_no_attendee() {
        let ics = session_calendar(&example_settings(), &session());
        assert!(ics.contains("METHOD:PUBLISH"));
        assert!(!ics.contains("ATTENDEE"));
    }
}
