//! The `sops` metadata block: read in any layout sops has written (struct order with empty
//! lists up to 3.9, sorted since 3.13), written in the 3.13 layout.

use crate::document::{Node, Value, emit};
use anyhow::{Result, anyhow, bail};
use regex::Regex;

/// The sops release whose file layout cfgctl writes. `sops edit` requires a semver here.
pub const SOPS_VERSION: &str = "3.13.2";

/// One age recipient and the data key wrapped for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeKey {
    pub recipient: String,
    pub enc: String,
}

/// Which leaves are encrypted (SOPS-FORMAT.md §4). At most one rule per file.
#[derive(Debug, Clone)]
pub enum Selector {
    UnencryptedSuffix(String),
    EncryptedSuffix(String),
    UnencryptedRegex(Regex),
    EncryptedRegex(Regex),
    /// Comment-driven rules: read (values are decrypted when they carry `ENC[`) but not
    /// written by cfgctl.
    UnencryptedCommentRegex(String),
    EncryptedCommentRegex(String),
}

/// The longest regex accepted from settings (`.sops.yaml`, a file's metadata), in characters.
pub const MAX_REGEX_CHARS: usize = 4096;

/// Compiles a regex that comes from a settings file (`path_regex`, `encrypted_regex`, …)
/// under limits, so that a huge or pathological pattern is a quick, clear error instead of
/// gigabytes of memory: at most [`MAX_REGEX_CHARS`] characters, 1 MiB of compiled program,
/// 2 MiB of lazy-DFA cache. The regex crate's matching is linear-time in any case.
pub fn settings_regex(key: &str, pattern: &str) -> Result<Regex> {
    // Every secret file of a repository names the same few patterns (`encrypted_regex`), and
    // compiling one costs as much as reading a file: each is compiled once per process. A
    // compiled regex is shared by cloning it.
    const REMEMBERED: usize = 64;
    static COMPILED: std::sync::Mutex<Vec<(String, Regex)>> = std::sync::Mutex::new(Vec::new());
    let chars = pattern.chars().count();
    if chars > MAX_REGEX_CHARS {
        bail!("`{key}` is {chars} characters long, over the limit of {MAX_REGEX_CHARS}");
    }
    let remembered = |compiled: &[(String, Regex)]| {
        compiled
            .iter()
            .find(|(p, _)| p == pattern)
            .map(|(_, r)| r.clone())
    };
    if let Some(regex) = remembered(&COMPILED.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(regex);
    }
    let regex = regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(2 << 20)
        .build()
        .map_err(|e| {
            let text = e.to_string();
            let last = text.lines().last().unwrap_or_default().trim().to_string();
            anyhow!("`{key}` is not a valid regular expression: {last}")
        })?;
    let mut compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
    if compiled.len() < REMEMBERED && remembered(&compiled).is_none() {
        compiled.push((pattern.to_string(), regex.clone()));
    }
    Ok(regex)
}

impl Default for Selector {
    fn default() -> Self {
        Selector::UnencryptedSuffix("_unencrypted".into())
    }
}

impl PartialEq for Selector {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key() && self.pattern() == other.pattern()
    }
}

