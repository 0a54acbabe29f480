//! Thematic events as use cases: the co-ordinator creates, changes and moves an event and
//! reminds areas that have named nobody; an area's LA lead names and withdraws officers; the
//! daily job reminds nominees a week and a day before. Each authorises through the policy,
//! checks, and writes the change with its emails in one store transaction.

use chrono::{DateTime, NaiveDate, Utc};
use domain::events::{EventAnswers, EventReminder, EventState, NominationAnswers};
use domain::ids::NominationId;
use domain::policy::{Action, authorise};
use domain::{AuthoritySlug, Principal, ProgrammeActivityId, ThemeCode};
use store::{Store, StoreError, ThematicEvent};

use crate::event_emails;
use crate::journey::{Refused, Scheme};

/// The theme codes an event may be about.
async fn theme_codes(store: &Store) -> Result<Vec<ThemeCode>, Refused> {
    Ok(store.themes().await?.into_iter().map(|t| t.code).collect())
}

/// Every area that takes part: the region's current authorities.
async fn region_areas(store: &Store, today: NaiveDate) -> Result<Vec<AuthoritySlug>, Refused> {
    let authorities = store.authorities().await?;
    let region = authorities
        .iter()
        .find(|a| a.is_current(today))
        .map(|a| a.region.clone())
        .ok_or_else(|| Refused::Rule("There are no local authorities to invite".into()))?;
    Ok(authorities
        .into_iter()
        .filter(|a| a.is_current(today) && a.region == region)
        .map(|a| a.slug)
        .collect())
}

