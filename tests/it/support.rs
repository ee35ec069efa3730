//! A temporary Git repository and a hermetic way to run the built binary in it.
//!
//! Git state is created and inspected with the `git` CLI, an independent reader of what cfgctl
//! writes. Every command runs with a private HOME, no global or system Git config, a fixed
//! identity and dates, no colour variables and no backtraces, so output is stable.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TempRepo {
    dir: tempfile::TempDir,
}

/// The time every run is pinned to (`CFGCTL_NOW`) unless a test sets its own.
pub const NOW: &str = "2026-06-01T10:00:00Z";

/// A time at which the template is clean: before its flags expire on 2027-12-31. A test that
/// expects the template (or a repository made from it) to have no findings runs at this time
/// explicitly, so it holds whatever [`NOW`] is; the expiry itself is tested at other times.
pub const TEMPLATE_FRESH: (&str, &str) = ("CFGCTL_NOW", "2026-06-01T10:00:00Z");

/// Applies the hermetic environment to a command. The built cfgctl comes first on PATH, so Git
/// hooks and scripts that call `cfgctl` run the binary under test.
pub fn hermetic(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", path_with_cfgctl())
        .env("HOME", home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_SYSTEM", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        // One pinned clock: freeze windows, flag expiry and guard cooldowns never depend on
        // the day the suite runs. Tests that need another time set CFGCTL_NOW themselves.
        .env("CFGCTL_NOW", NOW)
        .env("RUST_BACKTRACE", "0")
        .env("LC_ALL", "C");
}

/// A `git` command in the hermetic environment, run in `dir`: no global or system config,
/// the fixed identity and dates. Every git the tests start goes through here or
/// [`TempRepo::git`], so a developer's signing, hooks or aliases never leak in.
pub fn git_command(dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::new("git");
    hermetic(&mut cmd, home);
    cmd.current_dir(dir);
    cmd
}

/// The built cfgctl as a command in the hermetic environment, run in `dir`.
pub fn cfgctl_command(dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::new(cfgctl_path());
    hermetic(&mut cmd, home);
    cmd.current_dir(dir);
    cmd
}

/// Whether CI=true: then a missing tool or fixture is a failure, not a skip.
/// The added and removed lines of a unified diff (`git diff -U0`), without its file headers.
pub fn changed_lines(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect()
}

pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Reports that `what` (a tool or fixture a test needs) is missing. Under CI=true this
/// panics, saying what is missing and `how` to get it; elsewhere it prints a note and
/// returns true, and the caller returns without checking anything.
#[track_caller]
#[allow(clippy::print_stderr)] // the note says why a test did nothing
pub fn missing(what: &str, how: &str) -> bool {
    assert!(!in_ci(), "{what}; {how}");
    eprintln!("skipped: {what}; {how}");
    true
}

/// The result of one run: exit code, stdout, stderr.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts the exit code, showing both streams when it is not what was expected.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "unexpected exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts a failed run: the exit code, the first line of stderr (the error itself; hints
    /// and notes follow it) and an empty stdout.
    #[track_caller]
    pub fn error(&self, code: i32, first_line: &str) -> &Run {
        self.code(code);
        assert_eq!(
            self.stderr.lines().next().unwrap_or_default(),
            first_line,
            "stderr:\n{}",
            self.stderr
        );
        assert_eq!(self.stdout, "", "a failed run printed on stdout");
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

pub fn cfgctl_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cfgctl"))
}

/// PATH with the directory of the built cfgctl in front.
pub fn path_with_cfgctl() -> std::ffi::OsString {
    let bin_dir = cfgctl_path().parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&rest)))
        .expect("PATH entries without separators")
}

