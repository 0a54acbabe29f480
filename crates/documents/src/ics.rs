//! iCalendar (RFC 5545) invitations for training sessions and visit days, sent by email as
//! iTIP messages (RFC 5546) or offered as a download.
//!
//! Written by hand: the format is a few lines of text, and owning them keeps escaping,
//! folding and the iTIP rules below visible and tested rather than hidden in a dependency.

use chrono::{DateTime, Utc};

/// What the calendar asks of the people who receive it (RFC 5546, section 1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarMethod {
    /// For information: a download or a feed. Nobody is asked to reply.
    Publish,
    /// An invitation: attendees are asked to accept or decline.
    Request,
    /// The event is off. Send with the same `uid` and a higher `sequence` than the invitation.
    Cancel,
}

impl CalendarMethod {
    fn name(self) -> &'static str {
        match self {
            Self::Publish => "PUBLISH",
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    pub name: String,
    pub email: String,
}

/// One event. For `Request` and `Cancel`, send one event per calendar: iTIP expects every
/// event in a message to share one `uid`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable for the life of the event, so calendars update it rather than add a copy.
    pub uid: String,
    /// Raised on every change sent out, so calendars know which version is newest.
    pub sequence: u32,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    /// Required by iTIP for `Request` and `Cancel`: replies go to this address.
    pub organizer: Option<Attendee>,
    pub attendees: Vec<Attendee>,
    /// When this version of the event was issued; written as DTSTAMP, which calendars use
    /// to order versions with the same `sequence`. Passed in so the writer needs no clock.
    pub created: DateTime<Utc>,
}

/// The text of an .ics file (`text/calendar`), CRLF line ends, lines folded at 75 octets.
pub fn calendar(method: CalendarMethod, events: &[CalendarEvent]) -> String {
    let mut ics = Lines::default();
    ics.push("BEGIN:VCALENDAR");
    ics.push("VERSION:2.0");
    ics.push("PRODID:-//Peer Challenge//EN");
    ics.push("CALSCALE:GREGORIAN");
    ics.push(&format!("METHOD:{}", method.name()));
    for event in events {
        push_event(&mut ics, method, event);
    }
    ics.push("END:VCALENDAR");
    ics.text
}

fn push_event(ics: &mut Lines, method: CalendarMethod, event: &CalendarEvent) {
    ics.push("BEGIN:VEVENT");
    ics.push(&format!("UID:{}", text(&event.uid)));
    ics.push(&format!("SEQUENCE:{}", event.sequence));
    ics.push(&format!("DTSTAMP:{}", utc(event.created)));
    ics.push(&format!("DTSTART:{}", utc(event.starts)));
    ics.push(&format!("DTEND:{}", utc(event.ends)));
    ics.push(&format!("SUMMARY:{}", text(&event.summary)));
    if !event.description.is_empty() {
        ics.push(&format!("DESCRIPTION:{}", text(&event.description)));
    }
    if let Some(location) = &event.location {
        ics.push(&format!("LOCATION:{}", text(location)));
    }
    if let Some(url) = &event.url {
        ics.push(&format!("URL:{}", uri(url)));
    }
    let status = match method {
        CalendarMethod::Cancel => "CANCELLED",
        CalendarMethod::Publish | CalendarMethod::Request => "CONFIRMED",
    };
    ics.push(&format!("STATUS:{status}"));
    if let Some(organizer) = &event.organizer {
        ics.push(&format!("ORGANIZER{}", address(organizer, "")));
    }
    let reply = match method {
        // RFC 5546 forbids ATTENDEE in PUBLISH: a published event invites nobody.
        CalendarMethod::Publish => None,
        CalendarMethod::Request => Some(";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE"),
        CalendarMethod::Cancel => Some(""),
    };
    if let Some(reply) = reply {
        for attendee in &event.attendees {
            ics.push(&format!("ATTENDEE{}", address(attendee, reply)));
        }
    }
    ics.push("END:VEVENT");
}

/// Content lines, each folded and ended with CRLF as RFC 5545 section 3.1 requires.
#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    fn push(&mut self, line: &str) {
        fold_into(&mut self.text, line);
    }
}

