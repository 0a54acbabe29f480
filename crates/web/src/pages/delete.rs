//! The confirmation page before something is deleted, for the lists that let their owner take
//! things out (a visit's timetable, cases and pre-reading; an event's pre-reading): the list
//! links here, the button posts `confirm=yes`, and a post without it comes back here, so
//! nothing is deleted by a stray or repeated request.

use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::pages::Chrome;

/// "Are you sure…?", with what is about to go and a warning that it cannot be undone.
#[derive(Template, WebTemplate)]
#[template(path = "pages/delete.html")]
pub struct DeletePage {
    pub chrome: Chrome,
    pub caption: String,
    pub heading: String,
    /// What is about to go, as (label, value) rows.
    pub details: Vec<(String, String)>,
    pub warning: &'static str,
    /// Where the button posts.
    pub action: String,
    /// The list: the back link and "Cancel".
    pub back: String,
    pub button: &'static str,
}

/// The delete button's form.
#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

impl DeleteForm {
    /// Whether the post came from the confirmation page's button.
    pub fn confirmed(&self) -> bool {
        self.confirm == "yes"
    }
}
