//! Reminders about next steps: an area's LA leads hear when an open action is due soon, when
//! it is overdue and when it has gone without an update, each once for what it is about (the
//! due date, or the day of the last update). The server sweeps daily; tests call
//! [`send_due_reminders`] directly. Emails go through the outbox like every other.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::programme::ReturnReminder;
use domain::{EmailAddress, Role};
use store::{NewEmail, PlannedAction, StaffMember, Store, StoreError};

use crate::settings::ReminderSettings;

/// What a sweep sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RemindersSent {
    pub due_soon: usize,
    pub overdue: usize,
    pub no_update: usize,
}

/// Why an action is worth a reminder today, and what makes this reminder the same one.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Reminder {
    DueSoon(NaiveDate),
    Overdue(NaiveDate),
    NoUpdate(NaiveDate),
}

impl Reminder {
    fn kind(&self) -> &'static str {
        match self {
            Self::DueSoon(_) => "due_soon",
            Self::Overdue(_) => "overdue",
            Self::NoUpdate(_) => "no_update",
        }
    }

    fn occasion(&self) -> String {
        match self {
            Self::DueSoon(day) | Self::Overdue(day) | Self::NoUpdate(day) => day.to_string(),
        }
    }

    fn subject(&self, action: &PlannedAction) -> String {
        let reference = &action.entry.reference;
        match self {
            Self::DueSoon(due) => {
                format!("Action {reference} is due on {}", crate::dates::date(*due))
            }
            Self::Overdue(due) => {
                format!("Action {reference} was due on {}", crate::dates::date(*due))
            }
            Self::NoUpdate(_) => format!("Action {reference} has had no update for a while"),
        }
    }
}

/// The reminders `action` is due today under `settings`.
fn reminders_for(
    action: &PlannedAction,
    settings: ReminderSettings,
    today: NaiveDate,
) -> Vec<Reminder> {
    let entry = &action.entry;
    if !entry.rag.is_open() {
        return Vec::new();
    }
    let mut due = Vec::new();
    let days_left = (entry.due - today).num_days();
    if settings.due_soon_days > 0 && (0..=i64::from(settings.due_soon_days)).contains(&days_left) {
        due.push(Reminder::DueSoon(entry.due));
    }
    if settings.overdue && days_left < 0 {
        due.push(Reminder::Overdue(entry.due));
    }
    let updated = action.updated_at.date_naive();
    if settings.no_update_days > 0
        && today - updated >= Duration::days(i64::from(settings.no_update_days))
    {
        due.push(Reminder::NoUpdate(updated));
    }
    due
}

fn leads_of<'a>(staff: &'a [StaffMember], action: &PlannedAction) -> Vec<&'a EmailAddress> {
    staff
        .iter()
        .filter(|person| {
            person.grants.iter().any(|grant| {
                grant.role() == Role::LaLead && grant.authority() == Some(&action.authority)
            })
        })
        .map(|person| &person.email)
        .collect()
}

fn body(action: &PlannedAction, reminder: &Reminder, base_url: &str) -> String {
    let entry = &action.entry;
    let why = match reminder {
        Reminder::DueSoon(_) => "is due soon".to_owned(),
        Reminder::Overdue(_) => "is past its due date and not yet complete".to_owned(),
        Reminder::NoUpdate(day) => {
            format!("has not been updated since {}", crate::dates::date(*day))
        }
    };
    format!(
        "Action {reference} in your area's next steps {why}.\n\n\
         Action: {text}\nOwner: {owner}\nDue: {due}\nStatus: {rag}\n\n\
         Please update its status and progress notes, so the regional board sees where it stands:\n\
         {base_url}{page}\n\n\
         Peer Challenge, the East Midlands SEND peer challenge scheme",
        reference = entry.reference,
        text = entry.action,
        owner = entry.owner,
        due = crate::dates::date(entry.due),
        rag = entry.rag.label(),
        // A challenge's plan is kept on its page; other programmes' next steps on the board's.
        page = match action.activity.challenge {
            Some(challenge) => format!("/challenges/{challenge}/actions"),
            None => format!("/progress/actions/{}", action.id),
        },
    )
}

