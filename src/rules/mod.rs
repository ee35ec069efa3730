//! Built-in semantic rules: what a schema cannot say.
//!
//! Per-file rules look at one document tree; cross-environment rules ([`parity`]) compare the
//! same document across every environment. Each rule has a stable name, a default severity,
//! and can be set to `error`, `warning` or `off` (with `ignore` patterns) in `[rules]`.

pub mod custom;
pub mod parity;
pub mod sops;

use crate::config::Config;
use crate::document::secret_key::{self, contains_ignore_case, is_secret_file};
use crate::document::{KeyPath, KeyPattern, Node, SegmentRef, Value};
use crate::finding::Finding;
pub use crate::finding::Severity;
use crate::layers::LayerFile;

pub use crate::finding::RuleId;

/// The rule settings of one run, resolved from `cfgctl.toml` once.
#[derive(Debug, Clone)]
pub struct RuleSet {
    settings: Vec<(RuleId, Option<Severity>, Vec<KeyPattern>)>,
    environments: Vec<String>,
    /// Environment name to its place in the promotion order (repositories may list thousands).
    order: std::collections::HashMap<String, usize>,
    production: String,
}

impl RuleSet {
    pub fn new(config: &Config) -> RuleSet {
        RuleSet {
            settings: RuleId::ALL
                .iter()
                .map(|&id| {
                    let (severity, ignore) = config.rule(id);
                    (id, severity, ignore.to_vec())
                })
                .collect(),
            environments: config.repo.environments.clone(),
            order: config
                .repo
                .environments
                .iter()
                .enumerate()
                .map(|(i, e)| (e.clone(), i))
                .collect(),
            production: config.production().to_string(),
        }
    }

    pub fn environments(&self) -> &[String] {
        &self.environments
    }

    /// The environment production rules apply to (`[repo] production`, else the last one).
    pub fn production(&self) -> &str {
        &self.production
    }

    /// Returns an environment's place in the promotion order, or `None` if it is not listed.
    pub fn env_index(&self, env: &str) -> Option<usize> {
        self.order.get(env).copied()
    }

    /// Returns a rule's severity, or `None` when it is off.
    pub fn severity(&self, rule: RuleId) -> Option<Severity> {
        self.settings.iter().find(|s| s.0 == rule).and_then(|s| s.1)
    }

    fn ignored(&self, rule: RuleId, path: &KeyPath) -> bool {
        self.settings
            .iter()
            .find(|s| s.0 == rule)
            .is_some_and(|s| s.2.iter().any(|p| p.matches(path)))
    }

    /// Builds a finding if the rule is on and the path not ignored.
    pub fn finding(
        &self,
        rule: RuleId,
        file: &str,
        node_pos: crate::document::Pos,
        path: &KeyPath,
        message: String,
    ) -> Option<Finding> {
        let severity = self.severity(rule)?;
        if self.ignored(rule, path) {
            return None;
        }
        Some(Finding {
            file: file.to_string(),
            pos: node_pos,
            path: (!path.is_root()).then(|| path.to_string()),
            rule: rule.name().to_string(),
            severity,
            message,
            schema: None,
        })
    }

