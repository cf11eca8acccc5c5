//! Human-entered text: trimmed, NFC-normalised, bounded, and made of characters people see.
//! Refused: control characters, line and paragraph separators, invisible formatting (bidi
//! overrides that reorder what others read, zero-width characters) and blank fillers, and
//! long stacks of combining marks that spill over the lines around them. A name or a title
//! must have a letter or a digit.

use super::InvalidField;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Combining marks one character may carry: enough for any script's stacked vowels and
/// tones, not for text that covers its neighbours.
const MAX_MARKS_PER_CHARACTER: usize = 4;

/// Letters by category that show nothing: the Hangul fillers and the blank Braille pattern.
const BLANK_LETTERS: [char; 5] = ['\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}', '\u{2800}'];

/// Marks Unicode lists as default-ignorable (drawn as nothing): the grapheme joiner, Khmer's
/// inherent vowels, Mongolian and other variation selectors, the Khitan filler.
const IGNORABLE_MARKS: [(char, char); 7] = [
    ('\u{034F}', '\u{034F}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180D}'),
    ('\u{180F}', '\u{180F}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{16FE4}', '\u{16FE4}'),
    ('\u{E0100}', '\u{E01EF}'),
];

/// Scripts from Hebrew on (Arabic, Persian, the Indic scripts, emoji, …) use the joiners
/// inside words; Latin, Greek and Cyrillic never need them.
const FIRST_JOINING_SCRIPT: char = '\u{0590}';

#[derive(Clone, Copy)]
struct Rules {
    newlines: bool,
    needs_letter_or_digit: bool,
}

