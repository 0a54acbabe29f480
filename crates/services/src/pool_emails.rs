//! The emails of joining the pool of reviewers: the application received (and, for someone
//! under 18, the parent or carer asked for consent), approved, questioned and declined. The
//! store writes them to the outbox in the transaction of the step, with any token it made;
//! the wording lives here, under snapshot tests.

use domain::EmailAddress;
use store::NewEmail;

use crate::settings::Settings;

/// An application just sent, as its emails need it.
#[derive(Clone, Copy, Debug)]
pub struct Received<'a> {
    pub name: &'a str,
    pub email: &'a EmailAddress,
    /// The parent or carer of an applicant under 18.
    pub guardian_email: Option<&'a EmailAddress>,
    pub reference: &'a str,
    /// An open application from the same email was updated rather than a new one made.
    pub updated_existing: bool,
    /// The secret of the parent or carer's consent link, when consent is needed.
    pub consent_token: Option<&'a str>,
}

/// The applicant's acknowledgement, and the consent request when one is needed.
pub fn application_received(settings: &Settings, received: Received<'_>) -> Vec<NewEmail> {
    let contact = &settings.contact;
    let opening = if received.updated_existing {
        "We have updated your application to join the East Midlands SEND peer challenge pool of reviewers."
    } else {
        "Thank you for applying to join the East Midlands SEND peer challenge pool of reviewers."
    };
    let next = if received.consent_token.is_some() {
        "Because you are under 18, we have emailed your parent or carer to ask for their consent. We will look at your application once they have given it."
    } else {
        "The project manager will look at your application and contact you, usually within 2 weeks."
    };
    let mut emails = vec![NewEmail::text(
        received.email.clone(),
        format!(
            "Your application to the SEND peer challenge pool: {}",
            received.reference
        ),
        format!(
            "Dear {},\n\n{opening}\n\nYour reference is {}.\n\n{next}\n\nIf you have a question, contact {} at {}.\n",
            received.name,
            received.reference,
            contact.project_manager_name,
            contact.project_manager_email
        ),
    )];
    if let (Some(guardian), Some(token)) = (received.guardian_email, received.consent_token) {
        emails.push(consent_request(settings, guardian, received.name, token));
    }
    emails
}

fn consent_request(
    settings: &Settings,
    guardian: &EmailAddress,
    name: &str,
    token: &str,
) -> NewEmail {
    let contact = &settings.contact;
    NewEmail::text(
        guardian.clone(),
        format!("Your consent for {name} to join the SEND peer challenge pool"),
        format!(
            "Hello,\n\n{name} has applied to join the East Midlands SEND peer challenge pool of reviewers as a young ambassador, and gave your email address as their parent or carer.\n\n\
             Young ambassadors help local areas see their services through the eyes of young people. Because {name} is under 18, we need your consent before they can take part.\n\n\
             To read about the scheme and give your consent, open this link:\n\n{}\n\n\
             If you do not know about this application, you can ignore this email and nothing will happen. To ask a question, contact {} at {}.\n",
            settings.link(&format!("/apply/consent/{token}")),
            contact.project_manager_name,
            contact.project_manager_email
        ),
    )
}

/// The applicant an email after the project manager's decision goes to.
#[derive(Clone, Copy, Debug)]
pub struct Applicant<'a> {
    pub name: &'a str,
    pub email: &'a EmailAddress,
    pub reference: &'a str,
}

/// Approved: a link to set up an account (`invitation` is its token), or to sign in with
/// the account they already have.
pub fn application_approved(
    settings: &Settings,
    applicant: Applicant<'_>,
    invitation: Option<&str>,
) -> NewEmail {
    let account = match invitation {
        Some(token) => format!(
            "To see your profile and the challenges you are asked to join, set up your account by choosing a password within 14 days:\n\n{}",
            settings.link(&format!("/set-password/{token}"))
        ),
        None => format!(
            "Sign in with your existing account to see your profile: {}",
            settings.link("/sign-in")
        ),
    };
    NewEmail::text(
        applicant.email.clone(),
        "Welcome to the SEND peer challenge pool of reviewers",
        format!(
            "Dear {},\n\nYour application ({}) has been approved: you are now a member of the East Midlands SEND peer challenge pool of reviewers.\n\n{account}\n\nThe project manager will contact you when a team needs you.\n",
            applicant.name, applicant.reference
        ),
    )
}

