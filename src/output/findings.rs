//! Rendering a findings report (from `validate`, and later `packs validate` and
//! `flags validate`) in every format.
//!
//! # JSON contract (`--format json`), version 1
//!
//! ```json
//! {
//!   "version": 1,
//!   "command": "validate",
//!   "source": "working tree",
//!   "summary": { "files": 15, "errors": 1, "warnings": 0, "ok": false },
//!   "findings": [
//!     {
//!       "file": "environments/production/services.yaml",
//!       "line": 12, "column": 17,
//!       "path": "services.chat.replicas",
//!       "rule": "schema/minimum",
//!       "severity": "error",
//!       "message": "1 is less than the minimum of 2",
//!       "schema": "schemas/services.schema.json"
//!     }
//!   ]
//! }
//! ```
//!
//! `path` and `schema` may be `null`. `line`/`column` are 1-based; a problem with a whole
//! file is reported at 1:1. `rule` is `parse`, `config` (a problem in `cfgctl.toml`: then it is
//! the only finding, since nothing else can be checked without the settings),
//! `schema/<keyword>` or a rule name. Findings are sorted by file, line, column, rule. New fields may be
//! added; existing ones keep their meaning while `version` is 1.
//!
//! # GitLab Code Quality (`--format gitlab`)
//!
//! The array GitLab's `artifacts:reports:codequality` reads, one issue per finding:
//! `{"description", "check_name", "fingerprint", "severity", "location": {"path", "lines":
//! {"begin"}}}`. `check_name` is the rule, `severity` is `major` for errors and `minor` for
//! warnings, and the fingerprint is a SHA-256 of the file, rule, key path and message (not the
//! line, so an issue keeps its identity when lines above it move) and, for repeats, a count.

use super::{Format, Output, styles};
use crate::finding::{Finding, Severity};
use serde::Serialize;
use std::fmt::Write;

pub use crate::finding::Report;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    command: &'a str,
    source: &'a str,
    summary: JsonSummary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    ok: bool,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    path: Option<&'a str>,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    schema: Option<&'a str>,
}

/// Renders the report in the output's format (human output is empty when nothing was found).
pub fn render(report: &Report, out: &Output) -> String {
    match out.format {
        Format::Human => human(report, out),
        Format::Json => json(report),
        Format::Github => github(report),
        Format::Junit => junit(report),
        Format::Gitlab => gitlab(report),
    }
}

/// Returns the summary line for stderr (human format only).
pub fn summary_line(report: &Report, out: &Output) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let files = report.files.len();
    let checked = format!("{files} file{} checked", plural(files));
    if errors == 0 && warnings == 0 {
        return format!("{} {checked}, no findings.", out.paint(styles::OK, "ok:"));
    }
    let with_findings = {
        let mut seen: Vec<&str> = report.findings.iter().map(|f| f.file.as_str()).collect();
        seen.dedup();
        seen.len()
    };
    let label = if errors > 0 {
        out.paint(styles::ERROR, "failed:")
    } else {
        out.paint(styles::WARNING, "warnings:")
    };
    format!(
        "{label} {errors} error{}, {warnings} warning{} in {with_findings} file{} ({checked}).",
        plural(errors),
        plural(warnings),
        plural(with_findings)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn human(report: &Report, out: &Output) -> String {
    let mut text = String::new();
    let mut current: Option<&str> = None;
    for f in &report.findings {
        if current != Some(f.file.as_str()) {
            if current.is_some() {
                text.push('\n');
            }
            current = Some(&f.file);
            let _ = writeln!(text, "{}", out.paint(styles::FILE, &f.file));
        }
        let severity = match f.severity {
            Severity::Error => out.paint(styles::ERROR, "error"),
            Severity::Warning => out.paint(styles::WARNING, "warning"),
        };
        let location = format!("{}:{}:{}", f.file, f.pos.line, f.pos.column);
        let path = f
            .path
            .as_deref()
            .map(|p| format!("{}: ", out.paint(styles::PATH, p)))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "  {} {severity} {path}{} {}",
            out.paint(styles::DIM, &location),
            f.message,
            out.paint(styles::DIM, &format!("[{}]", f.rule)),
        );
    }
    text
}

