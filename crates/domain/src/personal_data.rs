//! Refusing text that identifies a child.
//!
//! Peer Challenge never holds a child's identity: a case is known by a pseudonymous reference,
//! and every free-text field is checked here before it is saved. Each rule errs towards
//! refusing, because someone can always reword a note, but an identifier once stored has been
//! disclosed. The rules:
//!
//! - **NHS number**: ten digits, together (`9434765919`) or grouped 3-3-4 with spaces or
//!   hyphens (`943 476 5919`), not part of a longer run of digits, whose modulus-11 check digit
//!   is right (weights 10 down to 2 on the first nine digits; the check digit is 11 minus the
//!   remainder, where 11 reads as 0 and 10 never occurs). The check keeps out most other
//!   ten-digit numbers, such as phone numbers: only 1 in 11 passes it.
//! - **Unique pupil number** (UPN): a whole word of 13 characters in any case, a check letter
//!   then 12 digits, or for a temporary UPN a letter, 11 digits and a letter, whose check letter
//!   follows the DfE rule: characters 2 to 13 are weighted 2 to 13 (a final letter counts as its
//!   place in the alphabet without I, O and S, A = 0 to Z = 22), and the remainder of the sum
//!   divided by 23 names the check letter in that same alphabet.
//! - **Full postcode**: an outward code and an inward code as whole words, with or without the
//!   space (`NG1 5DT`, `ng15dt`, `SW1A 1AA`), in the Royal Mail shapes A9, A99, A9A, AA9, AA99
//!   and AA9A followed by 9AA, with their letter rules. Inward codes never use C, I, K, M, O or
//!   V, which is why "KS2 2pm" is not a postcode. An outward code alone ("NG1") covers
//!   thousands of homes and is fine.
//! - **Name with a date of birth**: a date (`12/03/2015`, `12-03-2015`, `12.3.15`,
//!   `2015-03-12`, `12 March 2015`, `12th Mar 2015`, `March 12, 2015`) straight after a
//!   date-of-birth marker ("DOB", "D.O.B.", "date of birth", "born", "b."), whatever else is
//!   around it; or a date right next to a name: two capitalised words directly before or after
//!   it, with nothing but spaces, commas, colons, semicolons, brackets or dashes between. Right next to,
//!   rather than anywhere in the same sentence, because notes routinely name the adults met on
//!   a day ("Met Priya Shah, SENCO, on 12 March 2027"), while a child's date of birth is written
//!   beside the name. Capitalised words that are not names do not count: months, weekdays,
//!   sentence openers, SEND and timetable words ("Annual Review", "Case Sampling"), place and
//!   organisation words ("School", "Council", "Civic Offices") and the East Midlands
//!   authorities ("Derby", "North Northamptonshire").

use crate::forms::FieldProblem;

/// A kind of detail that identifies a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PersonalData {
    NameWithDateOfBirth,
    NhsNumber,
    UniquePupilNumber,
    Postcode,
}

impl PersonalData {
    /// Every kind, in the order [`find_personal_data`] reports them.
    pub const ALL: [PersonalData; 4] = [
        Self::NameWithDateOfBirth,
        Self::NhsNumber,
        Self::UniquePupilNumber,
        Self::Postcode,
    ];

    /// Every kind but a postcode: for a place, which may rightly be a school's address.
    pub const ALL_BUT_POSTCODE: [PersonalData; 3] = [
        Self::NameWithDateOfBirth,
        Self::NhsNumber,
        Self::UniquePupilNumber,
    ];

