//! Secrets in the SOPS file format (see SOPS-FORMAT.md in the design notes): keys stay
//! readable, each value is AES-256-GCM encrypted under its key path, one data key per file is
//! wrapped for every age recipient, and a MAC over all values detects tampering.
//!
//! Files are changed in place: a value is swapped for its `ENC[...]` string (and back) where it
//! stands, so keys, order, comments and clear-text values stay byte-identical, and re-encrypting
//! an unchanged value reuses its IV, giving the same ciphertext and a one-line Git diff.
//!
//! - `cipher`: one value (`ENC[...]`, AES-GCM, plaintext bytes per type)
//! - `keys`: age recipients and identities, wrapping the data key
//! - `metadata`: the `sops` block, read in any layout, written in the 3.13 one
//! - `scan`: leaves and comments of YAML/JSON with byte spans and key paths
//! - `ini`: the read-only INI store
//! - `dotenv`: the dotenv store (`.env`), read and written
//! - `rules`: `.sops.yaml` creation rules
//! - `rekey`: what updatekeys and rotate do to a file (re-wrap or rotate)
//! - `check`: the findings of `secrets check`
//! - `files`: the files bulk commands walk, and the encrypted ones among them
//! - `environment`: an environment's secret files, for `${SECRET:…}` in render
//! - `edit`: `secrets edit`'s private plaintext file, removed on every way out
//! - `merge`: the three-way merge behind the Git merge driver
//! - `textconv`: what `git diff` shows of an encrypted file
//! - `git_setup`: the `.gitattributes` lines and Git settings for both
//! - `values`: setting and removing one value of a decrypted file
//! - `inventory`: what the encrypted files hold and how old it is, without a key

pub mod check;
pub mod cipher;
pub mod dotenv;
pub mod edit;
pub mod environment;
pub mod files;
pub mod git_setup;
pub mod gofmt;
pub mod ini;
pub mod inventory;
pub mod keys;
pub mod merge;
pub mod metadata;
pub mod rekey;
pub mod rules;
pub mod scan;
pub mod textconv;
pub mod values;

use crate::document::Value;
use anyhow::{Result, anyhow, bail};
pub use cipher::DataKey;
use cipher::{IV_LEN, Sealed, ValueType};
use keys::Keyring;
use metadata::{AgeKey, Metadata, Selector};
use sha2::{Digest, Sha512};
use std::collections::HashMap;
use std::ops::Range;
use zeroize::Zeroizing;

/// How a file is stored, chosen by extension as sops does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Yaml,
    Json,
    /// Read-only.
    Ini,
    /// `.env`: `KEY=VALUE` lines, metadata as `sops_…` lines.
    Dotenv,
    /// Any other file: the whole content is one value in a JSON envelope (`data`).
    Binary,
}

impl Store {
    pub fn from_path(path: &str) -> Store {
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("yaml" | "yml") => Store::Yaml,
            Some("json") => Store::Json,
            Some("ini") => Store::Ini,
            Some("env") => Store::Dotenv,
            _ => Store::Binary,
        }
    }
}

/// Why opening a file failed in a way the user can act on (exit 1 for tampering, 2 for keys).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no identity can unwrap the data key (recipients: {recipients})")]
    NoIdentity {
        recipients: String,
        tried: Vec<String>,
    },
    #[error(
        "MAC mismatch: the file was changed outside sops/cfgctl (a value, its order, or `lastmodified`)"
    )]
    MacMismatch,
    #[error("{location}: {message}")]
    Value { location: String, message: String },
}

impl OpenError {
    /// The error as one line naming the file; a missing identity gets a hint that lists the
    /// places tried and says what to do.
    pub fn explain(self, label: &str) -> anyhow::Error {
        match self {
            OpenError::NoIdentity { recipients, tried } => crate::error::CliError::new(anyhow!(
                "{label}: no identity can unwrap the data key (recipients: {recipients})"
            ))
            .with_hint(format!(
                "tried {}; put the private key in SOPS_AGE_KEY_FILE or {}, or pass --identity FILE",
                tried.join(", "),
                keys::default_identity_path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "keys.txt".into())
            ))
            .into(),
            other => anyhow!("{label}: {other}"),
        }
    }
}

