//! Bearer secrets (host keys, session tokens): handed out once, stored only as a hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

/// A freshly minted secret; its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        SecretToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn from_client(raw: &str) -> Self {
        SecretToken(raw.to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> SecretHash {
        SecretHash(Sha256::digest(self.0.as_bytes()).to_vec())
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

/// SHA-256 of a secret. The secrets are 256 random bits, so a plain hash is enough:
/// there is no low-entropy input to brute-force, and lookups by hash stay indexable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretHash(pub Vec<u8>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_hash_stably() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.hash(), SecretToken::from_client(a.expose()).hash());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.expose().len(), 43);
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let token = SecretToken::generate();
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}