fn clean(field: &'static str, raw: &str, max_chars: usize, rules: Rules) -> Result<String, InvalidField> {
    let text: String = raw.nfc().collect::<String>().trim().to_owned();
    if text.is_empty() {
        return Err(InvalidField::new(field, "must not be empty"));
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > max_chars {
        return Err(InvalidField::new(field, format!("must be at most {max_chars} characters (got {})", chars.len())));
    }
    let allowed_control = |c: char| rules.newlines && (c == '\n' || c == '\t');
    if chars.iter().any(|&c| c.is_control() && !allowed_control(c)) {
        return Err(InvalidField::new(field, "must not contain control characters"));
    }
    for (i, &c) in chars.iter().enumerate() {
        let category = c.general_category();
        if matches!(category, GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator) {
            return Err(InvalidField::new(field, "must not contain line or paragraph separators"));
        }
        let invisible = category == GeneralCategory::Format || ignorable_mark(c);
        if invisible && !joins_a_word(&chars, i) && !selects_emoji_style(&chars, i) {
            return Err(InvalidField::new(field, "must not contain invisible formatting characters"));
        }
        if BLANK_LETTERS.contains(&c) {
            return Err(InvalidField::new(field, "must not contain blank filler characters"));
        }
    }
    let mut marks = 0;
    for c in &chars {
        marks = if c.general_category_group() == GeneralCategoryGroup::Mark { marks + 1 } else { 0 };
        if marks > MAX_MARKS_PER_CHARACTER {
            return Err(InvalidField::new(
                field,
                format!("must not stack more than {MAX_MARKS_PER_CHARACTER} combining marks on one character"),
            ));
        }
    }
    let letter_or_digit =
        |c: &char| matches!(c.general_category_group(), GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number);
    if rules.needs_letter_or_digit && !chars.iter().any(letter_or_digit) {
        return Err(InvalidField::new(field, "must contain a letter or a digit"));
    }
    Ok(text)
}

fn ignorable_mark(c: char) -> bool {
    IGNORABLE_MARKS.iter().any(|&(first, last)| (first..=last).contains(&c))
}

fn visible(c: Option<&char>) -> bool {
    c.is_some_and(|&c| {
        !c.is_whitespace()
            && c.general_category() != GeneralCategory::Format
            && !ignorable_mark(c)
            && !BLANK_LETTERS.contains(&c)
    })
}

/// A zero-width (non-)joiner between two visible characters of a script that joins inside
/// words (Persian, Indic scripts, emoji sequences). Between Latin letters it would only make
/// a name look like another one.
fn joins_a_word(chars: &[char], i: usize) -> bool {
    let joining = |c: Option<&char>| visible(c) && c.is_some_and(|&c| c >= FIRST_JOINING_SCRIPT);
    matches!(chars[i], '\u{200C}' | '\u{200D}') && i > 0 && joining(chars.get(i - 1)) && joining(chars.get(i + 1))
}

/// The text or emoji presentation selector right after a visible character (❤️).
fn selects_emoji_style(chars: &[char], i: usize) -> bool {
    matches!(chars[i], '\u{FE0E}' | '\u{FE0F}') && i > 0 && visible(chars.get(i - 1))
}

macro_rules! bounded_text {
    ($doc:literal, $name:ident, $field:literal, $max:literal, newlines: $nl:literal, letter_or_digit: $ld:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, InvalidField> {
                clean($field, raw, $max, Rules { newlines: $nl, needs_letter_or_digit: $ld }).map(Self)
            }

            /// For values read back from storage, which were parsed on the way in.
            pub fn trusted(stored: String) -> Self {
                Self(stored)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        super::api_schema!($name, super::string_schema($doc, Some((1, $max)), None));
    };
}

bounded_text!(
    "A room's title as people see it in the lobby and the page header.",
    RoomTitle, "title", 100, newlines: false, letter_or_digit: true
);
bounded_text!(
    "The name shown on a participant's tile and beside their chat messages.",
    DisplayName, "display_name", 64, newlines: false, letter_or_digit: true
);
bounded_text!(
    "One chat message; line breaks are kept, and a message may be only emoji.",
    ChatText, "text", 2000, newlines: true, letter_or_digit: false
);

/// How many people (hosts included) may be in a room at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxParticipants(i32);

impl MaxParticipants {
    pub const DEFAULT: MaxParticipants = MaxParticipants(10);
    const RANGE: std::ops::RangeInclusive<i64> = 2..=500;

    pub fn parse(raw: Option<i64>) -> Result<Self, InvalidField> {
        match raw {
            None => Ok(Self::DEFAULT),
            Some(n) if Self::RANGE.contains(&n) => Ok(Self(n as i32)),
            Some(n) => Err(InvalidField::new(
                "max_participants",
                format!("must be between {} and {} (got {n})", Self::RANGE.start(), Self::RANGE.end()),
            )),
        }
    }

    pub fn trusted(stored: i32) -> Self {
        Self(stored)
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

super::api_schema!(
    MaxParticipants,
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .description(Some("How many people, hosts included, may be in the room at once."))
        .minimum(Some(*MaxParticipants::RANGE.start()))
        .maximum(Some(*MaxParticipants::RANGE.end()))
        .default(Some(MaxParticipants::DEFAULT.0.into()))
        .into()
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_normalised_to_nfc() {
        let decomposed = "  Cafe\u{0301} talk \n";
        assert_eq!(RoomTitle::parse(decomposed).unwrap().as_str(), "Caf\u{e9} talk");
    }

    #[test]
    fn blank_text_is_rejected() {
        assert_eq!(DisplayName::parse(" \t ").unwrap_err().field, "display_name");
        assert!(ChatText::parse("").is_err());
    }

    #[test]
    fn length_is_counted_in_characters_after_normalisation() {
        assert!(DisplayName::parse(&"é".repeat(64)).is_ok());
        assert!(DisplayName::parse(&"e\u{0301}".repeat(64)).is_ok(), "64 composed characters");
        assert!(DisplayName::parse(&"é".repeat(65)).is_err());
        assert!(RoomTitle::parse(&"x".repeat(100)).is_ok());
        assert!(RoomTitle::parse(&"x".repeat(101)).is_err());
        assert!(ChatText::parse(&"x".repeat(2000)).is_ok());
        assert!(ChatText::parse(&"x".repeat(2001)).is_err());
    }

    #[test]
    fn control_characters_are_rejected_but_chat_keeps_line_breaks() {
        assert!(DisplayName::parse("Ann\u{0007}").is_err());
        assert!(RoomTitle::parse("two\nlines").is_err());
        assert!(ChatText::parse("a\u{0000}b").is_err());
        assert_eq!(ChatText::parse("first\nsecond").unwrap().as_str(), "first\nsecond");
    }

    #[test]
    fn invisible_and_reordering_characters_are_refused() {
        for text in [
            "\u{200B}",           // zero-width space alone
            "Ann\u{202E}nimda",   // right-to-left override: shows as "Annadmin"
            "a\u{2066}b\u{2069}", // bidi isolates
            "\u{FEFF}Bob",        // byte order mark
            "Bob\u{2028}Smith",   // line separator
            "Bob\u{2029}Smith",   // paragraph separator
            "\u{3164}\u{3164}",   // Hangul filler, a "letter" that shows nothing
            "\u{2800}",           // blank Braille pattern
            "x\u{00AD}",          // soft hyphen at the end
        ] {
            assert!(DisplayName::parse(text).is_err(), "{text:?}");
            assert!(ChatText::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn marks_that_draw_nothing_and_joiners_between_latin_letters_are_refused() {
        for name in [
            "Al\u{200D}ice",
            "Al\u{200C}ice",
            "Alice\u{034F}",
            "Ali\u{17B4}ce",
            "Alice\u{180B}",
            "Alice\u{E0100}",
            "Ali\u{16FE4}ce",
            "\u{FE0F}Alice",
        ] {
            assert!(DisplayName::parse(name).is_err(), "{name:?}");
        }
        assert!(DisplayName::parse("Ann \u{2764}\u{FE0F}").is_ok(), "a red heart is drawn as an emoji");
    }

    #[test]
    fn joiners_inside_words_and_emoji_are_kept() {
        assert!(DisplayName::parse("Ми\u{0301}ла").is_ok(), "Cyrillic with a stress mark");
        assert!(
            DisplayName::parse("\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}").is_ok(),
            "Persian ZWNJ"
        );
        assert!(ChatText::parse("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}").is_ok(), "family emoji");
        assert!(ChatText::parse("\u{200D}x").is_err(), "a joiner with nothing before it");
    }

    #[test]
    fn names_need_a_letter_or_digit_and_marks_are_capped() {
        assert!(DisplayName::parse("...").is_err());
        assert!(RoomTitle::parse("\u{1F600}").is_err());
        assert!(DisplayName::parse("R2").is_ok());
        assert!(DisplayName::parse("7").is_ok());
        assert!(ChatText::parse("\u{1F44D}").is_ok(), "a thumbs-up is a message");
        let four = format!("x{}", "\u{0301}\u{0302}\u{0303}\u{0304}");
        assert!(DisplayName::parse(&four).is_ok());
        let zalgo = format!("x{}", "\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}");
        assert!(DisplayName::parse(&zalgo).is_err());
        assert!(ChatText::parse(&zalgo).is_err());
    }

    #[test]
    fn markup_is_kept_verbatim_as_text() {
        let name = "<img src=x onerror=alert(1)>";
        assert_eq!(DisplayName::parse(name).unwrap().as_str(), name);
    }

    #[test]
    fn max_participants_defaults_to_ten_and_is_bounded() {
        assert_eq!(MaxParticipants::parse(None).unwrap().get(), 10);
        assert_eq!(MaxParticipants::parse(Some(2)).unwrap().get(), 2);
        assert_eq!(MaxParticipants::parse(Some(500)).unwrap().get(), 500);
        assert!(MaxParticipants::parse(Some(1)).is_err());
        assert!(MaxParticipants::parse(Some(501)).is_err());
        assert!(MaxParticipants::parse(Some(-5)).is_err());
    }
}
