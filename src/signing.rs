//! Signed bundles: a publisher signs a bundle with an ed25519 secret key; a page or a
//! partner checks it with the publisher's public key before loading any rule from it.
//!
//! The signature covers the bundle's canonical content: its format and, for every rule set
//! sorted by id, the id, version and sha256 content hash, and the hash of its files' parsed
//! form when it has one. Each hash covers every file of its rule set (or the parsed form)
//! and is checked on load, so changing, adding, removing or renaming anything in a signed
//! bundle breaks either a hash or the signature.
//!
//! Keys are text files holding 64 hexadecimal digits (the 32-byte ed25519 seed for a
//! secret key, the 32-byte point for a public key), with `#` comment lines allowed.

use crate::bundle::Bundle;
use crate::error::{Error, ErrorCode};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The only algorithm: named in the bundle so a later one can be told apart.
pub const ALGORITHM: &str = "ed25519";
/// First line of the signed message: which canonical form was signed.
const MESSAGE_HEADER: &str = "eligo-bundle-signature/1";

/// The `signature` field of a signed bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleSignature {
    pub algorithm: String,
    /// The signer's public key, hex: says which key signed, for people; verification
    /// uses the key the caller trusts, never this one.
    pub public_key: String,
    /// The 64-byte ed25519 signature, hex.
    pub signature: String,
}

fn bad_key(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

/// The canonical message a bundle's signature covers. Rule sets are sorted (by id, then
/// version and hash) so the order they are stored in does not matter.
pub fn canonical_message(bundle: &Bundle) -> Vec<u8> {
    let mut entries: Vec<(&str, &str, &str, Option<&str>)> = bundle
        .rulesets
        .iter()
        .map(|r| (r.id.as_str(), r.version.as_str(), r.hash.as_str(), r.parsed.as_ref().map(|p| p.hash.as_str())))
        .collect();
    entries.sort_unstable();
    let mut text = format!(
        "{MESSAGE_HEADER}\nformat {}\nrulesets {}\n",
        bundle.format,
        entries.len()
    );
    for (id, version, hash, parsed) in entries {
        // Lengths first, so no choice of id or version can be read two ways.
        text.push_str(&format!("{}:{id} {}:{version} {hash}", id.len(), version.len()));
        // The parsed form is signed too: the runtime build decides from it alone.
        if let Some(parsed) = parsed {
            text.push_str(&format!(" parsed {parsed}"));
        }
        text.push('\n');
    }
    text.into_bytes()
}

/// Sign `bundle` in place (replacing any signature it had).
pub fn sign_bundle(bundle: &mut Bundle, key: &SigningKey) {
    bundle.signature = None;
    let signature = key.sign(&canonical_message(bundle));
    bundle.signature = Some(BundleSignature {
        algorithm: ALGORITHM.to_string(),
        public_key: to_hex(key.verifying_key().as_bytes()),
        signature: to_hex(&signature.to_bytes()),
    });
}

/// Check that `bundle` is signed by `trusted`. Refuses an unsigned bundle, one signed by
/// another key, and one whose content changed after signing. Does not check the files
/// against their hashes: loading does that (see [`crate::bundle::load_signed`]).
pub fn verify_bundle(bundle: &Bundle, trusted: &VerifyingKey) -> Result<(), Error> {
    let refuse = |m: String| Error::new(ErrorCode::InvalidRequest, m);
    let Some(sig) = &bundle.signature else {
        return Err(refuse(
            "the bundle is not signed, but a public key was given: refusing to load unsigned rules".into(),
        ));
    };
    if sig.algorithm != ALGORITHM {
        return Err(refuse(format!(
            "the bundle is signed with {:?}; only {ALGORITHM} is supported",
            sig.algorithm
        )));
    }
    let trusted_hex = to_hex(trusted.as_bytes());
    if !sig.public_key.eq_ignore_ascii_case(&trusted_hex) {
        return Err(refuse(format!(
            "the bundle is signed by key {}, not by the trusted key {trusted_hex}",
            sig.public_key.chars().take(64).collect::<String>()
        )));
    }
    let bytes: [u8; 64] = from_hex(&sig.signature)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| refuse("the bundle's signature is not 128 hexadecimal digits".into()))?;
    trusted.verify_strict(&canonical_message(bundle), &Signature::from_bytes(&bytes)).map_err(|_| {
        refuse("the bundle's signature does not match its content: it was changed after signing, or signed by another key".into())
    })
}

/// A secret key from its 32-byte seed.
pub fn signing_key_from_seed(seed: [u8; 32]) -> SigningKey {
    SigningKey::from_bytes(&seed)
}

/// Read a secret key file's text.
pub fn parse_secret_key(text: &str) -> Result<SigningKey, Error> {
    key_bytes(text, "secret key").map(|b| SigningKey::from_bytes(&b))
}

/// Read a public key: a public key file's text, or the bare 64 hexadecimal digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, Error> {
    let bytes = key_bytes(text, "public key")?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| bad_key("the public key is not a valid ed25519 key"))
}

fn key_bytes(text: &str, what: &str) -> Result<[u8; 32], Error> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let [line] = lines.as_slice() else {
        return Err(bad_key(format!(
            "a {what} is one line of 64 hexadecimal digits (lines starting with # are comments)"
        )));
    };
    from_hex(line)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad_key(format!("a {what} is 64 hexadecimal digits (32 bytes); this one is not")))
}

/// A secret key file's text. The public key is written beside it as a comment.
pub fn secret_key_file(key: &SigningKey) -> String {
    format!(
        "# eligo ed25519 secret key: keep it private, never commit it or put it in a bundle\n# public key: {}\n{}\n",
        to_hex(key.verifying_key().as_bytes()),
        to_hex(&key.to_bytes())
    )
}

/// A public key file's text: safe to publish beside the bundle and to embed in pages.
pub fn public_key_file(key: &VerifyingKey) -> String {
    format!(
        "# eligo ed25519 public key: checks bundles signed by its secret key\n{}\n",
        to_hex(key.as_bytes())
    )
}

pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    digits
        .chunks(2)
        .map(|p| Some(nibble(*p.first()?)? << 4 | nibble(*p.get(1)?)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_junk() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes));
        assert_eq!(from_hex("0A"), Some(vec![10]));
        assert_eq!(from_hex("0"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex("+1"), None);
    }

    #[test]
    fn key_files_round_trip() {
        let key = signing_key_from_seed([7; 32]);
        let back = parse_secret_key(&secret_key_file(&key)).expect("secret key file parses");
        assert_eq!(back.to_bytes(), key.to_bytes());
        let public = parse_public_key(&public_key_file(&key.verifying_key())).expect("public key file parses");
        assert_eq!(public, key.verifying_key());
        assert_eq!(parse_public_key(&to_hex(public.as_bytes())).ok(), Some(public));
        assert!(parse_public_key("abcd").is_err());
        assert!(parse_public_key(&format!("{0}\n{0}", to_hex(public.as_bytes()))).is_err());
    }
}