    /// The message shown next to the field: what was found, and why it cannot be stored.
    pub fn message(self) -> &'static str {
        match self {
            Self::NameWithDateOfBirth => {
                "This looks like a name with a date of birth. Do not enter anything that identifies a child: use the case's pseudonymous reference instead."
            }
            Self::NhsNumber => {
                "This looks like an NHS number. Do not enter anything that identifies a child: use the case's pseudonymous reference instead."
            }
            Self::UniquePupilNumber => {
                "This looks like a unique pupil number. Do not enter anything that identifies a child: use the case's pseudonymous reference instead."
            }
            Self::Postcode => {
                "This looks like a full postcode. Do not enter anything that identifies a child: use the case's pseudonymous reference instead."
            }
        }
    }

    /// What was found, in words that never repeat it: "an NHS number".
    pub fn what(self) -> &'static str {
        match self {
            Self::NameWithDateOfBirth => "a name with a date of birth",
            Self::NhsNumber => "an NHS number",
            Self::UniquePupilNumber => "a unique pupil number",
            Self::Postcode => "a full postcode",
        }
    }

    /// The refusal of an uploaded file whose text holds this kind of detail.
    pub fn file_message(self) -> String {
        format!(
            "The selected file looks like it holds {}. Pre-reading must not identify a child: remove it from the file and upload the file again",
            self.what()
        )
    }

    fn is_in(self, text: &str) -> bool {
        match self {
            Self::NameWithDateOfBirth => has_name_with_date_of_birth(text),
            Self::NhsNumber => has_nhs_number(text),
            Self::UniquePupilNumber => has_unique_pupil_number(text),
            Self::Postcode => has_full_postcode(text),
        }
    }
}

/// The first kind of identifying detail found in `text`, if any, in the order of
/// [`PersonalData::ALL`].
pub fn find_personal_data(text: &str) -> Option<PersonalData> {
    find_personal_data_among(text, &PersonalData::ALL)
}

/// The first of `kinds` found in `text`, for fields where some kinds are legitimate.
pub fn find_personal_data_among(text: &str, kinds: &[PersonalData]) -> Option<PersonalData> {
    kinds.iter().copied().find(|kind| kind.is_in(text))
}

/// For forms: the problem to show next to `field` when its text identifies a child.
pub fn check_free_text(field: &str, text: &str) -> Result<(), FieldProblem> {
    match find_personal_data(text) {
        None => Ok(()),
        Some(kind) => Err(FieldProblem::new(field, kind.message().to_owned())),
    }
}

// NHS numbers.

fn has_nhs_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&at| bytes[at].is_ascii_digit() && (at == 0 || !bytes[at - 1].is_ascii_digit()))
        .filter_map(|at| nhs_digits_at(&bytes[at..]))
        .any(|digits| nhs_check_digit_holds(&digits))
}

/// The ten digits written at the start of `rest`, together or as 3-3-4.
fn nhs_digits_at(rest: &[u8]) -> Option<Vec<u32>> {
    let together = digit_run(rest);
    if together.len() == 10 {
        return Some(digit_values(together));
    }
    let mut digits = Vec::new();
    let mut rest = rest;
    for (index, length) in [3, 3, 4].into_iter().enumerate() {
        if index > 0 {
            rest = rest
                .strip_prefix(b" ")
                .or_else(|| rest.strip_prefix(b"-"))?;
        }
        let group = digit_run(rest);
        if group.len() != length {
            return None;
        }
        digits.extend(digit_values(group));
        rest = &rest[length..];
    }
    Some(digits)
}

fn digit_run(bytes: &[u8]) -> &[u8] {
    let length = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    &bytes[..length]
}

fn digit_values(digits: &[u8]) -> Vec<u32> {
    digits.iter().map(|digit| u32::from(digit - b'0')).collect()
}

fn nhs_check_digit_holds(digits: &[u32]) -> bool {
    let Some((check, body)) = digits.split_last() else {
        return false;
    };
    let sum: u32 = body.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => *check == 0,
        10 => false,
        expected => *check == expected,
    }
}

// Unique pupil numbers and postcodes.

/// The letters a UPN's check letter is drawn from, in the order of their values 0 to 22.
const UPN_ALPHABET: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

fn upn_letter_value(letter: u8) -> Option<u32> {
    let index = UPN_ALPHABET.iter().position(|&l| l == letter)?;
    u32::try_from(index).ok()
}

fn has_unique_pupil_number(text: &str) -> bool {
    ascii_words(text)
        .into_iter()
        .any(|word| is_unique_pupil_number(&text[word]))
}

fn is_unique_pupil_number(word: &str) -> bool {
    let upper = word.to_ascii_uppercase();
    let [check, middle @ .., last] = upper.as_bytes() else {
        return false;
    };
    if middle.len() != 11 || !middle.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let value = |character: u8| match character {
        b'0'..=b'9' => Some(u32::from(character - b'0')),
        letter => upn_letter_value(letter),
    };
    let Some(last) = value(*last) else {
        return false;
    };
    let sum: u32 = middle
        .iter()
        .map(|&digit| u32::from(digit - b'0'))
        .chain([last])
        .zip(2..)
        .map(|(value, weight)| value * weight)
        .sum();
    upn_letter_value(*check) == Some(sum % 23)
}

