//! The format against files sops wrote, and round trips of what cfgctl writes.

use super::*;
use crate::document::{Format, Limits, parse};
use std::collections::BTreeMap;

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sops")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn fixture_keyring() -> Keyring {
    let mut ring = Keyring::default();
    ring.add_text(&fixture("keys.txt"), "keys.txt").unwrap();
    ring
}

fn open_fixture(name: &str) -> Opened {
    let file = read(name, fixture(name).as_bytes())
        .unwrap()
        .expect("has sops metadata");
    open(&file, &fixture_keyring()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn decrypts_the_sops_yaml_fixture_and_verifies_its_mac() {
    let opened = open_fixture("example.yaml");
    let doc = parse(
        opened.plaintext.as_bytes(),
        Format::Yaml,
        &Limits::default(),
    )
    .unwrap();
    let root = doc.roots[0].to_json();
    assert_eq!(root["myapp1"], "t00m4nys3cr3tzupdated");
    assert_eq!(root["app2"]["db"]["user"], "eve");
    assert_eq!(root["app2"]["db"]["password"], "c4r1b0u");
    let key = root["app2"]["key"].as_str().unwrap();
    assert!(key.starts_with("-----BEGIN RSA PRIVATE KEY-----\nMIIBPAIBAAJBAPTMNIyHuZtpLYc7"));
    assert!(key.ends_with("-----END RSA PRIVATE KEY-----\n"));
    assert_eq!(key.lines().count(), 9);
    assert_eq!(root["number"], 1234568000.0);
    assert_eq!(
        root["an_array"],
        serde_json::json!([
            "secretuser1",
            "secretuser2",
            "somelongvalueAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "some other value"
        ])
    );
    assert_eq!(root["somebooleans"], serde_json::json!([true, false]));
    assert_eq!(
        root["this"]["is"]["a"]["nested"]["value"],
        "with something secret in it"
    );
    assert_eq!(
        root["nested_unencrypted"]["this"]["is"]["all"],
        "going to remain in clear text"
    );
    assert!(root.get("sops").is_none());
    // Comments decrypt with the path of their mapping.
    assert!(
        opened
            .plaintext
            .contains("# private key for secret operations in app2")
    );
    assert!(
        opened
            .plaintext
            .contains("# by adding the `_unencrypted` suffix")
    );
    assert!(opened.warnings.is_empty());
}

#[test]
fn decrypts_the_json_ini_and_binary_fixtures() {
    let json = open_fixture("example.json");
    let doc: serde_json::Value = serde_json::from_str(&json.plaintext).unwrap();
    assert_eq!(doc["firstName"], "John");
    assert_eq!(doc["lastName"], "Smith");
    assert_eq!(doc["age"], 25.4);
    assert_eq!(doc["phoneNumbers"][1]["number"], "646 555-4567");
    assert_eq!(doc["address"]["postalCode"], "10021-3100");
    assert_eq!(doc["anEmptyValue"], "");
    assert!(doc.get("sops").is_none());

    let ini = open_fixture("example.ini");
    assert!(ini.plaintext.contains("firstName = John"));
    assert!(ini.plaintext.contains("office = 646 555-4567"));
    assert!(ini.plaintext.contains("notsecret_unencrypted = hi there!"));
    assert!(ini.plaintext.contains("An example file for use with sops!"));
    assert!(!ini.plaintext.contains("[sops]"));

    let txt = open_fixture("example.txt");
    assert_eq!(
        txt.plaintext.as_str(),
        "Welcome to SOPS!\n\nSOPS is a manager of encrypted files designed to help distribute secrets.\nCheck it out, it's on github: https://github.com/mozilla/sops\n\n"
    );
}

#[test]
fn unwraps_the_documented_data_keys() {
    for (name, hex) in [
        (
            "example.yaml",
            "9ac088cf7029981341457c39dd56dde54600dfbce9b5ede23aa65c418900ab67",
        ),
        (
            "example.json",
            "82ee047aa51fbcf65882bdeb1996b6d729d457364a9eba6b41766cc742415fdb",
        ),
        (
            "example.ini",
            "e2c0e2d64fca33615d5856a9a98f41cba5c23f8a2300b3beaf4976065610faba",
        ),
    ] {
        let file = read(name, fixture(name).as_bytes()).unwrap().unwrap();
        let key = unwrap_key(&file, &fixture_keyring()).unwrap();
        let got: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, hex, "{name}");
    }
}

#[test]
fn tampering_with_a_value_the_mac_or_lastmodified_is_detected() {
    let original = fixture("example.yaml");
    let ring = fixture_keyring();
    // A value swapped for another valid ciphertext at another path fails its AAD.
    let swapped = original.replacen(
        "user: ENC[AES256_GCM,data:/cSI,",
        "user: ENC[AES256_GCM,data:/cSJ,",
        1,
    );
    let lastmodified = original.replace("2022-03-15T22:11:15Z", "2022-03-15T22:11:16Z");
    let mac = original.replacen(
        "mac: ENC[AES256_GCM,data:dwrq",
        "mac: ENC[AES256_GCM,data:dwrr",
        1,
    );
    // Clear-text values are covered by the MAC too.
    let clear = original.replace("remain in clear text\n", "remain in clear text!\n");
    for (what, text) in [
        ("value", swapped),
        ("lastmodified", lastmodified),
        ("mac", mac),
        ("clear value", clear),
    ] {
        let file = read("example.yaml", text.as_bytes()).unwrap().unwrap();
        assert!(
            open(&file, &ring).is_err(),
            "{what} tampering went unnoticed"
        );
    }
}

#[test]
fn a_missing_identity_names_the_recipients_and_the_places_tried() {
    let file = read("example.yaml", fixture("example.yaml").as_bytes())
        .unwrap()
        .unwrap();
    let mut ring = Keyring::default();
    ring.tried.push("SOPS_AGE_KEY (unset)".into());
    match open(&file, &ring) {
        Err(OpenError::NoIdentity { recipients, tried }) => {
            assert!(
                recipients
                    .contains("age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw")
            );
            assert_eq!(tried, ["SOPS_AGE_KEY (unset)"]);
        }
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("opened without an identity"),
    }
}

fn seal_options<'a>(
    key: DataKey,
    identity_recipient: &str,
    stash: Option<&'a Stash>,
) -> SealOptions<'a> {
    SealOptions {
        age: wrap_for(&key, &[identity_recipient.to_string()]).unwrap(),
        key,
        selector: Selector::default(),
        mac_only_encrypted: false,
        stash,
        now: "2026-01-01T00:00:00Z".into(),
    }
}

