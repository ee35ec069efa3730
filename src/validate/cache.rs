//! The validation cache: what checking a file found, kept by content so that a run over an
//! unchanged repository reads almost nothing.
//!
//! One file, `<git-common-dir>/cfgctl/cache/validate`, maps a 128-bit key to an entry. A key
//! is a SHA-256 of everything that can change the entry: cfgctl's version and the cache format,
//! the repository root, `cfgctl.toml` byte for byte, every file under `schemas/` (so a `$ref`'d
//! schema, a policy schema and any rule a schema carries count), then the file's path and its
//! content id (Git's blob id, [`crate::repo::ContentId`]), and for flag files today's date
//! (flags expire). Nothing is ever invalidated in place: a changed input is a different key.
//!
//! Entries: per file, its findings (when it was reported on) and its cross-environment
//! [`Summary`]; per document across the environments, the parity findings (keyed by every
//! environment file's path and content id); per `[[rule]]` evaluation in a run over every
//! file, its findings (keyed by the rule's place, where it is evaluated and a digest of every
//! file of each environment it reads: [`crate::rules::custom::Memo`]); per attack pack, the
//! pack checks' findings (keyed by every file of the pack, the release tags and the date).
//!
//! What a key must cover is everything a result depends on. Schema keywords and rules that
//! live in a schema file or in `cfgctl.toml` (CEL `x-kubernetes-validations`, `[[rule]]`) are
//! covered by those files' bytes. Rules that compare a file with its version at a base revision
//! (transition rules, `oldSelf`) are not: a result would then depend on the base too. Runs with
//! a base (`--staged`, `--changed-since`) must bypass the cache for the files such a rule applies
//! to; cfgctl has no such rule yet.
//!
//! Safety: the file starts with a magic, the format, cfgctl's version and a checksum of the
//! rest; anything that does not check out is ignored and the file rebuilt. It is replaced
//! whole through a temporary file and a rename, so two concurrent runs each write a complete
//! file (the last rename wins; the other run's new entries are simply not kept). It is bounded
//! ([`MAX_BYTES`]): when a write would exceed it, the entries least recently written or used
//! go first.

use crate::document::Pos;
use crate::finding::{Finding, Severity};
use crate::rules::parity::{Class, Summary};
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The cache file's name under `<git-common-dir>/cfgctl/cache/`.
pub const FILE_NAME: &str = "validate";
/// Bumped whenever the layout of the file or of an entry changes, and by a change to cfgctl
/// that changes what a check finds without changing its version: the key holds the version,
/// not the build, so that a cache restored in CI serves a freshly installed binary.
const FORMAT: u32 = 2;
const MAGIC: &[u8; 8] = b"cfgctlVC";
/// The largest the file may grow to.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// A cache key (the first 128 bits of a SHA-256).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key([u8; 16]);

/// What the keys of one run have in common: a digest of the settings and schemas.
#[derive(Debug, Clone)]
pub struct Settings([u8; 32]);

impl Settings {
    /// Digests cfgctl's version, the root, `cfgctl.toml`'s bytes (empty when absent) and the
    /// schema files (path and bytes, in listing order).
    pub fn new(root: &str, config: &[u8], schemas: &[(String, Vec<u8>)]) -> Settings {
        let mut h = Sha256::new();
        h.update(MAGIC);
        h.update(FORMAT.to_le_bytes());
        field(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
        field(&mut h, root.as_bytes());
        field(&mut h, config);
        h.update((schemas.len() as u64).to_le_bytes());
        for (path, bytes) in schemas {
            field(&mut h, path.as_bytes());
            field(&mut h, bytes);
        }
        Settings(h.finalize().into())
    }

    /// The key of one file's entry.
    pub fn file(
        &self,
        path: &str,
        content: &crate::repo::ContentId,
        today: Option<(i32, u32, u32)>,
    ) -> Key {
        let mut h = self.start(b"file");
        field(&mut h, path.as_bytes());
        h.update(content.0);
        if let Some((y, m, d)) = today {
            h.update(y.to_le_bytes());
            h.update(m.to_le_bytes());
            h.update(d.to_le_bytes());
        }
        finish(h)
    }

    /// The key of the parity findings of one document across environments: its environment
    /// files' paths and content ids, sorted by path.
    pub fn parity<'a>(
        &self,
        document: &str,
        files: impl Iterator<Item = (&'a str, &'a crate::repo::ContentId)>,
    ) -> Key {
        let mut h = self.start(b"parity");
        field(&mut h, document.as_bytes());
        for (path, id) in files {
            field(&mut h, path.as_bytes());
            h.update(id.0);
        }
        finish(h)
    }

