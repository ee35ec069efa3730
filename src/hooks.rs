//! Git hooks that cfgctl writes, for teams that do not use the pre-commit framework: what each
//! hook runs, and how `install` and `uninstall` change the hooks directory.
//!
//! A hook cfgctl wrote carries [`MARKER`] on its second line. A hook without it is never
//! overwritten (unless forced) nor removed; with `--chain` it is kept beside cfgctl's, as
//! `<hook>.before-cfgctl`, and runs first. Plans are decided from what is on disk before
//! anything is written, so a refusal lists every blocker and changes nothing.

use crate::repo;
use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The line that marks a hook as cfgctl's (followed by the hook's name).
pub const MARKER: &str = "# cfgctl-hook:";

/// The suffix of a chained hook: the one that was in place before cfgctl's.
pub const CHAINED_SUFFIX: &str = ".before-cfgctl";

/// The hooks cfgctl can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `cfgctl validate --staged` on what is about to be committed.
    PreCommit,
    /// `cfgctl validate --at` each commit being pushed (only what changed since the remote's
    /// commit, when that is known here).
    PrePush,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::PreCommit, Kind::PrePush];

    /// The hook's file name, as Git knows it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::PreCommit => "pre-commit",
            Kind::PrePush => "pre-push",
        }
    }

    /// What the hook runs, for messages.
    pub fn runs(self) -> &'static str {
        match self {
            Kind::PreCommit => "cfgctl validate --staged",
            Kind::PrePush => "cfgctl validate --at <each pushed commit>",
        }
    }
}

/// Returns the script of a hook. `root` is the cfgctl root relative to the top of the work
/// tree, where Git runs hooks (`""` when they are the same); `chained` makes it run
/// `<hook>.before-cfgctl` first.
pub fn script(kind: Kind, root: &str, chained: bool) -> String {
    let name = kind.name();
    let chdir = if root.is_empty() {
        String::new()
    } else {
        format!("-C {} ", shell_quote(root))
    };
    let mut text = format!(
        "#!/bin/sh\n\
         {MARKER} {name}\n\
         # Written by `cfgctl hooks install`; `cfgctl hooks uninstall` removes it.\n\
         # Skip it once with `git {} --no-verify`.\n",
        if kind == Kind::PreCommit {
            "commit"
        } else {
            "push"
        }
    );
    let chained_path = format!("\"$(dirname \"$0\")/{name}{CHAINED_SUFFIX}\"");
    if kind == Kind::PrePush {
        text.push_str(
            "\n# Git gives the refs being pushed on standard input, one per line:\n\
             # <local ref> <local commit> <remote ref> <remote commit>\n\
             refs=$(cat)\n",
        );
    }
    if chained {
        text.push_str("\n# The hook that was here before cfgctl's runs first.\n");
        match kind {
            Kind::PreCommit => text.push_str(&format!(
                "if [ -x {chained_path} ]; then\n    {chained_path} \"$@\" || exit $?\nfi\n"
            )),
            Kind::PrePush => text.push_str(&format!(
                "if [ -x {chained_path} ]; then\n    printf '%s\\n' \"$refs\" | {chained_path} \"$@\" || exit $?\nfi\n"
            )),
        }
    }
    text.push_str(&format!(
        "\nif ! command -v cfgctl >/dev/null 2>&1; then\n    \
         echo \"cfgctl {name} hook: cfgctl is not on PATH; install it, or skip the hook once with --no-verify\" >&2\n    \
         exit 1\n\
         fi\n"
    ));
    match kind {
        Kind::PreCommit => {
            text.push_str(&format!("exec cfgctl {chdir}validate --staged --quiet\n"));
        }
        Kind::PrePush => text.push_str(&format!(
            "printf '%s\\n' \"$refs\" | while read -r local_ref local_commit remote_ref remote_commit; do\n    \
             [ -n \"$local_commit\" ] || continue\n    \
             # All zeros: the push deletes the remote ref, nothing to check.\n    \
             case \"$local_commit\" in *[!0]*) ;; *) continue ;; esac\n    \
             since=\n    \
             case \"$remote_commit\" in *[!0]*)\n        \
             git cat-file -e \"$remote_commit^{{commit}}\" 2>/dev/null && since=\"--changed-since $remote_commit\" ;;\n    \
             esac\n    \
             cfgctl {chdir}validate --at \"$local_commit\" $since --quiet || exit $?\n\
             done\n"
        )),
    }
    text
}

