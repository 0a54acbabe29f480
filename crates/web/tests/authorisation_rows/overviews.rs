//! The overview downloads of thematic events and biennial cycles. Before the overview is
//! published (`{event}` open for nominations, `{cycle}` planning) only the scheme's staff
//! download it, as a preview; once published (`{published_event}`, `{published_cycle}` with
//! Derby taking part) the board and the lead of Derby read it too; a published cycle Derby
//! took no part in (`{cycle_without_derby}`) stays closed to Derby's lead. Reviewers never.
//! The board's list of events and cycles is for those who monitor the region.

use super::*;

const PUBLISHED: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const NOT_DERBYS: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK];

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET, "/events/{id}/overview.docx",   "/events/{event}/overview.docx",             SCHEME_ONLY),
        row(Method::GET, "/events/{id}/overview.pptx",   "/events/{event}/overview.pptx",             SCHEME_ONLY),
        row(Method::GET, "/events/{id}/overview.docx",   "/events/{published_event}/overview.docx",   PUBLISHED),
        row(Method::GET, "/events/{id}/overview.pptx",   "/events/{published_event}/overview.pptx",   PUBLISHED),
        row(Method::GET, "/biennial/{id}/overview.docx", "/biennial/{cycle}/overview.docx",           SCHEME_ONLY),
        row(Method::GET, "/biennial/{id}/overview.pptx", "/biennial/{cycle}/overview.pptx",           SCHEME_ONLY),
        row(Method::GET, "/biennial/{id}/overview.docx", "/biennial/{published_cycle}/overview.docx", PUBLISHED),
        row(Method::GET, "/biennial/{id}/overview.pptx", "/biennial/{published_cycle}/overview.pptx", PUBLISHED),
        row(Method::GET, "/biennial/{id}/overview.docx", "/biennial/{cycle_without_derby}/overview.docx", NOT_DERBYS),
        row(Method::GET, "/biennial/{id}/overview.pptx", "/biennial/{cycle_without_derby}/overview.pptx", NOT_DERBYS),
        // The board's list of events and cycles: those who monitor the region.
        row(Method::GET, "/progress/programmes",         "/progress/programmes",                      [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK]),
    ]
}

/// The published event and cycles the rows name.
pub async fn fixtures(app: &TestApp) -> Vec<(&'static str, String)> {
    use support::overview_fixture::{derby_cycle, published_cycle, published_event};
    vec![
        (
            "{published_event}",
            published_event(&app.store, "Preparation for adulthood", "Themes emerged.")
                .await
                .to_string(),
        ),
        (
            "{published_cycle}",
            derby_cycle(&app.store).await.to_string(),
        ),
        (
            "{cycle_without_derby}",
            published_cycle(
                &app.store,
                2032,
                &["leicester", "nottingham", "rutland"],
                &[
                    ("leicester", "nottingham"),
                    ("nottingham", "rutland"),
                    ("rutland", "leicester"),
                ],
            )
            .await
            .to_string(),
        ),
    ]
}
