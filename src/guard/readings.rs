//! Health readings: what `--metrics` feeds guard. A reading is a set of numbers taken at one
//! time; a file holds one (a JSON or YAML object), several (an array of objects), or one per
//! line (JSON Lines: `.jsonl`, `.ndjson`, or `-` for standard input, as a monitoring query in
//! CI prints them).
//!
//! `time` (or `timestamp`) in a reading says when it was taken: RFC 3339, or seconds since
//! the epoch. A reading without one was taken now (`CFGCTL_NOW`). Every other member is a
//! metric and must be a number (`null` means "not measured" and is left out).

use crate::document::{self, Format, Limits, Value};
use anyhow::{Context as _, Result, anyhow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One reading: metrics taken at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// When it was taken, seconds since the epoch (RFC 3339 in JSON).
    #[serde(with = "rfc3339")]
    pub time: i64,
    /// Where it came from: `FILE`, `FILE:LINE` or `-:LINE`.
    pub source: String,
    pub metrics: BTreeMap<String, f64>,
    /// The time came from the reading itself (not the clock): the same reading fed twice is
    /// recognised and kept once.
    #[serde(skip)]
    pub timed: bool,
}

/// Reads one `--metrics` argument: a path, or `-` with the text of standard input.
pub fn read(arg: &str, cwd: &Path, stdin: Option<&str>, now: i64) -> Result<Vec<Reading>> {
    if arg == "-" {
        let text = stdin.ok_or_else(|| anyhow!("`--metrics -` can be given once"))?;
        return lines("-", text, now);
    }
    let path = cwd.join(arg);
    let bytes = std::fs::read(&path).with_context(|| format!("reading metrics `{arg}`"))?;
    if arg.ends_with(".jsonl") || arg.ends_with(".ndjson") {
        let text = String::from_utf8(bytes).map_err(|_| anyhow!("{arg}: not valid UTF-8"))?;
        return lines(arg, &text, now);
    }
    let format = Format::from_path(arg).unwrap_or(Format::Json);
    let doc = document::parse(&bytes, format, &Limits::default()).map_err(|e| e.in_file(arg))?;
    let root = doc
        .roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("{arg}: empty"))?;
    let objects = match root.value {
        Value::Seq(items) => items,
        _ => vec![root],
    };
    let mut out = Vec::new();
    for node in &objects {
        let Value::Map(map) = &node.value else {
            return Err(anyhow!(
                "{arg}:{}: a reading must be an object of numbers",
                node.pos
            ));
        };
        let source = if objects.len() == 1 {
            arg.to_string()
        } else {
            format!("{arg}:{}", node.pos.line)
        };
        let members = map.iter().map(|(key, entry)| {
            (
                key.clone(),
                entry.value.to_json(),
                format!("{arg}:{}", entry.value.pos),
            )
        });
        out.push(reading(source, members, now)?);
    }
    Ok(out)
}

/// JSON Lines: one reading per non-empty line.
fn lines(name: &str, text: &str, now: i64) -> Result<Vec<Reading>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let source = format!("{name}:{}", i + 1);
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| anyhow!("{source}: {e}"))?;
        let serde_json::Value::Object(map) = value else {
            return Err(anyhow!("{source}: a reading must be an object of numbers"));
        };
        let members = map.into_iter().map(|(k, v)| (k, v, source.clone()));
        out.push(reading(source.clone(), members, now)?);
    }
    Ok(out)
}

/// Builds a reading from `(key, value, where)` members.
fn reading(
    source: String,
    members: impl Iterator<Item = (String, serde_json::Value, String)>,
    now: i64,
) -> Result<Reading> {
    let mut out = Reading {
        time: now,
        source,
        metrics: BTreeMap::new(),
        timed: false,
    };
    for (key, value, at) in members {
        if key == "time" || key == "timestamp" {
            out.time = match &value {
                serde_json::Value::String(text) => crate::clock::parse_timestamp(text),
                serde_json::Value::Number(n) => n.as_i64(),
                _ => None,
            }
            .ok_or_else(|| {
                anyhow!("{at}: `{key}` is not a time (RFC 3339, or seconds since the epoch)")
            })?;
            out.timed = true;
            continue;
        }
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Number(n) => {
                let v = n.as_f64().filter(|v| v.is_finite());
                out.metrics.insert(
                    key.clone(),
                    v.ok_or_else(|| anyhow!("{at}: `{key}` is not a finite number"))?,
                );
            }
            _ => return Err(anyhow!("{at}: `{key}` is not a number")),
        }
    }
    Ok(out)
}

/// The stored readings plus the new ones, oldest first; a new reading that carries its own
/// time and equals a stored one (same time, same metrics) is the same reading fed again and
/// is kept once. Only the newest `limit` are kept.
pub fn merge(stored: &[Reading], new: Vec<Reading>, limit: usize) -> Vec<Reading> {
    let mut all = stored.to_vec();
    for reading in new {
        let again = reading.timed
            && all
                .iter()
                .any(|r| r.time == reading.time && r.metrics == reading.metrics);
        if !again {
            all.push(reading);
        }
    }
    all.sort_by_key(|r| r.time); // stable: equal times keep the order they came in
    if all.len() > limit {
        all.drain(..all.len() - limit);
    }
    all
}

pub(crate) mod rfc3339 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::clock::format_rfc3339(*time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let text = String::deserialize(d)?;
        crate::clock::parse_timestamp(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a time")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    #[test]
    fn json_lines_with_and_without_times() {
        let text = "{\"time\": \"2026-01-01T00:05:00Z\", \"error_rate\": 0.2, \"requests\": 500}\n\n{\"error_rate\": 0.01, \"p95\": null}\n";
        let readings = lines("-", text, NOW).unwrap();
        assert_eq!(readings.len(), 2);
        assert_eq!(
            readings[0].time,
            crate::clock::parse_timestamp("2026-01-01T00:05:00Z").unwrap()
        );
        assert!(readings[0].timed && !readings[1].timed);
        assert_eq!(readings[1].time, NOW);
        assert_eq!(readings[1].source, "-:3");
        assert_eq!(readings[1].metrics.len(), 1);
        let bad = lines("-", "{\"error_rate\": \"high\"}\n", NOW).unwrap_err();
        assert_eq!(bad.to_string(), "-:1: `error_rate` is not a number");
        assert!(lines("-", "{\"time\": \"yesterday\"}", NOW).is_err());
        assert!(lines("-", "[1]", NOW).is_err());
    }

    #[test]
    fn the_same_timed_reading_is_kept_once() {
        let at = |time: i64, rate: f64, timed: bool| Reading {
            time,
            source: "m".into(),
            metrics: [("error_rate".to_string(), rate)].into(),
            timed,
        };
        let stored = vec![at(10, 0.1, true), at(20, 0.2, true)];
        let merged = merge(&stored, vec![at(20, 0.2, true), at(15, 0.3, true)], 100);
        let times: Vec<i64> = merged.iter().map(|r| r.time).collect();
        assert_eq!(times, [10, 15, 20]);
        // Without its own time a reading is new each time it is fed.
        let merged = merge(&stored, vec![at(20, 0.2, false)], 100);
        assert_eq!(merged.len(), 3);
        assert_eq!(merge(&stored, vec![at(30, 0.1, true)], 2).len(), 2);
    }
}