fn new_identity() -> (Keyring, String) {
    let (text, recipient) = keys::generate();
    let mut ring = Keyring::default();
    ring.add_text(&text, "generated").unwrap();
    (ring, recipient)
}

#[test]
fn yaml_round_trip_keeps_keys_order_comments_and_clear_values() {
    let plain = "# Database credentials\ndb:\n  user: app # who connects\n  password: \"s3cr:et\"\n  port: 5432\n  ratio: 0.5\n  tls: true\n  empty: \"\"\n  nothing: null\n  cert: |\n    line one\n    line two\n  hosts: [a, b]\nsettings_unencrypted:\n  region: eu-west-1\n";
    let (ring, recipient) = new_identity();
    let sealed = seal(
        Store::Yaml,
        plain,
        &seal_options(DataKey::generate(), &recipient, None),
    )
    .unwrap();
    assert!(sealed.contains("  password: ENC[AES256_GCM,"));
    assert!(sealed.contains("type:int]"));
    assert!(sealed.contains("type:float]"));
    assert!(sealed.contains("type:bool]"));
    assert!(sealed.contains("  empty: \"\"\n  nothing: null\n"));
    assert!(sealed.contains("  hosts: [\"ENC[AES256_GCM,"), "{sealed}");
    assert!(sealed.contains("settings_unencrypted:\n  region: eu-west-1\n"));
    assert!(
        sealed.contains("#ENC[AES256_GCM,"),
        "comments are encrypted"
    );
    assert!(!sealed.contains("s3cr"));
    assert!(sealed.contains("\n    mac: ENC[AES256_GCM,"));
    assert!(sealed.contains("\n    lastmodified: \"2026-01-01T00:00:00Z\"\n"));
    let file = read("x.yaml", sealed.as_bytes()).unwrap().unwrap();
    let opened = open(&file, &ring).unwrap();
    let back = parse(
        opened.plaintext.as_bytes(),
        Format::Yaml,
        &Limits::default(),
    )
    .unwrap();
    let want = parse(plain.as_bytes(), Format::Yaml, &Limits::default()).unwrap();
    assert_eq!(back.roots[0].to_json(), want.roots[0].to_json());
    assert!(opened.plaintext.contains("# Database credentials\n"));
    assert!(opened.plaintext.contains("# who connects\n"));
}