    /// Runs every per-file rule on one document root.
    pub fn check_file(&self, file: &str, layer: Option<&LayerFile>, root: &Node) -> Vec<Finding> {
        let env = layer.and_then(|l| l.env.as_deref());
        let in_production = env == Some(self.production.as_str());
        let past_first_env = env.is_some_and(|e| self.environments.first().is_some_and(|f| f != e));
        let secret_file = is_secret_file(file);
        let mut out = Vec::new();
        root.walk_refs(&mut |path, node| {
            if let Value::Map(map) = &node.value {
                for (key, message, pos) in autoscaling_bounds(map) {
                    let mut at = KeyPath::from(path);
                    at.push(crate::document::Segment::Key(key.to_string()));
                    out.extend(self.finding(RuleId::AutoscalingBounds, file, pos, &at, message));
                }
            }
            // The key path is built only for what is reported.
            let mut push = |rule, pos, message: String| {
                out.extend(self.finding(rule, file, pos, &KeyPath::from(path), message));
            };
            let key = path.last().and_then(|s| s.key());
            if let Some(text) = node.as_str() {
                if !secret_file {
                    if key.is_some_and(secret_key::looks_secret) && !secret_key::is_reference(text) {
                        push(
                            RuleId::PlaintextSecret,
                            node.pos,
                            format!(
                                "`{}` holds a plaintext value; reference it (`${{SECRET:…}}` or `${{VAR}}`) or move it to an encrypted *.secret.yaml file",
                                key.unwrap_or_default()
                            ),
                        );
                    } else if let Some(shape) = secret_key::credential_shape(text) {
                        push(
                            RuleId::PlaintextSecret,
                            node.pos,
                            format!("the value looks like {shape}; keep credentials in encrypted secret files"),
                        );
                    }
                }
                if node.plain && is_yaml11_boolean(text) {
                    push(
                        RuleId::YamlAmbiguousBoolean,
                        node.pos,
                        format!(
                            "unquoted `{text}` is a string in YAML 1.2 but a boolean to YAML 1.1 readers; write true/false, or quote it"
                        ),
                    );
                }
                if past_first_env
                    && let Some(host) = insecure_url_host(text) {
                        push(
                            RuleId::InsecureUrl,
                            node.pos,
                            format!("plain-text URL to `{host}` in environment `{}`; use https:// (or wss://)", env.unwrap_or_default()),
                        );
                    }
                if in_production && is_debug_level(text) && is_log_level_key(path) {
                    push(
                        RuleId::DebugInProduction,
                        node.pos,
                        format!("log level `{text}` in production; use info or above"),
                    );
                }
            }
            if in_production && node.value == Value::Bool(true) && key.is_some_and(is_debug_switch) {
                push(
                    RuleId::DebugInProduction,
                    node.pos,
                    format!("`{}: true` in production", key.unwrap_or_default()),
                );
            }
            if key.is_some_and(is_origins_key) {
                let origins: Vec<&Node> = match &node.value {
                    Value::Seq(items) => items.iter().collect(),
                    Value::String(_) => vec![node],
                    _ => Vec::new(),
                };
                for origin in origins {
                    if let Some(text @ ("*" | "null")) = origin.as_str() {
                        push(
                            RuleId::CorsWildcard,
                            origin.pos,
                            format!("CORS origin `{text}` lets any site call this API; list the allowed origins"),
                        );
                    }
                }
            }
        });
        out
    }
}

/// Checks `min_replicas <= max_replicas` where both are set, and that `replicas` sits within
/// the bounds of its own mapping or of its `autoscaling` child (unless that is disabled).
/// Returns `(key, message, position)` for each violation in one mapping.
fn autoscaling_bounds(
    map: &crate::document::Map,
) -> Vec<(&'static str, String, crate::document::Pos)> {
    let number = |m: &crate::document::Map, keys: &[&'static str]| {
        keys.iter()
            .find_map(|k| m.get(*k).map(|e| (*k, e)))
            .and_then(|(k, e)| e.value.as_f64().map(|v| (v, e.value.pos, k)))
    };
    const MIN: &[&str] = &["min_replicas", "minReplicas"];
    const MAX: &[&str] = &["max_replicas", "maxReplicas"];
    let mut out = Vec::new();
    // Every check starts from one of these keys in this mapping; the keys of a mapping are
    // fewer than the lookups.
    if !map.keys().any(|k| k.ends_with("eplicas")) {
        return out;
    }
    // Called for every mapping of every file: look for the maximum only when there is a
    // minimum.
    if let Some((min, min_pos, key)) = number(map, MIN)
        && let Some((max, _, _)) = number(map, MAX)
        && min > max
    {
        out.push((
            key,
            format!("min_replicas ({min}) is greater than max_replicas ({max})"),
            min_pos,
        ));
    }
    let Some((replicas, pos, _)) = number(map, &["replicas"]) else {
        return out;
    };
    let bounds = match map.get("autoscaling").and_then(|e| e.value.as_map()) {
        Some(auto) if auto.get("enabled").map(|e| &e.value.value) == Some(&Value::Bool(false)) => {
            return out;
        }
        Some(auto) => auto,
        None => map,
    };
    if let Some((min, _, _)) = number(bounds, MIN)
        && replicas < min
    {
        out.push((
            "replicas",
            format!("replicas ({replicas}) is below min_replicas ({min})"),
            pos,
        ));
    }
    if let Some((max, _, _)) = number(bounds, MAX)
        && replicas > max
    {
        out.push((
            "replicas",
            format!("replicas ({replicas}) is above max_replicas ({max})"),
            pos,
        ));
    }
    out
}