impl Selector {
    /// The metadata (and `.sops.yaml`) key of this rule.
    pub fn key(&self) -> &'static str {
        match self {
            Selector::UnencryptedSuffix(_) => "unencrypted_suffix",
            Selector::EncryptedSuffix(_) => "encrypted_suffix",
            Selector::UnencryptedRegex(_) => "unencrypted_regex",
            Selector::EncryptedRegex(_) => "encrypted_regex",
            Selector::UnencryptedCommentRegex(_) => "unencrypted_comment_regex",
            Selector::EncryptedCommentRegex(_) => "encrypted_comment_regex",
        }
    }

    pub fn pattern(&self) -> &str {
        match self {
            Selector::UnencryptedSuffix(s)
            | Selector::EncryptedSuffix(s)
            | Selector::UnencryptedCommentRegex(s)
            | Selector::EncryptedCommentRegex(s) => s,
            Selector::UnencryptedRegex(r) | Selector::EncryptedRegex(r) => r.as_str(),
        }
    }

    /// Builds a rule from its key and text; `None` when the key is not a rule key.
    /// Regexes are compiled under the limits of [`settings_regex`].
    pub fn from_key(key: &str, value: &str) -> Option<Result<Selector>> {
        let regex = |v: &str| settings_regex(key, v);
        Some(match key {
            "unencrypted_suffix" => Ok(Selector::UnencryptedSuffix(value.into())),
            "encrypted_suffix" => Ok(Selector::EncryptedSuffix(value.into())),
            "unencrypted_regex" => regex(value).map(Selector::UnencryptedRegex),
            "encrypted_regex" => regex(value).map(Selector::EncryptedRegex),
            "unencrypted_comment_regex" => Ok(Selector::UnencryptedCommentRegex(value.into())),
            "encrypted_comment_regex" => Ok(Selector::EncryptedCommentRegex(value.into())),
            _ => return None,
        })
    }

    /// The one rule among a mapping's keys (metadata or a creation rule); `None` if none.
    pub fn from_map(map: &crate::document::Map) -> Result<Option<Selector>> {
        let mut found = None;
        for (key, entry) in map {
            if let Some(value) = entry.value.as_str()
                && let Some(selector) = Selector::from_key(key, value)
            {
                if found.is_some() {
                    bail!("more than one of the *_suffix/*_regex keys (sops allows one)");
                }
                found = Some(selector?);
            }
        }
        Ok(found)
    }

    /// Whether a value at this key path is encrypted. Every component is tested (ancestors
    /// and the leaf's own key); `None` for the comment rules, which decide by comments.
    pub fn encrypts(&self, path: &[String]) -> Option<bool> {
        let any = |test: &dyn Fn(&str) -> bool| path.iter().any(|k| test(k));
        Some(match self {
            Selector::UnencryptedSuffix(s) => !any(&|k| k.ends_with(s.as_str())),
            Selector::EncryptedSuffix(s) => any(&|k| k.ends_with(s.as_str())),
            Selector::UnencryptedRegex(r) => !any(&|k| r.is_match(k)),
            Selector::EncryptedRegex(r) => any(&|k| r.is_match(k)),
            Selector::UnencryptedCommentRegex(_) | Selector::EncryptedCommentRegex(_) => {
                return None;
            }
        })
    }
}

/// The metadata cfgctl reads and writes.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub age: Vec<AgeKey>,
    pub lastmodified: String,
    pub mac: String,
    pub selector: Selector,
    pub mac_only_encrypted: bool,
    pub version: String,
    /// Key sources cfgctl cannot wrap for (`pgp`, `kms`, …) that hold entries. Decrypting with
    /// age still works; rewriting the file would drop them, so that is refused.
    pub foreign_keys: Vec<String>,
}

const KEY_LISTS: [&str; 8] = [
    "pgp",
    "kms",
    "gcp_kms",
    "azure_kv",
    "hc_vault",
    "hckms",
    "key_groups",
    "shamir_threshold",
];

