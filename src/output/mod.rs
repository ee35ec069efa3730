//! Everything cfgctl prints goes through here: results on stdout, status and progress on
//! stderr. Colour and progress bars only where a person is watching; machine formats never
//! carry either.

pub mod findings;

use clap::ValueEnum;
use std::io::{IsTerminal, Write};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text, coloured on a terminal
    Human,
    /// One JSON document per run (`"version": 1`)
    Json,
    /// GitHub Actions workflow annotations (findings only)
    Github,
    /// JUnit XML for CI test reports (findings only)
    Junit,
    /// GitLab Code Quality report, JSON (findings only)
    Gitlab,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset
    Auto,
    Always,
    Never,
}

/// The resolved output settings of one run.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub color: bool,
    pub quiet: bool,
    /// stderr is a terminal, the format is human and not quiet: progress bars may be shown.
    pub progress: bool,
}

impl Output {
    /// Resolves colour and progress once, from the flags and the terminal.
    pub fn new(format: Format, color: ColorChoice, quiet: bool) -> Output {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = format == Format::Human
            && match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
            };
        let progress = format == Format::Human && !quiet && std::io::stderr().is_terminal();
        Output {
            format,
            color,
            quiet,
            progress,
        }
    }

    /// Applies a style when colour is on.
    pub fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Writes the result to stdout.
    pub fn result(&self, text: &str) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }

    /// Writes a plan or other human report to stdout, unless quiet (machine formats always
    /// print: a JSON consumer asked for the document).
    pub fn plan(&self, text: &str) -> std::io::Result<()> {
        if self.quiet && self.format == Format::Human {
            return Ok(());
        }
        self.result(text)
    }

    /// Writes a status line to stderr (unless quiet).
    pub fn status(&self, line: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }

    /// Writes a finding, a blocker or an error (with its hint) to stderr, as given: even when
    /// quiet, since `-q` silences everything but these.
    pub fn problem(&self, line: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }

    /// Writes a warning to stderr (even when quiet: warnings are not chatter).
    pub fn warn(&self, line: &str) {
        let prefix = self.paint_err(styles::WARNING, "warning");
        let _ = writeln!(std::io::stderr().lock(), "{prefix}: {line}");
    }

    fn paint_err(&self, style: anstyle::Style, text: &str) -> String {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if self.color
            || (!no_color && self.format == Format::Human && std::io::stderr().is_terminal())
        {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Returns a progress bar for `len` items, hidden unless progress is allowed and the job
    /// is big enough to be worth watching.
    pub fn progress_bar(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if !self.progress || len < 200 {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} ({per_sec})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        bar
    }
}

/// The styles used for human output.
pub mod styles {
    use anstyle::{AnsiColor, Style};

    pub const ERROR: Style = AnsiColor::Red.on_default().bold();
    pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
    pub const OK: Style = AnsiColor::Green.on_default().bold();
    pub const FILE: Style = Style::new().bold();
    pub const DIM: Style = Style::new().dimmed();
    pub const PATH: Style = AnsiColor::Cyan.on_default();
}