/// The byte ranges of the runs of ASCII letters and digits in `text`.
fn ascii_words(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, byte) in text.bytes().chain([b' ']).enumerate() {
        match (byte.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                words.push(from..at);
                start = None;
            }
            _ => {}
        }
    }
    words
}

fn has_full_postcode(text: &str) -> bool {
    let words = ascii_words(text);
    let spaced = words.windows(2).any(|pair| {
        let (outward, inward) = (&pair[0], &pair[1]);
        text[outward.end..inward.start]
            .chars()
            .all(char::is_whitespace)
            && is_outward_code(&text[outward.clone()])
            && is_inward_code(&text[inward.clone()])
    });
    spaced
        || words.iter().any(|word| {
            let word = &text[word.clone()];
            word.len() > 3 && {
                let (outward, inward) = word.split_at(word.len() - 3);
                is_outward_code(outward) && is_inward_code(inward)
            }
        })
}

/// A postcode area and district, such as `NG1`, `DE22`, `W1A` or `SW1A`.
fn is_outward_code(code: &str) -> bool {
    let upper = code.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let shape: String = bytes
        .iter()
        .map(|b| if b.is_ascii_digit() { '9' } else { 'A' })
        .collect();
    let first = |b: &[u8]| !b"QVX".contains(&b[0]);
    let second = |b: &[u8]| !b"IJZ".contains(&b[1]);
    match shape.as_str() {
        "A9" | "A99" => first(bytes),
        "A9A" => first(bytes) && b"ABCDEFGHJKPSTUW".contains(&bytes[2]),
        "AA9" | "AA99" => first(bytes) && second(bytes),
        "AA9A" => first(bytes) && second(bytes) && b"ABEHMNPRVWXY".contains(&bytes[3]),
        _ => false,
    }
}

/// A postcode sector and unit, such as `5DT`.
fn is_inward_code(code: &str) -> bool {
    match code.to_ascii_uppercase().as_bytes() {
        [digit, letters @ ..] if letters.len() == 2 => {
            digit.is_ascii_digit()
                && letters
                    .iter()
                    .all(|l| l.is_ascii_uppercase() && !b"CIKMOV".contains(l))
        }
        _ => false,
    }
}

// Names with dates of birth.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    Number,
    Space,
    Mark,
}

/// A piece of text: a word (letters, with apostrophes or hyphens inside), a run of digits, a
/// run of whitespace or a single other character.
#[derive(Clone, Copy, Debug)]
struct Token<'t> {
    kind: Kind,
    text: &'t str,
    start: usize,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = 0;
    while let Some(first) = text[start..].chars().next() {
        let rest = &text[start..];
        let run = |keep: fn(char) -> bool| rest.find(|c| !keep(c)).unwrap_or(rest.len());
        let (kind, length) = if first.is_ascii_digit() {
            (Kind::Number, run(|c| c.is_ascii_digit()))
        } else if first.is_whitespace() {
            (Kind::Space, run(char::is_whitespace))
        } else if first.is_alphabetic() {
            (Kind::Word, word_length(rest))
        } else {
            (Kind::Mark, first.len_utf8())
        };
        tokens.push(Token {
            kind,
            text: &rest[..length],
            start,
        });
        start += length;
    }
    tokens
}

/// The length of the word `rest` starts with: letters, and apostrophes or hyphens between
/// letters (O'Neill, Smith-Jones).
fn word_length(rest: &str) -> usize {
    let mut end = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let joins = matches!(c, '\'' | '’' | '-')
            && chars.peek().is_some_and(|&(_, next)| next.is_alphabetic());
        if !(c.is_alphabetic() || joins) {
            break;
        }
        end = at + c.len_utf8();
    }
    end
}

fn has_name_with_date_of_birth(text: &str) -> bool {
    let tokens = tokens(text);
    (0..tokens.len()).any(|start| {
        date_end(&tokens, start).is_some_and(|end| {
            follows_birth_marker(&text[..tokens[start].start])
                || starts_with_name(tokens[..start].iter().rev())
                || starts_with_name(tokens[end..].iter())
        })
    })
}