/// The project manager's question, with a link (`token`) to reopen the saved answers.
pub fn more_information_asked(
    settings: &Settings,
    applicant: Applicant<'_>,
    question: &str,
    token: &str,
) -> NewEmail {
    NewEmail::text(
        applicant.email.clone(),
        format!("A question about your application {}", applicant.reference),
        format!(
            "Dear {},\n\nThank you for applying to join the SEND peer challenge pool. Before we can decide, the project manager asks:\n\n{question}\n\n\
             Your answers are saved. To update your application and send it again, open this link:\n\n{}\n",
            applicant.name,
            settings.link(&format!("/apply/reopen/{token}"))
        ),
    )
}

/// Declined, with the reason and whom to ask.
pub fn application_declined(
    settings: &Settings,
    applicant: Applicant<'_>,
    reason: &str,
) -> NewEmail {
    let contact = &settings.contact;
    NewEmail::text(
        applicant.email.clone(),
        format!(
            "Your application {} to the SEND peer challenge pool",
            applicant.reference
        ),
        format!(
            "Dear {},\n\nThank you for applying to join the East Midlands SEND peer challenge pool. We are sorry, but we cannot accept your application:\n\n{reason}\n\n\
             If you have a question, contact {} at {}.\n",
            applicant.name, contact.project_manager_name, contact.project_manager_email
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::example_settings;

    fn text(emails: &[NewEmail]) -> String {
        emails
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

    fn address(raw: &str) -> EmailAddress {
        EmailAddress::parse(raw).expect("email")
    }

    fn applicant(email: &EmailAddress) -> Applicant<'_> {
        Applicant {
            name: "Alex Reviewer",
            email,
            reference: "PC-ABC234",
        }
    }

    #[test]
    fn an_adult_applicant_is_told_what_happens_next() {
        let email = address("alex@example.org");
        let received = Received {
            name: "Alex Reviewer",
            email: &email,
            guardian_email: None,
            reference: "PC-ABC234",
            updated_existing: false,
            consent_token: None,
        };
        let emails = application_received(&example_settings(), received);
        assert_eq!(emails.len(), 1);
        assert!(emails[0].body_text.contains("within 2 weeks"));
        insta::assert_snapshot!("application_received", text(&emails));
    }

    #[test]
    fn a_young_applicants_parent_is_asked_for_consent() {
        let (email, guardian) = (address("jo@example.org"), address("parent@example.org"));
        let received = Received {
            name: "Jo Ambassador",
            email: &email,
            guardian_email: Some(&guardian),
            reference: "PC-XYZ789",
            updated_existing: true,
            consent_token: Some("consent-token"),
        };
        let emails = application_received(&example_settings(), received);
        assert_eq!(emails.len(), 2);
        assert_eq!(emails[1].to, guardian);
        assert!(
            emails[1]
                .body_text
                .contains("https://peer-challenge.example/apply/consent/consent-token")
        );
        insta::assert_snapshot!("application_received_under_18", text(&emails));
    }

    #[test]
    fn decisions_name_the_reference() {
        let email = address("alex@example.org");
        let settings = example_settings();
        let emails = [
            application_approved(&settings, applicant(&email), Some("invite-token")),
            application_approved(&settings, applicant(&email), None),
            more_information_asked(
                &settings,
                applicant(&email),
                "Which areas can you travel to?",
                "reopen-token",
            ),
            application_declined(&settings, applicant(&email), "The pool is full."),
        ];
        for email in &emails {
            assert!(email.subject.contains("PC-ABC234") || email.body_text.contains("PC-ABC234"));
        }
        assert!(emails[0].body_text.contains("/set-password/invite-token"));
        assert!(emails[1].body_text.contains("/sign-in"));
        assert!(emails[2].body_text.contains("/apply/reopen/reopen-token"));
        insta::assert_snapshot!("application_decisions", text(&emails));
    }
}