    /// The key of a part of the work that the caller describes completely in `parts`.
    pub fn other(&self, kind: &[u8], parts: &[&[u8]]) -> Key {
        let mut h = self.start(kind);
        for part in parts {
            field(&mut h, part);
        }
        finish(h)
    }

    fn start(&self, kind: &[u8]) -> Sha256 {
        let mut h = Sha256::new();
        h.update(self.0);
        field(&mut h, kind);
        h
    }
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn finish(h: Sha256) -> Key {
    let digest = h.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    Key(key)
}

/// The cache of one run: the entries read at the start and those added since.
pub struct Cache {
    path: PathBuf,
    /// The body of the file as read (empty when there was none or it was corrupt).
    data: Vec<u8>,
    /// Key to (generation, offset, length) of its payload in `data`.
    index: HashMap<Key, (u32, usize, usize), foldhash::fast::RandomState>,
    /// The generation this run writes: one more than the file's.
    generation: u32,
    added: Mutex<Vec<(Key, Vec<u8>)>>,
    /// Keys read this run (kept first when the cache is trimmed).
    used: Mutex<Vec<Key>>,
    /// The file was unreadable or corrupt: rewrite it even if nothing is added.
    rewrite: AtomicBool,
    /// The most bytes of entries a write keeps ([`MAX_BYTES`]).
    max_bytes: usize,
}

impl Cache {
    /// Opens the cache in `dir`; a missing, unreadable or corrupt file is an empty cache.
    pub fn open(dir: &Path) -> Cache {
        let path = dir.join(FILE_NAME);
        let mut cache = Cache {
            path,
            data: Vec::new(),
            index: HashMap::default(),
            generation: 1,
            added: Mutex::new(Vec::new()),
            used: Mutex::new(Vec::new()),
            rewrite: AtomicBool::new(false),
            max_bytes: MAX_BYTES,
        };
        match std::fs::read(&cache.path) {
            Ok(bytes) => {
                if cache.load(bytes).is_none() {
                    cache.data = Vec::new();
                    cache.index.clear();
                    cache.generation = 1;
                    cache.rewrite.store(true, Ordering::Relaxed);
                }
            }
            Err(_) => cache.rewrite.store(true, Ordering::Relaxed),
        }
        cache
    }

    /// Reads the file: header, checksum, entry table. `None` when anything is off.
    fn load(&mut self, bytes: Vec<u8>) -> Option<()> {
        let mut r = Reader::new(&bytes);
        if r.take(MAGIC.len())? != MAGIC || r.u32()? != FORMAT {
            return None;
        }
        if r.str()? != env!("CARGO_PKG_VERSION") {
            return None;
        }
        let generation = r.u32()?;
        let recorded: [u8; 16] = r.take(16)?.try_into().ok()?;
        if checksum(&bytes[r.at..]) != recorded {
            return None;
        }
        let count = r.u32()? as usize;
        let mut index = HashMap::with_capacity_and_hasher(count, Default::default());
        for _ in 0..count {
            let key = Key(r.take(16)?.try_into().ok()?);
            let generation = r.u32()?;
            let len = r.u32()? as usize;
            let offset = r.at;
            r.take(len)?;
            index.insert(key, (generation, offset, len));
        }
        if r.at != bytes.len() {
            return None;
        }
        self.data = bytes;
        self.index = index;
        self.generation = generation.wrapping_add(1);
        Some(())
    }

    /// Returns the payload stored under a key.
    fn get(&self, key: &Key) -> Option<&[u8]> {
        let &(_, offset, len) = self.index.get(key)?;
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(*key);
        Some(&self.data[offset..offset + len])
    }

