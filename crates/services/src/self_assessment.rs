//! The annual self-assessment's use cases: publishing a cycle's triads to the areas, with an
//! email to each area's LA leads naming their triad, written to the outbox in the same
//! transaction. The wording is here, under insta snapshots.

use chrono::{DateTime, Utc};
use domain::self_assessment::cycle_title;
use domain::{Action, AuthoritySlug, Principal, Role, authorise};
use store::{AnnualCycle, NewEmail, StaffMember};

use crate::Settings;
use crate::journey::{Refused, Scheme};

/// The email to each LA lead of each area in `cycle`, naming the areas of their triad.
pub fn triads_published_emails(
    settings: &Settings,
    staff: &[StaffMember],
    cycle: &AnnualCycle,
    name: &dyn Fn(&AuthoritySlug) -> String,
) -> Vec<NewEmail> {
    let title = cycle_title(cycle.year);
    let link = settings.link(&format!("/self-assessment/{}", cycle.year));
    let t = cycle.timetable;
    let mut emails = Vec::new();
    for (number, triad) in cycle.triads.iter().enumerate() {
        for area in triad {
            let partners: Vec<String> = triad.iter().filter(|a| *a != area).map(name).collect();
            for lead in staff.iter().filter(|person| {
                person
                    .grants
                    .iter()
                    .any(|g| g.role() == Role::LaLead && g.authority() == Some(area))
            }) {
                emails.push(NewEmail {
                    to: lead.email.clone(),
                    subject: format!("{title}: {}'s triad", name(area)),
                    body_text: format!(
                        "Dear {},\n\n\
                         The triads for the {} are published. {} is in triad {} with {}.\n\n\
                         Your self-assessment is written between {} and {}; the triad meets \
                         between {} and {}; development plans are due by {}.\n\n\
                         See the cycle and its triads at:\n{link}\n",
                        lead.name,
                        title.to_lowercase(),
                        name(area),
                        number + 1,
                        partners.join(" and "),
                        crate::dates::date(t.self_assessment_opens),
                        crate::dates::date(t.self_assessment_due),
                        crate::dates::date(t.conversations_from),
                        crate::dates::date(t.conversations_to),
                        crate::dates::date(t.plans_due),
                    ),
                    attachments: Vec::new(),
                });
            }
        }
    }
    emails
}

/// Publish `cycle`'s triads, once, telling each area's LA leads their triad.
pub async fn publish_triads(
    scheme: Scheme<'_>,
    principal: &Principal,
    cycle: &AnnualCycle,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(Some(principal), &Action::ManageAnnualCycle)?;
    let staff = scheme.store.staff().await?;
    let authorities = scheme.store.authorities().await?;
    let name = |slug: &AuthoritySlug| {
        authorities
            .iter()
            .find(|a| &a.slug == slug)
            .map_or_else(|| slug.to_string(), |a| a.name.clone())
    };
    let emails = triads_published_emails(scheme.settings, &staff, cycle, &name);
    scheme
        .store
        .publish_triads(cycle.id, principal, emails, now)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::self_assessment::{CycleTimetable, propose_triads};
    use domain::{EmailAddress, ProgrammeActivityId, RoleGrant, UserId};

    use super::*;

    #[test]
    fn each_lead_hears_their_triad() {
        let slug = |s: &str| AuthoritySlug::parse(s).expect("slug");
        let areas: Vec<AuthoritySlug> = [
            "derby",
            "leicester",
            "rutland",
            "lincolnshire",
            "nottingham",
            "nottinghamshire",
        ]
        .map(slug)
        .to_vec();
        let cycle = AnnualCycle {
            id: ProgrammeActivityId::new(),
            region: "east-midlands".into(),
            year: 2026,
            timetable: CycleTimetable::usual(2026).expect("timetable"),
            triads: propose_triads(&areas, &[]),
            areas,
            published_at: None,
        };
        let lead = StaffMember {
            id: UserId::new(),
            name: "Derby SEND lead".into(),
            email: EmailAddress::parse("lead.derby@example.org").expect("email"),
            grants: vec![RoleGrant::new(Role::LaLead, Some(slug("derby"))).expect("grant")],
            has_password: true,
            created_at: Utc::now(),
        };
        let settings = Settings::default();
        let name = |a: &AuthoritySlug| {
            let s = a.to_string();
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        };
        let emails = triads_published_emails(&settings, &[lead], &cycle, &name);
        assert_eq!(emails.len(), 1, "only areas with a lead hear");
        insta::assert_snapshot!(
            "triads_published",
            format!(
                "To: {}\nSubject: {}\n\n{}",
                emails[0].to.as_str(),
                emails[0].subject,
                emails[0].body_text
            )
        );
    }
}