#[test]
fn resealing_unchanged_values_reuses_their_ciphertext() {
    let plain = "a: one\nb: two\n";
    let (ring, recipient) = new_identity();
    let key = DataKey::generate();
    let first = seal(
        Store::Yaml,
        plain,
        &seal_options(key.clone(), &recipient, None),
    )
    .unwrap();
    let opened = open(&read("x.yaml", first.as_bytes()).unwrap().unwrap(), &ring).unwrap();
    let changed = opened.plaintext.replace("b: two", "b: three");
    let second = seal(
        Store::Yaml,
        &changed,
        &seal_options(key, &recipient, Some(&opened.stash)),
    )
    .unwrap();
    let line_a = |t: &str| t.lines().next().unwrap().to_string();
    assert_eq!(line_a(&first), line_a(&second));
    assert_ne!(first.lines().nth(1), second.lines().nth(1));
}

#[test]
fn json_round_trip_appends_sops_as_the_last_member() {
    let plain = "{\n  \"user\": \"admin\",\n  \"pin\": 1234,\n  \"nested\": {\"token\": \"t\"},\n  \"list\": [1.5, false]\n}\n";
    let (ring, recipient) = new_identity();
    let sealed = seal(
        Store::Json,
        plain,
        &seal_options(DataKey::generate(), &recipient, None),
    )
    .unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&sealed).unwrap();
    assert_eq!(
        parsed.as_object().unwrap().keys().next_back().unwrap(),
        "sops"
    );
    assert!(sealed.contains("\"mac\": \"ENC["));
    let opened = open(&read("x.json", sealed.as_bytes()).unwrap().unwrap(), &ring).unwrap();
    let back: serde_json::Value = serde_json::from_str(&opened.plaintext).unwrap();
    let want: serde_json::Value = serde_json::from_str(plain).unwrap();
    assert_eq!(back, want);
    assert_eq!(opened.plaintext.as_str(), plain);
}

#[test]
fn binary_round_trip() {
    let (ring, recipient) = new_identity();
    let content = "any\ntext: with [brackets]\n";
    let sealed = seal(
        Store::Binary,
        content,
        &seal_options(DataKey::generate(), &recipient, None),
    )
    .unwrap();
    let opened = open(&read("x.env", sealed.as_bytes()).unwrap().unwrap(), &ring).unwrap();
    assert_eq!(opened.plaintext.as_str(), content);
}

/// A small deterministic generator: documents of nested maps and lists with every scalar type.
struct Gen(crate::test_rng::Xorshift);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0.next()
    }

    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn scalar(&mut self) -> String {
        match self.pick(9) {
            0 => format!("{}", self.pick(100_000) as i64 - 50_000),
            1 => format!("{}.{}", self.pick(1000), self.pick(1000) + 1),
            2 => "true".into(),
            3 => "false".into(),
            4 => "\"\"".into(),
            5 => "null".into(),
            6 => "\"quoted: with # and ' \\\" and é\"".into(),
            7 => "'017'".into(),
            _ => format!("word{}", self.pick(1000)),
        }
    }

    fn key(&mut self) -> String {
        match self.pick(6) {
            0 => format!("k{}_unencrypted", self.pick(50)),
            _ => format!("k{}", self.pick(1_000_000)),
        }
    }

    fn map(&mut self, indent: usize, depth: u32, out: &mut String) {
        let pad = " ".repeat(indent);
        for _ in 0..1 + self.pick(5) {
            let key = self.key();
            match if depth > 2 { 0 } else { self.pick(4) } {
                0 | 1 => out.push_str(&format!("{pad}{key}: {}\n", self.scalar())),
                2 => {
                    out.push_str(&format!("{pad}{key}:\n"));
                    self.map(indent + 2, depth + 1, out);
                }
                _ => {
                    out.push_str(&format!("{pad}{key}:\n"));
                    for _ in 0..1 + self.pick(3) {
                        out.push_str(&format!("{pad}  - {}\n", self.scalar()));
                    }
                }
            }
        }
    }
}

/// Whether a generated document repeats a key within one mapping (which YAML forbids).
fn has_duplicate_key(text: &str) -> bool {
    let mut levels: Vec<(usize, std::collections::BTreeSet<&str>)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let Some((key, _)) = trimmed
            .split_once(':')
            .filter(|_| !trimmed.starts_with("- "))
        else {
            continue;
        };
        let indent = line.len() - trimmed.len();
        while levels.last().is_some_and(|(i, _)| *i > indent) {
            levels.pop();
        }
        if levels.last().is_none_or(|(i, _)| *i < indent) {
            levels.push((indent, Default::default()));
        }
        if !levels.last_mut().unwrap().1.insert(key) {
            return true;
        }
    }
    false
}

