//! Demo thematic events: two past events ("Preparation for adulthood", face to face, and
//! "EHC needs assessment timeliness", online) taken through nominations, KLOEs shared,
//! attendance and returns, with next steps from most areas (one outstanding, one extended),
//! the first with its overview published;
//! and one coming event open for nominations whose KLOEs are drafted but not yet shared.
//! Every step goes through the store's public calls, dated in the past where it happened
//! then. Seeded once: a database that already has events is left alone.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::challenge::Kloe;
use domain::events::{EventAnswers, EventDetails, EventState, NominationAnswers};
use domain::next_steps::{ActionEntry, Rag};
use domain::{AuthoritySlug, Principal, ProgrammeActivityId, ReturnKind, ThemeCode};
use store::{NewEmail, Store};

fn theme(code: &str) -> anyhow::Result<ThemeCode> {
    ThemeCode::parse(code).ok_or_else(|| anyhow!("theme {code}"))
}

fn uk(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

async fn principal_of(store: &Store, email: &str) -> anyhow::Result<Principal> {
    let staff = store.staff().await?;
    let user = staff
        .iter()
        .find(|s| s.email.as_str() == email)
        .with_context(|| format!("demo account {email}"))?;
    store
        .principal(user.id)
        .await?
        .with_context(|| format!("principal {email}"))
}

/// What differs between the demo events.
struct Plan<'a> {
    title: &'a str,
    theme: &'a str,
    topic: &'a str,
    date: NaiveDate,
    online: bool,
    kloes: &'a [&'a str],
}

fn details(plan: &Plan<'_>, themes: &[ThemeCode]) -> anyhow::Result<EventDetails> {
    let answers = EventAnswers {
        title: plan.title.into(),
        theme: plan.theme.into(),
        topic: plan.topic.into(),
        date: uk(plan.date),
        starts: "10:00".into(),
        ends: "12:30".into(),
        format: if plan.online {
            "online"
        } else {
            "face_to_face"
        }
        .into(),
        venue: "Leicestershire County Hall, Council Chamber".into(),
        address: "Glenfield\nLeicester LE3 8RA".into(),
        accessibility: "Step-free entrance at the front; hearing loop in the chamber".into(),
        joining_link: "https://meet.example.org/thematic-ehcna".into(),
        facilitator: "Morgan Reid, regional SEND co-ordinator".into(),
        capacity: "3".into(),
        nominations_close: uk(plan.date - Duration::days(14)),
        returns_due: uk(plan.date + Duration::days(42)),
    };
    // Past dates are history being written down, not a new event: no "not in the past" check.
    answers
        .check(themes, None)
        .map_err(|problems| anyhow!("demo event {}: {problems:?}", plan.title))
}

fn at(day: NaiveDate) -> DateTime<Utc> {
    domain::clock::uk_to_utc(day.and_hms_opt(9, 30, 0).unwrap_or_default())
}

/// Two officers per area (one a health colleague) and, for some, a deputy.
async fn nominate_everyone(
    store: &Store,
    id: ProgrammeActivityId,
    areas: &[AuthoritySlug],
    skip: &[&str],
    on: NaiveDate,
) -> anyhow::Result<()> {
    for (index, area) in areas.iter().enumerate() {
        if skip.contains(&area.as_str()) {
            continue;
        }
        let lead = principal_of(store, &format!("lead.{area}@example.org")).await?;
        let people = [
            (
                "SEND service manager",
                "local_authority",
                "send.manager",
                "",
            ),
            ("Designated Clinical Officer", "health", "dco", ""),
            (
                "Parent carer forum chair",
                "parent_carer_forum",
                "pcf.chair",
                "yes",
            ),
        ];
        for (n, (role, organisation, who, deputy)) in people.iter().enumerate() {
            if n == 2 && index % 3 != 0 {
                continue;
            }
            let name = format!(
                "{} {}",
                ["Alex", "Sam", "Jordan"][n],
                area_name(area.as_str())
            );
            let answers = NominationAnswers {
                name,
                role: (*role).into(),
                organisation: (*organisation).into(),
                email: format!("{who}.{area}@example.org"),
                deputy: (*deputy).into(),
            };
            let nominee = answers
                .check()
                .map_err(|problems| anyhow!("demo nominee: {problems:?}"))?;
            // The demo's nominees hear nothing: the outbox holds real emails only.
            let quiet = NewEmail::text(
                nominee.email.clone(),
                "Demo nomination",
                "A demo nomination.",
            );
            store
                .nominate(id, area, &nominee, quiet, on, &lead, at(on))
                .await
                .with_context(|| format!("nominating for {area}"))?;
        }
    }
    Ok(())
}