/// A file with sops metadata, as read from disk.
#[derive(Debug)]
pub struct SecretFile {
    pub store: Store,
    pub text: String,
    pub metadata: Metadata,
    body: Body,
}

#[derive(Debug)]
enum Body {
    Tree(scan::Scan),
    Ini(ini::Ini),
}

/// Remembers the IVs of each (key path, plaintext), in file order, so re-encrypting an
/// unchanged value gives the same ciphertext (sops's `Cipher.stash`). Equal values at the same
/// path each keep their own IV.
#[derive(Default, Clone)]
pub struct Stash(HashMap<(String, Vec<u8>), Vec<[u8; IV_LEN]>>);

impl Stash {
    fn remember(&mut self, aad: &str, plaintext: &[u8], iv: &[u8]) {
        if let Ok(iv) = iv.try_into() {
            self.0
                .entry((aad.to_string(), plaintext.to_vec()))
                .or_default()
                .push(iv);
        }
    }

    /// Adds another file's IVs (made under the same data key) after this one's.
    pub fn extend(&mut self, other: &Stash) {
        for (value, ivs) in &other.0 {
            let mine = self.0.entry(value.clone()).or_default();
            for iv in ivs {
                if !mine.contains(iv) {
                    mine.push(*iv);
                }
            }
        }
    }

    /// The IV of the `nth` occurrence of this value at this path.
    fn iv(&self, aad: &str, plaintext: &[u8], nth: usize) -> Option<&[u8; IV_LEN]> {
        self.0.get(&(aad.to_string(), plaintext.to_vec()))?.get(nth)
    }
}

/// A decrypted file.
pub struct Opened {
    pub key: DataKey,
    /// The document without its `sops` block, every value in clear (for the binary store, the
    /// file's content). Wiped when dropped.
    pub plaintext: Zeroizing<String>,
    pub stash: Stash,
    /// Comments that did not decrypt and were kept as they are.
    pub warnings: Vec<String>,
}

/// The AAD of a value or comment: its mapping keys joined with `:`, plus a trailing `:`.
pub fn aad(path: &[String]) -> String {
    let mut out = path.join(":");
    out.push(':');
    out
}

/// Reads a file's sops structure; `Ok(None)` when it has no `sops` metadata (plain text).
pub fn read(path: &str, bytes: &[u8]) -> Result<Option<SecretFile>> {
    if !looks_encrypted(bytes) {
        return Ok(None);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| anyhow!("{path}: not UTF-8 text"))?;
    let store = match Store::from_path(path) {
        // A `.env` file encrypted whole (the binary store's JSON envelope), as cfgctl wrote
        // them before it knew the dotenv store.
        Store::Dotenv if text.trim_start().starts_with('{') => Store::Binary,
        store => store,
    };
    let (body, metadata) = match store {
        Store::Ini => {
            let parsed = ini::parse(text);
            if parsed.sops_section.is_none() {
                return Ok(None);
            }
            let metadata =
                Metadata::from_ini(&parsed.metadata).map_err(|e| anyhow!("{path}: {e}"))?;
            (Body::Ini(parsed), metadata)
        }
        Store::Dotenv => {
            let parsed = dotenv::parse(text).map_err(|e| anyhow!("{path}: {e}"))?;
            if parsed.sops_section.is_none() {
                return Ok(None);
            }
            let metadata =
                Metadata::from_ini(&parsed.metadata).map_err(|e| anyhow!("{path}: {e}"))?;
            (Body::Ini(parsed), metadata)
        }
        Store::Yaml | Store::Json | Store::Binary => {
            if store == Store::Binary && !text.trim_start().starts_with('{') {
                return Ok(None);
            }
            let scanned = scan::scan(text)
                .map_err(|e| anyhow!("{path}:{}:{}: {}", e.line, e.column, e.message))?;
            if scanned.sops_entry.is_none() {
                return Ok(None);
            }
            let format = if store == Store::Yaml {
                crate::document::Format::Yaml
            } else {
                crate::document::Format::Json
            };
            let document =
                crate::document::parse_secret(bytes, format, &crate::document::Limits::default())
                    .map_err(|e| e.in_file(path))?;
            let node = document
                .roots
                .first()
                .and_then(|root| root.get("sops"))
                .ok_or_else(|| anyhow!("{path}: no `sops` metadata"))?;
            let metadata = Metadata::from_node(node).map_err(|e| anyhow!("{path}: {e}"))?;
            (Body::Tree(scanned), metadata)
        }
    };
    Ok(Some(SecretFile {
        store,
        text: text.to_string(),
        metadata,
        body,
    }))
}