/// A new event, a draft, for every area of the region.
pub async fn create_event(
    scheme: Scheme<'_>,
    principal: &Principal,
    answers: &EventAnswers,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ProgrammeActivityId, Refused> {
    authorise(Some(principal), &Action::ManageEvents)?;
    let themes = theme_codes(scheme.store).await?;
    let details = answers
        .check(&themes, Some(today))
        .map_err(Refused::Invalid)?;
    let areas = region_areas(scheme.store, today).await?;
    Ok(scheme
        .store
        .create_event(&details, &areas, principal, now)
        .await?)
}

/// Change an event's details (a draft or open event only). A date moved into the past is
/// refused, as for a new event; an unchanged date is not checked again.
pub async fn update_event(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    answers: &EventAnswers,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(Some(principal), &Action::ManageEvents)?;
    let themes = theme_codes(scheme.store).await?;
    let unchanged = answers.date.trim() == event.details.answers().date;
    let details = answers
        .check(&themes, (!unchanged).then_some(today))
        .map_err(Refused::Invalid)?;
    Ok(scheme
        .store
        .update_event(event.id, event.state, &details, principal, now)
        .await?)
}

/// Move an event on (or cancel it). Opening it asks every area's LA leads for names;
/// cancelling tells every nominee.
pub async fn move_event(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    to: EventState,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(Some(principal), &Action::ManageEvents)?;
    if !event.state.may_move_to(to) {
        return Err(Refused::Rule(format!(
            "An event that is {} cannot be moved to {}",
            event.state.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    if to == EventState::KloesShared {
        // Sharing the KLOEs is this move: never before the date set for them.
        return share_kloes_now(scheme, principal, event, domain::clock::uk_date(now), now).await;
    }
    let emails = match to {
        EventState::Open => {
            let staff = scheme.store.staff().await?;
            event_emails::ask_for_nominations(scheme.settings, &staff, event, &event.areas, false)
        }
        EventState::Cancelled => {
            let nominations = scheme.store.nominations(event.id).await?;
            event_emails::cancelled(event, &nominations)
        }
        _ => Vec::new(),
    };
    Ok(scheme
        .store
        .move_event(event.id, event.state, to, emails, principal, now)
        .await?)
}

/// Name an officer for `area`; they are sent their confirmation with the invitation.
pub async fn nominate(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    area: &AuthoritySlug,
    answers: &NominationAnswers,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<NominationId, Refused> {
    authorise(Some(principal), &Action::NominateForEvent(area.clone()))?;
    let nominee = answers.check().map_err(Refused::Invalid)?;
    let area_name = scheme
        .store
        .authority(area)
        .await?
        .map_or_else(|| area.to_string(), |a| a.name);
    let nomination = store::Nomination {
        id: NominationId::new(),
        event: event.id,
        area: area.clone(),
        nominee: nominee.clone(),
        attended: None,
    };
    let confirmation =
        event_emails::confirmation(scheme.settings, event, &area_name, &nomination, now);
    scheme
        .store
        .nominate(
            event.id,
            area,
            &nominee,
            confirmation,
            today,
            principal,
            now,
        )
        .await
        .map_err(|error| match error {
            // The rule's own words: what to do about it is plain.
            StoreError::Conflict(why) => Refused::Rule(capitalised(why)),
            other => other.into(),
        })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Take back a nomination the area made, while nominations are open.
pub async fn withdraw(
    scheme: Scheme<'_>,
    principal: &Principal,
    nomination: &store::Nomination,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(
        Some(principal),
        &Action::NominateForEvent(nomination.area.clone()),
    )?;
    scheme
        .store
        .withdraw_nomination(nomination.id, today, principal, now)
        .await
        .map_err(|error| match error {
            StoreError::Conflict(why) => Refused::Rule(capitalised(why)),
            other => other.into(),
        })
}

/// The areas that have named nobody yet.
pub async fn areas_without_nominees(
    store: &Store,
    event: &ThematicEvent,
) -> Result<Vec<AuthoritySlug>, StoreError> {
    let nominations = store.nominations(event.id).await?;
    Ok(event
        .areas
        .iter()
        .filter(|area| !nominations.iter().any(|n| &n.area == *area))
        .cloned()
        .collect())
}

/// Remind the LA leads of every area that has named nobody; how many emails went.
pub async fn remind_areas(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    now: DateTime<Utc>,
) -> Result<usize, Refused> {
    authorise(Some(principal), &Action::ManageEvents)?;
    if !event.state.takes_nominations() {
        return Err(Refused::Rule(
            "This event is not taking nominations, so there is nobody to remind".into(),
        ));
    }
    let missing = areas_without_nominees(scheme.store, event).await?;
    let staff = scheme.store.staff().await?;
    let emails = event_emails::ask_for_nominations(scheme.settings, &staff, event, &missing, true);
    let count = emails.len();
    scheme
        .store
        .send_event_emails(
            event.id,
            "event.areas_reminded",
            emails,
            Some(principal),
            now,
        )
        .await?;
    Ok(count)
}

/// Remind every nominee of a coming event a week and a day before, each once; how many went.
/// Run by the daily next-steps job.
pub async fn send_event_reminders(store: &Store, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let today = domain::clock::uk_date(now);
    let mut sent = 0;
    for event in store.events().await? {
        if !matches!(event.state, EventState::Open | EventState::KloesShared) {
            continue;
        }
        let Some(which) = EventReminder::due(event.details.date, today) else {
            continue;
        };
        for nomination in store.nominations(event.id).await? {
            let email = event_emails::reminder(&event, &nomination, which);
            if store
                .send_event_reminder_once(nomination.id, which, email, now)
                .await?
            {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Save the event's KLOEs and the date they go out. Once shared, a change is a new version,
/// sent to every nominee at once; the old version is kept.
pub async fn save_kloes(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    answers: &domain::challenge::KloeAnswers,
    share_on: &str,
    now: DateTime<Utc>,
) -> Result<store::KloesSaved, Refused> {
    authorise(Some(principal), &Action::ManageEvents)?;
    let themes = theme_codes(scheme.store).await?;
    let (kloes, share_on) =
        domain::events::check_kloes(answers, share_on, event.details.date, &themes)
            .map_err(Refused::Invalid)?;
    let versions = scheme.store.event_kloes(event.id).await?;
    let next = versions.first().map_or(1, |v| v.version + 1);
    let nominations = scheme.store.nominations(event.id).await?;
    let pre_reading = scheme.store.event_document_attachments(event.id).await?;
    let resent = event_emails::kloes(event, &nominations, &kloes, next, &pre_reading);
    Ok(scheme
        .store
        .save_event_kloes(event.id, &kloes, share_on, resent, principal, now)
        .await?)
}

/// The co-ordinator shares the KLOE draft now: refused before its date or with no draft.
async fn share_kloes_now(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    let versions = scheme.store.event_kloes(event.id).await?;
    let Some(draft) = versions.first().filter(|v| v.shared_at.is_none()) else {
        return Err(Refused::Rule(
            "Write the KLOEs before sharing them with the nominees".into(),
        ));
    };
    if draft.share_on > today {
        return Err(Refused::Rule(format!(
            "The KLOEs are to be shared on {}, not before",
            crate::dates::date(draft.share_on)
        )));
    }
    if event.state != EventState::Open {
        return Err(Refused::Rule(
            "Only an event open for nominations moves on by sharing its KLOEs".into(),
        ));
    }
    let nominations = scheme.store.nominations(event.id).await?;
    let pre_reading = scheme.store.event_document_attachments(event.id).await?;
    let emails = event_emails::kloes(
        event,
        &nominations,
        &draft.kloes,
        draft.version,
        &pre_reading,
    );
    scheme
        .store
        .share_event_kloes(event.id, emails, today, Some(principal), now)
        .await?;
    Ok(())
}

/// Share every event's KLOE draft whose date has come (the daily job); how many events.
pub async fn share_due_kloes(store: &Store, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let today = domain::clock::uk_date(now);
    let mut shared = 0;
    for event in store.events().await? {
        if event.state != EventState::Open {
            continue;
        }
        let versions = store.event_kloes(event.id).await?;
        let Some(draft) = versions
            .first()
            .filter(|v| v.shared_at.is_none() && v.share_on <= today)
        else {
            continue;
        };
        let nominations = store.nominations(event.id).await?;
        let pre_reading = store.event_document_attachments(event.id).await?;
        let emails = event_emails::kloes(
            &event,
            &nominations,
            &draft.kloes,
            draft.version,
            &pre_reading,
        );
        if store
            .share_event_kloes(event.id, emails, today, None, now)
            .await?
        {
            shared += 1;
        }
    }
    Ok(shared)
}

/// Record who came, by nomination id as posted; ids not of this event are ignored.
pub async fn record_attendance(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    attended: &[String],
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(Some(principal), &Action::ManageEvents)?;
    let ids: Vec<NominationId> = attended.iter().filter_map(|id| id.parse().ok()).collect();
    Ok(scheme
        .store
        .record_attendance(event.id, &ids, principal, now)
        .await?)
}

/// The breakout groups as the CSV a video tool imports (group name, email): those who came,
/// or before attendance is recorded everyone named, deputies aside.
pub async fn breakout_csv(store: &Store, event: &ThematicEvent) -> Result<Vec<u8>, StoreError> {
    let nominations = store.nominations(event.id).await?;
    let recorded = nominations.iter().any(|n| n.attended.is_some());
    let people: Vec<(&str, &str)> = nominations
        .iter()
        .filter(|n| {
            if recorded {
                n.attended == Some(true)
            } else {
                !n.nominee.deputy
            }
        })
        .map(|n| (n.area.as_str(), n.nominee.email.as_str()))
        .collect();
    // Zoom's pre-assigned rooms file; Teams and others read the same two columns.
    let mut table = documents::csv::CsvTable::new(&["Pre-assign Room Name", "Email Address"]);
    for (group, email) in domain::events::breakout_groups(&people) {
        table.push_row([group.as_str(), email]);
    }
    Ok(table.into_bytes())
}

/// An event's returns: how many areas have submitted their next steps, of how many owe them.
pub async fn returns_tally(
    store: &Store,
    event: &ThematicEvent,
) -> Result<(usize, usize), StoreError> {
    let owed: Vec<_> = store
        .returns(&store::ReturnFilter {
            area: None,
            programme: Some(domain::Programme::Thematic),
        })
        .await?
        .into_iter()
        .filter(|r| r.activity.id == event.id)
        .collect();
    let received = owed.iter().filter(|r| r.submitted.is_some()).count();
    Ok((received, owed.len()))
}

/// The overview's first draft, from the returns as they stand: how many areas have returned,
/// the themes their next steps answer across areas, each area's next steps, and who has not
/// returned. The co-ordinator edits it before publishing.
pub async fn draft_overview(store: &Store, event: &ThematicEvent) -> Result<String, StoreError> {
    let names = store.authority_names().await?;
    let name = |area: &AuthoritySlug| names.get(area).cloned().unwrap_or_else(|| area.to_string());
    let labels: std::collections::BTreeMap<ThemeCode, String> =
        store.theme_labels().await?.into_iter().collect();
    let owed: Vec<_> = store
        .returns(&store::ReturnFilter {
            area: None,
            programme: Some(domain::Programme::Thematic),
        })
        .await?
        .into_iter()
        .filter(|r| r.activity.id == event.id)
        .collect();
    let steps: Vec<_> = store
        .next_steps(&store::NextStepFilter {
            area: None,
            programme: Some(domain::Programme::Thematic),
        })
        .await?
        .into_iter()
        .filter(|s| s.activity.id == event.id)
        .collect();
    let returned: Vec<_> = owed.iter().filter(|r| r.submitted.is_some()).collect();
    let mut text = format!(
        "{} of {} areas have returned their next steps after the event on {}.\n",
        returned.len(),
        owed.len(),
        crate::dates::date(event.details.date)
    );
    let mut themes: std::collections::BTreeMap<
        &ThemeCode,
        (usize, std::collections::BTreeSet<&AuthoritySlug>),
    > = std::collections::BTreeMap::new();
    for step in &steps {
        let entry = themes.entry(&step.entry.theme).or_default();
        entry.0 += 1;
        entry.1.insert(&step.authority);
    }
    if !themes.is_empty() {
        text.push_str("\nEmerging themes across areas:\n");
        let mut ranked: Vec<_> = themes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.1.len().cmp(&a.1.1.len()).then(a.0.cmp(b.0)));
        for (code, (count, areas)) in ranked {
            text.push_str(&format!(
                "- {}: {count} next step(s) from {} area(s)\n",
                labels
                    .get(code)
                    .cloned()
                    .unwrap_or_else(|| code.to_string()),
                areas.len()
            ));
        }
    }
    if !steps.is_empty() {
        text.push_str("\nEach area's next steps:\n");
        for returned in &returned {
            for step in steps.iter().filter(|s| s.authority == returned.area) {
                text.push_str(&format!(
                    "- {}: {} (owner {}, due {})\n",
                    name(&returned.area),
                    step.entry.action,
                    step.entry.owner,
                    crate::dates::date(step.entry.due)
                ));
            }
        }
    }
    let missing: Vec<String> = owed
        .iter()
        .filter(|r| r.submitted.is_none())
        .map(|r| name(&r.area))
        .collect();
    if !missing.is_empty() {
        text.push_str(&format!("\nNot yet returned: {}.\n", missing.join(", ")));
    }
    Ok(text)
}

/// Save the co-ordinator's overview (at most a narrative's length, nothing identifying a child).
pub async fn save_overview(
    scheme: Scheme<'_>,
    principal: &Principal,
    event: &ThematicEvent,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(Some(principal), &Action::ManageEvents)?;
    let text = domain::MultiLine::required(
        "The overview",
        "the overview",
        text,
        domain::limits::NARRATIVE,
    )
    .map_err(|problem| {
        Refused::Invalid(vec![domain::forms::FieldProblem::new(
            "overview",
            problem.to_string(),
        )])
    })?;
    domain::personal_data::check_free_text("overview", text.as_str())
        .map_err(|problem| Refused::Invalid(vec![problem]))?;
    Ok(scheme
        .store
        .save_event_overview(event.id, text.as_str(), principal, now)
        .await?)
}