    fn put(&self, key: Key, payload: Vec<u8>) {
        self.added
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, payload));
    }

    /// Returns a file's entry, if there is one.
    pub fn file(&self, key: &Key) -> Option<FileEntry<'_>> {
        let payload = self.get(key)?;
        let mut r = Reader::new(payload);
        let whole_file = r.u8()? == 1;
        let findings = match r.u8()? {
            0 => None,
            _ => Some(r.at),
        };
        if findings.is_some() {
            skip_findings(&mut r)?;
        }
        let summary = match r.u8()? {
            0 => None,
            _ => Some(r.at),
        };
        Some(FileEntry {
            payload,
            whole_file,
            findings,
            summary,
        })
    }

    /// Stores a file's entry: its findings when they are known (it was reported on, or they
    /// are about the whole file), its summary, and whether the findings are about the whole
    /// file (then they are reported even for a file read only for comparisons).
    pub fn put_file(
        &self,
        key: Key,
        findings: Option<&[Finding]>,
        summary: Option<&Summary>,
        whole_file: bool,
    ) {
        let mut w = vec![u8::from(whole_file)];
        match findings {
            Some(findings) => {
                w.push(1);
                write_findings(&mut w, findings);
            }
            None => w.push(0),
        }
        match summary {
            Some(summary) => {
                w.push(1);
                write_summary(&mut w, summary);
            }
            None => w.push(0),
        }
        self.put(key, w);
    }

    /// Returns a list of findings stored under a key.
    pub fn findings(&self, key: &Key) -> Option<Vec<Finding>> {
        read_findings(&mut Reader::new(self.get(key)?))
    }

    /// Stores a list of findings under a key.
    pub fn put_findings(&self, key: Key, findings: &[Finding]) {
        let mut w = Vec::new();
        write_findings(&mut w, findings);
        self.put(key, w);
    }

    /// Writes the cache back when this run added to it (or the file was missing or corrupt):
    /// to a temporary file in the same directory, renamed over the old one. Entries used or
    /// added by this run are kept first; the rest by how recently they were written, up to
    /// [`MAX_BYTES`].
    pub fn save(&self) -> anyhow::Result<()> {
        let added = std::mem::take(&mut *self.added.lock().unwrap_or_else(|e| e.into_inner()));
        if added.is_empty() && !self.rewrite.load(Ordering::Relaxed) {
            return Ok(());
        }
        let used = std::mem::take(&mut *self.used.lock().unwrap_or_else(|e| e.into_inner()));
        let mut entries: Vec<(Key, u32, &[u8])> =
            Vec::with_capacity(self.index.len() + added.len());
        let mut seen: std::collections::HashSet<Key, foldhash::fast::RandomState> =
            std::collections::HashSet::default();
        for (key, payload) in added.iter().rev() {
            if seen.insert(*key) {
                entries.push((*key, self.generation, payload));
            }
        }
        for key in used {
            if let Some(&(_, offset, len)) = self.index.get(&key)
                && seen.insert(key)
            {
                entries.push((key, self.generation, &self.data[offset..offset + len]));
            }
        }
        let mut older: Vec<(Key, u32, &[u8])> = self
            .index
            .iter()
            .filter(|(key, _)| !seen.contains(*key))
            .map(|(key, &(generation, offset, len))| {
                (*key, generation, &self.data[offset..offset + len])
            })
            .collect();
        older.sort_by_key(|(_, generation, _)| std::cmp::Reverse(*generation));
        entries.extend(older);
        let mut size = 0usize;
        let kept = entries
            .iter()
            .take_while(|(_, _, payload)| {
                size += 24 + payload.len();
                size <= self.max_bytes
            })
            .count();
        entries.truncate(kept);

        let mut body = Vec::with_capacity(size + 4);
        body.extend((entries.len() as u32).to_le_bytes());
        for (key, generation, payload) in &entries {
            body.extend(key.0);
            body.extend(generation.to_le_bytes());
            body.extend((payload.len() as u32).to_le_bytes());
            body.extend(*payload);
        }
        let mut file = Vec::with_capacity(body.len() + 64);
        file.extend(MAGIC);
        file.extend(FORMAT.to_le_bytes());
        write_str(&mut file, env!("CARGO_PKG_VERSION"));
        file.extend(self.generation.to_le_bytes());
        file.extend(checksum(&body));
        file.extend(body);
        crate::repo::replace_file(&self.path, &file)
    }
}

