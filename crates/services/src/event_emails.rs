//! The emails a thematic event sends, and to whom: each nominee's confirmation (with the
//! `.ics` invitation) and reminders a week and a day before, with the joining details; the
//! LA leads when nominations open and when the co-ordinator reminds an area that has named
//! nobody; the nominees when an event is cancelled. Nominees have no account, so nothing here
//! links to a page that acts: the emails inform, any answer is made by the area's LA lead.

use chrono::{DateTime, Utc};
use documents::ics::{Attendee, CalendarEvent, CalendarMethod, calendar};
use domain::clock::uk_to_utc;
use domain::events::{EventReminder, Place};
use domain::{AuthoritySlug, EmailAddress, Role};
use store::{EmailAttachment, EventDocumentFile, NewEmail, Nomination, StaffMember, ThematicEvent};

use crate::dates;
use crate::settings::Settings;

const SIGN_OFF: &str = "Peer Challenge, the East Midlands SEND peer challenge scheme";

/// When and where, as every nominee's email words it.
fn when_and_where(event: &ThematicEvent) -> String {
    let d = &event.details;
    let place = match &d.place {
        Place::Online { joining_link } => format!("Online. Join at:\n{joining_link}"),
        Place::FaceToFace {
            venue,
            address,
            accessibility,
        } => {
            let mut text = format!("Face to face at {venue}\n{address}");
            if !accessibility.is_empty() {
                text.push_str(&format!("\n\nAccess: {accessibility}"));
            }
            text
        }
    };
    format!(
        "Date: {}\nTime: {} to {}\n\n{place}",
        dates::date(d.date),
        d.starts.format("%H:%M"),
        d.ends.format("%H:%M"),
    )
}

/// The event as a calendar entry for one nominee, the same uid each time so a calendar
/// updates it rather than adding another.
pub fn invitation(
    settings: &Settings,
    event: &ThematicEvent,
    nominee: Option<&Nomination>,
    now: DateTime<Utc>,
) -> String {
    let d = &event.details;
    let (location, url) = match &d.place {
        Place::Online { joining_link } => (Some("Online".to_owned()), Some(joining_link.clone())),
        Place::FaceToFace { venue, address, .. } => (
            Some(format!("{venue}, {}", address.as_str().replace('\n', ", "))),
            None,
        ),
    };
    let host = settings
        .base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("peer-challenge");
    calendar(
        CalendarMethod::Request,
        &[CalendarEvent {
            uid: format!("event-{}@{host}", event.id),
            sequence: 0,
            starts: uk_to_utc(d.starts_at()),
            ends: uk_to_utc(d.ends_at()),
            summary: format!("Thematic peer challenge: {}", d.title),
            description: d.topic.to_string(),
            location,
            url,
            organizer: Some(Attendee {
                name: settings.contact.coordinator_name.clone(),
                email: settings.contact.coordinator_email.clone(),
            }),
            attendees: nominee
                .map(|n| Attendee {
                    name: n.nominee.name.to_string(),
                    email: n.nominee.email.to_string(),
                })
                .into_iter()
                .collect(),
            created: now,
        }],
    )
}

/// A nominee's confirmation, with the calendar invitation attached.
pub fn confirmation(
    settings: &Settings,
    event: &ThematicEvent,
    area_name: &str,
    nomination: &Nomination,
    now: DateTime<Utc>,
) -> NewEmail {
    let d = &event.details;
    NewEmail::text(
        nomination.nominee.email.clone(),
        format!("You have been named for the thematic event: {}", d.title),
        format!(
            "Dear {name},\n\n\
             {area_name} has named you {as_what}for the regional thematic peer challenge event \
             \"{title}\".\n\n{when}\n\n\
             The key lines of enquiry will be sent to you before the event. The calendar \
             invitation is attached.\n\n\
             If you cannot come, please tell the person who named you.\n\n{SIGN_OFF}\n",
            name = nomination.nominee.name,
            as_what = if nomination.nominee.deputy {
                "as a deputy (to come if a named officer cannot) "
            } else {
                ""
            },
            title = d.title,
            when = when_and_where(event),
        ),
    )
    .with_attachment(EmailAttachment {
        file_name: "invitation.ics".into(),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
        bytes: invitation(settings, event, Some(nomination), now).into_bytes(),
    })
}