/// Quotes a path for sh (single quotes; a single quote inside becomes `'\''`).
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Whether a hook's text is one cfgctl wrote (whatever happened to it since).
pub fn is_cfgctl_hook(text: &str) -> bool {
    text.lines().take(3).any(|line| line.starts_with(MARKER))
}

/// What is in the hooks directory for one hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Nothing,
    /// cfgctl's hook exactly as this version writes it (chained or not).
    Current,
    /// A hook with cfgctl's marker that differs from what cfgctl writes (edited, or written
    /// by another version or for another root).
    Changed,
    /// Someone else's hook.
    Other,
}

/// What an install or uninstall does to one hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Write cfgctl's hook where there was none.
    Install,
    /// Nothing to do: the hook is there as cfgctl writes it.
    Unchanged,
    /// Overwrite the hook that is there (`--force`).
    Replace,
    /// Keep the hook that is there as `<hook>.before-cfgctl` and run it first (`--chain`).
    Chain,
    /// Remove cfgctl's hook.
    Remove,
    /// Remove cfgctl's hook and put the chained one back in its place.
    Restore,
    /// Nothing of cfgctl's is there: leave it as it is.
    Absent,
    /// Someone else's hook: left as it is.
    LeaveOther,
}

impl Action {
    /// A past-tense word for reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Install => "installed",
            Action::Unchanged => "unchanged",
            Action::Replace => "replaced",
            Action::Chain => "chained",
            Action::Remove => "removed",
            Action::Restore => "restored",
            Action::Absent => "absent",
            Action::LeaveOther => "left",
        }
    }
}

/// Options of `hooks install`.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstallOptions {
    /// Overwrite a hook that is not cfgctl's (or one that was changed).
    pub force: bool,
    /// Keep a hook that is not cfgctl's and run it before cfgctl's.
    pub chain: bool,
}

/// One hook in a plan.
#[derive(Debug, Clone)]
pub struct Step {
    pub kind: Kind,
    pub path: PathBuf,
    pub action: Action,
    /// The script to write (install actions) — empty otherwise.
    pub script: String,
}

/// What an install or uninstall will do, decided before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Reasons to change nothing at all.
    pub blockers: Vec<String>,
}

/// Decides what installing one hook does, given what is there. Returns a blocker's text when
/// it must not be done.
pub fn decide_install(
    found: &Found,
    chained_exists: bool,
    options: InstallOptions,
) -> std::result::Result<Action, &'static str> {
    match found {
        Found::Nothing => Ok(Action::Install),
        Found::Current => Ok(Action::Unchanged),
        Found::Changed if options.force => Ok(Action::Replace),
        Found::Changed => Err("was written by cfgctl but has changed since"),
        Found::Other if options.chain && chained_exists && !options.force => {
            Err("is not cfgctl's, and a chained hook is already kept beside it")
        }
        Found::Other if options.chain => Ok(Action::Chain),
        Found::Other if options.force => Ok(Action::Replace),
        Found::Other => Err("is not cfgctl's"),
    }
}

/// Decides what uninstalling one hook does.
pub fn decide_uninstall(
    found: &Found,
    chained_exists: bool,
    force: bool,
) -> std::result::Result<Action, &'static str> {
    match found {
        Found::Nothing => Ok(Action::Absent),
        Found::Other => Ok(Action::LeaveOther),
        Found::Changed if !force => Err("was written by cfgctl but has changed since"),
        Found::Current | Found::Changed if chained_exists => Ok(Action::Restore),
        Found::Current | Found::Changed => Ok(Action::Remove),
    }
}