/// The checksum of the file's body: two 64-bit foldhash digests under fixed seeds. It catches
/// a damaged file (a torn copy, a flipped bit), which is all it is for: whoever can write
/// `.git` can change results anyway. A SHA-256 of the body took longer than reading the file.
fn checksum(body: &[u8]) -> [u8; 16] {
    use std::hash::BuildHasher as _;
    let half = |seed: u64| foldhash::fast::FixedState::with_seed(seed).hash_one(body);
    let mut out = [0; 16];
    out[..8].copy_from_slice(&half(0x6366_6763_746c_5643).to_le_bytes());
    out[8..].copy_from_slice(&half(0x5643_6c74_6367_6663).to_le_bytes());
    out
}

/// A file's entry, decoded on demand.
pub struct FileEntry<'a> {
    payload: &'a [u8],
    whole_file: bool,
    findings: Option<usize>,
    summary: Option<usize>,
}

impl FileEntry<'_> {
    /// Whether the findings are about the whole file (it could not be read as configuration).
    pub fn whole_file(&self) -> bool {
        self.whole_file
    }

    /// Whether the entry holds the file's findings (not only its summary).
    pub fn has_findings(&self) -> bool {
        self.findings.is_some()
    }

    /// The file's findings; `None` when they were not stored or cannot be decoded.
    pub fn findings(&self) -> Option<Vec<Finding>> {
        let mut r = Reader::new(self.payload);
        r.at = self.findings?;
        read_findings(&mut r)
    }

    /// The file's summary: `Some(None)` when the file has none, `None` when it cannot be
    /// decoded.
    pub fn summary(&self, file: &str) -> Option<Option<Summary>> {
        let Some(at) = self.summary else {
            return Some(None);
        };
        let mut r = Reader::new(self.payload);
        r.at = at;
        read_summary(&mut r, file).map(Some)
    }
}

// --- encoding: little-endian integers, LEB128 lengths and positions, UTF-8 strings ---------

fn write_varint(w: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    w.push(v as u8);
}

fn write_str(w: &mut Vec<u8>, s: &str) {
    write_varint(w, s.len() as u64);
    w.extend(s.as_bytes());
}

fn write_opt_str(w: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            w.push(1);
            write_str(w, s);
        }
        None => w.push(0),
    }
}

fn write_pos(w: &mut Vec<u8>, pos: Pos) {
    write_varint(w, pos.line.into());
    write_varint(w, pos.column.into());
}

fn write_findings(w: &mut Vec<u8>, findings: &[Finding]) {
    write_varint(w, findings.len() as u64);
    for f in findings {
        write_str(w, &f.file);
        write_pos(w, f.pos);
        write_opt_str(w, f.path.as_deref());
        write_str(w, &f.rule);
        w.push(match f.severity {
            Severity::Warning => 0,
            Severity::Error => 1,
        });
        write_str(w, &f.message);
        write_opt_str(w, f.schema.as_deref());
    }
}

fn class_byte(class: Class) -> u8 {
    match class {
        Class::Any => 0,
        Class::Null => 1,
        Class::Boolean => 2,
        Class::Number => 3,
        Class::String => 4,
        Class::Array => 5,
        Class::Object => 6,
    }
}

fn byte_class(byte: u8) -> Option<Class> {
    Some(match byte {
        0 => Class::Any,
        1 => Class::Null,
        2 => Class::Boolean,
        3 => Class::Number,
        4 => Class::String,
        5 => Class::Array,
        6 => Class::Object,
        _ => return None,
    })
}

/// A summary's file is the entry's own path and is not stored; key pointers are front-coded
/// (bytes shared with the previous pointer, then the rest), since parents come first.
fn write_summary(w: &mut Vec<u8>, summary: &Summary) {
    write_str(w, &summary.env);
    write_str(w, &summary.document);
    let keys: Vec<_> = summary.keys().collect();
    write_varint(w, keys.len() as u64);
    let mut previous = "";
    for (pointer, class, value_pos, key_pos) in keys {
        let shared = previous
            .bytes()
            .zip(pointer.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // Never split a character: back up to a boundary.
        let shared = (0..=shared)
            .rev()
            .find(|&i| pointer.is_char_boundary(i))
            .unwrap_or(0);
        write_varint(w, shared as u64);
        write_str(w, &pointer[shared..]);
        w.push(class_byte(class));
        write_pos(w, value_pos);
        write_pos(w, key_pos);
        previous = pointer;
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.varint()?).ok()?;
        std::str::from_utf8(self.take(len)?).ok()
    }

    fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }

    fn pos(&mut self) -> Option<Pos> {
        let line = u32::try_from(self.varint()?).ok()?;
        let column = u32::try_from(self.varint()?).ok()?;
        Some(Pos::new(line, column))
    }
}

