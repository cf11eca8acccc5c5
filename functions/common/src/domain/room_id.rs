//! Room ids: short, URL-safe, readable aloud, and random enough not to be guessed.

use rand::Rng;
use std::fmt;

/// `abc-defg-hij`: ten lowercase letters, about 47 bits of randomness.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomId(String);

const GROUPS: [usize; 3] = [3, 4, 3];

impl RoomId {
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let groups: Vec<String> =
            GROUPS.iter().map(|&len| (0..len).map(|_| rng.random_range(b'a'..=b'z') as char).collect()).collect();
        RoomId(groups.join("-"))
    }

    /// Accepts only the exact shape `generate` produces, so a path segment can never
    /// smuggle anything else into keys or queries.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.split('-');
        for &len in &GROUPS {
            let part = parts.next()?;
            if part.len() != len || !part.bytes().all(|b| b.is_ascii_lowercase()) {
                return None;
            }
        }
        parts.next().is_none().then(|| RoomId(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::api_schema!(
    RoomId,
    super::string_schema(
        "A room's id, as in its link: `abc-defg-hij`.",
        None,
        Some(&format!("^{}$", GROUPS.map(|len| format!("[a-z]{{{len}}}")).join("-")))
    )
);

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back() {
        for _ in 0..100 {
            let id = RoomId::generate();
            assert_eq!(RoomId::parse(id.as_str()), Some(id.clone()));
            assert_eq!(id.as_str().len(), 12);
        }
    }

    #[test]
    fn malformed_ids_are_rejected() {
        for bad in [
            "",
            "abc-defg-hi",
            "abc-defg-hijk",
            "ABC-defg-hij",
            "abc_defg_hij",
            "abc-defg-hij-",
            "../etc/passwd",
            "abc-dé-fghij",
        ] {
            assert_eq!(RoomId::parse(bad), None, "{bad:?}");
        }
    }
}
