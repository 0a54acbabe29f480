//! Every parser of outside input, fed arbitrary text: it answers with a value or a problem,
//! never a panic, and what it accepts keeps the value's promises. Dates, IDs, emails, slugs,
//! theme codes, case references, times, passwords, the personal-data check and whole forms
//! (an action, which a spreadsheet row also fills) are covered.

use std::str::FromStr;

use domain::case_sample::CaseReference;
use domain::next_steps::ActionAnswers;
use domain::personal_data::{check_free_text, find_personal_data};
use domain::pool::{PHONE_LIMIT, PhoneNumber, parse_date_parts};
use domain::training::parse_time;
use domain::{
    AuthoritySlug, ChallengeId, EmailAddress, NewPassword, PersonName, ThemeCode, UserId,
};
use proptest::prelude::*;

/// Any text, weighted towards what breaks parsers: digits, separators, Unicode and controls.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 /.:-]{0,24}",
        "[a-zA-Z0-9@.+_ -]{0,40}",
        "\\PC{0,64}",
        "[\\x00-\\x1f\\x7f\u{200b}\u{feff}\u{202e}]{0,16}",
        Just("9".repeat(400)),
        Just("-".repeat(2000)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn dates_from_three_boxes(day in hostile(), month in hostile(), year in hostile()) {
        if let Ok(date) = parse_date_parts("Start date", &day, &month, &year) {
            let again = parse_date_parts(
                "Start date",
                &date.format("%-d").to_string(),
                &date.format("%-m").to_string(),
                &date.format("%Y").to_string(),
            );
            prop_assert_eq!(again.ok(), Some(date));
        }
    }

    #[test]
    fn ids(text in hostile()) {
        if let Ok(id) = ChallengeId::from_str(&text) {
            prop_assert_eq!(ChallengeId::from_str(&id.to_string()).ok(), Some(id));
        }
        let _ = UserId::from_str(&text);
    }

    #[test]
    fn emails_and_names(text in hostile()) {
        if let Ok(email) = EmailAddress::parse(&text) {
            prop_assert!(email.as_str().contains('@'));
            prop_assert!(!email.as_str().chars().any(char::is_control));
        }
        if let Ok(name) = PersonName::parse(&text) {
            prop_assert!(name.as_str().chars().count() <= PersonName::MAX_CHARS);
        }
    }

    #[test]
    fn codes_and_slugs(text in hostile()) {
        let _ = AuthoritySlug::parse(&text);
        let _ = ThemeCode::parse(&text);
        let _ = parse_time(&text);
    }

    #[test]
    fn phone_numbers(text in hostile()) {
        if let Ok(phone) = PhoneNumber::parse(&text) {
            prop_assert!(phone.as_str().chars().count() <= PHONE_LIMIT);
            prop_assert_eq!(PhoneNumber::parse(phone.as_str()), Ok(phone.clone()));
        }
    }

    #[test]
    fn case_references(text in hostile()) {
        if let Ok(reference) = CaseReference::parse(&text) {
            prop_assert!(find_personal_data(reference.as_str()).is_none());
            prop_assert!(!reference.as_str().chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn passwords(password in hostile(), confirmation in hostile()) {
        let _ = NewPassword::parse(&password, &confirmation);
    }

    #[test]
    fn free_text(text in hostile()) {
        let _ = check_free_text("note", &text);
    }

    #[test]
    fn an_action_row(fields in proptest::collection::vec(hostile(), 14)) {
        let answers = ActionAnswers {
            reference: fields[0].clone(),
            answers: fields[1].clone(),
            theme: fields[2].clone(),
            action: fields[3].clone(),
            owner: fields[4].clone(),
            partners: fields[5].clone(),
            start: fields[6].clone(),
            due: fields[7].clone(),
            milestones: fields[8].clone(),
            baseline: fields[9].clone(),
            target: fields[10].clone(),
            rag: fields[11].clone(),
            progress: fields[12].clone(),
            impact: fields[13].clone(),
        };
        let themes = [ThemeCode::parse("EHCP_QUALITY").expect("a theme")];
        let today = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).expect("a day");
        if let Ok(entry) = answers.check(&themes, today) {
            prop_assert!(entry.start <= entry.due);
        }
    }

    #[test]
    fn a_biennial_cycle_team_member_and_kloe(fields in proptest::collection::vec(hostile(), 12)) {
        let themes = [ThemeCode::parse("PFA").expect("a theme")];
        let cycle = domain::biennial::CycleAnswers {
            year: fields[0].clone(),
            event_date: fields[1].clone(),
            venue: fields[2].clone(),
            kloes_due: fields[3].clone(),
            actions_due: fields[4].clone(),
            priority_1: fields[5].clone(),
            priority_1_themes: vec![fields[6].clone(), "PFA".into()],
            ..Default::default()
        };
        if let Ok(details) = cycle.check(&themes) {
            prop_assert!(details.kloes_due < details.event_date && details.event_date < details.actions_due);
        }
        let _ = domain::biennial::MemberAnswers {
            name: fields[7].clone(),
            email: fields[8].clone(),
            partner: fields[9].clone(),
            team_lead: fields[10].clone(),
        }
        .check();
        let _ = domain::biennial::KloeDraftAnswers {
            question: fields[11].clone(),
            priority: fields[0].clone(),
            themes: vec![fields[6].clone()],
        }
        .check(1, &themes);
    }
}

// Issue 15's parsers: a statistics-service row, a published value, a period, an inspection
// and a cycle's year.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn published_data_rows(cells in proptest::collection::vec(hostile(), 9)) {
        use domain::indicators::{Period, REQUIRED_COLUMNS, Reading, check_file};
        let mut headers: Vec<String> = REQUIRED_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        headers.push("percent_issued_within_20_weeks".to_owned());
        if let Ok(checked) = check_file(&headers, &[(2, cells.clone())], &[]) {
            for observation in checked.observations {
                if let Reading::Value(v) = observation.reading {
                    prop_assert!(v.is_finite());
                }
            }
        }
        if let Some(Reading::Value(v)) = Reading::parse(&cells[0]) {
            prop_assert!(v.is_finite());
        }
        if let Ok(period) = Period::parse(&cells[0], &cells[1]) {
            prop_assert!(period.time_period.len() == 4 || period.time_period.len() == 6);
        }
    }

    #[test]
    fn an_inspection_and_a_cycle_year(fields in proptest::collection::vec(hostile(), 4)) {
        let today = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).expect("a day");
        let answers = domain::inspections::InspectionAnswers {
            month: fields[0].clone(),
            kind: fields[1].clone(),
            outcome: fields[2].clone(),
            report_url: fields[3].clone(),
        };
        if let Ok(inspection) = answers.check(today) {
            prop_assert!(inspection.month <= today);
            prop_assert!(inspection.outcome.fits(inspection.kind));
        }
        if let Ok(year) = domain::self_assessment::parse_cycle_year(&fields[0], today) {
            prop_assert!((2026..=2028).contains(&year));
        }
    }
    #[test]
    fn triad_comments_conversations_and_support(fields in proptest::collection::vec(hostile(), 6)) {
        use domain::triads::{CommentAnswers, ConversationAnswers, SupportAnswers};
        let today = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).expect("a day");
        let derby = AuthoritySlug::parse("derby").expect("slug");
        let rutland = AuthoritySlug::parse("rutland").expect("slug");
        let comment = CommentAnswers {
            section: fields[0].clone(),
            kind: fields[1].clone(),
            text: fields[2].clone(),
        };
        if let Ok(comment) = comment.check() {
            prop_assert!(!comment.text.is_empty());
            prop_assert!(find_personal_data(comment.text.as_str()).is_none());
        }
        let conversation = ConversationAnswers {
            held_on: fields[3].clone(),
            attended: vec![(derby.clone(), fields[4].clone()), (rutland.clone(), fields[0].clone())],
            agreed: fields[5].clone(),
        };
        if let Ok(conversation) = conversation.check(today) {
            prop_assert!(conversation.held_on <= today);
            prop_assert!(conversation.attended.iter().any(|(_, who)| !who.is_empty()));
        }
        let support = SupportAnswers {
            kind: fields[1].clone(),
            with: fields[0].clone(),
            text: fields[5].clone(),
        };
        if let Ok(support) = support.check(&derby, &[derby.clone(), rutland.clone()]) {
            prop_assert!(support.with.as_ref() != Some(&derby));
        }
    }
}