fn json(report: &Report) -> String {
    let doc = JsonReport {
        version: 1,
        command: report.command,
        source: &report.source,
        summary: JsonSummary {
            files: report.files.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            ok: report.count(Severity::Error) == 0,
        },
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding {
                file: &f.file,
                line: f.pos.line,
                column: f.pos.column,
                path: f.path.as_deref(),
                rule: &f.rule,
                severity: f.severity,
                message: &f.message,
                schema: f.schema.as_deref(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// GitHub workflow commands: `::error file=…,line=…,col=…,title=…::message`.
fn github(report: &Report) -> String {
    let mut text = String::new();
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let message = match &f.path {
            Some(path) => format!("{path}: {}", f.message),
            None => f.message.clone(),
        };
        let _ = writeln!(
            text,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&f.file),
            f.pos.line,
            f.pos.column,
            escape_property(&format!("cfgctl {}", f.rule)),
            escape_data(&message)
        );
    }
    text
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitLab Code Quality: see the module documentation.
fn gitlab(report: &Report) -> String {
    use sha2::{Digest, Sha256};
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let issues: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let identity = format!(
                "{}\0{}\0{}\0{}",
                f.file,
                f.rule,
                f.path.as_deref().unwrap_or_default(),
                f.message
            );
            let repeat = seen.entry(identity.clone()).or_default();
            *repeat += 1;
            let hash = Sha256::digest(format!("{identity}\0{repeat}").as_bytes());
            let fingerprint: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            let description = match &f.path {
                Some(path) => format!("{path}: {}", f.message),
                None => f.message.clone(),
            };
            serde_json::json!({
                "description": description,
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                "location": { "path": f.file, "lines": { "begin": f.pos.line } },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

/// JUnit XML: one test case per checked file, one failure per finding of severity error
/// (warnings go to `system-out`, so they show without failing the report).
fn junit(report: &Report) -> String {
    let mut by_file: std::collections::BTreeMap<&str, Vec<&Finding>> = report
        .files
        .iter()
        .map(|f| (f.as_str(), Vec::new()))
        .collect();
    for f in &report.findings {
        by_file.entry(f.file.as_str()).or_default().push(f);
    }
    let failed_files = by_file
        .values()
        .filter(|fs| fs.iter().any(|f| f.severity == Severity::Error))
        .count();
    let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        text,
        "<testsuites name=\"cfgctl {}\" tests=\"{}\" failures=\"{failed_files}\" errors=\"0\">",
        report.command,
        by_file.len()
    );
    let _ = writeln!(
        text,
        "  <testsuite name=\"cfgctl {}\" tests=\"{}\" failures=\"{failed_files}\" errors=\"0\" skipped=\"0\">",
        report.command,
        by_file.len()
    );
    for (file, findings) in &by_file {
        let _ = write!(
            text,
            "    <testcase classname=\"cfgctl.{}\" name=\"{}\"",
            report.command,
            xml(file)
        );
        if findings.is_empty() {
            text.push_str("/>\n");
            continue;
        }
        text.push_str(">\n");
        let mut notes = String::new();
        for f in findings {
            let line = format!(
                "{}:{}:{}: {} [{}] {}{}",
                f.file,
                f.pos.line,
                f.pos.column,
                f.severity.as_str(),
                f.rule,
                f.path
                    .as_deref()
                    .map(|p| format!("{p}: "))
                    .unwrap_or_default(),
                f.message
            );
            if f.severity == Severity::Error {
                let _ = writeln!(
                    text,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    xml(&f.rule),
                    xml(&f.message),
                    xml(&line)
                );
            } else {
                notes.push_str(&line);
                notes.push('\n');
            }
        }
        if !notes.is_empty() {
            let _ = writeln!(text, "      <system-out>{}</system-out>", xml(&notes));
        }
        text.push_str("    </testcase>\n");
    }
    text.push_str("  </testsuite>\n</testsuites>\n");
    text
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Pos;
    use crate::output::ColorChoice;

    fn report() -> Report {
        Report {
            command: "validate",
            source: "working tree".into(),
            files: vec!["a.yaml".into(), "b.yaml".into()],
            findings: vec![
                Finding {
                    file: "a.yaml".into(),
                    pos: Pos::new(3, 7),
                    path: Some("x.y".into()),
                    rule: "schema/type".into(),
                    severity: Severity::Error,
                    message: "\"a\" is not of type \"integer\" <&>".into(),
                    schema: Some("schemas/x.json".into()),
                },
                Finding {
                    file: "a.yaml".into(),
                    pos: Pos::new(4, 1),
                    path: None,
                    rule: "yaml-ambiguous-boolean".into(),
                    severity: Severity::Warning,
                    message: "100%, really:\nyes".into(),
                    schema: None,
                },
            ],
        }
    }

    fn out(format: Format) -> Output {
        Output::new(format, ColorChoice::Never, false)
    }

    #[test]
    fn json_has_the_documented_shape() {
        let value: serde_json::Value =
            serde_json::from_str(&render(&report(), &out(Format::Json))).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["summary"]["errors"], 1);
        assert_eq!(value["summary"]["files"], 2);
        assert_eq!(value["findings"][0]["line"], 3);
        assert_eq!(value["findings"][0]["path"], "x.y");
        assert_eq!(value["findings"][1]["path"], serde_json::Value::Null);
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let text = render(&report(), &out(Format::Github));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0]
                .starts_with("::error file=a.yaml,line=3,col=7,title=cfgctl schema/type::x.y: ")
        );
        assert_eq!(
            lines[1],
            "::warning file=a.yaml,line=4,col=1,title=cfgctl yaml-ambiguous-boolean::100%25, really:%0Ayes"
        );
    }

    #[test]
    fn junit_has_a_case_per_file_and_escapes() {
        let text = render(&report(), &out(Format::Junit));
        assert!(text.contains("tests=\"2\" failures=\"1\""));
        assert!(text.contains("<testcase classname=\"cfgctl.validate\" name=\"b.yaml\"/>"));
        assert!(text.contains("&lt;&amp;&gt;"));
        assert!(text.contains("<system-out>"));
    }

    #[test]
    fn gitlab_is_a_code_quality_array_with_stable_distinct_fingerprints() {
        let mut report = report();
        let mut repeat = report.findings[0].clone();
        repeat.pos = Pos::new(9, 1);
        report.findings.push(repeat);
        let value: serde_json::Value =
            serde_json::from_str(&render(&report, &out(Format::Gitlab))).unwrap();
        let issues = value.as_array().unwrap();
        assert_eq!(issues.len(), 3);
        assert_eq!(issues[0]["check_name"], "schema/type");
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[1]["severity"], "minor");
        assert_eq!(issues[0]["location"]["path"], "a.yaml");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 3);
        assert!(
            issues[0]["description"]
                .as_str()
                .unwrap()
                .starts_with("x.y: ")
        );
        let prints: std::collections::BTreeSet<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(
            prints.len(),
            3,
            "a repeated finding gets its own fingerprint"
        );
        // The line is not part of the identity.
        let mut moved = report.clone();
        moved.findings[0].pos = Pos::new(30, 7);
        let again: serde_json::Value =
            serde_json::from_str(&render(&moved, &out(Format::Gitlab))).unwrap();
        assert_eq!(again[0]["fingerprint"], issues[0]["fingerprint"]);
        assert_eq!(
            render(
                &Report {
                    findings: vec![],
                    ..report
                },
                &out(Format::Gitlab)
            ),
            "[]\n"
        );
    }

    #[test]
    fn human_groups_by_file_without_colour_when_asked() {
        let text = render(&report(), &out(Format::Human));
        assert!(
            text.starts_with("a.yaml\n  a.yaml:3:7 error x.y: "),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'));
        assert_eq!(
            summary_line(&report(), &out(Format::Human)),
            "failed: 1 error, 1 warning in 1 file (2 files checked)."
        );
    }
}