#[test]
fn property_decrypt_of_encrypt_is_identity_and_clear_parts_stay_byte_identical() {
    let (ring, recipient) = new_identity();
    let key = DataKey::generate();
    let options = seal_options(key, &recipient, None);
    let mut generator = Gen(crate::test_rng::Xorshift(0x005e_edcf_9c71));
    let mut duplicates = 0;
    for case in 0..200 {
        let mut plain = String::new();
        generator.map(0, 0, &mut plain);
        let Ok(doc) = parse(plain.as_bytes(), Format::Yaml, &Limits::default()) else {
            // Two generated keys alike in one mapping: not a document anyone could seal.
            assert!(
                has_duplicate_key(&plain),
                "case {case}: the generator wrote a document that does not parse:\n{plain}"
            );
            duplicates += 1;
            continue;
        };
        let sealed = seal(Store::Yaml, &plain, &options).unwrap();
        // Every key line keeps its key text and indentation, in order.
        let keys_of = |t: &str| -> Vec<String> {
            t.lines()
                .take_while(|l| !l.starts_with("sops:"))
                .filter(|l| !l.trim_start().starts_with("- "))
                .filter_map(|l| l.split_once(':').map(|(k, _)| k.to_string()))
                .collect()
        };
        assert_eq!(keys_of(&sealed), keys_of(&plain), "case {case}:\n{plain}");
        for line in plain
            .lines()
            .filter(|l| l.contains("_unencrypted:") && !l.trim_end().ends_with(':'))
        {
            assert!(
                sealed.contains(line),
                "case {case}: clear line changed: {line}"
            );
        }
        let opened = open(&read("x.yaml", sealed.as_bytes()).unwrap().unwrap(), &ring).unwrap();
        let back = parse(
            opened.plaintext.as_bytes(),
            Format::Yaml,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            back.roots[0].to_json(),
            doc.roots[0].to_json(),
            "case {case}:\n{plain}\n{}",
            opened.plaintext.as_str()
        );
        // Re-encrypting the decrypted text with the stash gives the same values back.
        let again = seal(
            Store::Yaml,
            &opened.plaintext,
            &SealOptions {
                stash: Some(&opened.stash),
                ..seal_options(opened.key.clone(), &recipient, None)
            },
        )
        .unwrap();
        let values = |t: &str| t.split("sops:").next().unwrap().to_string();
        assert_eq!(values(&again), values(&sealed), "case {case}");
    }
    // Skipped cases prove nothing: nearly all must have run.
    assert!(
        duplicates <= 10,
        "{duplicates} of 200 generated cases were skipped"
    );
}

#[test]
fn lastmodified_is_normalised_like_go_formats_it() {
    assert_eq!(
        normalize_lastmodified("2022-03-15T22:11:15Z"),
        "2022-03-15T22:11:15Z"
    );
    assert_eq!(
        normalize_lastmodified("2022-03-15T22:11:15.123Z"),
        "2022-03-15T22:11:15Z"
    );
    assert_eq!(
        normalize_lastmodified("2022-03-15T22:11:15+01:00"),
        "2022-03-15T22:11:15+01:00"
    );
    assert_eq!(
        normalize_lastmodified("2022-03-15T22:11:15.5-05:00"),
        "2022-03-15T22:11:15-05:00"
    );
    assert_eq!(
        normalize_lastmodified("2022-03-15T22:11:15+00:00"),
        "2022-03-15T22:11:15Z"
    );
}

/// Where in `example.yaml` a damaged line lies, for the damage a decrypt may survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// An encrypted comment: neither in the MAC nor needed for a value; sops keeps a comment
    /// that does not decrypt as it is, with a warning.
    Comment,
    /// An age stanza's `recipient:` (a label: the stanza is tried with every identity).
    Recipient,
    /// The armored data key of an age stanza (the other stanza still unwraps it).
    WrappedKey,
    /// Anything else: a value, a key, `lastmodified`, `mac`, the structure.
    Covered,
}