/// A surname-like word from the area's slug, so names read as people's.
fn area_name(slug: &str) -> String {
    let mut chars = slug.split('-').next().unwrap_or(slug).chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn kloes(questions: &[&str], code: &ThemeCode) -> Vec<Kloe> {
    questions
        .iter()
        .map(|q| Kloe {
            question: (*q).into(),
            themes: vec![code.clone()],
        })
        .collect()
}

fn next_step(area: &str, n: usize, code: &ThemeCode, start: NaiveDate) -> ActionEntry {
    let prefix: String = area.chars().take(3).collect::<String>().to_uppercase();
    ActionEntry {
        reference: format!("{prefix}-T{n}"),
        answers: "KLOE 1".into(),
        theme: code.clone(),
        action: [
            "Agree a joint protocol with adult services for moves at 18",
            "Report EHC needs assessment timeliness monthly to the partnership board",
        ][n % 2]
            .into(),
        owner: "Head of SEND".into(),
        partners: "ICB, parent carer forum".into(),
        start,
        due: start + Duration::days(180),
        milestones: "Draft by the end of the term".into(),
        baseline: "Not in place".into(),
        target: "In place and reviewed".into(),
        rag: [Rag::Green, Rag::Amber][n % 2],
        progress: Vec::new(),
        impact: String::new(),
    }
}

/// How a past event's returns stand: one area outstanding, one extended, and whether the
/// overview has been published.
struct Afterwards<'a> {
    outstanding: &'a str,
    extended: &'a str,
    publish: bool,
}

/// A past event taken to returns: nominations, KLOEs shared, held, attendance, each area's
/// next steps submitted except `outstanding`, and `extended`'s return given more time.
async fn past_event(
    store: &Store,
    coordinator: &Principal,
    plan: &Plan<'_>,
    themes: &[ThemeCode],
    areas: &[AuthoritySlug],
    after: Afterwards<'_>,
) -> anyhow::Result<()> {
    let Afterwards {
        outstanding,
        extended,
        publish,
    } = after;
    let details = details(plan, themes)?;
    let code = theme(plan.theme)?;
    let created = plan.date - Duration::days(60);
    let id = store
        .create_event(&details, areas, coordinator, at(created))
        .await?;
    store
        .move_event(
            id,
            EventState::Draft,
            EventState::Open,
            vec![],
            coordinator,
            at(created),
        )
        .await?;
    nominate_everyone(store, id, areas, &[], created + Duration::days(7)).await?;
    let share_on = plan.date - Duration::days(10);
    store
        .save_event_kloes(
            id,
            &kloes(plan.kloes, &code),
            share_on,
            vec![],
            coordinator,
            at(created + Duration::days(20)),
        )
        .await?;
    store
        .share_event_kloes(id, vec![], share_on, Some(coordinator), at(share_on))
        .await?;
    store
        .move_event(
            id,
            EventState::KloesShared,
            EventState::Held,
            vec![],
            coordinator,
            at(plan.date),
        )
        .await?;
    // Most came: the second person from every fourth area sent apologies.
    let nominations = store.nominations(id).await?;
    let came: Vec<_> = nominations
        .iter()
        .enumerate()
        .filter(|(index, n)| !n.nominee.deputy && index % 4 != 1)
        .map(|(_, n)| n.id)
        .collect();
    store
        .record_attendance(id, &came, coordinator, at(plan.date))
        .await?;
    store
        .move_event(
            id,
            EventState::Held,
            EventState::Returns,
            vec![],
            coordinator,
            at(plan.date + Duration::days(1)),
        )
        .await?;
    let owed = store
        .returns(&store::ReturnFilter {
            area: None,
            programme: Some(domain::Programme::Thematic),
        })
        .await?;
    for owed in owed
        .iter()
        .filter(|r| r.activity.id == id && r.kind == ReturnKind::ThematicNextSteps)
    {
        let area = owed.area.as_str();
        if area == outstanding {
            continue;
        }
        if area == extended {
            store
                .extend_return(
                    owed.id,
                    owed.due + Duration::days(28),
                    "New head of service started after the event",
                    coordinator,
                    at(plan.date + Duration::days(30)),
                )
                .await?;
            continue;
        }
        let lead = principal_of(store, &format!("lead.{area}@example.org")).await?;
        let returned = plan.date + Duration::days(35);
        let steps = [
            next_step(area, 1, &code, returned),
            next_step(area, 2, &code, returned),
        ];
        store
            .apply_next_steps(id, &owed.area, &steps, &lead, at(returned))
            .await?;
        store.submit_return(owed.id, &lead, at(returned)).await?;
    }
    if publish {
        // The co-ordinator's overview, drafted from the returns and published to the board.
        let event = store.event(id).await?.context("the event just made")?;
        let draft = services::events::draft_overview(store, &event).await?;
        let text = format!(
            "Areas agree that planning for adult life has to start by year 9, with health \
             colleagues at the table from the first review.\n\n{draft}"
        );
        let written = plan.date + Duration::days(50);
        store
            .save_event_overview(id, &text, coordinator, at(written))
            .await?;
        store
            .move_event(
                id,
                EventState::Returns,
                EventState::OverviewPublished,
                vec![],
                coordinator,
                at(written),
            )
            .await?;
    }
    Ok(())
}