impl TempRepo {
    /// An empty directory with `git init` run in it (branch `main`).
    pub fn new() -> TempRepo {
        let repo = TempRepo::bare_dir();
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// An empty directory, no Git.
    pub fn bare_dir() -> TempRepo {
        let dir = tempfile::Builder::new()
            .prefix("cfgctl-test")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".home")).unwrap();
        TempRepo { dir }
    }

    /// A repository created by `cfgctl init` from the built-in template.
    pub fn from_template() -> TempRepo {
        let repo = TempRepo::bare_dir();
        repo.cfgctl(&["init", "."]).code(0);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The private HOME every command here runs with.
    pub fn home(&self) -> PathBuf {
        self.path().join(".home")
    }

    /// Writes a file (creating directories).
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &TempRepo {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
        self
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).unwrap()
    }

    /// Replaces the first occurrence of `from` in a file, failing if it is not there.
    #[track_caller]
    pub fn replace(&self, path: &str, from: &str, to: &str) -> &TempRepo {
        let text = self.read(path);
        assert!(text.contains(from), "`{from}` not found in {path}:\n{text}");
        self.write(path, text.replacen(from, to, 1))
    }

    /// Returns the 1-based line number of the first line containing `needle`.
    #[track_caller]
    pub fn line_of(&self, path: &str, needle: &str) -> usize {
        self.read(path)
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("`{needle}` not in {path}"))
            + 1
    }

    /// Stages everything and commits.
    pub fn commit(&self, message: &str) -> &TempRepo {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-gpg-sign", "-m", message]);
        self
    }

    /// Runs git and returns stdout; panics on failure.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home());
        let out = cmd
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("running git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs git in `dir` (relative to the repository) and returns how it ended, failure
    /// included: for commits that a hook may refuse.
    pub fn git_in(&self, dir: &str, args: &[&str]) -> Run {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home());
        Run::from(
            cmd.args(args)
                .current_dir(self.path().join(dir))
                .output()
                .expect("running git"),
        )
    }

    /// Runs the built cfgctl in the repository.
    pub fn cfgctl(&self, args: &[&str]) -> Run {
        self.cfgctl_env(args, &[])
    }

    /// Runs cfgctl in the repository on a pseudo-terminal, as at a user's shell: `script`
    /// (util-linux) gives it a terminal for stdin, stdout and stderr. What it wrote to either
    /// stream arrives in `stdout`, with the terminal's `\r\n` turned back into `\n`. `None`
    /// (after [`missing`]) when `script` is not installed.
    pub fn cfgctl_tty(&self, args: &[&str], env: &[(&str, &str)]) -> Option<Run> {
        let quote = |arg: &str| format!("'{}'", arg.replace('\'', r"'\''"));
        let line = std::iter::once(cfgctl_path().display().to_string())
            .chain(args.iter().map(|a| a.to_string()))
            .map(|a| quote(&a))
            .collect::<Vec<_>>()
            .join(" ");
        let mut cmd = Command::new("script");
        hermetic(&mut cmd, &self.home());
        cmd.args(["-qec", &line, "/dev/null"])
            .current_dir(self.path())
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = match cmd.output() {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                missing(
                    "`script` is not installed",
                    "install util-linux's `bsdutils` (scripts/test.sh does)",
                );
                return None;
            }
            Err(e) => panic!("running script: {e}"),
        };
        let mut run = Run::from(out);
        run.stdout = run.stdout.replace("\r\n", "\n");
        Some(run)
    }

    /// Starts cfgctl without waiting for it (concurrency tests); stdout and stderr are piped.
    pub fn spawn(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Child {
        let mut cmd = Command::new(cfgctl_path());
        hermetic(&mut cmd, &self.home());
        cmd.args(args)
            .current_dir(self.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.spawn().expect("starting cfgctl")
    }

    /// Waits for a spawned cfgctl.
    pub fn wait(child: std::process::Child) -> Run {
        Run::from(child.wait_with_output().expect("waiting for cfgctl"))
    }

    /// Runs cfgctl with extra environment variables.
    pub fn cfgctl_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(cfgctl_path());
        hermetic(&mut cmd, &self.home());
        cmd.args(args).current_dir(self.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("running cfgctl"))
    }

    /// Makes Git sign commits and tags in this repository with a new ssh key, and trust that
    /// key when verifying (`git verify-commit`, `git verify-tag`). The key lives inside `.git`.
    pub fn enable_ssh_signing(&self) {
        let dir = self.path().join(".git/test-signing");
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("key");
        let status = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "cfgctl-test", "-f"])
            .arg(&key)
            .status()
            .expect("ssh-keygen is installed");
        assert!(status.success());
        let public = std::fs::read_to_string(dir.join("key.pub")).unwrap();
        let allowed = dir.join("allowed_signers");
        std::fs::write(&allowed, format!("author@example.com {public}")).unwrap();
        for (k, v) in [
            ("gpg.format", "ssh".to_string()),
            ("user.signingkey", key.display().to_string()),
            ("gpg.ssh.allowedSignersFile", allowed.display().to_string()),
            ("commit.gpgsign", "true".into()),
            ("tag.gpgsign", "true".into()),
        ] {
            self.git(&["config", k, &v]);
        }
    }

    /// Runs cfgctl with extra environment variables and `input` on standard input.
    pub fn cfgctl_stdin(&self, args: &[&str], env: &[(&str, &str)], input: &str) -> Run {
        use std::io::Write;
        let mut cmd = Command::new(cfgctl_path());
        hermetic(&mut cmd, &self.home());
        cmd.args(args)
            .current_dir(self.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("running cfgctl");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        Run::from(child.wait_with_output().expect("running cfgctl"))
    }
}