fn places(text: &str) -> Vec<Place> {
    let mut in_sops = false;
    let mut in_armor = false;
    text.lines()
        .map(|line| {
            let t = line.trim();
            in_sops |= line == "sops:";
            if t == "-----BEGIN AGE ENCRYPTED FILE-----" {
                in_armor = true;
            }
            let place = if t.starts_with("#ENC[") && !in_sops {
                Place::Comment
            } else if in_sops && t.starts_with("- recipient: age1") {
                Place::Recipient
            } else if in_armor {
                Place::WrappedKey
            } else {
                Place::Covered
            };
            if t == "-----END AGE ENCRYPTED FILE-----" {
                in_armor = false;
            }
            place
        })
        .collect()
}

#[test]
fn damaged_files_are_errors_never_panics() {
    // Flip, drop and duplicate bytes of a real sops file: every result must be an Ok or an
    // Err, and an Ok must come only from a change that sops would accept too: whitespace that
    // leaves the structure as it was, or damage outside what the MAC and the AADs cover (see
    // `Place`). Such a file opens to exactly the original values.
    let original = fixture("example.yaml");
    let ring = fixture_keyring();
    let values = |plaintext: &str| {
        parse(plaintext.as_bytes(), Format::Yaml, &Limits::default())
            .unwrap()
            .roots[0]
            .to_json()
    };
    let want = values(open_fixture("example.yaml").plaintext.as_str());
    let place_of = places(&original);
    // Lines without their whitespace, blank lines dropped, with their line index.
    let solid = |text: &str| -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i, l.split_whitespace().collect::<String>()))
            .filter(|(_, l)| !l.is_empty())
            .collect()
    };
    let before = solid(&original);
    let before_lines: Vec<&str> = before.iter().map(|(_, l)| l.as_str()).collect();
    let mut generator = Gen(crate::test_rng::Xorshift(0x00c0_ffee_1234));
    let mut opened: BTreeMap<Vec<Place>, usize> = BTreeMap::new();
    for case in 0..300 {
        let mut bytes = original.clone().into_bytes();
        for _ in 0..1 + generator.pick(3) {
            let at = generator.pick(bytes.len() as u64) as usize;
            match generator.pick(3) {
                0 => {
                    let pool = b" :-#[]{}\n\"'|>AZaz09+/=";
                    bytes[at] = pool[generator.pick(pool.len() as u64) as usize]
                }
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, bytes[at]),
            }
        }
        let Ok(Some(file)) = read("example.yaml", &bytes) else {
            continue;
        };
        let Ok(got) = open(&file, &ring) else {
            continue;
        };
        let damaged = String::from_utf8_lossy(&bytes).into_owned();
        assert_eq!(
            values(got.plaintext.as_str()),
            want,
            "case {case}: opened to other values:\n{damaged}"
        );
        // The original lines the damage touched (whitespace aside), and where they are.
        let after = solid(&damaged);
        let after_lines: Vec<&str> = after.iter().map(|(_, l)| l.as_str()).collect();
        let mut hit: Vec<Place> = Vec::new();
        for op in
            similar::capture_diff_slices(similar::Algorithm::Myers, &before_lines, &after_lines)
        {
            if let similar::DiffOp::Delete {
                old_index, old_len, ..
            }
            | similar::DiffOp::Replace {
                old_index, old_len, ..
            } = op
            {
                hit.extend((old_index..old_index + old_len).map(|i| place_of[before[i].0]));
            }
        }
        hit.sort();
        hit.dedup();
        assert!(
            !hit.contains(&Place::Covered),
            "case {case}: damage to what the MAC or an AAD covers went unnoticed:\n{damaged}"
        );
        // A damaged comment is kept as it is, and said so; nothing else warns.
        assert_eq!(
            !got.warnings.is_empty(),
            hit.contains(&Place::Comment),
            "case {case}: {:?}\n{damaged}",
            got.warnings
        );
        *opened.entry(hit).or_default() += 1;
    }
    // Most damage is caught (by the parser, an AAD, or the MAC); of what opens, the part this
    // seed produces: whitespace only, damaged comments, recipients, a wrapped key.
    let count = |p: Place| {
        opened
            .iter()
            .filter(|(hit, _)| hit.contains(&p))
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    let total: usize = opened.values().sum();
    assert!(
        total < 150,
        "{total} of 300 damaged files opened: {opened:?}"
    );
    for p in [Place::Comment, Place::Recipient, Place::WrappedKey] {
        assert!(count(p) > 0, "no damage to {p:?} opened: {opened:?}");
    }
    assert!(opened.contains_key(&Vec::new()), "{opened:?}");
}