/// Plans installing `kinds` into the hooks directory of `site`.
pub fn plan_install(
    site: &repo::HookSite,
    kinds: &[Kind],
    options: InstallOptions,
) -> Result<Plan> {
    let mut plan = Plan::default();
    for &kind in kinds {
        let (path, found, chained_exists) = inspect(site, kind)?;
        match decide_install(&found, chained_exists, options) {
            Ok(action) => {
                let chained = match action {
                    Action::Chain => true,
                    Action::Replace => false,
                    _ => chained_exists,
                };
                plan.steps.push(Step {
                    kind,
                    path,
                    action,
                    script: script(kind, &site.root_in_work_tree, chained),
                });
            }
            Err(why) => plan.blockers.push(blocker(site, &path, why, kind, true)),
        }
    }
    Ok(plan)
}

/// Plans removing cfgctl's hooks of `kinds`.
pub fn plan_uninstall(site: &repo::HookSite, kinds: &[Kind], force: bool) -> Result<Plan> {
    let mut plan = Plan::default();
    for &kind in kinds {
        let (path, found, chained_exists) = inspect(site, kind)?;
        match decide_uninstall(&found, chained_exists, force) {
            Ok(action) => plan.steps.push(Step {
                kind,
                path,
                action,
                script: String::new(),
            }),
            Err(why) => plan.blockers.push(blocker(site, &path, why, kind, false)),
        }
    }
    Ok(plan)
}

/// Writes an executable hook atomically (its temporary file in the Git directory, never in
/// a work tree that holds `core.hooksPath`).
fn write_hook(path: &Path, script: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    repo::AtomicWriter::new(dir)?.write_with_mode(path, script.as_bytes(), 0o755)
}

/// Carries out a plan without blockers.
pub fn apply(plan: &Plan) -> Result<()> {
    debug_assert!(plan.blockers.is_empty(), "a blocked plan is not applied");
    for step in &plan.steps {
        let chained = chained_path(&step.path);
        match step.action {
            Action::Install | Action::Replace => write_hook(&step.path, &step.script)?,
            Action::Chain => {
                fs::rename(&step.path, &chained).with_context(|| {
                    format!(
                        "moving `{}` to `{}`",
                        step.path.display(),
                        chained.display()
                    )
                })?;
                write_hook(&step.path, &step.script)?;
            }
            Action::Remove => fs::remove_file(&step.path)
                .with_context(|| format!("removing `{}`", step.path.display()))?,
            Action::Restore => fs::rename(&chained, &step.path).with_context(|| {
                format!(
                    "moving `{}` back to `{}`",
                    chained.display(),
                    step.path.display()
                )
            })?,
            Action::Unchanged | Action::Absent | Action::LeaveOther => {}
        }
    }
    Ok(())
}

/// `<hook>.before-cfgctl` beside a hook.
pub fn chained_path(hook: &Path) -> PathBuf {
    let mut name = hook.file_name().unwrap_or_default().to_os_string();
    name.push(CHAINED_SUFFIX);
    hook.with_file_name(name)
}

/// Reads what is there for one hook: its path, what it is, whether a chained hook is kept.
fn inspect(site: &repo::HookSite, kind: Kind) -> Result<(PathBuf, Found, bool)> {
    let path = site.dir.join(kind.name());
    let chained_exists = fs::symlink_metadata(chained_path(&path)).is_ok();
    let found = match fs::symlink_metadata(&path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Found::Nothing,
        Err(err) => {
            return Err(anyhow::Error::new(err).context(format!("reading `{}`", path.display())));
        }
        // A symlinked hook (husky, a shared hooks repository) is someone else's.
        Ok(meta) if !meta.is_file() => Found::Other,
        Ok(_) => {
            let bytes = fs::read(&path).with_context(|| format!("reading `{}`", path.display()))?;
            let text = String::from_utf8_lossy(&bytes);
            if !is_cfgctl_hook(&text) {
                Found::Other
            } else if [false, true]
                .iter()
                .any(|&c| text == script(kind, &site.root_in_work_tree, c))
            {
                Found::Current
            } else {
                Found::Changed
            }
        }
    };
    Ok((path, found, chained_exists))
}