pub async fn seed(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    if !store.events().await?.is_empty() {
        return Ok(());
    }
    let coordinator = principal_of(store, "coordinator@example.org").await?;
    let themes: Vec<ThemeCode> = store.themes().await?.into_iter().map(|t| t.code).collect();
    let today = domain::clock::uk_date(now);
    let areas: Vec<AuthoritySlug> = store
        .authorities()
        .await?
        .into_iter()
        .filter(|a| a.is_current(today))
        .map(|a| a.slug)
        .collect();
    past_event(
        store,
        &coordinator,
        &Plan {
            title: "Preparation for adulthood",
            theme: "PFA",
            topic: "How partners prepare young people with SEND for adult life: employment, \
                    independent living, community and health.",
            date: today - Duration::days(150),
            online: false,
            kloes: &[
                "How well do partners plan the move from children's to adult health services?",
                "How do EHC plans from year 9 reflect young people's own goals for adult life?",
            ],
        },
        &themes,
        &areas,
        Afterwards {
            outstanding: "rutland",
            extended: "lincolnshire",
            publish: true,
        },
    )
    .await?;
    past_event(
        store,
        &coordinator,
        &Plan {
            title: "EHC needs assessment timeliness",
            theme: "EHCNA_TIMELINESS",
            topic: "What helps areas issue EHC plans within 20 weeks without losing quality.",
            date: today - Duration::days(60),
            online: true,
            kloes: &["Where do assessments wait longest, and what has shortened the wait?"],
        },
        &themes,
        &areas,
        Afterwards {
            outstanding: "north-northamptonshire",
            extended: "derbyshire",
            publish: false,
        },
    )
    .await?;

    // Coming: open for nominations, KLOEs drafted to go out a week before, not yet shared.
    let date = today + Duration::days(35);
    let plan = Plan {
        title: "Emotional wellbeing and mental health",
        theme: "SEMH",
        topic: "Support for children and young people with social, emotional and mental health \
                needs, in and out of school.",
        date,
        online: true,
        kloes: &["How quickly do children with SEMH needs get help, and from whom?"],
    };
    let details = details(&plan, &themes)?;
    let id = store
        .create_event(
            &details,
            &areas,
            &coordinator,
            at(today - Duration::days(7)),
        )
        .await?;
    store
        .move_event(
            id,
            EventState::Draft,
            EventState::Open,
            vec![],
            &coordinator,
            at(today - Duration::days(7)),
        )
        .await?;
    // Some areas have named people; Derby and others not yet.
    let named: Vec<AuthoritySlug> = areas
        .iter()
        .filter(|a| matches!(a.as_str(), "leicester" | "nottingham" | "lincolnshire"))
        .cloned()
        .collect();
    nominate_everyone(store, id, &named, &[], today).await?;
    store
        .save_event_kloes(
            id,
            &kloes(plan.kloes, &theme(plan.theme)?),
            date - Duration::days(7),
            vec![],
            &coordinator,
            at(today),
        )
        .await?;
    // A small pre-reading file, so the KLOE page lists one and the KLOE email will carry it.
    store
        .upload_event_document(
            id,
            &store::NewEventDocument {
                file_name: "SEMH pre-reading.pdf".into(),
                content_type: "application/pdf".into(),
                content: one_page_pdf(&[
                    "Emotional wellbeing and mental health: pre-reading",
                    "Please read before the event and bring your area's figures on:",
                    "- waiting times from referral to first support for SEMH needs;",
                    "- the support offered in school while children wait.",
                ]),
            },
            coordinator.user_id,
            at(today),
        )
        .await?;
    Ok(())
}

/// A one-page PDF of plain ASCII lines in Helvetica, with a correct cross-reference table so
/// strict readers open it: enough for the demo's pre-reading without a PDF library.
fn one_page_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 72 760 Td 16 TL\n");
    for line in lines {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        text.push_str(&format!("({escaped}) Tj T*\n"));
    }
    text.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (number, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", number + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::one_page_pdf;

    #[test]
    fn the_demo_pre_reading_is_a_pdf_whose_cross_references_point_at_its_objects() {
        let pdf = String::from_utf8(one_page_pdf(&["A line (with brackets)"])).expect("ascii");
        assert!(pdf.starts_with("%PDF-1.4\n") && pdf.ends_with("%%EOF\n"));
        let start: usize = pdf
            .rsplit("startxref\n")
            .next()
            .and_then(|tail| tail.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        assert!(pdf[start..].starts_with("xref\n0 6\n"));
        for (number, line) in pdf[start..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().expect("offset");
            assert!(
                pdf[offset..].starts_with(&format!("{} 0 obj", number + 1)),
                "object {}",
                number + 1
            );
        }
        assert!(pdf.contains("(A line \\(with brackets\\)) Tj"));
    }
}