/// Reads tokens one at a time, for matching the shapes of a date.
struct Cursor<'a, 't> {
    tokens: &'a [Token<'t>],
    at: usize,
}

impl<'t> Cursor<'_, 't> {
    fn take(&mut self, kind: Kind) -> Option<&'t str> {
        let token = self
            .tokens
            .get(self.at)
            .filter(|token| token.kind == kind)?;
        self.at += 1;
        Some(token.text)
    }

    fn take_word_if(&mut self, test: impl Fn(&str) -> bool) -> Option<()> {
        let token = self.tokens.get(self.at)?;
        (token.kind == Kind::Word && test(token.text)).then(|| self.at += 1)
    }

    fn take_mark(&mut self, marks: &[char]) -> Option<char> {
        let token = self.tokens.get(self.at)?;
        let mark = token.text.chars().next()?;
        (token.kind == Kind::Mark && marks.contains(&mark)).then(|| {
            self.at += 1;
            mark
        })
    }

    fn skip_mark(&mut self, mark: char) {
        let _ = self.take_mark(&[mark]);
    }

    /// A day of the month, with an ordinal suffix if it has one (12, 12th).
    fn day(&mut self) -> Option<()> {
        is_day(self.take(Kind::Number)?).then_some(())?;
        let _ = self.take_word_if(|word| {
            ["st", "nd", "rd", "th"].contains(&word.to_ascii_lowercase().as_str())
        });
        Some(())
    }

    fn month(&mut self) -> Option<()> {
        self.take_word_if(is_month)?;
        self.skip_mark('.');
        Some(())
    }

    fn year(&mut self) -> Option<()> {
        (self.take(Kind::Number)?.len() == 4).then_some(())
    }
}

/// The index just past the date that starts at token `start`, if one does.
fn date_end(tokens: &[Token<'_>], start: usize) -> Option<usize> {
    let shapes: [fn(&mut Cursor<'_, '_>) -> Option<()>; 3] =
        [numeric_date, day_month_year, month_day_year];
    shapes.into_iter().find_map(|shape| {
        let mut cursor = Cursor { tokens, at: start };
        shape(&mut cursor).map(|()| cursor.at)
    })
}

/// 12/03/2015, 12-03-2015, 12.3.15 or 2015-03-12.
fn numeric_date(cursor: &mut Cursor<'_, '_>) -> Option<()> {
    let first = cursor.take(Kind::Number)?;
    let separator = cursor.take_mark(&['/', '-', '.'])?;
    let month = cursor.take(Kind::Number)?;
    cursor.take_mark(&[separator])?;
    let last = cursor.take(Kind::Number)?;
    let (day, year) = if first.len() == 4 {
        (last, first)
    } else {
        (first, last)
    };
    let month_ok = month.len() <= 2 && month.parse().is_ok_and(|m: u32| (1..=12).contains(&m));
    (is_day(day) && month_ok && matches!(year.len(), 2 | 4)).then_some(())
}

/// 12 March 2015, 12th Mar 2015, 3rd of May 2016.
fn day_month_year(cursor: &mut Cursor<'_, '_>) -> Option<()> {
    cursor.day()?;
    cursor.take(Kind::Space)?;
    if cursor
        .take_word_if(|word| word.eq_ignore_ascii_case("of"))
        .is_some()
    {
        cursor.take(Kind::Space)?;
    }
    cursor.month()?;
    cursor.skip_mark(',');
    cursor.take(Kind::Space)?;
    cursor.year()
}

/// March 12 2015, Mar 12th, 2015.
fn month_day_year(cursor: &mut Cursor<'_, '_>) -> Option<()> {
    cursor.month()?;
    cursor.take(Kind::Space)?;
    cursor.day()?;
    cursor.skip_mark(',');
    cursor.take(Kind::Space)?;
    cursor.year()
}

fn is_day(text: &str) -> bool {
    text.len() <= 2 && text.parse().is_ok_and(|d: u32| (1..=31).contains(&d))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's name or an abbreviation of at least three letters (Mar, Sept).
fn is_month(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.len() >= 3 && MONTHS.iter().any(|month| month.starts_with(&lower))
}

const BIRTH_MARKERS: [&str; 10] = [
    "dob",
    "dob.",
    "d.o.b",
    "d.o.b.",
    "date of birth",
    "birth date",
    "birthdate",
    "born",
    "born on",
    "b.",
];

/// Whether `before` (the text before a date) ends with a date-of-birth marker, allowing a
/// colon, comma, dash or bracket after it.
fn follows_birth_marker(before: &str) -> bool {
    let lower = before.to_ascii_lowercase();
    let lower = lower.trim_end_matches(|c: char| c.is_whitespace() || ":,-(=".contains(c));
    BIRTH_MARKERS.iter().any(|marker| {
        lower
            .strip_suffix(marker)
            .is_some_and(|rest| !rest.ends_with(char::is_alphanumeric))
    })
}

/// Whether `tokens` (read away from a date) begin, after spaces and light punctuation, with
/// two capitalised words that could be a person's name.
fn starts_with_name<'a, 't: 'a>(tokens: impl Iterator<Item = &'a Token<'t>>) -> bool {
    let near: Vec<&Token<'_>> = tokens
        .skip_while(|token| {
            token.kind == Kind::Space
                || (token.kind == Kind::Mark && ",:;()[]-–—".contains(token.text))
        })
        .take(3)
        .collect();
    matches!(near.as_slice(), [one, space, other]
        if space.kind == Kind::Space && is_name_word(one) && is_name_word(other))
}

fn is_name_word(token: &Token<'_>) -> bool {
    let text = token.text;
    let capitalised =
        text.chars().next().is_some_and(char::is_uppercase) && text.chars().any(char::is_lowercase);
    let lower = text.to_lowercase();
    let bare = lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix("’s"))
        .unwrap_or(&lower);
    token.kind == Kind::Word && capitalised && !is_not_a_name(bare)
}

