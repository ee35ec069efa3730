//! One value's encryption: AES-256-GCM with sops's 32-byte IV, the `ENC[...]` text form, and
//! the plaintext bytes each value type is serialised to (the same bytes feed the MAC).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use aes_gcm::aes::cipher::consts::U32;
use aes_gcm::{AesGcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use rand::RngCore;
use zeroize::Zeroizing;

/// sops uses a 32-byte nonce (`nonceSize = 32` in `aes/cipher.go`), not GCM's usual 12.
type SopsGcm = AesGcm<Aes256, U32>;

pub const IV_LEN: usize = 32;
const TAG_LEN: usize = 16;

/// The 32-byte key that encrypts every value of one file; wiped when dropped.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub fn generate() -> DataKey {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        DataKey(key)
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<DataKey> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(DataKey(Zeroizing::new(array)))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// The `type:` of an encrypted value: how its plaintext bytes are read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    Str,
    Int,
    Float,
    Bool,
    /// RFC 3339 timestamps (sops ≥ 3.10). Read, and written back as they came.
    Time,
    Comment,
    /// Raw bytes (a Python-era type sops still reads).
    Bytes,
}

impl ValueType {
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Str => "str",
            ValueType::Int => "int",
            ValueType::Float => "float",
            ValueType::Bool => "bool",
            ValueType::Time => "time",
            ValueType::Comment => "comment",
            ValueType::Bytes => "bytes",
        }
    }

    fn parse(name: &str) -> Option<ValueType> {
        Some(match name {
            "str" => ValueType::Str,
            "int" | "int64" => ValueType::Int,
            "float" => ValueType::Float,
            "bool" => ValueType::Bool,
            "time" => ValueType::Time,
            "comment" => ValueType::Comment,
            "bytes" => ValueType::Bytes,
            _ => return None,
        })
    }
}

/// The parts of an `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub data: Vec<u8>,
    pub iv: Vec<u8>,
    pub tag: Vec<u8>,
    pub kind: ValueType,
}

/// Whether a string is an `ENC[...]` value as sops writes it (sops's own test: the prefix).
pub fn is_encrypted(text: &str) -> bool {
    text.starts_with("ENC[AES256_GCM,")
}

impl Sealed {
    /// Parses the text form. sops's regex is greedy and unanchored at the end; the fields are
    /// split the same way here, from the right, so a malformed value is refused, not guessed.
    pub fn parse(text: &str) -> Result<Sealed, String> {
        let body = text
            .strip_prefix("ENC[AES256_GCM,data:")
            .ok_or("not an ENC[AES256_GCM,...] value")?;
        let close = body.rfind(']').ok_or("missing the closing `]`")?;
        let body = &body[..close];
        let (rest, kind) = body.rsplit_once(",type:").ok_or("missing `type:`")?;
        let (rest, tag) = rest.rsplit_once(",tag:").ok_or("missing `tag:`")?;
        let (data, iv) = rest.rsplit_once(",iv:").ok_or("missing `iv:`")?;
        let decode = |field: &str, what: &str| {
            B64.decode(field)
                .map_err(|e| format!("`{what}` is not base64: {e}"))
        };
        let sealed = Sealed {
            data: decode(data, "data")?,
            iv: decode(iv, "iv")?,
            tag: decode(tag, "tag")?,
            kind: ValueType::parse(kind).ok_or_else(|| format!("unknown type `{kind}`"))?,
        };
        if sealed.iv.len() != IV_LEN || sealed.tag.len() != TAG_LEN {
            return Err(format!(
                "iv must be {IV_LEN} bytes and tag {TAG_LEN} (found {} and {})",
                sealed.iv.len(),
                sealed.tag.len()
            ));
        }
        Ok(sealed)
    }

    pub fn to_text(&self) -> String {
        format!(
            "ENC[AES256_GCM,data:{},iv:{},tag:{},type:{}]",
            B64.encode(&self.data),
            B64.encode(&self.iv),
            B64.encode(&self.tag),
            self.kind.name()
        )
    }
}