fn read_findings(r: &mut Reader<'_>) -> Option<Vec<Finding>> {
    let count = usize::try_from(r.varint()?).ok()?;
    let mut findings = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        findings.push(Finding {
            file: r.str()?.to_string(),
            pos: r.pos()?,
            path: r.opt_str()?.map(str::to_string),
            rule: r.str()?.to_string(),
            severity: match r.u8()? {
                0 => Severity::Warning,
                1 => Severity::Error,
                _ => return None,
            },
            message: r.str()?.to_string(),
            schema: r.opt_str()?.map(str::to_string),
        });
    }
    Some(findings)
}

fn skip_findings(r: &mut Reader<'_>) -> Option<()> {
    let count = r.varint()?;
    for _ in 0..count {
        r.str()?;
        r.pos()?;
        r.opt_str()?;
        r.str()?;
        r.u8()?;
        r.str()?;
        r.opt_str()?;
    }
    Some(())
}

fn read_summary(r: &mut Reader<'_>, file: &str) -> Option<Summary> {
    let env = r.str()?;
    let document = r.str()?;
    let count = usize::try_from(r.varint()?).ok()?;
    let mut summary = Summary::empty(file, env, document);
    let mut pointer = String::new();
    for _ in 0..count {
        let shared = usize::try_from(r.varint()?).ok()?;
        let rest = r.str()?;
        // A damaged entry may point past the previous pointer or into a character.
        if !pointer.is_char_boundary(shared) {
            return None;
        }
        pointer.truncate(shared);
        pointer.push_str(rest);
        let class = byte_class(r.u8()?)?;
        let value_pos = r.pos()?;
        let key_pos = r.pos()?;
        summary.push_key(&pointer, class, value_pos, key_pos);
    }
    Some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{self, Format, Limits};

    fn finding(file: &str, path: Option<&str>, schema: Option<&str>) -> Finding {
        Finding {
            file: file.into(),
            pos: Pos::new(300, 2),
            path: path.map(Into::into),
            rule: "schema/minimum".into(),
            severity: Severity::Warning,
            message: "é is less than 1".into(),
            schema: schema.map(Into::into),
        }
    }

    #[test]
    fn entries_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document::parse(
            "a:\n  b: 1\n  \"é/x~\": [1]\nab: null\n".as_bytes(),
            Format::Yaml,
            &Limits::default(),
        )
        .unwrap();
        let summary = Summary::new("environments/dev/a.yaml", "dev", "a.yaml", &doc.roots[0]);
        let findings = vec![
            finding(
                "environments/dev/a.yaml",
                Some("a.b"),
                Some("schemas/a.json"),
            ),
            finding("x", None, None),
        ];
        let settings = Settings::new("/repo", b"[repo]", &[]);
        let id = crate::repo::ContentId::of_bytes(b"a");
        let (k1, k2, k3) = (
            settings.file("environments/dev/a.yaml", &id, None),
            settings.file("environments/dev/b.yaml", &id, None),
            settings.other(b"x", &[b"y"]),
        );
        let cache = Cache::open(dir.path());
        cache.put_file(k1, Some(&findings), Some(&summary), false);
        cache.put_file(k2, None, None, true);
        cache.put_findings(k3, &findings);
        cache.save().unwrap();

        let cache = Cache::open(dir.path());
        let entry = cache.file(&k1).unwrap();
        assert_eq!(entry.findings().unwrap(), findings);
        let back = entry.summary("environments/dev/a.yaml").unwrap().unwrap();
        assert_eq!(
            back.keys().collect::<Vec<_>>(),
            summary.keys().collect::<Vec<_>>()
        );
        assert_eq!(
            (back.env.as_str(), back.document.as_str()),
            ("dev", "a.yaml")
        );
        let entry = cache.file(&k2).unwrap();
        assert!(!entry.has_findings() && entry.whole_file());
        assert!(entry.summary("b").unwrap().is_none());
        assert_eq!(cache.findings(&k3).unwrap(), findings);
    }

    #[test]
    fn keys_change_with_every_input() {
        let id = crate::repo::ContentId::of_bytes(b"a");
        let other = crate::repo::ContentId::of_bytes(b"b");
        let base = Settings::new("/r", b"x", &[("schemas/a.json".into(), b"{}".to_vec())]);
        let key = base.file("p", &id, None);
        let variants = [
            Settings::new("/s", b"x", &[("schemas/a.json".into(), b"{}".to_vec())])
                .file("p", &id, None),
            Settings::new("/r", b"y", &[("schemas/a.json".into(), b"{}".to_vec())])
                .file("p", &id, None),
            Settings::new("/r", b"x", &[("schemas/a.json".into(), b"{ }".to_vec())])
                .file("p", &id, None),
            Settings::new("/r", b"x", &[("schemas/b.json".into(), b"{}".to_vec())])
                .file("p", &id, None),
            base.file("q", &id, None),
            base.file("p", &other, None),
            base.file("p", &id, Some((2026, 6, 1))),
        ];
        for variant in variants {
            assert_ne!(variant, key);
        }
    }

    #[test]
    fn the_file_is_bounded_and_keeps_what_was_used_last() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::new("/repo", b"", &[]);
        let key = |i: u32| settings.other(b"x", &[&i.to_le_bytes()]);
        let big = |i: u32| vec![finding(&"f".repeat(1000), None, None); 1 + (i as usize % 2)];
        // Ten runs of ten entries each, about 1.5 kB per entry, under a 20 kB bound.
        for run in 0..10u32 {
            let mut cache = Cache::open(dir.path());
            cache.max_bytes = 20_000;
            for i in run * 10..run * 10 + 10 {
                cache.put_findings(key(i), &big(i));
            }
            cache.save().unwrap();
            assert!(std::fs::metadata(dir.path().join(FILE_NAME)).unwrap().len() < 21_000);
        }
        let cache = Cache::open(dir.path());
        // The newest entries are kept, the oldest gone.
        assert!((90..100).all(|i| cache.findings(&key(i)).is_some()));
        assert!((0..10).all(|i| cache.findings(&key(i)).is_none()));
    }

    #[test]
    fn entries_used_by_a_run_outlive_newer_unused_ones() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::new("/repo", b"", &[]);
        let key = |i: u32| settings.other(b"x", &[&i.to_le_bytes()]);
        let entry = vec![finding(&"f".repeat(1000), None, None)];
        let mut cache = Cache::open(dir.path());
        cache.max_bytes = 5_000;
        for i in 0..3 {
            cache.put_findings(key(i), &entry);
        }
        cache.save().unwrap();
        // A run that reads entry 0 and adds entry 3: 1 and 2 (not used) go first.
        let mut cache = Cache::open(dir.path());
        cache.max_bytes = 3_000;
        assert!(cache.findings(&key(0)).is_some());
        cache.put_findings(key(3), &entry);
        cache.save().unwrap();
        let cache = Cache::open(dir.path());
        assert!(cache.findings(&key(0)).is_some() && cache.findings(&key(3)).is_some());
        assert!(cache.findings(&key(1)).is_none() && cache.findings(&key(2)).is_none());
    }

    #[test]
    fn a_corrupt_or_truncated_file_is_an_empty_cache_and_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::new("/repo", b"", &[]);
        let key = settings.other(b"x", &[]);
        let cache = Cache::open(dir.path());
        cache.put_findings(key, &[finding("a", None, None)]);
        cache.save().unwrap();
        let path = dir.path().join(FILE_NAME);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        for bad in [
            flipped,
            good[..good.len() / 2].to_vec(),
            b"garbage".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            let cache = Cache::open(dir.path());
            assert!(cache.findings(&key).is_none());
            cache.save().unwrap();
            let cache = Cache::open(dir.path());
            assert!(cache.findings(&key).is_none());
            assert!(std::fs::read(&path).unwrap().starts_with(MAGIC));
        }
    }
}