/// Capitalised words that are not people's names, in lower case, a line of words at a time.
const NOT_NAMES: &[&str] = &[
    // Sentence openers and small words.
    "a about after all an and any at before but by during each every first for from he her",
    "his in into it its last my new next no not note of on or our per please she since some",
    "that the their these they this those to today until via we with yes your",
    // Days, months and the school year.
    "monday tuesday wednesday thursday friday saturday sunday january february march april",
    "may june july august september october november december year week term autumn spring",
    "summer date day morning afternoon start end due deadline key stage",
    // SEND processes and the visit timetable.
    "agreed annual appeal area assessment care carer carers case challenge child children",
    "clinical completed consultation decision designated disability draft education",
    "educational feedback final focus group head health hearing huddle inspection interview",
    "issued lead local manager mediation meeting needs offer officer online panel parent",
    "parents peer people placement plan presentation pupil received referral report request",
    "review reviewer sample sampling send session setting social special support team teams",
    "training transfer transition tribunal updated virtual visit young",
    // Places and organisations.
    "academy avenue board borough building campus centre church city civic clinic close",
    "college community council county court department district drive family hall hospital",
    "house hub infant junior lane library nursery office offices park place primary road room",
    "school secondary service services square street suite trust unit university way",
    // The East Midlands authorities.
    "derby derbyshire east leicester leicestershire lincolnshire midlands north",
    "northamptonshire nottingham nottinghamshire rutland south west",
];

