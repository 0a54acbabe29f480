//! Free text as the service keeps it: bounded, single-line where a line break makes no sense,
//! and free of control characters, so no form can store a megabyte or a page-breaking byte.
//!
//! Two values cover every free-text field: [`OneLine`] for names, titles, references and
//! places, and [`MultiLine`] for notes, reasons and narratives. Each field picks one of the
//! [`limits`] below, and its hint states that limit (see [`limit_hint`]).

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How long each kind of free text may be, in characters (Unicode scalar values, which is what
/// a person counts, not bytes). A field picks the constant that says what it is.
pub mod limits {
    /// A person's or an organisation's name, or who owns an action.
    pub const NAME: usize = 200;
    /// A title or a reference: one line that fits a heading, a table cell or a slide title.
    pub const TITLE: usize = 200;
    /// Where something happens: an address, a room, or a video-call link (those run long).
    pub const PLACE: usize = 500;
    /// A sentence or two: a key line of enquiry (short enough to head a slide), or why
    /// someone must not review an area.
    pub const SENTENCE: usize = 500;
    /// A finding: a sentence or two for a slide, a paragraph for the written report.
    pub const STATEMENT: usize = 1_500;
    /// A short note: a reason, a comment, a declaration, a question to the applicant.
    pub const SHORT_NOTE: usize = 2_000;
    /// A narrative written up at length: evidence notes and progress notes.
    pub const NARRATIVE: usize = 10_000;
}

/// What is wrong with a piece of text, in GOV.UK's words. The label names the field as its
/// label does, sentence case ("Reason for cancelling").
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TextProblem {
    /// `Enter {0}`: the field is required and was left empty; `0` reads after "Enter" ("a full
    /// name").
    #[error("Enter {0}")]
    Missing(String),
    #[error("{label} must be {} characters or fewer", grouped(*.max_chars))]
    TooLong { label: String, max_chars: usize },
    #[error("{0} must be on one line")]
    NotOneLine(String),
    #[error("{0} must not contain control characters")]
    ControlCharacters(String),
}

/// A count as GOV.UK writes it: `2,000`, `10,000`.
pub fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The sentence a field's hint carries so people know the limit before they type.
pub fn limit_hint(max_chars: usize) -> String {
    format!("Up to {} characters.", grouped(max_chars))
}

fn too_long(label: &str, text: &str, max_chars: usize) -> Result<(), TextProblem> {
    // Counting stops one past the limit: a megabyte of input costs no more than the limit.
    if text.chars().nth(max_chars).is_some() {
        return Err(TextProblem::TooLong {
            label: label.to_owned(),
            max_chars,
        });
    }
    Ok(())
}

/// Line breaks, including Unicode's line and paragraph separators, which render as one.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// What the two text values share beyond their own `parse`: a required form, the text, and
/// showing it.
macro_rules! text_value {
    ($name:ident) => {
        impl $name {
            /// As `parse`, and not empty: `missing` reads after "Enter" ("a title", "the
            /// reason for cancelling").
            pub fn required(
                label: &str,
                missing: &str,
                input: &str,
                max_chars: usize,
            ) -> Result<Self, TextProblem> {
                let text = Self::parse(label, input, max_chars)?;
                if text.0.is_empty() {
                    return Err(TextProblem::Missing(missing.to_owned()));
                }
                Ok(text)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Text on one line: trimmed, at most a given number of characters, with no line break or
/// other control character (a tab included). May be empty: the field decides if it is
/// required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneLine(String);

impl OneLine {
    /// `label` names the field in the messages.
    pub fn parse(label: &str, input: &str, max_chars: usize) -> Result<Self, TextProblem> {
        let trimmed = input.trim();
        too_long(label, trimmed, max_chars)?;
        if trimmed.chars().any(is_line_break) {
            return Err(TextProblem::NotOneLine(label.to_owned()));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(TextProblem::ControlCharacters(label.to_owned()));
        }
        Ok(Self(trimmed.to_owned()))
    }
}

text_value!(OneLine);

/// Text over several lines: line breaks kept as `\n` (browsers send a textarea's as `\r\n`),
/// trimmed at both ends, at most a given number of characters, and no control character but
/// the line break and the tab. May be empty: the field decides if it is required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultiLine(String);

impl MultiLine {
    /// `label` names the field in the messages.
    pub fn parse(label: &str, input: &str, max_chars: usize) -> Result<Self, TextProblem> {
        // Checked before any copy is made, so an oversized body is refused cheaply; a CRLF
        // counts as one character once normalised, so the raw text may run over by its CRs.
        let raw = input.trim();
        let line_ends = if raw.chars().nth(max_chars).is_some() {
            raw.matches("\r\n").count()
        } else {
            0
        };
        too_long(label, raw, max_chars.saturating_add(line_ends))?;
        let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
        too_long(label, &normalised, max_chars)?;
        if normalised
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(TextProblem::ControlCharacters(label.to_owned()));
        }
        Ok(Self(normalised))
    }
}

text_value!(MultiLine);

/// A person's full name as they want it shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = limits::NAME;

    pub fn parse(input: &str) -> Result<Self, TextProblem> {
        OneLine::required("Full name", "a full name", input, Self::MAX_CHARS)
            .map(|line| Self(line.into_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("  Ada Lovelace ").map(|n| n.0),
            Ok("Ada Lovelace".to_owned())
        );
        assert_eq!(
            PersonName::parse("   "),
            Err(TextProblem::Missing("a full name".into()))
        );
        assert!(PersonName::parse(&"x".repeat(201)).is_err());
        assert_eq!(
            PersonName::parse("Ada\nLovelace"),
            Err(TextProblem::NotOneLine("Full name".into()))
        );
    }

    #[test]
    fn messages_read_as_govuk_writes_them() {
        let long = MultiLine::parse(
            "Reason for cancelling",
            &"x".repeat(limits::SHORT_NOTE + 1),
            limits::SHORT_NOTE,
        );
        assert_eq!(
            long.map_err(|problem| problem.to_string()),
            Err("Reason for cancelling must be 2,000 characters or fewer".to_owned())
        );
        assert_eq!(
            OneLine::parse("Title", "one\ntwo", limits::TITLE).map_err(|p| p.to_string()),
            Err("Title must be on one line".to_owned())
        );
        assert_eq!(
            OneLine::parse("Title", "bell\u{7}", limits::TITLE).map_err(|p| p.to_string()),
            Err("Title must not contain control characters".to_owned())
        );
        assert_eq!(limit_hint(limits::NARRATIVE), "Up to 10,000 characters.");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(200), "200");
        assert_eq!(grouped(1_500), "1,500");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn the_limit_is_inclusive_and_counts_characters_not_bytes() {
        let at_limit = "é".repeat(limits::TITLE);
        assert!(OneLine::parse("Title", &at_limit, limits::TITLE).is_ok());
        let over = "é".repeat(limits::TITLE + 1);
        assert!(OneLine::parse("Title", &over, limits::TITLE).is_err());
    }

    #[test]
    fn one_line_refuses_every_kind_of_line_break_and_a_tab() {
        for text in ["a\rb", "a\r\nb", "a\u{2028}b", "a\u{85}b"] {
            assert_eq!(
                OneLine::parse("Title", text, limits::TITLE),
                Err(TextProblem::NotOneLine("Title".into())),
                "{text:?}"
            );
        }
        for text in ["a\tb", "a\0b", "a\u{1b}[31mb", "a\u{7f}b"] {
            assert_eq!(
                OneLine::parse("Title", text, limits::TITLE),
                Err(TextProblem::ControlCharacters("Title".into())),
                "{text:?}"
            );
        }
        // Surrounding whitespace, a trailing newline included, is trimmed, not refused.
        assert_eq!(
            OneLine::parse("Title", "  Visit day\n", limits::TITLE).map(OneLine::into_string),
            Ok("Visit day".to_owned())
        );
    }

    #[test]
    fn multi_line_keeps_line_breaks_and_tabs_as_lf() {
        assert_eq!(
            MultiLine::parse("Note", "\r\n one\r\ntwo\rthree\n\tfour \r\n", 100)
                .map(MultiLine::into_string),
            Ok("one\ntwo\nthree\n\tfour".to_owned())
        );
        assert_eq!(
            MultiLine::parse("Note", "a\u{0}b", 100),
            Err(TextProblem::ControlCharacters("Note".into()))
        );
        // A CRLF counts once (the trailing one is trimmed): ten lines of "ab" are 29 characters.
        let lines = "ab\r\n".repeat(10);
        assert!(MultiLine::parse("Note", &lines, 29).is_ok());
        assert!(MultiLine::parse("Note", &lines, 28).is_err());
    }

    #[test]
    fn required_text_says_what_to_enter() {
        assert_eq!(
            MultiLine::required("Reason", "the reason", " \r\n ", 10),
            Err(TextProblem::Missing("the reason".into()))
        );
        assert_eq!(
            OneLine::required("Title", "a title", "  ", 10),
            Err(TextProblem::Missing("a title".into()))
        );
    }

    proptest! {
        #[test]
        fn one_line_never_panics_and_keeps_its_promises(
            input in any::<String>(),
            max_chars in 0usize..64,
        ) {
            if let Ok(line) = OneLine::parse("Title", &input, max_chars) {
                let text = line.as_str();
                prop_assert!(text.chars().count() <= max_chars);
                prop_assert!(!text.chars().any(char::is_control));
                prop_assert!(!text.chars().any(is_line_break));
                prop_assert_eq!(text, text.trim());
            }
        }

        #[test]
        fn multi_line_never_panics_and_keeps_its_promises(
            input in any::<String>(),
            max_chars in 0usize..64,
        ) {
            if let Ok(note) = MultiLine::parse("Note", &input, max_chars) {
                let text = note.as_str();
                prop_assert!(text.chars().count() <= max_chars);
                prop_assert!(!text.contains('\r'));
                prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
                prop_assert_eq!(text, text.trim());
            }
        }

        #[test]
        fn text_within_bounds_without_controls_is_accepted_as_typed(
            input in "[a-zA-Z0-9 .,'éß-]{1,40}",
        ) {
            let trimmed = input.trim();
            prop_assert_eq!(
                OneLine::parse("Title", &input, 40).map(OneLine::into_string),
                Ok(trimmed.to_owned())
            );
            prop_assert_eq!(
                MultiLine::parse("Note", &input, 40).map(MultiLine::into_string),
                Ok(trimmed.to_owned())
            );
        }
    }
}