fn blocker(site: &repo::HookSite, path: &Path, why: &str, kind: Kind, install: bool) -> String {
    let shown = shown_path(site, path);
    let what_to_do = match (install, why.starts_with("was written")) {
        (true, true) => "pass --force to write it anew",
        (true, false) if why.contains("chained") => {
            "remove one of them, or pass --force to replace the hook"
        }
        (true, false) => {
            "pass --chain to keep it and run it before cfgctl's, or --force to replace it"
        }
        (false, _) => "remove it by hand, or pass --force to remove it anyway",
    };
    format!("{} hook `{shown}` {why}: {what_to_do}", kind.name())
}

/// A path for messages: relative to the top of the work tree when it is inside it.
pub fn shown_path(site: &repo::HookSite, path: &Path) -> String {
    path.strip_prefix(&site.work_tree)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_carry_the_marker_and_call_the_right_command() {
        let pre_commit = script(Kind::PreCommit, "", false);
        assert!(is_cfgctl_hook(&pre_commit));
        assert!(pre_commit.starts_with("#!/bin/sh\n# cfgctl-hook: pre-commit\n"));
        assert!(pre_commit.ends_with("exec cfgctl validate --staged --quiet\n"));
        assert!(!pre_commit.contains(CHAINED_SUFFIX));
        let in_sub = script(Kind::PreCommit, "config repo", true);
        assert!(in_sub.contains("exec cfgctl -C 'config repo' validate --staged --quiet\n"));
        assert!(in_sub.contains("pre-commit.before-cfgctl"));
        let pre_push = script(Kind::PrePush, "it's", false);
        assert!(pre_push.contains("cfgctl -C 'it'\\''s' validate --at \"$local_commit\""));
        assert!(!is_cfgctl_hook("#!/bin/sh\nexec make lint\n"));
    }

    #[test]
    fn install_never_overwrites_without_being_told() {
        let plain = InstallOptions::default();
        let force = InstallOptions {
            force: true,
            chain: false,
        };
        let chain = InstallOptions {
            force: false,
            chain: true,
        };
        assert_eq!(
            decide_install(&Found::Nothing, false, plain),
            Ok(Action::Install)
        );
        assert_eq!(
            decide_install(&Found::Current, false, plain),
            Ok(Action::Unchanged)
        );
        assert!(decide_install(&Found::Other, false, plain).is_err());
        assert!(decide_install(&Found::Changed, false, plain).is_err());
        assert!(decide_install(&Found::Changed, false, chain).is_err());
        assert_eq!(
            decide_install(&Found::Other, false, chain),
            Ok(Action::Chain)
        );
        assert!(decide_install(&Found::Other, true, chain).is_err());
        assert_eq!(
            decide_install(&Found::Other, false, force),
            Ok(Action::Replace)
        );
        assert_eq!(
            decide_install(&Found::Changed, false, force),
            Ok(Action::Replace)
        );
    }

    #[test]
    fn uninstall_removes_only_what_cfgctl_wrote() {
        let current = Found::Current;
        assert_eq!(decide_uninstall(&current, false, false), Ok(Action::Remove));
        assert_eq!(decide_uninstall(&current, true, false), Ok(Action::Restore));
        assert_eq!(
            decide_uninstall(&Found::Other, true, true),
            Ok(Action::LeaveOther)
        );
        assert_eq!(
            decide_uninstall(&Found::Nothing, false, false),
            Ok(Action::Absent)
        );
        assert!(decide_uninstall(&Found::Changed, false, false).is_err());
        assert_eq!(
            decide_uninstall(&Found::Changed, false, true),
            Ok(Action::Remove)
        );
    }
}
