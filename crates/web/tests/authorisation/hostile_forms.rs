//! Hostile forms through the real router: every POST route, as the co-ordinator (who may do
//! the most) and as an LA lead, receives form bodies made of the service's own field names
//! with hostile values (huge, control characters, invalid UTF-8 once decoded, numbers out of
//! range, repeated fields). Whatever is refused is refused with a page: no answer is a
//! server error, so no parser or check behind a form panics or trips the database.

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request};

use super::support::{TestApp, Who};
use super::{Fixtures, table};

/// Bodies of mixed fields and values sent to each route by each account, after the bodies
/// that give every field one of the hostile values.
const MIXED_BODIES_PER_ROUTE: usize = 2;

/// Names the service's forms use, so the values reach the parsers behind them.
const FIELDS: [&str; 81] = [
    "title",
    "note",
    "notes",
    "text",
    "kloe",
    "kind",
    "save",
    "to",
    "reason",
    "format",
    "reference",
    "answers",
    "theme",
    "action",
    "owner",
    "partners",
    "start-day",
    "start-month",
    "start-year",
    "due-day",
    "due-month",
    "due-year",
    "date-day",
    "date-month",
    "date-year",
    "milestones",
    "baseline",
    "target",
    "rag",
    "progress",
    "impact",
    "email",
    "name",
    "full_name",
    "phone",
    "question",
    "focus",
    "starts",
    "ends",
    "day",
    "place",
    "venue",
    "capacity",
    "member",
    "seat",
    "status",
    "comment",
    "case_reference",
    "month",
    "outcome",
    "report_url",
    "address",
    "contact",
    "facilitator",
    "joining_link",
    "nominations_close",
    "opt_out_reason",
    "overview",
    "publication",
    "release",
    "returns_due",
    "role",
    "seed",
    "share_on",
    "signed_on",
    "summary",
    "swap_reason",
    "topic",
    "what",
    "who",
    "year",
    "area",
    "deputy",
    "accessibility",
    "priorities",
    "attended",
    "section",
    "with",
    "held_on",
    "agreed",
    "attended-derby",
];

/// Values that have broken parsers elsewhere.
const VALUES: [&str; 16] = [
    "",
    "0",
    "-1",
    "99999999999999999999999",
    "31",
    "2027",
    "%FF%FE",
    "%00",
    "a%E1%8E%80",
    "%0D%0Anew%20line",
    "%E2%80%AE%E2%80%8B",
    "00000000-0000-0000-0000-000000000000",
    "record",
    "next_steps",
    "NOT-2027-01",
    "EHCP_QUALITY",
];

/// A small deterministic generator: the same bodies on every run, so a failure reproduces.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % below as u64).expect("fits")
    }

    /// Every field with the same value, so each value reaches every parser a form has.
    fn uniform(token: &str, value: &str) -> String {
        let mut pairs = vec![format!("csrf_token={token}")];
        pairs.extend(FIELDS.iter().map(|field| format!("{field}={value}")));
        pairs.join("&")
    }

    /// Random fields, some repeated, with random and sometimes huge values (already
    /// url-encoded: hostile bytes are sent as their escapes).
    fn mixed(&mut self, token: &str) -> String {
        let mut pairs = vec![format!("csrf_token={token}")];
        for _ in 0..(1 + self.roll(12)) {
            let field = FIELDS[self.roll(FIELDS.len())];
            let value = match self.roll(5) {
                0 => "x".repeat(1 + self.roll(200_000)),
                1 => format!(
                    "{}{}",
                    VALUES[self.roll(VALUES.len())],
                    VALUES[self.roll(VALUES.len())]
                ),
                _ => VALUES[self.roll(VALUES.len())].to_owned(),
            };
            pairs.push(format!("{field}={value}"));
        }
        pairs.join("&")
    }
}

async fn no_form_makes_a_server_error(app: TestApp) {
    let fixtures = Fixtures::make(&app).await;
    let mut dice = Dice(0x5eed_cafe_f00d_beef);
    let mut errors = Vec::new();
    for who in [Who::Coordinator, Who::LeadOfDerby] {
        let mut browser = app.browser_as(who).await;
        let token = browser.form_token().await;
        let cookie = browser.cookie.clone().expect("signed in");
        for row in table() {
            // Signing out ends the session the rest of the walk uses; guidance is multipart
            // (bounded uploads have their own tests).
            if row.method != Method::POST
                || row.pattern == "/sign-out"
                || row.pattern == "/admin/guidance"
            {
                continue;
            }
            let path = fixtures.path(&row);
            let uniform = VALUES.iter().map(|value| Dice::uniform(&token, value));
            let mixed: Vec<String> = (0..MIXED_BODIES_PER_ROUTE)
                .map(|_| dice.mixed(&token))
                .collect();
            for body in uniform.chain(mixed) {
                let request = Request::post(&path)
                    .header(COOKIE, &cookie)
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body.clone()))
                    .expect("request");
                let page = app.send(request).await;
                if page.status.is_server_error() {
                    let shown: String = body.chars().take(300).collect();
                    errors.push(format!("{who:?} POST {path} -> {}: {shown}", page.status));
                }
            }
        }
    }
    assert!(errors.is_empty(), "server errors:\n{}", errors.join("\n"));
}

crate::app_test!(no_form_makes_a_server_error, no_form_makes_a_server_error);