fn is_not_a_name(lower: &str) -> bool {
    NOT_NAMES
        .iter()
        .any(|line| line.split_whitespace().any(|word| word == lower))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    use PersonalData::*;

    #[test]
    fn texts_are_accepted_or_refused() {
        let cases: &[(&str, Option<PersonalData>)] = &[
            // Fine to store.
            ("", None),
            ("Visit on 12 March 2027 at Derby Civic Offices", None),
            ("Derby Civic Offices, 12 March 2027", None),
            ("Year 6 pupil, EHCP issued 2024", None),
            ("NOT-2026-07", None),
            ("ASD, mainstream primary", None),
            ("Met Priya Shah, SENCO, on 12 March 2027", None),
            ("Annual Review 12/03/2026, plan amended", None),
            ("Case Sampling: Thursday 11 March 2027", None),
            ("Call 01332 640000 or 0115 977 3000", None),
            ("Reference 9434765918 has the wrong check digit", None),
            ("Lives near NG1, attends KS2 2pm sessions", None),
            ("Plan b 12/03/2015 was dropped", None),
            ("B801200005002 is not a real UPN", None),
            ("Club 12 March 2015", None),
            ("12345678901234", None),
            // Refused.
            ("Jane Smith DOB 01/02/2015", Some(NameWithDateOfBirth)),
            ("Jack Brown, born 3 May 2016", Some(NameWithDateOfBirth)),
            ("Sam O'Neill 2015-06-01", Some(NameWithDateOfBirth)),
            ("dob: 1.2.15", Some(NameWithDateOfBirth)),
            ("D.O.B. 12th Mar 2015", Some(NameWithDateOfBirth)),
            ("Date of birth: March 12, 2015", Some(NameWithDateOfBirth)),
            ("Child b. 3rd of May 2016", Some(NameWithDateOfBirth)),
            ("12-03-2015 Amy Smith-Jones", Some(NameWithDateOfBirth)),
            ("Zoë Ørsted (12.03.2015)", Some(NameWithDateOfBirth)),
            ("NHS number 943 476 5919", Some(NhsNumber)),
            ("nhs:943-476-5919.", Some(NhsNumber)),
            ("9434765919", Some(NhsNumber)),
            ("UPN B801200005001", Some(UniquePupilNumber)),
            ("upn b801200005001", Some(UniquePupilNumber)),
            ("Lives at NG1 5DT", Some(Postcode)),
            ("DE1 2AB", Some(Postcode)),
            ("SW1A 1AA", Some(Postcode)),
            ("(ng15dt)", Some(Postcode)),
            ("W1A 0AX", Some(Postcode)),
        ];
        for (text, expected) in cases {
            assert_eq!(find_personal_data(text), *expected, "{text}");
        }
    }

    #[test]
    fn a_temporary_unique_pupil_number_is_refused() {
        // 8,0,1,2,0,0,0,0,5,0,0 weighted 2 to 12, and A (0) weighted 13: 80 = 3 × 23 + 11 (M).
        assert_eq!(find_personal_data("M80120000500A"), Some(UniquePupilNumber));
        assert_eq!(find_personal_data("N80120000500A"), None);
        // A valid UPN inside a longer word is not one.
        assert_eq!(find_personal_data("XB801200005001"), None);
    }

    #[test]
    fn a_place_may_hold_a_postcode_but_not_a_child() {
        let place = "Hillside School, Derby DE22 3AB";
        assert_eq!(find_personal_data(place), Some(Postcode));
        assert_eq!(
            find_personal_data_among(place, &PersonalData::ALL_BUT_POSTCODE),
            None
        );
        assert_eq!(
            find_personal_data_among("Room 2, 943 476 5919", &PersonalData::ALL_BUT_POSTCODE),
            Some(NhsNumber)
        );
    }

    #[test]
    fn a_form_problem_names_the_field() {
        assert_eq!(check_free_text("notes", "Seen with parents"), Ok(()));
        assert_eq!(
            check_free_text("notes", "NHS 9434765919"),
            Err(FieldProblem::new("notes", NhsNumber.message()))
        );
        assert!(
            NhsNumber
                .message()
                .starts_with("This looks like an NHS number.")
        );
    }

    /// The check digit that makes `body` a valid NHS number, if one exists.
    fn nhs_check_digit(body: &[u32]) -> Option<u32> {
        (0..10).find(|&check| {
            let mut digits = body.to_vec();
            digits.push(check);
            nhs_check_digit_holds(&digits)
        })
    }

    proptest! {
        #[test]
        fn valid_nhs_numbers_are_refused(
            body in proptest::collection::vec(0u32..10, 9),
            layout in 0usize..3,
        ) {
            let Some(check) = nhs_check_digit(&body) else {
                return Ok(());
            };
            let digits: String = body.iter().chain([&check]).map(u32::to_string).collect();
            let number = match layout {
                0 => digits,
                1 => format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..]),
                _ => format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]),
            };
            let text = format!("Seen at clinic, number {number}.");
            prop_assert_eq!(find_personal_data(&text), Some(NhsNumber), "{}", text);
        }

        #[test]
        fn text_without_digits_has_no_numbers_or_postcodes(text in "[^0-9]{0,200}") {
            let found = find_personal_data_among(
                &text,
                &[NhsNumber, UniquePupilNumber, Postcode],
            );
            prop_assert_eq!(found, None);
        }

        #[test]
        fn any_text_is_checked_without_panicking(text in "\\PC{0,200}") {
            let _ = find_personal_data(&text);
        }
    }
}
