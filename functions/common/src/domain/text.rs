//! Human-entered text: trimmed, NFC-normalised, bounded, and free of control characters.

use super::InvalidField;
use unicode_normalization::UnicodeNormalization;

fn clean(field: &'static str, raw: &str, max_chars: usize, allow_newlines: bool) -> Result<String, InvalidField> {
    let text: String = raw.nfc().collect::<String>().trim().to_owned();
    if text.is_empty() {
        return Err(InvalidField::new(field, "must not be empty"));
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(InvalidField::new(field, format!("must be at most {max_chars} characters (got {chars})")));
    }
    let allowed = |c: char| allow_newlines && (c == '\n' || c == '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(InvalidField::new(field, "must not contain control characters"));
    }
    Ok(text)
}

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:literal, newlines: $nl:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, InvalidField> {
                clean($field, raw, $max, $nl).map(Self)
            }

            /// For values read back from storage, which were parsed on the way in.
            pub fn trusted(stored: String) -> Self {
                Self(stored)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

bounded_text!(
    /// A room's title as people see it in the lobby and the page header.
    RoomTitle, "title", 100, newlines: false
);
bounded_text!(
    /// The name shown on a participant's tile and beside their chat messages.
    DisplayName, "display_name", 64, newlines: false
);
bounded_text!(
    /// One chat message; line breaks are kept.
    ChatText, "text", 2000, newlines: true
);

/// How many people (hosts included) may be in a room at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxParticipants(i32);

impl MaxParticipants {
    pub const DEFAULT: MaxParticipants = MaxParticipants(10);

    pub fn parse(raw: Option<i64>) -> Result<Self, InvalidField> {
        match raw {
            None => Ok(Self::DEFAULT),
            Some(n @ 2..=100) => Ok(Self(n as i32)),
            Some(n) => Err(InvalidField::new("max_participants", format!("must be between 2 and 100 (got {n})"))),
        }
    }

    pub fn trusted(stored: i32) -> Self {
        Self(stored)
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

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
    fn markup_is_kept_verbatim_as_text() {
        let name = "<img src=x onerror=alert(1)>";
        assert_eq!(DisplayName::parse(name).unwrap().as_str(), name);
    }

    #[test]
    fn max_participants_defaults_to_ten_and_is_bounded() {
        assert_eq!(MaxParticipants::parse(None).unwrap().get(), 10);
        assert_eq!(MaxParticipants::parse(Some(2)).unwrap().get(), 2);
        assert_eq!(MaxParticipants::parse(Some(100)).unwrap().get(), 100);
        assert!(MaxParticipants::parse(Some(1)).is_err());
        assert!(MaxParticipants::parse(Some(101)).is_err());
        assert!(MaxParticipants::parse(Some(-5)).is_err());
    }
}
