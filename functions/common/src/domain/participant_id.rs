//! A participant's id: a UUID the server generates at join. It is also their LiveKit
//! identity, so it arrives back from paths and webhooks and is parsed there, once.

use std::fmt;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParticipantId(Uuid);

impl ParticipantId {
    pub fn generate() -> Self {
        Self(Uuid::new_v4())
    }

    /// `None` for anything that is not a participant id (it then names nobody).
    pub fn parse(raw: &str) -> Option<Self> {
        Uuid::parse_str(raw).ok().map(Self)
    }

    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl serde::Serialize for ParticipantId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

super::api_schema!(
    ParticipantId,
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Uuid)))
        .description(Some("A participant's id, which is also their LiveKit identity."))
        .into()
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_uuids_are_participant_ids_and_they_print_as_they_parse() {
        let id = ParticipantId::generate();
        assert_eq!(ParticipantId::parse(&id.to_string()), Some(id));
        assert_eq!(ParticipantId::parse("not-an-id"), None);
        assert_eq!(ParticipantId::parse(""), None);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
    }
}
