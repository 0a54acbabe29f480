//! The emails about an account itself: a password reset link, and a staff invitation to set
//! one up. The store writes them to the outbox with the token it made, in the transaction
//! that made it; the wording lives here, under snapshot tests.

use domain::EmailAddress;
use store::NewEmail;

use crate::settings::Settings;

/// A link to choose a new password, valid for the 2 hours the store gives the token.
pub fn password_reset(settings: &Settings, to: EmailAddress, token: &str) -> NewEmail {
    NewEmail::text(
        to,
        "Reset your Peer Challenge password",
        format!(
            "Someone asked to reset the password for this email address on Peer Challenge.\n\n\
             To choose a new password, open this link within 2 hours:\n\n{}\n\n\
             If you did not ask for this, you can ignore this email: your password has not changed.\n",
            settings.link(&format!("/reset-password/{token}"))
        ),
    )
}

/// Who is invited to set up a staff account, and by whom.
#[derive(Clone, Copy, Debug)]
pub struct StaffInvitation<'a> {
    pub invitee: &'a str,
    pub inviter: &'a str,
}

/// A link to set a first password, valid for the 14 days the store gives the token.
pub fn staff_invitation(
    settings: &Settings,
    to: EmailAddress,
    invitation: StaffInvitation<'_>,
    token: &str,
) -> NewEmail {
    NewEmail::text(
        to,
        "You have been invited to Peer Challenge",
        format!(
            "Dear {},\n\n{} has invited you to Peer Challenge, the service for the East Midlands SEND peer challenge scheme.\n\n\
             To set up your account, choose a password here within 14 days:\n\n{}\n\n\
             If you were not expecting this, you can ignore this email.\n",
            invitation.invitee,
            invitation.inviter,
            settings.link(&format!("/set-password/{token}"))
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::example_settings;

    fn text(email: &NewEmail) -> String {
        format!(
            "To: {}\nSubject: {}\n\n{}",
            email.to, email.subject, email.body_text
        )
    }

    fn to() -> EmailAddress {
        EmailAddress::parse("sam@example.org").expect("email")
    }

    #[test]
    fn a_reset_links_to_its_token() {
        let email = password_reset(&example_settings(), to(), "reset-token");
        assert!(
            email
                .body_text
                .contains("https://peer-challenge.example/reset-password/reset-token")
        );
        insta::assert_snapshot!("password_reset", text(&email));
    }

    #[test]
    fn an_invitation_names_who_invited_and_links_to_its_token() {
        let invitation = StaffInvitation {
            invitee: "Sam Officer",
            inviter: "Cole Ordinator",
        };
        let email = staff_invitation(&example_settings(), to(), invitation, "invite-token");
        assert!(email.body_text.contains("Cole Ordinator has invited you"));
        assert!(
            email
                .body_text
                .contains("https://peer-challenge.example/set-password/invite-token")
        );
        insta::assert_snapshot!("staff_invitation", text(&email));
    }
}
