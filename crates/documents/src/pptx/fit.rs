//! Making text fit a slide: nothing measures text in a .pptx file except the program showing
//! it, so the writer estimates how many lines each paragraph takes in Arial, picks font sizes
//! that fit a box, and spreads long lists over continuation slides instead of letting them run
//! off the bottom. The estimates err wide, so a real renderer finds room to spare.

use super::slides::{BODY_TEXT, PARA_SPACE, Para};

/// Points per line for a given font size: Arial's ascent, descent and line gap come to
/// 1.15 em, which is what PowerPoint spaces single-spaced lines by.
const LINE_HEIGHT: f32 = 1.15;

/// A text box's usable space, in points, after its insets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Room {
    pub(crate) width: f32,
    pub(crate) height: f32,
    /// Even when they would fit, more bullets than this make a slide hard to take in.
    pub(crate) max_paragraphs: usize,
}

/// How wide `c` is in Arial (and Liberation Sans, its metric twin), in ems, from the font's
/// advance widths; characters outside the table are taken as a wide letter.
fn advance(c: char) -> f32 {
    let thousandths = match c {
        '\'' => 191,
        'i' | 'j' | 'l' => 222,
        ' ' | '!' | ',' | '.' | '/' | ':' | ';' | 'I' | 'f' | 't' | '[' | ']' | '\\' => 278,
        '(' | ')' | '-' | 'r' | '`' => 333,
        '"' => 355,
        'J' | 'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | '*' => 500,
        '0'..='9' | 'L' | 'a' | 'b' | 'd' | 'e' | 'g' | 'h' | 'n' | 'o' | 'p' | 'q' | 'u' => 556,
        '?' | '_' | '#' | '$' | '–' | '‘' | '’' | '“' | '”' => 556,
        '+' | '<' | '=' | '>' | '~' | '^' => 584,
        'F' | 'T' | 'Z' => 611,
        'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' | '&' => 667,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' | 'w' => 722,
        'G' | 'O' | 'Q' => 778,
        'M' | 'm' => 833,
        '%' => 889,
        'W' => 944,
        '—' | '…' | '@' => 1015,
        // East Asian scripts and emoji take about a full em.
        c if c >= '\u{2e80}' => 1000,
        // Accented and other letters: about as wide as the widest lower-case ones.
        _ => 600,
    };
    thousandths as f32 / 1000.0
}

/// Rendering differs a little between programs (kerning, hinting, a substituted font), so
/// text is measured this much wider than Arial's widths say.
const WIDTH_MARGIN: f32 = 1.06;

/// How many lines `text` wraps to at `size` points in a box `width` points wide, breaking
/// between words as PowerPoint does, and inside a word only when it is wider than a line.
pub(crate) fn line_count(text: &str, size: f32, bold: bool, width: f32) -> usize {
    let em = WIDTH_MARGIN * if bold { size * 1.08 } else { size };
    let space = advance(' ') * em;
    let mut lines = 1;
    let mut used = 0.0_f32;
    for word in text.split_whitespace() {
        let word_width: f32 = word.chars().map(advance).sum::<f32>() * em;
        if used > 0.0 && used + space + word_width > width {
            lines += 1;
            used = 0.0;
        }
        if used > 0.0 {
            used += space;
        }
        used += word_width;
        while used > width {
            lines += 1;
            used -= width;
        }
    }
    lines
}

/// Height in points of a block of text lines at `size`.
pub(crate) fn text_height(lines: usize, size: f32) -> f32 {
    lines as f32 * size * LINE_HEIGHT
}

/// The largest of `sizes` (largest first) at which `text` fits `width` by `height` points; the
/// smallest if none does.
pub(crate) fn fit_size(text: &str, bold: bool, width: f32, height: f32, sizes: &[f32]) -> f32 {
    sizes
        .iter()
        .copied()
        .find(|&size| text_height(line_count(text, size, bold, width), size) <= height)
        .or_else(|| sizes.last().copied())
        .unwrap_or(20.0)
}

/// Height in points a paragraph takes in a body placeholder, with the space before it.
pub(crate) fn para_height(para: &Para, room: &Room) -> f32 {
    let width = room.width - para.style.indent();
    let lines = line_count(&para.text, BODY_TEXT, para.style.bold(), width);
    PARA_SPACE + text_height(lines, BODY_TEXT)
}

/// `paras` spread over as few slides as fit `room`, in order. A paragraph too long for a slide
/// of its own is cut between words, each piece marked as continuing.
pub(crate) fn pages(paras: Vec<Para>, room: &Room) -> Vec<Vec<Para>> {
    pages_after(paras, room, room)
}

