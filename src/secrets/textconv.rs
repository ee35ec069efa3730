//! What `git diff` and `git log -p` show of an encrypted file (Git's textconv, `cfgctl secrets
//! textconv FILE`): the decrypted document for those who hold a key, else the document with
//! every `ENC[...]` masked. Never an error: a file that is not encrypted, or not readable as
//! one, is shown as it is.
//!
//! The `sops` metadata is left out either way: its `lastmodified` and `mac` change on every
//! write and would be noise in every diff. A masked value keeps the first characters of its
//! authentication tag, so a changed value shows as a changed line (unchanged values keep
//! their ciphertext), and nothing about the plaintext is shown.

use super::cipher::Sealed;
use super::keys::Keyring;
use super::{Body, OpenError, SecretFile};

/// The text of one file as Git should show it, and a note for stderr when a key was at hand
/// but the file did not open.
pub fn show(label: &str, bytes: &[u8], ring: &Keyring) -> (Vec<u8>, Option<String>) {
    let file = match super::read(label, bytes) {
        Ok(Some(file)) => file,
        Ok(None) => return (bytes.to_vec(), None),
        Err(e) => return (bytes.to_vec(), Some(format!("{e:#}; shown as it is"))),
    };
    if ring.is_empty() {
        return (masked(&file).into_bytes(), None);
    }
    match super::open(&file, ring) {
        Ok(opened) => (opened.plaintext.as_bytes().to_vec(), None),
        Err(OpenError::NoIdentity { .. }) => (masked(&file).into_bytes(), None),
        Err(e) => (
            masked(&file).into_bytes(),
            Some(format!("{label}: {e}; values shown masked")),
        ),
    }
}

/// The file without its `sops` metadata, each `ENC[AES256_GCM,…,type:T]` written as
/// `ENC[T,masked:<tag prefix>]`.
pub fn masked(file: &SecretFile) -> String {
    let text = &file.text;
    let cut = match &file.body {
        Body::Tree(scanned) => scanned.sops_entry.clone(),
        Body::Ini(parsed) => parsed.sops_section.clone().map(|cut| {
            let mut start = cut.start;
            while text[..start].ends_with("\n\n") {
                start -= 1;
            }
            start..cut.end
        }),
    };
    let body = match &cut {
        Some(cut) => format!("{}{}", &text[..cut.start], &text[cut.end..]),
        None => text.clone(),
    };
    let mut out = String::with_capacity(body.len());
    let mut rest = body.as_str();
    while let Some(at) = rest.find("ENC[AES256_GCM,") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(close) = tail.find(']') else {
            out.push_str(tail);
            rest = "";
            break;
        };
        match Sealed::parse(&tail[..=close]) {
            Ok(sealed) => {
                use base64::Engine as _;
                let tag = base64::engine::general_purpose::STANDARD.encode(&sealed.tag);
                let short: String = tag.chars().take(8).collect();
                out.push_str(&format!("ENC[{},masked:{short}]", sealed.kind.name()));
            }
            Err(_) => out.push_str("ENC[masked]"),
        }
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sops")
            .join(name);
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn without_a_key_values_are_masked_and_the_metadata_left_out() {
        let text = fixture("example.yaml");
        let (shown, note) = show("example.yaml", text.as_bytes(), &Keyring::default());
        let shown = String::from_utf8(shown).unwrap();
        assert_eq!(note, None);
        assert!(!shown.contains("AES256_GCM"), "{shown}");
        assert!(!shown.contains("lastmodified"), "{shown}");
        assert!(shown.contains("ENC[str,masked:"), "{shown}");
        // Still a document with the file's keys.
        let doc = crate::document::parse(
            shown.as_bytes(),
            crate::document::Format::Yaml,
            &Default::default(),
        )
        .unwrap();
        assert!(doc.roots[0].get("myapp1").is_some());
        assert!(doc.roots[0].get("sops").is_none());
    }

    #[test]
    fn with_a_key_the_document_is_decrypted() {
        let mut ring = Keyring::default();
        ring.add_text(&fixture("keys.txt"), "keys.txt").unwrap();
        let text = fixture("example.yaml");
        let (shown, note) = show("example.yaml", text.as_bytes(), &ring);
        assert_eq!(note, None);
        assert!(
            String::from_utf8(shown)
                .unwrap()
                .contains("t00m4nys3cr3tzupdated")
        );
    }

    #[test]
    fn what_is_not_encrypted_is_shown_as_it_is() {
        let (shown, note) = show("a.yaml", b"a: 1\n", &Keyring::default());
        assert_eq!(shown, b"a: 1\n");
        assert_eq!(note, None);
        let (shown, _) = show("a.bin", &[0xff, 0, 1], &Keyring::default());
        assert_eq!(shown, [0xff, 0, 1]);
    }

    #[test]
    fn a_tampered_file_is_masked_with_a_note() {
        let mut ring = Keyring::default();
        ring.add_text(&fixture("keys.txt"), "keys.txt").unwrap();
        let text = fixture("example.yaml").replace("2022-03-15T22:11:15Z", "2022-03-15T22:11:16Z");
        let (shown, note) = show("example.yaml", text.as_bytes(), &ring);
        let shown = String::from_utf8(shown).unwrap();
        assert!(!shown.contains("t00m4nys3cr3tzupdated"));
        assert!(note.is_some(), "{shown}");
    }
}