/// A nominee reminded a week or a day before, with the joining details.
pub fn reminder(event: &ThematicEvent, nomination: &Nomination, which: EventReminder) -> NewEmail {
    let d = &event.details;
    let subject = match which {
        EventReminder::WeekBefore => format!("Reminder: {} on {}", d.title, dates::date(d.date)),
        EventReminder::DayBefore => format!("Tomorrow: {}", d.title),
    };
    NewEmail::text(
        nomination.nominee.email.clone(),
        subject,
        format!(
            "Dear {name},\n\n\
             This is a reminder of the thematic peer challenge event \"{title}\".\n\n{when}\n\n\
             Please read the key lines of enquiry before you come.\n\n{SIGN_OFF}\n",
            name = nomination.nominee.name,
            title = d.title,
            when = when_and_where(event),
        ),
    )
}

/// Every nominee sent the KLOEs (`version` of them; a later one says it replaces the last),
/// with the event's pre-reading attached: nominees have no account, so a link behind sign-in
/// would be no use to them. The store caps the files' total so the email stays deliverable.
pub fn kloes(
    event: &ThematicEvent,
    nominations: &[Nomination],
    kloes: &[domain::challenge::Kloe],
    version: i32,
    pre_reading: &[EventDocumentFile],
) -> Vec<NewEmail> {
    let list = kloes
        .iter()
        .enumerate()
        .map(|(i, kloe)| format!("{}. {}", i + 1, kloe.question))
        .collect::<Vec<_>>()
        .join("\n\n");
    let files = if pre_reading.is_empty() {
        String::new()
    } else {
        let names = pre_reading
            .iter()
            .map(|file| {
                format!(
                    "- {} ({})",
                    file.summary.file_name,
                    documents::upload::Size(u64::try_from(file.summary.size_bytes).unwrap_or(0))
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        format!("The pre-reading for the event is attached:\n\n{names}\n\n")
    };
    nominations
        .iter()
        .map(|n| {
            let (subject, opening) = if version > 1 {
                (
                    format!("Updated key lines of enquiry: {}", event.details.title),
                    "The key lines of enquiry for the event have changed. These replace the \
                     ones sent before",
                )
            } else {
                (
                    format!("Key lines of enquiry: {}", event.details.title),
                    "Here are the key lines of enquiry for the event, to think about with \
                     your colleagues before you come",
                )
            };
            let mut email = NewEmail::text(
                n.nominee.email.clone(),
                subject,
                format!(
                    "Dear {name},\n\n{opening} (\"{title}\", {date}):\n\n{list}\n\n{files}{when}\n\n{SIGN_OFF}\n",
                    name = n.nominee.name,
                    title = event.details.title,
                    date = dates::date(event.details.date),
                    when = when_and_where(event),
                ),
            );
            for file in pre_reading {
                email = email.with_attachment(EmailAttachment {
                    file_name: file.summary.file_name.clone(),
                    content_type: file.summary.content_type.clone(),
                    bytes: file.content.clone(),
                });
            }
            email
        })
        .collect()
}

/// Every nominee told the event is cancelled.
pub fn cancelled(event: &ThematicEvent, nominations: &[Nomination]) -> Vec<NewEmail> {
    nominations
        .iter()
        .map(|n| {
            NewEmail::text(
                n.nominee.email.clone(),
                format!("Cancelled: {}", event.details.title),
                format!(
                    "Dear {name},\n\n\
                     The thematic peer challenge event \"{title}\" on {date} has been \
                     cancelled. Please remove it from your calendar.\n\n{SIGN_OFF}\n",
                    name = n.nominee.name,
                    title = event.details.title,
                    date = dates::date(event.details.date),
                ),
            )
        })
        .collect()
}

/// The LA leads of `areas`, each asked to name their officers: when nominations open (every
/// area) and when the co-ordinator reminds those who have named nobody.
pub fn ask_for_nominations(
    settings: &Settings,
    staff: &[StaffMember],
    event: &ThematicEvent,
    areas: &[AuthoritySlug],
    reminder: bool,
) -> Vec<NewEmail> {
    let d = &event.details;
    let link = settings.link(&format!("/events/{}/nominations", event.id));
    leads_of(staff, areas)
        .map(|(name, to)| {
            NewEmail::text(
                to.clone(),
                if reminder {
                    format!("Reminder: name your officers for {}", d.title)
                } else {
                    format!("Name your officers for {}", d.title)
                },
                format!(
                    "Dear {name},\n\n\
                     {opening} the regional thematic peer challenge event \"{title}\" on {date}. \
                     Each area may name up to {capacity} officers best placed for the topic, and \
                     a deputy. Nominations close on {close}.\n\n\
                     Name your officers at:\n{link}\n\n{SIGN_OFF}\n",
                    opening = if reminder {
                        "Your area has not yet named anyone for"
                    } else {
                        "Nominations are open for"
                    },
                    title = d.title,
                    date = dates::date(d.date),
                    capacity = d.capacity,
                    close = dates::date(d.nominations_close),
                ),
            )
        })
        .collect()
}

fn leads_of<'a>(
    staff: &'a [StaffMember],
    areas: &'a [AuthoritySlug],
) -> impl Iterator<Item = (&'a str, &'a EmailAddress)> {
    staff
        .iter()
        .filter(move |person| {
            person.grants.iter().any(|grant| {
                grant.role() == Role::LaLead && grant.authority().is_some_and(|a| areas.contains(a))
            })
        })
        .map(|person| (person.name.as_str(), &person.email))
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime, TimeZone};
    use domain::events::{EventDetails, EventState, Nominee, Organisation};
    use domain::ids::NominationId;
    use domain::{MultiLine, OneLine, ProgrammeActivityId, ThemeCode};

    use super::*;

    fn line(text: &str) -> OneLine {
        OneLine::parse("t", text, 500).unwrap_or_else(|_| unreachable!())
    }

    fn event(place: Place) -> ThematicEvent {
        ThematicEvent {
            id: ProgrammeActivityId::from_uuid(uuid::Uuid::nil()),
            details: EventDetails {
                title: line("Preparation for adulthood"),
                theme: ThemeCode::parse("PFA").unwrap_or_else(|| unreachable!()),
                topic: MultiLine::parse("t", "Moving to adult services", 500)
                    .unwrap_or_else(|_| unreachable!()),
                date: NaiveDate::from_ymd_opt(2027, 6, 10).unwrap_or_default(),
                starts: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
                ends: NaiveTime::from_hms_opt(12, 30, 0).unwrap_or_default(),
                place,
                facilitator: line("Regional SEND co-ordinator"),
                capacity: 3,
                nominations_close: NaiveDate::from_ymd_opt(2027, 6, 1).unwrap_or_default(),
                returns_due: NaiveDate::from_ymd_opt(2027, 7, 10).unwrap_or_default(),
            },
            state: EventState::Open,
            areas: vec![],
        }
    }

    fn nomination(deputy: bool) -> Nomination {
        Nomination {
            id: NominationId::from_uuid(uuid::Uuid::nil()),
            event: ProgrammeActivityId::from_uuid(uuid::Uuid::nil()),
            area: AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!()),
            nominee: Nominee {
                name: line("Asha Patel"),
                role: line("PfA lead"),
                organisation: Organisation::LocalAuthority,
                email: EmailAddress::parse("asha.patel@derby.example.org")
                    .unwrap_or_else(|_| unreachable!()),
                deputy,
            },
            attended: None,
        }
    }

    fn online() -> Place {
        Place::Online {
            joining_link: "https://meet.example.org/pfa".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 5, 1, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn shown(email: &NewEmail) -> String {
        let files: Vec<_> = email
            .attachments
            .iter()
            .map(|a| format!("{} ({})", a.file_name, a.content_type))
            .collect();
        format!(
            "To: {}\nSubject: {}\nAttachments: {}\n\n{}",
            email.to,
            email.subject,
            files.join(", "),
            email.body_text
        )
    }

    #[test]
    fn a_nominee_is_confirmed_with_the_joining_link_and_an_invitation() {
        let settings = Settings::default();
        let email = confirmation(
            &settings,
            &event(online()),
            "Derby",
            &nomination(false),
            now(),
        );
        insta::assert_snapshot!(shown(&email));
        let ics = String::from_utf8(email.attachments[0].bytes.clone()).unwrap_or_default();
        assert!(ics.contains("METHOD:REQUEST"), "{ics}");
        // 10:00 in June is 09:00 UTC.
        assert!(ics.contains("DTSTART:20270610T090000Z"), "{ics}");
        assert!(ics.contains("URL:https://meet.example.org/pfa"), "{ics}");
    }

    #[test]
    fn a_deputy_face_to_face_is_told_where_and_how_to_get_in() {
        let place = Place::FaceToFace {
            venue: line("County Hall"),
            address: MultiLine::parse("t", "Glen Road\nOadby", 500)
                .unwrap_or_else(|_| unreachable!()),
            accessibility: MultiLine::parse("t", "Step-free entrance on the left", 500)
                .unwrap_or_else(|_| unreachable!()),
        };
        let settings = Settings::default();
        let email = confirmation(&settings, &event(place), "Derby", &nomination(true), now());
        insta::assert_snapshot!(shown(&email));
    }

    #[test]
    fn reminders_a_week_and_a_day_before() {
        let e = event(online());
        insta::assert_snapshot!(shown(&reminder(
            &e,
            &nomination(false),
            EventReminder::WeekBefore
        )));
        insta::assert_snapshot!(shown(&reminder(
            &e,
            &nomination(false),
            EventReminder::DayBefore
        )));
    }

    #[test]
    fn nominees_receive_the_kloes_and_a_later_version_says_it_replaces_them() {
        let kloes = vec![domain::challenge::Kloe {
            question: "How well are young people prepared for adult health services?".into(),
            themes: vec![ThemeCode::parse("PFA").unwrap_or_else(|| unreachable!())],
        }];
        let agenda = EventDocumentFile {
            summary: store::EventDocument {
                id: domain::DocumentId::new(),
                event: event(online()).id,
                file_name: "Agenda.pdf".into(),
                content_type: "application/pdf".into(),
                size_bytes: 2048,
                uploaded_by: None,
                uploaded_at: now(),
            },
            content: vec![b'%'; 2048],
        };
        let first = super::kloes(
            &event(online()),
            &[nomination(false)],
            &kloes,
            1,
            std::slice::from_ref(&agenda),
        );
        insta::assert_snapshot!(shown(&first[0]));
        assert_eq!(first[0].attachments[0].bytes, agenda.content);
        let second = super::kloes(
            &event(online()),
            &[nomination(false)],
            &kloes,
            2,
            std::slice::from_ref(&agenda),
        );
        assert_eq!(
            second[0].attachments.len(),
            1,
            "a new version carries them too"
        );
        assert!(
            second[0]
                .subject
                .starts_with("Updated key lines of enquiry")
        );
        assert!(
            second[0]
                .body_text
                .contains("These replace the ones sent before")
        );
    }

    #[test]
    fn cancelling_tells_every_nominee() {
        let emails = cancelled(&event(online()), &[nomination(false), nomination(true)]);
        assert_eq!(emails.len(), 2);
        insta::assert_snapshot!(shown(&emails[0]));
    }
}