/// Whether a file's bytes may carry sops metadata: a cheap test before a full [`read`].
pub fn looks_encrypted(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    has(b"ENC[AES256_GCM,") && has(b"sops")
}

/// Finds the data key with the keyring's identities.
pub fn unwrap_key(file: &SecretFile, keyring: &Keyring) -> Result<DataKey, OpenError> {
    for entry in &file.metadata.age {
        match keys::unwrap(&entry.enc, keyring.identities()) {
            Ok(Some(key)) => return Ok(key),
            Ok(None) => {}
            Err(e) => {
                return Err(OpenError::Value {
                    location: format!("sops.age[{}]", entry.recipient),
                    message: e.to_string(),
                });
            }
        }
    }
    Err(OpenError::NoIdentity {
        recipients: file
            .metadata
            .age
            .iter()
            .map(|a| a.recipient.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        tried: keyring.tried.clone(),
    })
}

/// The MAC accumulator: SHA-512 over plaintext bytes in file order (SOPS-FORMAT.md §5).
struct Mac {
    hash: Sha512,
    only_encrypted: bool,
}

impl Mac {
    fn new(only_encrypted: bool) -> Mac {
        let mut hash = Sha512::new();
        if only_encrypted {
            hash.update(sha2::Sha256::digest(b"sops"));
        }
        Mac {
            hash,
            only_encrypted,
        }
    }

    fn add(&mut self, bytes: &[u8], encrypted: bool) {
        if !self.only_encrypted || encrypted {
            self.hash.update(bytes);
        }
    }

    fn hex(self) -> String {
        self.hash
            .finalize()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }
}

/// The plaintext bytes of a clear-text value, as they feed the MAC; `None` for null.
fn clear_bytes(value: &Value) -> Option<(ValueType, String)> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => (ValueType::Bool, cipher::bool_bytes(*b).to_string()),
        Value::Int(i) => (ValueType::Int, i.to_string()),
        Value::Float(f) => (ValueType::Float, cipher::float_bytes(*f)),
        Value::String(s) => (ValueType::Str, s.clone()),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

/// `lastmodified` as sops re-formats it for the MAC's AAD: RFC 3339, fractional seconds
/// dropped, a zero offset written `Z`.
pub fn normalize_lastmodified(text: &str) -> String {
    let (main, offset) = match text
        .find(['Z', 'z', '+'])
        .or_else(|| text.rfind('-').filter(|&i| i > 10))
    {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let main = main.split('.').next().unwrap_or(main);
    let offset = match offset {
        "z" | "Z" | "+00:00" | "-00:00" => "Z",
        other => other,
    };
    format!("{main}{offset}")
}

/// Decrypts a file: unwraps the data key, opens every value and comment, verifies the MAC.
pub fn open(file: &SecretFile, keyring: &Keyring) -> Result<Opened, OpenError> {
    let key = unwrap_key(file, keyring)?;
    open_with_key(file, key)
}

/// Decrypts a file with a known data key.
pub fn open_with_key(file: &SecretFile, key: DataKey) -> Result<Opened, OpenError> {
    let meta = &file.metadata;
    let text = &file.text;
    let mut mac = Mac::new(meta.mac_only_encrypted);
    let mut stash = Stash::default();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut warnings = Vec::new();
    let json = matches!(file.store, Store::Json | Store::Binary);
    let mut binary_data: Option<Zeroizing<Vec<u8>>> = None;
    let layout = Layout::of(text);

    let value_error = |path: &[String], message: String| OpenError::Value {
        location: if path.is_empty() {
            "(top level)".into()
        } else {
            path.join(".")
        },
        message,
    };

    // Opens one ENC string; returns its type and plaintext.
    let open_value = |path: &[String],
                      enc: &str,
                      stash: &mut Stash|
     -> Result<(ValueType, Zeroizing<Vec<u8>>), OpenError> {
        let sealed = Sealed::parse(enc).map_err(|m| value_error(path, m))?;
        let aad = aad(path);
        let plain =
            cipher::open(&key, &sealed, &aad).map_err(|e| value_error(path, e.to_string()))?;
        stash.remember(&aad, &plain, &sealed.iv);
        Ok((sealed.kind, plain))
    };

    match &file.body {
        Body::Tree(scanned) => {
            for leaf in &scanned.leaves {
                let encrypted = match meta.selector.encrypts(&leaf.path) {
                    Some(rule) => rule,
                    None => matches!(&leaf.value, Value::String(s) if cipher::is_encrypted(s)),
                };
                match (&leaf.value, encrypted) {
                    (Value::String(s), true) if s.is_empty() => {}
                    (Value::String(enc), true) => {
                        if !cipher::is_encrypted(enc) {
                            return Err(value_error(
                                &leaf.path,
                                "the value should be encrypted but is clear text".into(),
                            ));
                        }
                        let (kind, plain) = open_value(&leaf.path, enc, &mut stash)?;
                        if kind == ValueType::Comment {
                            // sops writes comments inside lists as list items; back to a comment.
                            let dash = text[..leaf.span.start]
                                .rfind('-')
                                .unwrap_or(leaf.span.start);
                            let comment = String::from_utf8_lossy(&plain);
                            edits.push((dash..leaf.span.end, format!("#{comment}")));
                            continue;
                        }
                        mac.add(&plain, true);
                        if file.store == Store::Binary {
                            binary_data = Some(plain);
                            continue;
                        }
                        let rendered = render_plain(kind, &plain, leaf, json, &layout)
                            .map_err(|m| value_error(&leaf.path, m))?;
                        edits.push((leaf.span.clone(), rendered));
                    }
                    (Value::Null, true) => {}
                    (value, true) => {
                        return Err(value_error(
                            &leaf.path,
                            format!(
                                "the value should be encrypted but is a clear {}",
                                type_name(value)
                            ),
                        ));
                    }
                    (value, false) => {
                        if let Some((_, bytes)) = clear_bytes(value) {
                            mac.add(bytes.as_bytes(), false);
                        }
                    }
                }
            }
            for comment in &scanned.comments {
                let body = &text[comment.span.start + 1..comment.span.end];
                if !cipher::is_encrypted(body) {
                    continue;
                }
                // The path sops files a comment under follows yaml.v3's attachment rules, which
                // a file edited by hand can blur: the authentication tag tells which path
                // was used, so every collection's path is tried after the expected one.
                let opened = Sealed::parse(body).ok().and_then(|sealed| {
                    std::iter::once(&comment.path)
                        .chain(scanned.paths.iter())
                        .find_map(|path| {
                            let comment_aad = aad(path);
                            let plain = cipher::open(&key, &sealed, &comment_aad).ok()?;
                            stash.remember(&aad(&comment.path), &plain, &sealed.iv);
                            Some(plain)
                        })
                });
                match opened {
                    Some(plain) => edits.push((
                        comment.span.clone(),
                        format!("#{}", String::from_utf8_lossy(&plain)),
                    )),
                    None => warnings.push(format!(
                        "line {}: a comment did not decrypt and was kept as it is",
                        text[..comment.span.start].matches('\n').count() + 1
                    )),
                }
            }
            if let Some(cut) = &scanned.sops_entry {
                edits.push((cut.clone(), String::new()));
            }
        }
        Body::Ini(parsed) => {
            for item in &parsed.items {
                match item {
                    ini::Item::Value {
                        path,
                        span,
                        text: value,
                    } => {
                        let encrypted = meta
                            .selector
                            .encrypts(path)
                            .unwrap_or_else(|| cipher::is_encrypted(value));
                        if encrypted && !value.is_empty() {
                            let (kind, plain) = open_value(path, value, &mut stash)?;
                            mac.add(&plain, true);
                            let shown = String::from_utf8_lossy(&plain).replace('\n', "\\n");
                            let _ = kind;
                            edits.push((span.clone(), shown));
                        } else {
                            mac.add(value.as_bytes(), false);
                        }
                    }
                    ini::Item::Comment {
                        path,
                        span,
                        text: body,
                    } => {
                        let lead = &body[..body.len() - body.trim_start().len()];
                        let body = body.trim_start();
                        if cipher::is_encrypted(body) {
                            if let Some(plain) = Sealed::parse(body)
                                .ok()
                                .and_then(|s| cipher::open(&key, &s, &aad(path)).ok())
                            {
                                edits.push((
                                    span.clone(),
                                    format!("{lead}{}", String::from_utf8_lossy(&plain)),
                                ));
                            } else {
                                warnings
                                    .push("a comment did not decrypt and was kept as it is".into());
                            }
                        }
                    }
                }
            }
            if let Some(cut) = &parsed.sops_section {
                // sops writes a blank line before `[sops]`; it goes with the section.
                let mut start = cut.start;
                while text[..start].ends_with("\n\n") {
                    start -= 1;
                }
                edits.push((start..cut.end, String::new()));
            }
        }
    }

    let stored_mac =
        Sealed::parse(&meta.mac).map_err(|m| value_error(&["sops".into(), "mac".into()], m))?;
    let stored = cipher::open(
        &key,
        &stored_mac,
        &normalize_lastmodified(&meta.lastmodified),
    )
    .map_err(|_| OpenError::MacMismatch)?;
    let computed = mac.hex();
    if !constant_time_eq(&stored, computed.as_bytes()) {
        return Err(OpenError::MacMismatch);
    }

    let plaintext = match binary_data {
        Some(data) => Zeroizing::new(String::from_utf8_lossy(&data).into_owned()),
        None => Zeroizing::new(apply_edits(text, edits)),
    };
    Ok(Opened {
        key,
        plaintext,
        stash,
        warnings,
    })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) => "integer",
        Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "list",
        Value::Map(_) => "mapping",
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Applies non-overlapping replacements to a text.
fn apply_edits(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Writes a decrypted value where its `ENC[...]` stood, so the document reads back as the same
/// type and value.
fn render_plain(
    kind: ValueType,
    plain: &[u8],
    leaf: &scan::Leaf,
    json: bool,
    layout: &Layout,
) -> Result<String, String> {
    let text = std::str::from_utf8(plain)
        .map_err(|_| format!("the decrypted {} is not UTF-8", kind.name()))?;
    Ok(match kind {
        ValueType::Str | ValueType::Bytes | ValueType::Comment => {
            if json {
                serde_json::to_string(text).expect("strings serialise")
            } else if !leaf.in_flow
                && let Some(mut block) = literal_block(text, leaf.base_column + layout.indent)
            {
                // The line break after the `ENC[...]` value ends the block's last line.
                if layout.newline_follows(leaf.span.end) && block.ends_with('\n') {
                    block.pop();
                }
                block
            } else if leaf.in_flow {
                crate::document::emit::quote_if_needed(text).replace('\n', "\\n")
            } else {
                crate::document::emit::quote_if_needed(text)
            }
        }
        ValueType::Int => {
            text.parse::<i64>()
                .map_err(|_| format!("`{text}` is not an integer"))?;
            text.to_string()
        }
        ValueType::Float => {
            let value: f64 = match text {
                "+Inf" | "Inf" => f64::INFINITY,
                "-Inf" => f64::NEG_INFINITY,
                "NaN" => f64::NAN,
                _ => text
                    .parse()
                    .map_err(|_| format!("`{text}` is not a number"))?,
            };
            if json {
                gofmt::json_float(value)
                    .ok_or("JSON cannot hold an infinite or NaN number".to_string())?
            } else {
                gofmt::yaml_float(value)
            }
        }
        ValueType::Bool => match cipher::parse_bool(text) {
            Some(true) => "true".into(),
            Some(false) => "false".into(),
            None => return Err(format!("`{text}` is not a boolean")),
        },
        ValueType::Time => {
            if json {
                serde_json::to_string(text).expect("strings serialise")
            } else {
                text.to_string()
            }
        }
    })
}

/// What decrypted values are written to fit: the file's indentation step (sops writes 4).
struct Layout<'a> {
    text: &'a str,
    indent: usize,
}

impl<'a> Layout<'a> {
    fn of(text: &'a str) -> Layout<'a> {
        let indent = text
            .lines()
            .map(|line| line.len() - line.trim_start_matches(' ').len())
            .find(|&n| n > 0)
            .unwrap_or(2);
        Layout { text, indent }
    }

    fn newline_follows(&self, offset: usize) -> bool {
        self.text[offset..].starts_with(['\n', '\r'])
    }
}

/// A literal block (`|`, `|-`) for a multi-line string, or `None` when the string needs the
/// escapes of a double-quoted scalar.
fn literal_block(text: &str, indent: usize) -> Option<String> {
    if !text.contains('\n') || text.starts_with([' ', '\t', '\n']) || text.ends_with("\n\n") {
        return None;
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
        || text.contains('\r')
    {
        return None;
    }
    let (body, header) = match text.strip_suffix('\n') {
        Some(body) => (body, "|"),
        None => (text, "|-"),
    };
    let pad = " ".repeat(indent);
    let mut out = String::from(header);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    if header == "|" {
        out.push('\n');
    }
    Some(out)
}

/// What encrypting needs besides the plaintext.
pub struct SealOptions<'a> {
    pub key: DataKey,
    /// Wrapped data keys, already made for `key`.
    pub age: Vec<AgeKey>,
    pub selector: Selector,
    pub mac_only_encrypted: bool,
    /// IVs of unchanged values, from the previous version of the file.
    pub stash: Option<&'a Stash>,
    /// `lastmodified`, RFC 3339 UTC.
    pub now: String,
}

/// Encrypts a plain YAML/JSON document (or, for the binary store, any content) into the sops
/// format, in place.
pub fn seal(store: Store, plaintext: &str, options: &SealOptions<'_>) -> Result<String> {
    if options.selector.encrypts(&[]).is_none() {
        bail!(
            "cfgctl cannot encrypt with `{}` yet; use encrypted_regex or a suffix rule",
            options.selector.key()
        );
    }
    if options.age.is_empty() {
        bail!("no age recipients to encrypt for");
    }
    let envelope;
    let (store, text) = match store {
        Store::Ini => {
            bail!(
                "cfgctl writes YAML, JSON and dotenv secret files; INI files can only be decrypted"
            )
        }
        Store::Dotenv => return within_read_limit(dotenv::seal(plaintext, options)?),
        Store::Binary => {
            envelope = format!(
                "{{\n\t\"data\": {}\n}}\n",
                serde_json::to_string(plaintext)?
            );
            (Store::Json, envelope.as_str())
        }
        other => (other, plaintext),
    };
    // What decrypting refuses must not be written: duplicate keys (the scan below would keep
    // both, and every reader refuses the file), and a file over the size limit.
    let format = if store == Store::Json {
        crate::document::Format::Json
    } else {
        crate::document::Format::Yaml
    };
    crate::document::parse_secret(text.as_bytes(), format, &crate::document::Limits::default())
        .map_err(|e| e.in_file("the document"))?;
    let scanned = scan::scan(text)
        .map_err(|e| anyhow!("line {}, column {}: {}", e.line, e.column, e.message))?;
    if scanned.sops_entry.is_some() {
        bail!("the document already has a top-level `sops` key (is it encrypted already?)");
    }
    let key = &options.key;
    let mut mac = Mac::new(options.mac_only_encrypted);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let json = store == Store::Json;
    let mut seen: HashMap<(String, Vec<u8>), usize> = HashMap::new();
    let mut seal_one = |path: &[String], kind: ValueType, bytes: &[u8]| -> String {
        let aad = aad(path);
        let nth = seen.entry((aad.clone(), bytes.to_vec())).or_default();
        let iv = options.stash.and_then(|s| s.iv(&aad, bytes, *nth));
        *nth += 1;
        cipher::seal(key, bytes, &aad, kind, iv).to_text()
    };
    for leaf in &scanned.leaves {
        let encrypted = options.selector.encrypts(&leaf.path).unwrap_or(true);
        let Some((kind, bytes)) = clear_bytes(&leaf.value) else {
            continue;
        };
        if !encrypted || (kind == ValueType::Str && bytes.is_empty()) {
            mac.add(bytes.as_bytes(), false);
            continue;
        }
        mac.add(bytes.as_bytes(), true);
        let enc = seal_one(&leaf.path, kind, bytes.as_bytes());
        let mut replacement = if json || leaf.in_flow {
            format!("\"{enc}\"")
        } else {
            enc
        };
        if leaf.style == scan::Style::Block && text[leaf.span.clone()].ends_with('\n') {
            replacement.push('\n');
        }
        edits.push((leaf.span.clone(), replacement));
    }
    for comment in &scanned.comments {
        let body = &text[comment.span.start + 1..comment.span.end];
        if body.is_empty() || !options.selector.encrypts(&comment.path).unwrap_or(true) {
            continue;
        }
        let enc = seal_one(&comment.path, ValueType::Comment, body.as_bytes());
        let begin = text[..comment.span.start].rfind('\n').map_or(0, |n| n + 1);
        // sops files a comment under a list as one of its items; so does cfgctl, at the
        // list's `-`, so that sops reads it back (decrypting turns it into a comment again).
        // An inline comment goes on its own line above, where sops puts it: yaml.v3 loses
        // an encrypted comment after a quoted key's value.
        let item = match comment.list_column {
            Some(dash) => format!("{}- {enc}", " ".repeat(dash)),
            None => {
                let line = &text[begin..comment.span.start];
                let indent = line.len() - line.trim_start_matches(' ').len();
                format!("{}#{enc}", " ".repeat(indent))
            }
        };
        if !comment.inline && comment.list_column.is_none() {
            edits.push((comment.span.clone(), format!("#{enc}")));
        } else if comment.inline {
            let cut = text[..comment.span.start]
                .trim_end_matches([' ', '\t'])
                .len();
            edits.push((begin..begin, format!("{item}\n")));
            edits.push((cut..comment.span.end, String::new()));
        } else {
            edits.push((begin..comment.span.end, item));
        }
    }
    let metadata = sealed_metadata(key, mac, options);
    if json {
        let close = scanned
            .root_close
            .ok_or_else(|| anyhow!("the JSON document has no closing `}}`"))?;
        let indent = detect_indent(text).unwrap_or_else(|| "\t".to_string());
        let member = metadata.to_json(&indent);
        if scanned.has_data {
            let last = text[..close].trim_end().len();
            edits.push((last..close, format!(",\n{member}\n")));
        } else {
            let open = text[..close].rfind('{').unwrap_or(0);
            edits.push((open + 1..close, format!("\n{member}\n")));
        }
        within_read_limit(apply_edits(text, edits))
    } else {
        let mut out = apply_edits(text, edits);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&metadata.to_yaml());
        within_read_limit(out)
    }
}

/// Refuses an encrypted file that [`read`] would refuse for its size.
fn within_read_limit(out: String) -> Result<String> {
    let limit = crate::document::DEFAULT_MAX_FILE_BYTES;
    if out.len() as u64 > limit {
        bail!(
            "the encrypted file would be {} bytes, over the {limit} bytes cfgctl and its readers accept; split it into several files",
            out.len()
        );
    }
    Ok(out)
}

/// The indentation unit of a JSON text: the leading whitespace of its first indented line.
fn detect_indent(text: &str) -> Option<String> {
    text.lines().skip(1).find_map(|line| {
        let lead: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        (!lead.is_empty()).then_some(lead)
    })
}

/// The `sops` metadata of a file just sealed: its recipients, the time, its selector and the
/// MAC over its values, encrypted under the data key as sops stores it.
fn sealed_metadata(key: &DataKey, mac: Mac, options: &SealOptions<'_>) -> Metadata {
    let mac_text = cipher::seal(
        key,
        mac.hex().as_bytes(),
        &normalize_lastmodified(&options.now),
        ValueType::Str,
        None,
    )
    .to_text();
    Metadata {
        age: options.age.clone(),
        lastmodified: options.now.clone(),
        mac: mac_text,
        selector: options.selector.clone(),
        mac_only_encrypted: options.mac_only_encrypted,
        version: metadata::SOPS_VERSION.to_string(),
        foreign_keys: Vec::new(),
    }
}

/// The current time as sops writes `lastmodified` (`CFGCTL_NOW` fixes it, as for every
/// command that reads the clock).
pub fn now_rfc3339() -> Result<String> {
    let seconds = crate::clock::now()?;
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (y, m, d) = crate::clock::civil_from_days(days);
    Ok(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// The file with its metadata replaced and every value left byte-identical (the MAC covers
/// values only, so new wrapped keys need no re-encryption).
pub fn rewrite_metadata(file: &SecretFile, metadata: &Metadata) -> Result<String> {
    let scanned = match &file.body {
        Body::Tree(scanned) => scanned,
        Body::Ini(parsed) if file.store == Store::Dotenv => {
            return dotenv::rewrite_metadata(&file.text, parsed, metadata);
        }
        Body::Ini(_) => bail!("cfgctl rewrites YAML, JSON and dotenv secret files only"),
    };
    let cut = scanned
        .sops_entry
        .clone()
        .ok_or_else(|| anyhow!("no `sops` metadata"))?;
    let text = &file.text;
    if scanned.flow_root {
        let indent = detect_indent(text).unwrap_or_else(|| "\t".to_string());
        let member = metadata.to_json(&indent);
        let mut out = text.to_string();
        if scanned.has_data {
            // `cut` starts right after the previous member's value, so its comma goes with it.
            out.replace_range(cut.clone(), &format!(",\n{member}"));
        } else {
            out.replace_range(cut.clone(), member.trim_start());
        }
        Ok(out)
    } else {
        Ok(format!("{}{}", &text[..cut.start], metadata.to_yaml()))
    }
}

/// Values the file's own rule says must be encrypted but that are clear text (a value added
/// by hand to an encrypted file): their positions and printed key paths.
pub fn clear_values_that_must_be_encrypted(
    file: &SecretFile,
) -> Vec<(crate::document::Pos, String)> {
    let Body::Tree(scanned) = &file.body else {
        return Vec::new();
    };
    scanned
        .leaves
        .iter()
        .filter(|leaf| file.metadata.selector.encrypts(&leaf.path) == Some(true))
        .filter(|leaf| match &leaf.value {
            Value::Null => false,
            Value::String(s) => !s.is_empty() && !cipher::is_encrypted(s),
            _ => true,
        })
        .map(|leaf| {
            (
                crate::document::pos_at_byte(file.text.as_bytes(), leaf.span.start),
                leaf.path.join("."),
            )
        })
        .collect()
}

/// Encrypts a new file for a target (a new data key, wrapped for its recipients).
pub fn seal_new(
    store: Store,
    plaintext: &str,
    target: &rules::Target,
    now: &str,
) -> Result<String> {
    let key = DataKey::generate();
    let age = wrap_for(&key, &target.recipients)?;
    seal(
        store,
        plaintext,
        &SealOptions {
            key,
            age,
            selector: target.selector.clone(),
            mac_only_encrypted: target.mac_only_encrypted,
            stash: None,
            now: now.to_string(),
        },
    )
}

/// Re-encrypts an edited plaintext with the file's data key, recipients and rule; unchanged
/// values keep their ciphertext.
pub fn reseal(file: &SecretFile, opened: &Opened, plaintext: &str, now: &str) -> Result<String> {
    if !file.metadata.foreign_keys.is_empty() {
        bail!(
            "the file also has {} keys, which cfgctl cannot re-wrap; edit it with sops",
            file.metadata.foreign_keys.join("/")
        );
    }
    seal(
        file.store,
        plaintext,
        &SealOptions {
            key: opened.key.clone(),
            age: file.metadata.age.clone(),
            selector: file.metadata.selector.clone(),
            mac_only_encrypted: file.metadata.mac_only_encrypted,
            stash: Some(&opened.stash),
            now: now.to_string(),
        },
    )
}

/// Wraps a data key for each recipient.
pub fn wrap_for(key: &DataKey, recipients: &[String]) -> Result<Vec<AgeKey>> {
    recipients
        .iter()
        .map(|r| {
            let recipient = keys::Recipient::parse(r)?;
            Ok(AgeKey {
                recipient: r.trim().to_string(),
                enc: keys::wrap(key, &recipient)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
