//! A random id a browser keeps and sends on join, so a ban can refuse that browser again.

use super::InvalidField;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceId(String);

impl DeviceId {
    const LENGTH: std::ops::RangeInclusive<usize> = 8..=64;

    pub fn parse(raw: &str) -> Result<Self, InvalidField> {
        let valid = Self::LENGTH.contains(&raw.len()) && super::is_plain_token(raw);
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidField::new("device_id", "must be 8 to 64 letters, digits, '-' or '_'"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::api_schema!(
    DeviceId,
    super::string_schema(
        "A random id the browser keeps; a ban refuses new joins that carry it.",
        None,
        Some(&super::plain_token_pattern(&DeviceId::LENGTH))
    )
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_are_plain_and_bounded() {
        assert!(DeviceId::parse("0f8c2a9e-4b1d-4e1a-9c3e-2d5f7a8b9c0d").is_ok());
        assert!(DeviceId::parse("short").is_err());
        assert!(DeviceId::parse(&"x".repeat(65)).is_err());
        assert!(DeviceId::parse("has space in it").is_err());
    }
}