impl Metadata {
    /// Reads the `sops` mapping of a parsed YAML or JSON file.
    pub fn from_node(node: &Node) -> Result<Metadata> {
        let Value::Map(map) = &node.value else {
            bail!("`sops` is not a mapping");
        };
        let text = |key: &str| -> Result<Option<String>> {
            match map.get(key).map(|e| &e.value.value) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Int(i)) => Ok(Some(i.to_string())),
                Some(Value::Float(f)) => Ok(Some(f.to_string())),
                Some(Value::Bool(b)) => Ok(Some(b.to_string())),
                Some(_) => bail!("`sops.{key}` must be a string"),
            }
        };
        let mut age = Vec::new();
        match map.get("age").map(|e| &e.value.value) {
            None | Some(Value::Null) => {}
            Some(Value::Seq(items)) => {
                for item in items {
                    let recipient = item.get("recipient").and_then(Node::as_str);
                    let enc = item.get("enc").and_then(Node::as_str);
                    match (recipient, enc) {
                        (Some(recipient), Some(enc)) => age.push(AgeKey {
                            recipient: recipient.trim().to_string(),
                            enc: enc.to_string(),
                        }),
                        _ => bail!(
                            "`sops.age` entries need `recipient` and `enc` (line {})",
                            item.pos.line
                        ),
                    }
                }
            }
            Some(_) => bail!("`sops.age` must be a list"),
        }
        let mut foreign_keys = Vec::new();
        for key in KEY_LISTS {
            match map.get(key).map(|e| &e.value.value) {
                None | Some(Value::Null) => {}
                Some(Value::Seq(items)) if items.is_empty() => {}
                Some(_) => foreign_keys.push(key.to_string()),
            }
        }
        let selector = Selector::from_map(map)?;
        let mac_only_encrypted = matches!(
            map.get("mac_only_encrypted").map(|e| &e.value.value),
            Some(Value::Bool(true))
        );
        Ok(Metadata {
            age,
            lastmodified: text("lastmodified")?
                .ok_or_else(|| anyhow!("`sops.lastmodified` is missing"))?,
            mac: text("mac")?.ok_or_else(|| anyhow!("`sops.mac` is missing"))?,
            selector: selector.unwrap_or_default(),
            mac_only_encrypted,
            version: text("version")?.unwrap_or_default(),
            foreign_keys,
        })
    }

    /// Reads the flattened `[sops]` section of an INI file (`age__list_0__map_enc = …`).
    pub fn from_ini(pairs: &[(String, String)]) -> Result<Metadata> {
        let mut age: Vec<(Option<String>, Option<String>)> = Vec::new();
        let mut fields = std::collections::HashMap::new();
        for (key, value) in pairs {
            if let Some(rest) = key.strip_prefix("age__list_") {
                let (index, field) = rest
                    .split_once("__map_")
                    .ok_or_else(|| anyhow!("unexpected metadata key `{key}`"))?;
                let index: usize = index
                    .parse()
                    .map_err(|_| anyhow!("unexpected metadata key `{key}`"))?;
                if age.len() <= index {
                    age.resize(index + 1, (None, None));
                }
                // INI values hold newlines as `\n`.
                let value = value.replace("\\n", "\n");
                match field {
                    "recipient" => age[index].0 = Some(value),
                    "enc" => age[index].1 = Some(value),
                    _ => {}
                }
            } else {
                fields.insert(key.as_str(), value.as_str());
            }
        }
        let age = age
            .into_iter()
            .map(|(recipient, enc)| match (recipient, enc) {
                (Some(recipient), Some(enc)) => Ok(AgeKey { recipient, enc }),
                _ => Err(anyhow!("an `age__list_N` entry lacks recipient or enc")),
            })
            .collect::<Result<_>>()?;
        let mut selector = Selector::default();
        for (key, value) in &fields {
            if let Some(s) = Selector::from_key(key, value) {
                selector = s?;
            }
        }
        Ok(Metadata {
            age,
            lastmodified: fields
                .get("lastmodified")
                .ok_or_else(|| anyhow!("`lastmodified` is missing"))?
                .to_string(),
            mac: fields
                .get("mac")
                .ok_or_else(|| anyhow!("`mac` is missing"))?
                .to_string(),
            selector,
            mac_only_encrypted: fields.get("mac_only_encrypted") == Some(&"true"),
            version: fields.get("version").unwrap_or(&"").to_string(),
            foreign_keys: Vec::new(),
        })
    }

    /// The metadata entries in the order sops 3.13 writes them (sorted, empty lists omitted).
    pub(crate) fn sorted_scalars(&self) -> Vec<(&'static str, String, bool)> {
        // (key, value, is_string)
        let mut out = vec![
            ("lastmodified", self.lastmodified.clone(), true),
            ("mac", self.mac.clone(), true),
            (
                self.selector.key(),
                self.selector.pattern().to_string(),
                true,
            ),
            ("version", self.version.clone(), true),
        ];
        if self.mac_only_encrypted {
            out.push(("mac_only_encrypted", "true".into(), false));
        }
        out.sort_by_key(|(k, _, _)| *k);
        out
    }

    /// The `sops:` block for the end of a YAML document, indented by four like sops.
    pub fn to_yaml(&self) -> String {
        let mut out = String::from("sops:\n");
        let mut scalars = self.sorted_scalars().into_iter().peekable();
        // `age` sorts before every scalar key.
        if !self.age.is_empty() {
            out.push_str("    age:\n");
            for key in &self.age {
                out.push_str("        - enc: |\n");
                for line in key.enc.lines() {
                    out.push_str("            ");
                    out.push_str(line);
                    out.push('\n');
                }
                out.push_str(&format!(
                    "          recipient: {}\n",
                    emit::quote_if_needed(&key.recipient)
                ));
            }
        }
        for (key, value, is_string) in scalars.by_ref() {
            let value = match key {
                // Quoted so it stays a string for every YAML reader; Flux looks for `mac: ENC[`
                // unquoted.
                "lastmodified" => format!("\"{value}\""),
                "mac" => value,
                // A semver is a string to every YAML reader; sops writes it bare.
                "version"
                    if value.chars().all(|c| c.is_ascii_digit() || c == '.')
                        && value.matches('.').count() == 2 =>
                {
                    value
                }
                _ if is_string => emit::quote_if_needed(&value),
                _ => value,
            };
            out.push_str(&format!("    {key}: {value}\n"));
        }
        out
    }

    /// The `"sops": {…}` member for the end of a JSON object, at nesting depth 1 with `indent`.
    pub fn to_json(&self, indent: &str) -> String {
        let i1 = indent;
        let i2 = indent.repeat(2);
        let i3 = indent.repeat(3);
        let i4 = indent.repeat(4);
        let mut members = Vec::new();
        if !self.age.is_empty() {
            let entries: Vec<String> = self
                .age
                .iter()
                .map(|k| {
                    format!(
                        "{i3}{{\n{i4}\"enc\": {},\n{i4}\"recipient\": {}\n{i3}}}",
                        go_json_string(&k.enc),
                        go_json_string(&k.recipient)
                    )
                })
                .collect();
            members.push(format!("{i2}\"age\": [\n{}\n{i2}]", entries.join(",\n")));
        }
        for (key, value, is_string) in self.sorted_scalars() {
            let value = if is_string {
                go_json_string(&value)
            } else {
                value
            };
            members.push(format!("{i2}\"{key}\": {value}"));
        }
        format!("{i1}\"sops\": {{\n{}\n{i1}}}", members.join(",\n"))
    }
}

