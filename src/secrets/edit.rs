//! `secrets edit`'s plaintext: written into a private directory (0700, the file 0600, outside
//! the repository), handed to the editor, and removed on every way out — a normal return, an
//! error, a panic (the directory is dropped while unwinding), the editor dying of a signal,
//! and SIGTERM, SIGHUP or SIGINT delivered to cfgctl.
//!
//! While the plaintext exists, those signals (and SIGQUIT) are caught instead of killing
//! cfgctl on the spot. A watcher thread acts on them: it forwards SIGTERM/SIGHUP to the
//! editor (which gets a second to quit, then SIGKILL), removes the directory and exits with
//! 128 + the signal number, as a shell reports a death by signal. SIGINT and SIGQUIT reach the
//! editor too when they come from the terminal (Ctrl-C goes to the whole foreground process
//! group), so while the editor runs they are left to it, as `system()` and git do; at any other
//! moment (the re-open prompt, validation) they end the edit the same way.

use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};

/// What the caller decides when an edited text does not pass its checks.
pub enum Invalid {
    /// Open the editor again on the same file.
    Reopen,
    /// Give up; nothing is written.
    GiveUp,
}

/// How an editing session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The text is unchanged (or the editor wrote the same bytes).
    Unchanged,
    /// The edited text, which passed the checks.
    Edited(zeroize::Zeroizing<String>),
}

/// The editor command: `SOPS_EDITOR`, `EDITOR`, `VISUAL`, else `vi`.
pub fn editor_command() -> String {
    std::env::var("SOPS_EDITOR")
        .or_else(|_| std::env::var("EDITOR"))
        .or_else(|_| std::env::var("VISUAL"))
        .unwrap_or_else(|_| "vi".into())
}

/// Writes `original` into a private file named `name`, runs `editor` on it until the text
/// passes `validate` (or `on_invalid` gives up), and returns the result. The plaintext file
/// and its directory are gone when this returns, and when cfgctl ends by a signal meanwhile.
pub fn edit_plaintext(
    original: &str,
    name: &std::ffi::OsStr,
    editor: &str,
    validate: impl Fn(&str) -> Result<()>,
    mut on_invalid: impl FnMut(&anyhow::Error) -> Invalid,
) -> Result<Outcome> {
    let dir = private_dir()?;
    let guard = signals::Guard::install(dir.path());
    // Fields drop in order: the directory first, then the handlers, on return and on panic.
    let session = Session { dir, guard };
    let file = session.dir.path().join(name);
    write_private(&file, original.as_bytes())?;
    let result = (|| loop {
        let status = session.guard.run_editor(
            std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("{editor} \"$1\""))
                .arg("sh")
                .arg(&file),
            editor,
        )?;
        if !status.success() {
            bail!("the editor `{editor}` exited with {status}; nothing was written");
        }
        let edited = zeroize::Zeroizing::new(
            std::fs::read_to_string(&file).context("reading the edited file")?,
        );
        if edited.as_str() == original {
            return Ok(Outcome::Unchanged);
        }
        match validate(&edited) {
            Ok(()) => return Ok(Outcome::Edited(edited)),
            Err(problem) => match on_invalid(&problem) {
                Invalid::Reopen => {}
                Invalid::GiveUp => bail!("the edited file is not valid; nothing was written"),
            },
        }
    })();
    drop(session);
    result
}

/// The private directory and the signal handlers that guard it, dropped in this order so that
/// there is no moment with the plaintext and without the handlers.
struct Session {
    dir: tempfile::TempDir,
    guard: signals::Guard,
}

/// A new directory only the user can enter: in XDG_RUNTIME_DIR (memory-backed on most
/// systems) when set, else the system temporary directory.
fn private_dir() -> Result<tempfile::TempDir> {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    // tempfile creates the directory 0700.
    let dir = tempfile::Builder::new()
        .prefix("cfgctl-edit-")
        .tempdir_in(&base)
        .with_context(|| {
            format!(
                "creating a private directory for the plaintext in `{}`",
                base.display()
            )
        })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(dir)
}

/// Creates a file only its owner can read; never replaces an existing one.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// One of the two places cfgctl uses `unsafe` (the other is the global allocator's binding in
/// main.rs): installing and restoring signal handlers, and sending a signal to the editor. Audited: the handler only stores into an atomic (async-signal-safe);
/// everything else runs on an ordinary thread.
#[cfg(unix)]
#[allow(unsafe_code)]
mod signals {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
    use std::time::Duration;

    const CAUGHT: [libc::c_int; 4] = [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT];

    /// The last signal caught (0: none). Process-wide, as signal dispositions are.
    static PENDING: AtomicI32 = AtomicI32::new(0);
    /// The editor's pid while it runs (0: none).
    static EDITOR: AtomicI32 = AtomicI32::new(0);

    extern "C" fn record(signal: libc::c_int) {
        PENDING.store(signal, Ordering::SeqCst);
    }

    /// Catches the signals while alive; dropping it stops the watcher and restores the
    /// previous handlers.
    pub struct Guard {
        previous: Vec<(libc::c_int, libc::sigaction)>,
        stop: Arc<AtomicBool>,
        watcher: Option<std::thread::JoinHandle<()>>,
    }