/// Send every reminder due at `now` that has not been sent before.
pub async fn send_due_reminders(
    store: &Store,
    settings: ReminderSettings,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<RemindersSent, StoreError> {
    let today = now.date_naive();
    let staff = store.staff().await?;
    let mut sent = RemindersSent::default();
    for action in store.actions(None).await? {
        let leads = leads_of(&staff, &action);
        if leads.is_empty() {
            continue;
        }
        for reminder in reminders_for(&action, settings, today) {
            let emails = leads
                .iter()
                .map(|to| {
                    NewEmail::text(
                        (*to).clone(),
                        reminder.subject(&action),
                        body(&action, &reminder, base_url),
                    )
                })
                .collect();
            if store
                .send_reminder_once(
                    action.id,
                    reminder.kind(),
                    &reminder.occasion(),
                    emails,
                    now,
                )
                .await?
            {
                match reminder {
                    Reminder::DueSoon(_) => sent.due_soon += 1,
                    Reminder::Overdue(_) => sent.overdue += 1,
                    Reminder::NoUpdate(_) => sent.no_update += 1,
                }
            }
        }
    }
    Ok(sent)
}

/// Reminders about returns: whoever answers for an area's return (its owner, else the
/// area's LA leads) hears `due_soon_days` before its date, and once it is overdue, each once
/// per date, so an extension earns fresh ones. Run by the same daily job as the actions'.
pub async fn send_return_reminders(
    store: &Store,
    settings: ReminderSettings,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let today = now.date_naive();
    let staff = store.staff().await?;
    let mut sent = 0;
    for owed in store.returns(&store::ReturnFilter::default()).await? {
        let Some(reminder) =
            ReturnReminder::due(owed.standing(today), settings.due_soon_days, today)
        else {
            continue;
        };
        let to: Vec<&EmailAddress> = staff
            .iter()
            .filter(|person| match owed.owner {
                Some(owner) => person.id == owner,
                None => person.grants.iter().any(|grant| {
                    grant.role() == Role::LaLead && grant.authority() == Some(&owed.area)
                }),
            })
            .map(|person| &person.email)
            .collect();
        if to.is_empty() {
            continue;
        }
        let (subject, why) = match reminder {
            ReturnReminder::DueSoon(due) => (
                format!(
                    "Your area's {} is due on {}",
                    owed.kind.label().to_lowercase(),
                    crate::dates::date(due)
                ),
                format!("is due on {}", crate::dates::date(due)),
            ),
            ReturnReminder::Overdue(due) => (
                format!(
                    "Your area's {} was due on {}",
                    owed.kind.label().to_lowercase(),
                    crate::dates::date(due)
                ),
                format!(
                    "was due on {} and has not been submitted",
                    crate::dates::date(due)
                ),
            ),
        };
        let body = format!(
            "Your area's {kind} for {activity} {why}.\n\n\
             Please complete and submit it, or ask the regional SEND co-ordinator for an extension:\n\
             {base_url}/returns/{id}\n\n\
             Peer Challenge, the East Midlands SEND peer challenge scheme",
            kind = owed.kind.label().to_lowercase(),
            activity = owed.activity.title,
            id = owed.id,
        );
        let emails = to
            .into_iter()
            .map(|address| NewEmail::text(address.clone(), subject.clone(), body.clone()))
            .collect();
        if store
            .send_return_reminder_once(owed.id, reminder.kind(), &reminder.occasion(), emails, now)
            .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::next_steps::{ActionEntry, Rag};
    use domain::{ActionId, AuthoritySlug, ChallengeId, ThemeCode};

    fn day(month: u32, date: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, month, date).unwrap_or_default()
    }

    fn action(rag: Rag, due: NaiveDate, updated: NaiveDate) -> PlannedAction {
        PlannedAction {
            id: ActionId::new(),
            activity: {
                let challenge = ChallengeId::new();
                domain::programme::ActivityRef {
                    id: challenge.into(),
                    programme: domain::Programme::Challenge,
                    title: "PC-2027-001".into(),
                    challenge: Some(challenge),
                }
            },
            authority: AuthoritySlug::parse("derby").unwrap_or_else(|_| unreachable!()),
            entry: ActionEntry {
                reference: "DER-1".into(),
                answers: String::new(),
                theme: ThemeCode::parse("EHCP_QUALITY").unwrap_or_else(|| unreachable!()),
                action: "Agree a timetable".into(),
                owner: "Head of SEND".into(),
                partners: String::new(),
                start: day(1, 1),
                due,
                milestones: String::new(),
                baseline: String::new(),
                target: String::new(),
                rag,
                progress: Vec::new(),
                impact: String::new(),
            },
            updated_at: updated.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc(),
        }
    }

    #[test]
    fn an_open_action_is_reminded_before_its_due_date_after_it_and_when_left_alone() {
        let settings = ReminderSettings::default();
        let today = day(6, 20);
        assert_eq!(
            reminders_for(&action(Rag::Amber, day(6, 30), day(6, 1)), settings, today),
            [Reminder::DueSoon(day(6, 30))]
        );
        assert_eq!(
            reminders_for(&action(Rag::Red, day(6, 19), day(4, 1)), settings, today),
            [Reminder::Overdue(day(6, 19)), Reminder::NoUpdate(day(4, 1))]
        );
        assert!(
            reminders_for(&action(Rag::Green, day(9, 1), day(6, 1)), settings, today).is_empty()
        );
        assert!(
            reminders_for(
                &action(Rag::Complete, day(6, 1), day(1, 1)),
                settings,
                today
            )
            .is_empty()
        );
        let quiet = ReminderSettings {
            due_soon_days: 0,
            overdue: false,
            no_update_days: 0,
        };
        assert!(reminders_for(&action(Rag::Red, day(6, 19), day(1, 1)), quiet, today).is_empty());
    }
}