/// As [`pages`], when the first slide has less room than the rest (a table above the text).
pub(crate) fn pages_after(paras: Vec<Para>, first: &Room, rest: &Room) -> Vec<Vec<Para>> {
    let mut pages: Vec<Vec<Para>> = Vec::new();
    let mut page: Vec<Para> = Vec::new();
    let mut used = 0.0;
    // Cut to the smaller room, so a piece fits whichever slide it lands on.
    let smaller = if first.height < rest.height {
        first
    } else {
        rest
    };
    for piece in paras.into_iter().flat_map(|para| pieces(para, smaller)) {
        let room = if pages.is_empty() { first } else { rest };
        let mut height = para_height(&piece, room);
        if !page.is_empty() && (used + height > room.height || page.len() == room.max_paragraphs) {
            pages.push(std::mem::take(&mut page));
            used = 0.0;
            height = para_height(&piece, rest);
        }
        used += height;
        page.push(piece);
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

/// `para` as it is when it fits a slide alone, else cut into pieces that each do: every piece
/// but the last ends "…" and every piece but the first starts "…".
fn pieces(para: Para, room: &Room) -> Vec<Para> {
    if para_height(&para, room) <= room.height {
        return vec![para];
    }
    let mut pieces = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for word in para.text.split_whitespace() {
        current.push(word);
        let candidate = piece_text(&current, !pieces.is_empty(), true);
        if current.len() > 1 && para_height(&para.with_text(candidate), room) > room.height {
            current.pop();
            pieces.push(piece_text(&current, !pieces.is_empty(), true));
            current = vec![word];
        }
    }
    pieces.push(piece_text(&current, !pieces.is_empty(), false));
    pieces
        .into_iter()
        .map(|text| para.with_text(text))
        .collect()
}

fn piece_text(words: &[&str], continues: bool, continued: bool) -> String {
    let mut text = words.join(" ");
    if continues {
        text.insert_str(0, "… ");
    }
    if continued {
        text.push_str(" …");
    }
    text
}

/// Titles for a list spread over `count` slides: the plain title for one slide, else each
/// numbered, and every slide after the first marked as continued. Numbering keeps each title
/// unique, which screen readers and PowerPoint's accessibility checker expect.
pub(crate) fn continued_titles(title: &str, count: usize) -> Vec<String> {
    if count <= 1 {
        return vec![title.to_owned()];
    }
    (1..=count)
        .map(|page| {
            if page == 1 {
                format!("{title} (1 of {count})")
            } else {
                format!("{title} (continued, {page} of {count})")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pptx::slides::ParaStyle;

    const ROOM: Room = Room {
        width: 800.0,
        height: 320.0,
        max_paragraphs: 6,
    };

    fn bullet(text: &str) -> Para {
        Para::new(ParaStyle::Bullet, text)
    }

    #[test]
    fn lines_wrap_between_words() {
        assert_eq!(line_count("", 20.0, false, 800.0), 1);
        assert_eq!(line_count("short", 20.0, false, 800.0), 1);
        let sentence = "word ".repeat(100);
        let lines = line_count(&sentence, 20.0, false, 800.0);
        // About 70 characters a line at 20pt in 800pt.
        assert!((6..=9).contains(&lines), "{lines}");
        assert!(line_count(&sentence, 20.0, true, 800.0) >= lines);
        // One unbroken word wider than the box takes several lines.
        assert_eq!(line_count(&"m".repeat(100), 20.0, false, 800.0), 3);
    }

    #[test]
    fn the_largest_size_that_fits_is_chosen() {
        let sizes = [32.0, 28.0, 24.0, 20.0];
        assert!((fit_size("Short", true, 800.0, 200.0, &sizes) - 32.0).abs() < f32::EPSILON);
        let long = "a question about services ".repeat(20);
        assert!((fit_size(&long, true, 800.0, 200.0, &sizes) - 20.0).abs() < f32::EPSILON);
    }

    #[test]
    fn long_lists_spread_over_slides_that_each_fit() {
        let paras: Vec<Para> = (1..=20)
            .map(|n| {
                bullet(&format!(
                    "Finding {n}: {}",
                    "evidence of impact ".repeat(n % 7)
                ))
            })
            .collect();
        let pages = pages(paras, &ROOM);
        assert!(pages.len() > 3, "{}", pages.len());
        let mut seen = 0;
        for page in &pages {
            assert!(page.len() <= ROOM.max_paragraphs);
            let height: f32 = page.iter().map(|para| para_height(para, &ROOM)).sum();
            assert!(height <= ROOM.height, "{height}");
            for para in page {
                seen += 1;
                assert!(para.text.starts_with(&format!("Finding {seen}:")));
            }
        }
        assert_eq!(seen, 20, "every bullet kept, in order");
    }

    #[test]
    fn a_paragraph_too_long_for_a_slide_is_cut_between_words() {
        let text = (1..=400)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let pages = pages(vec![bullet("first"), bullet(&text)], &ROOM);
        assert!(pages.len() >= 3, "{}", pages.len());
        let pieces: Vec<&str> = pages
            .iter()
            .flatten()
            .skip(1)
            .map(|p| p.text.as_str())
            .collect();
        assert!(pieces[0].starts_with("w1 ") && pieces[0].ends_with(" …"));
        assert!(
            pieces
                .last()
                .is_some_and(|p| p.starts_with("… ") && p.ends_with("w400"))
        );
        let words: Vec<&str> = pieces
            .iter()
            .flat_map(|piece| piece.split_whitespace())
            .filter(|word| *word != "…")
            .collect();
        assert_eq!(words.join(" "), text, "no word lost or repeated");
        for page in &pages {
            let height: f32 = page.iter().map(|para| para_height(para, &ROOM)).sum();
            assert!(height <= ROOM.height, "{height}");
        }
    }

    #[test]
    fn continuation_titles_are_unique() {
        assert_eq!(continued_titles("Strengths", 1), ["Strengths"]);
        assert_eq!(
            continued_titles("Strengths", 3),
            [
                "Strengths (1 of 3)",
                "Strengths (continued, 2 of 3)",
                "Strengths (continued, 3 of 3)"
            ]
        );
    }
}