    impl Guard {
        /// Starts catching the signals; on one, `dir` is removed and cfgctl exits.
        pub fn install(dir: &Path) -> Guard {
            PENDING.store(0, Ordering::SeqCst);
            let mut previous = Vec::new();
            for signal in CAUGHT {
                // SAFETY: `action` is fully initialised (zeroed, then the handler and an
                // empty mask set); `record` is async-signal-safe (one atomic store); the old
                // action is written into `old`, which lives until it is restored in `drop`.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = record as extern "C" fn(libc::c_int) as usize;
                    libc::sigemptyset(&mut action.sa_mask);
                    action.sa_flags = libc::SA_RESTART;
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, &action, &mut old) == 0 {
                        previous.push((signal, old));
                    }
                }
            }
            let stop = Arc::new(AtomicBool::new(false));
            let watcher = {
                let stop = Arc::clone(&stop);
                let dir = dir.to_path_buf();
                std::thread::Builder::new()
                    .name("cfgctl-edit-signals".into())
                    .spawn(move || watch(&stop, &dir))
                    .ok()
            };
            Guard {
                previous,
                stop,
                watcher,
            }
        }

        /// Runs the editor and waits for it, letting the watcher reach it.
        pub fn run_editor(
            &self,
            command: &mut std::process::Command,
            editor: &str,
        ) -> anyhow::Result<std::process::ExitStatus> {
            use anyhow::Context as _;
            let mut child = command
                .spawn()
                .with_context(|| format!("cannot run the editor `{editor}`"))?;
            EDITOR.store(child.id() as i32, Ordering::SeqCst);
            let status = child.wait();
            EDITOR.store(0, Ordering::SeqCst);
            Ok(status?)
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            if let Some(watcher) = self.watcher.take() {
                let _ = watcher.join();
            }
            for (signal, old) in &self.previous {
                // SAFETY: restores an action that `sigaction` returned in `install`.
                unsafe {
                    libc::sigaction(*signal, old, std::ptr::null_mut());
                }
            }
        }
    }

    /// Polls for a caught signal until told to stop.
    fn watch(stop: &AtomicBool, dir: &PathBuf) {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
            let signal = PENDING.swap(0, Ordering::SeqCst);
            if signal == 0 {
                continue;
            }
            let editor = EDITOR.load(Ordering::SeqCst);
            let interactive = signal == libc::SIGINT || signal == libc::SIGQUIT;
            if interactive && editor != 0 {
                // Ctrl-C in the editor: the editor decides what it means.
                continue;
            }
            if editor != 0 {
                stop_editor(editor, signal);
            }
            let _ = std::fs::remove_dir_all(dir);
            std::process::exit(128 + signal);
        }
    }

    /// Passes the signal on to the editor, then kills it if it is still there after a second.
    fn stop_editor(pid: libc::pid_t, signal: libc::c_int) {
        // SAFETY: kill(2) with a pid this process spawned and has not reaped yet (the main
        // thread is waiting for it; EDITOR is cleared as soon as that wait returns).
        unsafe {
            libc::kill(pid, signal);
        }
        for _ in 0..50 {
            std::thread::sleep(Duration::from_millis(20));
            if EDITOR.load(Ordering::SeqCst) == 0 {
                return;
            }
        }
        if EDITOR.load(Ordering::SeqCst) == pid {
            // SAFETY: as above.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

/// Without Unix signals there is nothing to catch; the directory is still removed on every
/// return and panic.
#[cfg(not(unix))]
mod signals {
    pub struct Guard;

    impl Guard {
        pub fn install(_dir: &std::path::Path) -> Guard {
            Guard
        }

        pub fn run_editor(
            &self,
            command: &mut std::process::Command,
            editor: &str,
        ) -> anyhow::Result<std::process::ExitStatus> {
            use anyhow::Context as _;
            command
                .status()
                .with_context(|| format!("cannot run the editor `{editor}`"))
        }
    }
}

/// The guard on plaintext leaving memory: refuses a destination Git tracks (`decrypt
/// --in-place`/`--output` into a committed file would put the values one `git commit -a`
/// away from the history), with what to do instead.
pub fn refuse_tracked(dest: &Path) -> Result<()> {
    if crate::repo::is_tracked(dest) {
        return Err(crate::error::CliError::new(anyhow::anyhow!(
            "refusing to write plaintext into {}, which Git tracks",
            dest.display()
        ))
        .with_hint("print it (no --in-place/--output), use `cfgctl secrets edit`, or pass --force")
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plaintext_is_gone_after_success_failure_and_a_panicking_check() {
        let seen = tempfile::tempdir().unwrap();
        let record = seen.path().join("path");
        let editor = format!(
            "sh -c 'echo \"$0\" > {}; echo b: 2 >> \"$0\"'",
            record.display()
        );
        let out = edit_plaintext(
            "a: 1\n",
            "s.yaml".as_ref(),
            &editor,
            |_| Ok(()),
            |_| Invalid::GiveUp,
        )
        .unwrap();
        assert_eq!(
            out,
            Outcome::Edited(zeroize::Zeroizing::new("a: 1\nb: 2\n".into()))
        );
        let file = PathBuf::from(std::fs::read_to_string(&record).unwrap().trim());
        assert!(!file.exists() && !file.parent().unwrap().exists());

        let err = edit_plaintext(
            "a: 1\n",
            "s.yaml".as_ref(),
            &editor,
            |_| bail!("refused"),
            |_| Invalid::GiveUp,
        )
        .unwrap_err();
        assert!(err.to_string().contains("not valid"), "{err}");
        let file = PathBuf::from(std::fs::read_to_string(&record).unwrap().trim());
        assert!(!file.parent().unwrap().exists());

        let panicked = std::panic::catch_unwind(|| {
            edit_plaintext(
                "a: 1\n",
                "s.yaml".as_ref(),
                &editor,
                |_| panic!("a bug in a check"),
                |_| Invalid::GiveUp,
            )
        });
        assert!(panicked.is_err());
        let file = PathBuf::from(std::fs::read_to_string(&record).unwrap().trim());
        assert!(
            !file.parent().unwrap().exists(),
            "a panic left the plaintext"
        );
    }
}
