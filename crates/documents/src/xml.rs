//! Text made fit for the XML inside our Office files and SVG charts. Escaping handles the
//! markup characters; some characters XML 1.0 cannot hold at all, escaped or not, and a file
//! containing one is refused by Office (or "repaired"), so those are removed first.

use std::borrow::Cow;

/// `text` without the characters XML 1.0 forbids: control characters other than tab, line
/// feed and carriage return, and the non-characters U+FFFE and U+FFFF.
pub(crate) fn legal(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_legal) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| is_legal(c)).collect())
    }
}

fn is_legal(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
}

/// `text` ready to go between tags or inside a quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    quick_xml::escape::escape(legal(text).as_ref()).into_owned()
}

/// `text` on one line with single spaces: slides and table cells show a finding as one
/// paragraph however it was typed.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_illegal_characters_dropped() {
        assert_eq!(
            escape("a < b & \"c\" 'd' > e"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e"
        );
        assert_eq!(
            escape("bell\u{7}, nul\u{0}, \u{fffe}ok\ttab"),
            "bell, nul, ok\ttab"
        );
        assert_eq!(escape("Ōtautahi – naïve 😀"), "Ōtautahi – naïve 😀");
        assert!(matches!(legal("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_is_put_on_one_line() {
        assert_eq!(
            one_line("  two\r\nlines\t and  spaces "),
            "two lines and spaces"
        );
    }
}
