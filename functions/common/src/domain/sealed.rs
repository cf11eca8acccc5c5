//! A chat message sealed in the browser for an end-to-end encrypted room: AES-GCM ciphertext and
//! its nonce, base64url without padding. The server cannot read it, so it checks only the shape
//! and the size, which are bounded by what the plaintext rules allow.

use super::{ChatText, InvalidField, api_schema, string_schema};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedText {
    iv: String,
    ct: String,
}

/// The nonce, 12 bytes as AES-GCM recommends.
pub struct SealedNonce;
/// The ciphertext with its 16-byte tag.
pub struct SealedCiphertext;

const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;
/// The longest message the chat takes, at four bytes a character of UTF-8.
const MAX_PLAIN_BYTES: usize = ChatText::MAX_CHARS * 4;

/// Characters of unpadded base64url for `bytes` bytes.
const fn encoded_len(bytes: usize) -> usize {
    (bytes * 4).div_ceil(3)
}

const NONCE_CHARS: usize = encoded_len(NONCE_BYTES);
const CIPHERTEXT_CHARS: (usize, usize) = (encoded_len(TAG_BYTES + 1), encoded_len(TAG_BYTES + MAX_PLAIN_BYTES));

impl SealedText {
    pub fn parse(iv: &str, ct: &str) -> Result<Self, InvalidField> {
        match decoded_len(iv) {
            Some(NONCE_BYTES) => {}
            _ => {
                return Err(InvalidField::new(
                    "encrypted.iv",
                    format!("must be {NONCE_BYTES} bytes in unpadded base64url"),
                ));
            }
        }
        match decoded_len(ct) {
            Some(n) if (TAG_BYTES + 1..=TAG_BYTES + MAX_PLAIN_BYTES).contains(&n) => {}
            _ => {
                return Err(InvalidField::new(
                    "encrypted.ct",
                    format!(
                        "must be {} to {} bytes (a message and its {TAG_BYTES}-byte tag) in unpadded base64url",
                        TAG_BYTES + 1,
                        TAG_BYTES + MAX_PLAIN_BYTES
                    ),
                ));
            }
        }
        Ok(Self { iv: iv.to_owned(), ct: ct.to_owned() })
    }

    pub fn iv(&self) -> &str {
        &self.iv
    }

    pub fn ct(&self) -> &str {
        &self.ct
    }
}

/// Bytes `raw` decodes to, if it is unpadded base64url (and short enough to be worth decoding).
fn decoded_len(raw: &str) -> Option<usize> {
    if raw.len() > CIPHERTEXT_CHARS.1 {
        return None;
    }
    URL_SAFE_NO_PAD.decode(raw).ok().map(|bytes| bytes.len())
}

const BASE64URL: &str = "^[A-Za-z0-9_-]*$";

api_schema!(
    SealedNonce,
    string_schema(
        "The AES-GCM nonce, 12 random bytes, new for every message.",
        Some((NONCE_CHARS, NONCE_CHARS)),
        Some(BASE64URL)
    )
);
api_schema!(
    SealedCiphertext,
    string_schema(
        "The AES-GCM ciphertext and tag of the message's text, encrypted in the browser with the room id as associated data.",
        Some(CIPHERTEXT_CHARS),
        Some(BASE64URL)
    )
);

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: usize) -> String {
        URL_SAFE_NO_PAD.encode(vec![7u8; bytes])
    }

    #[test]
    fn a_nonce_of_twelve_bytes_and_a_ciphertext_within_the_chat_limit_are_taken() {
        assert_eq!(NONCE_CHARS, 16);
        assert_eq!(CIPHERTEXT_CHARS, (23, 10_688));
        for ct in [b64(17), b64(100), b64(8016)] {
            let sealed = SealedText::parse(&b64(12), &ct).unwrap();
            assert_eq!((sealed.iv(), sealed.ct()), (b64(12).as_str(), ct.as_str()));
        }
    }

    #[test]
    fn anything_else_names_the_field_at_fault() {
        for iv in [String::new(), b64(11), b64(13), format!("{}=", b64(12)), "!".repeat(16), b64(12).replace('B', "+")]
        {
            assert_eq!(SealedText::parse(&iv, &b64(40)).unwrap_err().field, "encrypted.iv", "{iv:?}");
        }
        // Too short to hold a tag and one byte, too long for the chat's limit, padded, not
        // base64url, or with stray bits in its last character.
        for ct in [String::new(), b64(16), b64(8017), format!("{}==", b64(40)), "hello world!".into(), "AB".into()] {
            assert_eq!(SealedText::parse(&b64(12), &ct).unwrap_err().field, "encrypted.ct", "{ct:?}");
        }
    }
}
