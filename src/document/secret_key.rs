//! Telling secrets from configuration: key names that hold credentials, and values that are
//! credentials whatever their key.

/// Returns whether a key name says it holds a secret value (`password`, `apiKey`,
/// `client_secret`), and not merely something about one (`password_file`, `token_ttl`).
pub fn looks_secret(key: &str) -> bool {
    // Most keys name nothing secret; skip the word split for them.
    if !has_secret_hint(key) {
        return false;
    }
    let words = words(key);
    let Some(last) = words.last() else {
        return false;
    };
    // Keys that point at, name or describe a secret hold no secret themselves.
    const ABOUT: &[&str] = &[
        "file",
        "path",
        "env",
        "var",
        "ref",
        "name",
        "id",
        "length",
        "len",
        "ttl",
        "expiry",
        "expires",
        "header",
        "enabled",
        "required",
        "rotation",
        "policy",
        "min",
        "max",
        "count",
        "type",
        "kind",
        "url",
        "endpoint",
        "uri",
        "source",
        "store",
        "manager",
        "prefix",
        "mount",
        "version",
        "field",
        "key_id",
        "cookie",
        "param",
        "parameter",
        "days",
        "seconds",
        "minutes",
        "hours",
        "interval",
        "timeout",
        "size",
        "format",
        "algorithm",
        "mode",
    ];
    if ABOUT.contains(&last.as_str()) {
        return false;
    }
    const ALONE: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "credentials",
        "credential",
        "passphrase",
    ];
    const PAIRS: &[(&str, &str)] = &[
        ("api", "key"),
        ("private", "key"),
        ("access", "key"),
        ("secret", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("client", "secret"),
        ("auth", "token"),
    ];
    words.iter().any(|w| ALONE.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|pair| PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())))
}

/// Returns whether a string is a reference to a secret rather than the secret: `${VAR}`,
/// `${SECRET:path}`, a SOPS `ENC[...]` value, or empty.
pub fn is_reference(value: &str) -> bool {
    let value = value.trim();
    value.is_empty() || value.contains("${") || value.starts_with("ENC[")
}

/// Returns a description of a credential recognisable by its shape, whatever its key.
pub fn credential_shape(value: &str) -> Option<&'static str> {
    // Called for every string of every file: the byte checks keep the substring searches for
    // the few values that can match. Values are short: one pass finds both bytes.
    let (dash, at) = value.bytes().fold((false, false), |(d, a), b| {
        (d | (b == b'-'), a | (b == b'@'))
    });
    if dash && value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a PEM private key");
    }
    let v = value.trim();
    if !matches!(v.as_bytes().first(), Some(b'A' | b'g' | b'x' | b's' | b'r')) {
        // A password in a URL comes before an `@`.
        return (at && url_password(v).is_some()).then_some("a URL with an embedded password");
    }
    let starts_token = |prefix: &str, min_rest: usize| {
        v.strip_prefix(prefix).is_some_and(|rest| {
            rest.len() >= min_rest
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    };
    if (starts_token("AKIA", 16) || starts_token("ASIA", 16)) && v.len() == 20 {
        return Some("an AWS access key id");
    }
    if ["ghp_", "gho_", "ghs_", "ghu_", "github_pat_"]
        .iter()
        .any(|p| starts_token(p, 30))
    {
        return Some("a GitHub token");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxs-"]
        .iter()
        .any(|p| starts_token(p, 20))
    {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_"].iter().any(|p| starts_token(p, 16)) {
        return Some("a Stripe live key");
    }
    if starts_token("AGE-SECRET-KEY-1", 40) {
        return Some("an age identity");
    }
    if at && url_password(v).is_some() {
        return Some("a URL with an embedded password");
    }
    None
}

/// Returns the password part of `scheme://user:password@host`, when it is not a reference.
fn url_password(value: &str) -> Option<&str> {
    let (_, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty() && !is_reference(password)).then_some(password)
}

/// Splits a key into lower-case words at `_`, `-`, `.`, spaces and camelCase humps.
fn words(key: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if matches!(c, '_' | '-' | '.' | ' ') {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Secret files (SOPS) hold ciphertext by design; the plaintext rule does not apply to them.
pub fn is_secret_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.contains(".secret.") || name.ends_with(".sops.yaml") || name.ends_with(".sops.json")
}

/// Whether a key holds one of the words a secret's key usually holds (`pass`, `pwd`,
/// `secret`, `token`, `key`, `cred`), in any case: one pass over the key's bytes.
fn has_secret_hint(key: &str) -> bool {
    let bytes = key.as_bytes();
    let at = |i: usize, word: &[u8]| {
        bytes
            .get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    (0..bytes.len()).any(|i| match bytes[i].to_ascii_lowercase() {
        b'p' => at(i, b"pass") || at(i, b"pwd"),
        b's' => at(i, b"secret"),
        b't' => at(i, b"token"),
        b'k' => at(i, b"key"),
        b'c' => at(i, b"cred"),
        _ => false,
    })
}

/// ASCII case-insensitive substring test without allocating (rules run on every key).
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_pass_finds_what_the_substring_searches_find() {
        const HINTS: &[&str] = &["pass", "pwd", "secret", "token", "key", "cred"];
        for key in [
            "password",
            "db_PASS",
            "Pwd",
            "clientSecret",
            "apiToken",
            "KEY",
            "monkey",
            "credentials",
            "name",
            "",
            "p",
            "secre",
            "tok",
            "ke",
            "cre",
            "é_key",
            "keyé",
            "pas",
            "PaSsPhrase",
            "x-api-key",
            "service.timeout",
        ] {
            let substring = HINTS.iter().any(|h| contains_ignore_case(key, h));
            assert_eq!(has_secret_hint(key), substring, "{key}");
        }
    }

    #[test]
    fn secret_key_names() {
        for key in [
            "password",
            "db_password",
            "apiKey",
            "api_key",
            "API-KEY",
            "client_secret",
            "privateKey",
            "auth_token",
            "token",
            "secret",
            "credentials",
            "smtpPasswd",
        ] {
            assert!(looks_secret(key), "{key}");
        }
        for key in [
            "password_file",
            "api_key_env",
            "token_ttl",
            "secret_ref",
            "csrf_token_header",
            "password_min_length",
            "host",
            "tokenizer",
            "secretary",
            "keyspace",
            "apikey_name",
        ] {
            assert!(!looks_secret(key), "{key}");
        }
    }

    #[test]
    fn references_are_not_secrets() {
        assert!(is_reference("${DB_PASSWORD}"));
        assert!(is_reference("${SECRET:database.password}"));
        assert!(is_reference("ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]"));
        assert!(is_reference(""));
        assert!(!is_reference("hunter2"));
    }

    #[test]
    fn credential_shapes() {
        assert_eq!(
            credential_shape("AKIAABCDEFGHIJKLMNOP"),
            Some("an AWS access key id")
        );
        assert_eq!(
            credential_shape("postgres://app:hunter2@db:5432/app"),
            Some("a URL with an embedded password")
        );
        assert_eq!(
            credential_shape("postgres://app:${DB_PASSWORD}@db:5432/app"),
            None
        );
        assert_eq!(credential_shape("https://example.com/a@b"), None);
        assert_eq!(
            credential_shape("-----BEGIN RSA PRIVATE KEY-----\nabc\n"),
            Some("a PEM private key")
        );
        assert_eq!(credential_shape("just text"), None);
    }
}