/// Lines longer than 75 octets continue on the next line after CRLF and one space. Breaks
/// fall between characters, never inside a UTF-8 sequence, so unfolding restores the line.
const FOLD_AT: usize = 75;

fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > FOLD_AT {
            out.push_str("\r\n ");
            // The leading space counts towards the 75 octets of the continuation line.
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and comma escaped, every
/// kind of line break as `\n`, other control characters dropped since TEXT cannot hold them.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI or CAL-ADDRESS value is not escaped, so anything that could end the line (and
/// start a property of the sender's choosing) is removed.
fn uri(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// A parameter value (RFC 5545 section 3.2): quoted if it holds `;`, `:` or `,`. A quoted
/// value cannot hold a double quote, so those become apostrophes.
fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '"' { '\'' } else { c })
        .collect();
    if clean.contains([';', ':', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// `;CN=...<extra>:mailto:...`, the parameters and value of an ORGANIZER or ATTENDEE.
fn address(person: &Attendee, extra: &str) -> String {
    let name = person.name.trim();
    let cn = if name.is_empty() {
        String::new()
    } else {
        format!(";CN={}", param(name))
    };
    format!("{cn}{extra}:mailto:{}", uri(person.email.trim()))
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::read_back::read_back;

    fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
            .single()
            .expect("valid time")
    }

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    fn visit_day() -> CalendarEvent {
        CalendarEvent {
            uid: "visit-42@peer-challenge.example".to_owned(),
            sequence: 2,
            starts: at(2026, 3, 4, 9, 30),
            ends: at(2026, 3, 4, 16, 0),
            summary: "Visit day: Northshire, SEND review".to_owned(),
            description: "Bring ID; parking at the rear, gate B.\nAgenda:\n1. Welcome\\intro"
                .to_owned(),
            location: Some("County Hall, Room 2; Market St".to_owned()),
            url: Some("https://peer-challenge.example/visits/42".to_owned()),
            organizer: Some(Attendee {
                name: "Scheme Office".to_owned(),
                email: "office@peer-challenge.example".to_owned(),
            }),
            attendees: vec![
                Attendee {
                    name: "Smith, Jo".to_owned(),
                    email: "jo.smith@northshire.example".to_owned(),
                },
                Attendee {
                    name: "Zoë Ó Briain".to_owned(),
                    email: "zoe@southshire.example".to_owned(),
                },
            ],
            created: at(2026, 1, 15, 12, 0),
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            text("a\\b;c,d\ne\r\nf\rg\th\u{7}i"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng\thi"
        );
        assert_eq!(text("plain: colons stay"), "plain: colons stay");
    }

    #[test]
    fn parameters_are_quoted_when_needed() {
        assert_eq!(param("Jo Smith"), "Jo Smith");
        assert_eq!(param("Zoë Ó Briain"), "Zoë Ó Briain");
        assert_eq!(param("Smith, Jo"), "\"Smith, Jo\"");
        assert_eq!(param("Dr: Who;"), "\"Dr: Who;\"");
        assert_eq!(param("Jo \"JJ\" Smith"), "Jo 'JJ' Smith");
        assert_eq!(param("Jo\r\nATTENDEE:x"), "\"JoATTENDEE:x\"");
    }

    #[test]
    fn addresses_cannot_break_the_line() {
        let person = Attendee {
            name: String::new(),
            email: "a@b.example\r\nATTENDEE:mailto:c@d.example".to_owned(),
        };
        assert_eq!(
            address(&person, ""),
            ":mailto:a@b.exampleATTENDEE:mailto:c@d.example"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        // Two-octet characters after an odd prefix force a fold to land mid-character if
        // the code counted characters or ignored UTF-8.
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let mut out = String::new();
        fold_into(&mut out, &line);
        let physical: Vec<&str> = out.split_terminator("\r\n").collect();
        assert!(physical.len() > 2);
        for (index, part) in physical.iter().enumerate() {
            assert!(
                part.len() <= FOLD_AT,
                "line {index} is {} octets",
                part.len()
            );
            assert_eq!(part.starts_with(' '), index > 0);
        }
        assert_eq!(
            physical[0].len(),
            74,
            "74 octets, as a 75th would split an é"
        );
        assert_eq!(unfold(&out), format!("{line}\r\n"));

        let mut short = String::new();
        fold_into(&mut short, &"x".repeat(75));
        assert_eq!(short, format!("{}\r\n", "x".repeat(75)));
        let mut just_over = String::new();
        fold_into(&mut just_over, &"x".repeat(76));
        assert_eq!(just_over, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn a_request_invites_every_attendee_to_reply() {
        let ics = calendar(CalendarMethod::Request, &[visit_day()]);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        let unfolded = unfold(&ics);
        let lines: Vec<&str> = unfolded.split_terminator("\r\n").collect();
        assert_eq!(
            lines,
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//Peer Challenge//EN",
                "CALSCALE:GREGORIAN",
                "METHOD:REQUEST",
                "BEGIN:VEVENT",
                "UID:visit-42@peer-challenge.example",
                "SEQUENCE:2",
                "DTSTAMP:20260115T120000Z",
                "DTSTART:20260304T093000Z",
                "DTEND:20260304T160000Z",
                "SUMMARY:Visit day: Northshire\\, SEND review",
                "DESCRIPTION:Bring ID\\; parking at the rear\\, gate B.\\nAgenda:\\n1. Welcome\\\\intro",
                "LOCATION:County Hall\\, Room 2\\; Market St",
                "URL:https://peer-challenge.example/visits/42",
                "STATUS:CONFIRMED",
                "ORGANIZER;CN=Scheme Office:mailto:office@peer-challenge.example",
                "ATTENDEE;CN=\"Smith, Jo\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:jo.smith@northshire.example",
                "ATTENDEE;CN=Zoë Ó Briain;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:zoe@southshire.example",
                "END:VEVENT",
                "END:VCALENDAR",
            ]
        );
    }

    #[test]
    fn a_cancellation_is_marked_cancelled_and_asks_for_no_reply() {
        let ics = unfold(&calendar(CalendarMethod::Cancel, &[visit_day()]));
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(
            ics.contains("\r\nATTENDEE;CN=\"Smith, Jo\":mailto:jo.smith@northshire.example\r\n")
        );
        assert!(!ics.contains("RSVP"));
    }

    #[test]
    fn a_published_event_names_no_attendees() {
        let mut event = visit_day();
        event.organizer = None;
        event.location = None;
        event.url = None;
        let ics = calendar(CalendarMethod::Publish, &[event]);
        assert!(ics.contains("\r\nMETHOD:PUBLISH\r\n"));
        for absent in ["ATTENDEE", "ORGANIZER", "LOCATION", "URL"] {
            assert!(!ics.contains(absent), "{absent}");
        }
    }

    /// Python's icalendar package, an independent parser, reads back what we wrote: it
    /// unfolds, unescapes and converts the times itself.
    #[test]
    fn an_independent_reader_reads_back_every_property() {
        let mut training = visit_day();
        training.uid = "training-7@peer-challenge.example".to_owned();
        training.sequence = 0;
        training.summary = "Reviewer training".to_owned();
        // Long enough to fold several times, with multi-byte characters and escapes in it.
        training.description = "Café session, part 1; ".repeat(12) + "\nEnd — thanks.";
        training.location = None;
        training.attendees.truncate(1);
        let ics = calendar(CalendarMethod::Request, &[visit_day(), training.clone()]);
        let folded = ics
            .split("\r\n")
            .filter(|line| line.starts_with(' '))
            .count();
        assert!(
            folded >= 4,
            "the long description folds ({folded} continuation lines)"
        );

        let script = r#"
import json
raw = sys.stdin.buffer.read()
physical = raw.split(b"\r\n")
cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
def person(value):
    return {"address": str(value), "params": dict(value.params)}
def people(value):
    if value is None:
        return []
    return [person(v) for v in (value if isinstance(value, list) else [value])]
events = []
for ev in cal.walk("VEVENT"):
    events.append({
        "uid": str(ev["uid"]),
        "sequence": int(ev["sequence"]),
        "summary": str(ev["summary"]),
        "description": str(ev["description"]),
        "location": str(ev["location"]) if "location" in ev else None,
        "url": str(ev["url"]),
        "status": str(ev["status"]),
        "start": ev.decoded("dtstart").isoformat(),
        "end": ev.decoded("dtend").isoformat(),
        "stamp": ev.decoded("dtstamp").isoformat(),
        "organizer": person(ev["organizer"]),
        "attendees": people(ev.get("attendee")),
    })
print(json.dumps({
    "method": str(cal["method"]),
    "version": str(cal["version"]),
    "prodid": str(cal["prodid"]),
    "longest_line": max(len(line) for line in physical),
    "ends_with_crlf": raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""),
    "events": events,
}))
"#;
        let seen = read_back("icalendar", script, ics.as_bytes());
        assert_eq!(seen["method"], "REQUEST");
        assert_eq!(seen["version"], "2.0");
        assert_eq!(seen["prodid"], "-//Peer Challenge//EN");
        assert_eq!(seen["longest_line"], 75);
        assert_eq!(seen["ends_with_crlf"], true);

        let invitee = |name: &str, email: &str| {
            serde_json::json!({
                "address": format!("mailto:{email}"),
                "params": {"CN": name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"},
            })
        };
        let organizer = serde_json::json!({
            "address": "mailto:office@peer-challenge.example",
            "params": {"CN": "Scheme Office"},
        });
        assert_eq!(
            seen["events"],
            serde_json::json!([
                {
                    "uid": "visit-42@peer-challenge.example",
                    "sequence": 2,
                    "summary": "Visit day: Northshire, SEND review",
                    "description": "Bring ID; parking at the rear, gate B.\nAgenda:\n1. Welcome\\intro",
                    "location": "County Hall, Room 2; Market St",
                    "url": "https://peer-challenge.example/visits/42",
                    "status": "CONFIRMED",
                    "start": "2026-03-04T09:30:00+00:00",
                    "end": "2026-03-04T16:00:00+00:00",
                    "stamp": "2026-01-15T12:00:00+00:00",
                    "organizer": organizer,
                    "attendees": [
                        invitee("Smith, Jo", "jo.smith@northshire.example"),
                        invitee("Zoë Ó Briain", "zoe@southshire.example"),
                    ],
                },
                {
                    "uid": "training-7@peer-challenge.example",
                    "sequence": 0,
                    "summary": "Reviewer training",
                    "description": training.description,
                    "location": null,
                    "url": "https://peer-challenge.example/visits/42",
                    "status": "CONFIRMED",
                    "start": "2026-03-04T09:30:00+00:00",
                    "end": "2026-03-04T16:00:00+00:00",
                    "stamp": "2026-01-15T12:00:00+00:00",
                    "organizer": organizer,
                    "attendees": [invitee("Smith, Jo", "jo.smith@northshire.example")],
                },
            ])
        );
    }

    /// A cancellation read back by the same parser carries the status and method.
    #[test]
    fn an_independent_reader_reads_a_cancellation() {
        let ics = calendar(CalendarMethod::Cancel, &[visit_day()]);
        let script = r#"
import json
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read().decode("utf-8"))
ev = cal.walk("VEVENT")[0]
print(json.dumps({
    "method": str(cal["method"]),
    "status": str(ev["status"]),
    "attendees": [str(a) for a in ev["attendee"]],
    "params": [dict(a.params) for a in ev["attendee"]],
}))
"#;
        let seen = read_back("icalendar", script, ics.as_bytes());
        assert_eq!(
            seen,
            serde_json::json!({
                "method": "CANCEL",
                "status": "CANCELLED",
                "attendees": ["mailto:jo.smith@northshire.example", "mailto:zoe@southshire.example"],
                "params": [{"CN": "Smith, Jo"}, {"CN": "Zoë Ó Briain"}],
            })
        );
    }
}