/// A JSON string as Go's encoder writes it (`<`, `>` and `&` escaped too).
pub fn go_json_string(s: &str) -> String {
    serde_json::to_string(s)
        .expect("strings serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Metadata {
        Metadata {
            age: vec![AgeKey {
                recipient: "age1abc".into(),
                enc: "-----BEGIN AGE ENCRYPTED FILE-----\nAAAA\n-----END AGE ENCRYPTED FILE-----\n"
                    .into(),
            }],
            lastmodified: "2026-01-01T00:00:00Z".into(),
            mac: "ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]".into(),
            selector: Selector::default(),
            mac_only_encrypted: false,
            version: SOPS_VERSION.into(),
            foreign_keys: vec![],
        }
    }

    #[test]
    fn yaml_block_follows_the_sops_3_13_layout() {
        assert_eq!(
            sample().to_yaml(),
            "sops:\n    age:\n        - enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n            AAAA\n            -----END AGE ENCRYPTED FILE-----\n          recipient: age1abc\n    lastmodified: \"2026-01-01T00:00:00Z\"\n    mac: ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]\n    unencrypted_suffix: _unencrypted\n    version: 3.13.2\n"
        );
    }

    #[test]
    fn json_member_follows_the_sops_3_13_layout() {
        let json = sample().to_json("\t");
        assert!(
            json.starts_with(
                "\t\"sops\": {\n\t\t\"age\": [\n\t\t\t{\n\t\t\t\t\"enc\": \"-----BEGIN"
            )
        );
        assert!(json.contains("\"mac\": \"ENC["));
        assert!(json.ends_with("\t\t\"version\": \"3.13.2\"\n\t}"));
    }

    #[test]
    fn selectors_test_every_component_of_the_path() {
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let default = Selector::default();
        assert_eq!(default.encrypts(&path(&["db", "password"])), Some(true));
        assert_eq!(
            default.encrypts(&path(&["db_unencrypted", "password"])),
            Some(false)
        );
        let only = Selector::from_key("encrypted_regex", "^(password|token)$")
            .unwrap()
            .unwrap();
        assert_eq!(only.encrypts(&path(&["db", "password"])), Some(true));
        assert_eq!(only.encrypts(&path(&["db", "host"])), Some(false));
        assert_eq!(only.encrypts(&path(&["token", "x"])), Some(true));
    }

    fn from_yaml(text: &str) -> Result<Metadata> {
        let root = crate::document::test_yaml(text);
        Metadata::from_node(root.get("sops").expect("a sops block"))
    }

    #[test]
    fn settings_regexes_have_a_length_limit() {
        assert!(settings_regex("encrypted_regex", &"a".repeat(MAX_REGEX_CHARS)).is_ok());
        let err = settings_regex("encrypted_regex", &"a".repeat(MAX_REGEX_CHARS + 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`encrypted_regex` is 4097 characters long, over the limit of 4096"
        );
        let err = settings_regex("path_regex", "(").unwrap_err().to_string();
        assert!(
            err.starts_with("`path_regex` is not a valid regular expression: "),
            "{err}"
        );
    }

    #[test]
    fn a_remembered_regex_is_the_same_regex_and_errors_name_their_key() {
        let first = settings_regex("encrypted_regex", "^(data|stringData)$").unwrap();
        let again = settings_regex("unencrypted_regex", "^(data|stringData)$").unwrap();
        assert_eq!(first.as_str(), again.as_str());
        assert!(again.is_match("data") && !again.is_match("metadata"));
        for key in ["path_regex", "encrypted_regex"] {
            let err = settings_regex(key, "(").unwrap_err().to_string();
            assert!(err.starts_with(&format!("`{key}` is not a valid")), "{err}");
        }
    }

    #[test]
    fn every_rule_key_builds_its_selector() {
        for key in [
            "unencrypted_suffix",
            "encrypted_suffix",
            "unencrypted_regex",
            "encrypted_regex",
            "unencrypted_comment_regex",
            "encrypted_comment_regex",
        ] {
            let selector = Selector::from_key(key, "^x$").unwrap().unwrap();
            assert_eq!((selector.key(), selector.pattern()), (key, "^x$"));
            assert_eq!(selector, Selector::from_key(key, "^x$").unwrap().unwrap());
            assert_ne!(selector, Selector::from_key(key, "^y$").unwrap().unwrap());
        }
        assert!(Selector::from_key("path_regex", "^x$").is_none());
        assert_ne!(
            Selector::from_key("encrypted_suffix", "_x")
                .unwrap()
                .unwrap(),
            Selector::from_key("unencrypted_suffix", "_x")
                .unwrap()
                .unwrap()
        );
    }

    #[test]
    fn every_selector_decides_as_sops_does() {
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let rule = |key: &str, pattern: &str| Selector::from_key(key, pattern).unwrap().unwrap();
        let public = rule("unencrypted_regex", "^public");
        assert_eq!(public.encrypts(&path(&["public_url"])), Some(false));
        assert_eq!(public.encrypts(&path(&["public", "token"])), Some(false));
        assert_eq!(public.encrypts(&path(&["db", "token"])), Some(true));
        let secret = rule("encrypted_suffix", "_secret");
        assert_eq!(secret.encrypts(&path(&["db_secret", "host"])), Some(true));
        assert_eq!(secret.encrypts(&path(&["db", "host"])), Some(false));
        let comments = rule("encrypted_comment_regex", "sops:enc");
        assert_eq!(comments.encrypts(&path(&["db"])), None);
    }

    #[test]
    fn a_map_holds_at_most_one_rule() {
        let root = crate::document::test_yaml("encrypted_regex: ^a$\nunencrypted_suffix: _x\n");
        let err = Selector::from_map(root.as_map().unwrap()).unwrap_err();
        assert!(err.to_string().starts_with("more than one of"), "{err}");
        let root = crate::document::test_yaml("path_regex: x\nencrypted_regex: ^a$\n");
        let found = Selector::from_map(root.as_map().unwrap()).unwrap().unwrap();
        assert_eq!(found.key(), "encrypted_regex");
        let root = crate::document::test_yaml("path_regex: x\n");
        assert!(
            Selector::from_map(root.as_map().unwrap())
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn reads_foreign_key_sources_and_the_mac_scope() {
        let meta = from_yaml(
            "sops:\n  kms:\n    - arn: x\n  pgp: []\n  gcp_kms: null\n  age:\n    - recipient: ' age1abc '\n      enc: E\n  lastmodified: '2026-01-01T00:00:00Z'\n  mac: M\n  mac_only_encrypted: true\n  encrypted_regex: ^pw$\n  version: 3.9.0\n",
        )
        .unwrap();
        assert_eq!(meta.foreign_keys, ["kms"]);
        assert!(meta.mac_only_encrypted);
        assert_eq!(meta.selector.key(), "encrypted_regex");
        assert_eq!(
            meta.age,
            [AgeKey {
                recipient: "age1abc".into(),
                enc: "E".into()
            }]
        );
        let meta = from_yaml("sops:\n  lastmodified: x\n  mac: M\n").unwrap();
        assert!(meta.foreign_keys.is_empty() && !meta.mac_only_encrypted && meta.age.is_empty());
        assert_eq!(meta.selector, Selector::default());
        let err =
            from_yaml("sops:\n  age:\n    - recipient: age1abc\n  lastmodified: x\n  mac: M\n")
                .unwrap_err();
        assert!(
            err.to_string().contains("need `recipient` and `enc`"),
            "{err}"
        );
    }

    #[test]
    fn reads_the_flattened_ini_section() {
        let pairs: Vec<(String, String)> = [
            ("age__list_1__map_recipient", "age1second"),
            ("age__list_1__map_enc", "B\\nC"),
            ("age__list_0__map_enc", "A"),
            ("age__list_0__map_recipient", "age1first"),
            ("lastmodified", "2026-01-01T00:00:00Z"),
            ("mac", "M"),
            ("mac_only_encrypted", "true"),
            ("unencrypted_suffix", "_plain"),
            ("version", "3.13.2"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let meta = Metadata::from_ini(&pairs).unwrap();
        let recipients: Vec<_> = meta.age.iter().map(|k| k.recipient.as_str()).collect();
        assert_eq!(recipients, ["age1first", "age1second"]);
        assert_eq!(meta.age[1].enc, "B\nC");
        assert!(meta.mac_only_encrypted);
        assert_eq!(meta.selector.pattern(), "_plain");
        assert_eq!((meta.mac.as_str(), meta.version.as_str()), ("M", "3.13.2"));
        let no_scope = Metadata::from_ini(&pairs[..6]).unwrap();
        assert!(!no_scope.mac_only_encrypted);
        assert!(Metadata::from_ini(&pairs[1..]).is_err());
    }

    /// Scalars that YAML would read as something else are quoted; booleans stay bare.
    #[test]
    fn yaml_and_json_blocks_quote_what_needs_it() {
        let meta = Metadata {
            age: vec![],
            selector: Selector::from_key("encrypted_regex", "[Pp]assword")
                .unwrap()
                .unwrap(),
            mac_only_encrypted: true,
            version: "3.7".into(),
            ..sample()
        };
        assert_eq!(
            meta.to_yaml(),
            "sops:\n    encrypted_regex: \"[Pp]assword\"\n    lastmodified: \"2026-01-01T00:00:00Z\"\n    mac: ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]\n    mac_only_encrypted: true\n    version: \"3.7\"\n"
        );
        assert_eq!(
            meta.to_json("  "),
            "  \"sops\": {\n    \"encrypted_regex\": \"[Pp]assword\",\n    \"lastmodified\": \"2026-01-01T00:00:00Z\",\n    \"mac\": \"ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]\",\n    \"mac_only_encrypted\": true,\n    \"version\": \"3.7\"\n  }"
        );
        assert_eq!(go_json_string("a<b>&c"), "\"a\\u003cb\\u003e\\u0026c\"");
    }
}