fn is_yaml11_boolean(text: &str) -> bool {
    text.len() <= 3
        && matches!(
            text.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off"
        )
}

fn is_origins_key(key: &str) -> bool {
    if !contains_ignore_case(key, "origin") {
        return false;
    }
    let key = key.to_ascii_lowercase().replace('-', "_");
    matches!(
        key.as_str(),
        "allowed_origins"
            | "allow_origins"
            | "allowedorigins"
            | "alloworigins"
            | "cors_origins"
            | "origins"
            | "access_control_allow_origin"
    )
}

fn is_debug_switch(key: &str) -> bool {
    if !contains_ignore_case(key, "debug") {
        return false;
    }
    let key = key.to_ascii_lowercase();
    matches!(
        key.as_str(),
        "debug" | "debug_mode" | "debug_enabled" | "debugmode" | "enable_debug"
    )
}

fn is_log_level_key(segments: &[SegmentRef<'_>]) -> bool {
    let key = |i: usize| {
        segments
            .get(i)
            .and_then(|s| s.key())
            .map(str::to_ascii_lowercase)
    };
    let Some(last) = segments.len().checked_sub(1).and_then(key) else {
        return false;
    };
    matches!(last.as_str(), "log_level" | "loglevel" | "logging_level")
        || (last == "level"
            && segments
                .len()
                .checked_sub(2)
                .and_then(key)
                .is_some_and(|parent| parent.contains("log")))
}

fn is_debug_level(text: &str) -> bool {
    text.len() <= 5
        && matches!(
            text.to_ascii_lowercase().as_str(),
            "debug" | "trace" | "all"
        )
}

/// Returns the host of an `http://`/`ws://` URL unless it is local or cluster-internal.
fn insecure_url_host(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("ws://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port
            .split_once(']')
            .map_or(host_port, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    let local = host == "localhost"
        || host.starts_with("127.")
        || host == "::1"
        || host.contains("${")
        || [
            ".svc",
            ".svc.cluster.local",
            ".internal",
            ".local",
            ".localhost",
        ]
        .iter()
        .any(|suffix| host.ends_with(suffix));
    (!local && !host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{self, Format, Limits};
    use crate::layers;

    fn run(path: &str, yaml: &str) -> Vec<Finding> {
        run_with(path, yaml, "")
    }

    fn run_with(path: &str, yaml: &str, rules_toml: &str) -> Vec<Finding> {
        let config = Config::parse(&format!(
            "[repo]\nenvironments = [\"development\", \"staging\", \"production\"]\n[rules]\n{rules_toml}"
        ))
        .unwrap();
        let rules = RuleSet::new(&config);
        let doc = document::parse(
            yaml.as_bytes(),
            Format::from_path(path).unwrap(),
            &Limits::default(),
        )
        .unwrap();
        let layer = layers::classify(path, |e| rules.env_index(e).is_some());
        rules.check_file(path, layer.as_ref(), &doc.roots[0])
    }

    fn rules_of(findings: &[Finding]) -> Vec<(&str, String)> {
        findings
            .iter()
            .map(|f| (f.rule.as_str(), f.pos.to_string()))
            .collect()
    }

    #[test]
    fn autoscaling_bounds() {
        let f = run(
            "environments/staging/services.yaml",
            "services:\n  chat:\n    replicas: 12\n    autoscaling:\n      min_replicas: 2\n      max_replicas: 10\n  gw:\n    replicas: 1\n    autoscaling: {enabled: false, min_replicas: 2, max_replicas: 4}\n  w:\n    min_replicas: 5\n    max_replicas: 3\n",
        );
        assert_eq!(
            rules_of(&f),
            [
                ("autoscaling-bounds", "3:15".into()),
                ("autoscaling-bounds", "11:19".into())
            ]
        );
        assert!(f[0].message.contains("above max_replicas"));
        assert_eq!(f[0].path.as_deref(), Some("services.chat.replicas"));
    }

    #[test]
    fn plaintext_secrets_are_found_without_echoing_them() {
        let f = run(
            "environments/staging/database.yaml",
            "database:\n  password: hunter2\n  password_file: /run/secrets/db\n  token: ${API_TOKEN}\n  url: postgres://app:s3cret@db:5432/app\n  key: AKIAABCDEFGHIJKLMNOP\n",
        );
        assert_eq!(
            rules_of(&f),
            [
                ("plaintext-secret", "2:13".into()),
                ("plaintext-secret", "5:8".into()),
                ("plaintext-secret", "6:8".into())
            ]
        );
        assert!(
            f.iter()
                .all(|x| !x.message.contains("hunter2") && !x.message.contains("s3cret"))
        );
        assert!(
            run(
                "environments/staging/app.secret.yaml",
                "password: ENC[x]\nother: plain\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn cors_wildcards() {
        let f = run(
            "environments/development/security.yaml",
            "cors:\n  allowed_origins: ['https://a.example', '*']\n  origins: null\n",
        );
        assert_eq!(rules_of(&f), [("cors-wildcard", "2:42".into())]);
    }

    #[test]
    fn production_debug_only_in_production() {
        let text = "app:\n  debug: true\n  logging:\n    level: debug\n  log_level: TRACE\n";
        assert_eq!(run("environments/staging/app.yaml", text), []);
        let f = run("environments/production/app.yaml", text);
        assert_eq!(f.len(), 3, "{f:?}");
        assert!(f.iter().all(|x| x.rule == "debug-in-production"));
        // Service and tenant overrides for production count too.
        assert_eq!(run("tenants/acme/production/app.yaml", text).len(), 3);
    }

    #[test]
    fn insecure_urls_outside_the_first_environment() {
        let text = "a: http://api.example.com/v1\nb: http://metrics.monitoring.svc:9090\nc: http://localhost:8080\nd: ws://[::1]:80\n";
        assert_eq!(run("environments/development/x.yaml", text), []);
        let f = run("environments/staging/x.yaml", text);
        assert_eq!(rules_of(&f), [("insecure-url", "1:4".into())]);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn ambiguous_booleans_only_when_unquoted() {
        let f = run("global/x.yaml", "a: yes\nb: 'yes'\nc: On\nd: true\n");
        assert_eq!(
            rules_of(&f),
            [
                ("yaml-ambiguous-boolean", "1:4".into()),
                ("yaml-ambiguous-boolean", "3:4".into())
            ]
        );
        assert!(run("global/x.json", "{\"a\": \"yes\"}").is_empty());
    }

    #[test]
    fn severities_and_ignores_come_from_config() {
        let text = "database:\n  password: hunter2\n  legacy_token: abc\n";
        let f = run_with(
            "environments/staging/database.yaml",
            text,
            "plaintext-secret = { severity = \"warning\", ignore = [\"**.legacy_token\"] }\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            run_with(
                "environments/staging/database.yaml",
                text,
                "plaintext-secret = \"off\"\n"
            )
            .is_empty()
        );
    }
}