/// Why a value could not be decrypted.
#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    #[error("malformed encrypted value: {0}")]
    Malformed(String),
    #[error(
        "the value does not decrypt with this file's data key at this key path (tampered, moved or renamed)"
    )]
    Authentication,
}

/// Encrypts plaintext bytes under `aad` (the key path). `iv` is reused when given, so an
/// unchanged value keeps its exact ciphertext; otherwise a fresh random IV is drawn.
pub fn seal(
    key: &DataKey,
    plaintext: &[u8],
    aad: &str,
    kind: ValueType,
    iv: Option<&[u8; IV_LEN]>,
) -> Sealed {
    let iv = match iv {
        Some(iv) => *iv,
        None => {
            // The thread's CSPRNG (ChaCha, seeded and reseeded from the OS): a value's IV
            // needs to be unpredictable and unique, not a system call of its own each (a
            // thousand files of twenty values made twenty thousand). Data keys come from
            // the OS directly.
            let mut fresh = [0u8; IV_LEN];
            rand::thread_rng().fill_bytes(&mut fresh);
            fresh
        }
    };
    let cipher = SopsGcm::new(key.as_bytes().into());
    let mut out = cipher
        .encrypt(
            Nonce::<U32>::from_slice(&iv),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .expect("AES-GCM encryption of an in-memory buffer cannot fail");
    let tag = out.split_off(out.len() - TAG_LEN);
    Sealed {
        data: out,
        iv: iv.to_vec(),
        tag,
        kind,
    }
}

/// Decrypts a sealed value; the plaintext is wiped when dropped.
pub fn open(key: &DataKey, sealed: &Sealed, aad: &str) -> Result<Zeroizing<Vec<u8>>, CipherError> {
    let cipher = SopsGcm::new(key.as_bytes().into());
    let mut buf = Vec::with_capacity(sealed.data.len() + TAG_LEN);
    buf.extend_from_slice(&sealed.data);
    buf.extend_from_slice(&sealed.tag);
    cipher
        .decrypt(
            Nonce::<U32>::from_slice(&sealed.iv),
            Payload {
                msg: &buf,
                aad: aad.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| CipherError::Authentication)
}

/// Plaintext bytes of a float as Go's `FormatFloat(v, 'f', -1, 64)` writes them: shortest
/// round-trip digits, never an exponent.
pub fn float_bytes(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{value}")
    }
}

/// Plaintext bytes of a bool: Go sops writes `True`/`False`.
pub fn bool_bytes(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// Reads a bool as Go's `strconv.ParseBool` does.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_key() -> DataKey {
        // example.yaml's data key, from shared/fixtures/sops/README.md.
        let hex = "9ac088cf7029981341457c39dd56dde54600dfbce9b5ede23aa65c418900ab67";
        let bytes: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        DataKey::from_bytes(&bytes).unwrap()
    }

    #[test]
    fn decrypts_a_value_written_by_sops() {
        let text = "ENC[AES256_GCM,data:DywXZc/D+Q==,iv:O6r4yGD+odLEhDsc0y7aYGb1j/UC83ipBPfiQ69Vvic=,tag:JrZvo0ZQNag1D+nGnwDf1A==,type:str]";
        let sealed = Sealed::parse(text).unwrap();
        let plain = open(&fixture_key(), &sealed, "app2:db:password:").unwrap();
        assert_eq!(&plain[..], b"c4r1b0u");
        assert_eq!(sealed.to_text(), text);
    }

    #[test]
    fn resealing_with_the_same_iv_reproduces_sops_output_byte_for_byte() {
        let text = "ENC[AES256_GCM,data:ncsT6Jih58uKyg==,iv:UeY6Q0QBhGlfihP5mi/YMOADw58mcZd/Xaz/zwk1TVM=,tag:n5OvH45qiTpJh8IDZ4VzgQ==,type:float]";
        let sealed = Sealed::parse(text).unwrap();
        let iv: [u8; 32] = sealed.iv.clone().try_into().unwrap();
        let again = seal(
            &fixture_key(),
            float_bytes(1234568000.0).as_bytes(),
            "number:",
            ValueType::Float,
            Some(&iv),
        );
        assert_eq!(again.to_text(), text);
    }

    #[test]
    fn a_wrong_path_or_a_flipped_bit_fails_authentication() {
        let key = fixture_key();
        let sealed = seal(&key, b"secret", "a:b:", ValueType::Str, None);
        assert!(open(&key, &sealed, "a:c:").is_err());
        let mut flipped = sealed.clone();
        flipped.data[0] ^= 1;
        assert!(open(&key, &flipped, "a:b:").is_err());
        assert_eq!(&open(&key, &sealed, "a:b:").unwrap()[..], b"secret");
    }

    #[test]
    fn malformed_values_are_refused() {
        for bad in [
            "ENC[AES256_GCM,data:,iv:AA==,tag:AA==,type:str]",
            "ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]",
            "ENC[AES256_GCM,data:AA==,iv:AA==,type:str]",
            "ENC[AES256_GCM,data:%%,iv:AA==,tag:AA==,type:str]",
            "ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:weird]",
        ] {
            assert!(Sealed::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_sops_values_count_as_encrypted() {
        assert!(is_encrypted(
            "ENC[AES256_GCM,data:DywXZc/D+Q==,iv:AA==,tag:AA==,type:str]"
        ));
        for clear in [
            "c4r1b0u",
            "",
            "ENC[",
            "ENC[PGP,data:AA==]",
            "enc[AES256_GCM,data:",
        ] {
            assert!(!is_encrypted(clear), "{clear}");
        }
    }

    #[test]
    fn iv_and_tag_lengths_are_each_checked() {
        let iv = B64.encode([7u8; IV_LEN]);
        let tag = B64.encode([9u8; TAG_LEN]);
        let short = B64.encode([1u8; 12]);
        let good = format!("ENC[AES256_GCM,data:AA==,iv:{iv},tag:{tag},type:str]");
        assert!(Sealed::parse(&good).is_ok());
        for bad in [
            format!("ENC[AES256_GCM,data:AA==,iv:{short},tag:{tag},type:str]"),
            format!("ENC[AES256_GCM,data:AA==,iv:{iv},tag:{short},type:str]"),
        ] {
            let err = Sealed::parse(&bad).unwrap_err();
            assert!(err.starts_with("iv must be 32 bytes and tag 16"), "{err}");
        }
    }

    #[test]
    fn every_value_type_reads_back_from_its_name() {
        for kind in [
            ValueType::Str,
            ValueType::Int,
            ValueType::Float,
            ValueType::Bool,
            ValueType::Time,
            ValueType::Comment,
            ValueType::Bytes,
        ] {
            assert_eq!(ValueType::parse(kind.name()), Some(kind));
        }
        assert_eq!(ValueType::parse("int64"), Some(ValueType::Int));
        assert_eq!(ValueType::parse("string"), None);
    }

    #[test]
    fn debug_output_never_shows_the_data_key() {
        assert_eq!(format!("{:?}", fixture_key()), "DataKey(..)");
    }

    #[test]
    fn bools_read_and_write_as_go_does() {
        assert_eq!((bool_bytes(true), bool_bytes(false)), ("True", "False"));
        for text in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(parse_bool(text), Some(true), "{text}");
        }
        for text in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(parse_bool(text), Some(false), "{text}");
        }
        assert_eq!(parse_bool("yes"), None);
    }

    #[test]
    fn non_finite_floats_are_written_as_go_does() {
        assert_eq!(float_bytes(f64::NAN), "NaN");
        assert_eq!(float_bytes(f64::INFINITY), "+Inf");
        assert_eq!(float_bytes(f64::NEG_INFINITY), "-Inf");
    }

    #[test]
    fn floats_never_use_an_exponent() {
        assert_eq!(float_bytes(1234568000.0), "1234568000");
        assert_eq!(float_bytes(25.4), "25.4");
        assert_eq!(float_bytes(0.0000001), "0.0000001");
        assert_eq!(float_bytes(1.0), "1");
        assert_eq!(float_bytes(1e21), "1000000000000000000000");
    }
}
