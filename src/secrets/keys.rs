//! age recipients and identities: wrapping a file's data key for each recipient (one armored
//! age file per recipient, as sops does) and finding identities where sops looks for them.

use super::cipher::DataKey;
use age::armor::{ArmoredReader, ArmoredWriter, Format as ArmorFormat};
use age::secrecy::ExposeSecret;
use anyhow::{Context as _, Result, anyhow, bail};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A public key a data key can be wrapped for, as written in `.sops.yaml` and the metadata.
pub enum Recipient {
    X25519(age::x25519::Recipient),
    Ssh(age::ssh::Recipient),
}

impl Recipient {
    pub fn parse(text: &str) -> Result<Recipient> {
        let text = text.trim();
        if text.starts_with("age1pq1") {
            bail!("post-quantum age recipients are not supported yet: `{text}`");
        }
        if text.starts_with("age1") {
            if let Ok(key) = text.parse::<age::x25519::Recipient>() {
                return Ok(Recipient::X25519(key));
            }
            bail!("`{text}` is not a valid age recipient (plugin recipients are not supported)");
        }
        if text.starts_with("ssh-") {
            return text
                .parse::<age::ssh::Recipient>()
                .map(Recipient::Ssh)
                .map_err(|_| {
                    anyhow!("`{text}` is not a supported SSH public key (ssh-ed25519 or ssh-rsa)")
                });
        }
        bail!("`{text}` is not an age recipient (age1…) or SSH public key (ssh-ed25519 …)")
    }

    fn as_dyn(&self) -> &dyn age::Recipient {
        match self {
            Recipient::X25519(r) => r,
            Recipient::Ssh(r) => r,
        }
    }
}

/// Wraps the data key for one recipient: an ASCII-armored age file with one stanza, the form
/// sops stores in `sops.age[].enc`.
pub fn wrap(key: &DataKey, recipient: &Recipient) -> Result<String> {
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient.as_dyn()))
        .context("cannot encrypt to this recipient")?;
    let armored = ArmoredWriter::wrap_output(Vec::new(), ArmorFormat::AsciiArmor)?;
    let mut writer = encryptor.wrap_output(armored)?;
    writer.write_all(key.as_bytes())?;
    let bytes = writer.finish()?.finish()?;
    Ok(String::from_utf8(bytes).expect("age armor is ASCII"))
}

/// Tries to unwrap one `enc` entry with the identities; `None` when none of them fits.
pub fn unwrap(
    enc: &str,
    identities: &[Box<dyn age::Identity + Send + Sync>],
) -> Result<Option<DataKey>> {
    let decryptor = age::Decryptor::new(ArmoredReader::new(enc.as_bytes()))
        .map_err(|e| anyhow!("the wrapped data key is not an age file: {e}"))?;
    let reader = decryptor.decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity));
    let mut reader = match reader {
        Ok(reader) => reader,
        Err(age::DecryptError::NoMatchingKeys) => return Ok(None),
        Err(e) => return Err(anyhow!("cannot unwrap the data key: {e}")),
    };
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    reader.read_to_end(&mut bytes)?;
    DataKey::from_bytes(&bytes)
        .map(Some)
        .ok_or_else(|| anyhow!("the wrapped data key is {} bytes, not 32", bytes.len()))
}

/// A new X25519 identity: the identity-file text (with sops-style comments) and its recipient.
pub fn generate() -> (String, String) {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let now = super::now_rfc3339().unwrap_or_default();
    let text = format!(
        "# created: {now}\n# public key: {recipient}\n{}\n",
        identity.to_string().expose_secret()
    );
    (text, recipient)
}

/// Where sops (and cfgctl) keep the default identity file: `$XDG_CONFIG_HOME/sops/age/keys.txt`,
/// else `~/.config/sops/age/keys.txt` (`~/Library/Application Support` on macOS).
pub fn default_identity_path() -> Option<PathBuf> {
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(xdg).join("sops/age/keys.txt"));
    }
    let home = PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?);
    let base = if cfg!(target_os = "macos") {
        home.join("Library/Application Support")
    } else {
        home.join(".config")
    };
    Some(base.join("sops/age/keys.txt"))
}

/// The identities available to this run and where they were looked for, so a failure can say
/// what was tried.
#[derive(Default)]
pub struct Keyring {
    identities: Vec<Box<dyn age::Identity + Send + Sync>>,
    /// One line per place looked at: `SOPS_AGE_KEY_FILE=/x (2 identities)`, `~/.ssh/id_ed25519 (absent)`.
    pub tried: Vec<String>,
}

impl Keyring {
    /// Loads identities the way sops does: `--identity` files first, then `SOPS_AGE_KEY`,
    /// `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`, the default keys.txt, then SSH keys
    /// (`SOPS_AGE_SSH_PRIVATE_KEY_FILE`, `~/.ssh/id_ed25519`, `~/.ssh/id_rsa`).
    pub fn load(explicit: &[PathBuf]) -> Result<Keyring> {
        let mut ring = Keyring::default();
        for path in explicit {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read identity file {}", path.display()))?;
            let n = ring.add_text(&text, &path.display().to_string())?;
            ring.tried
                .push(format!("--identity {} ({n})", path.display()));
        }
        match std::env::var("SOPS_AGE_KEY") {
            Ok(text) if !text.trim().is_empty() => {
                let n = ring.add_text(&text, "SOPS_AGE_KEY")?;
                ring.tried.push(format!("SOPS_AGE_KEY ({n})"));
            }
            _ => ring.tried.push("SOPS_AGE_KEY (unset)".into()),
        }
        match std::env::var_os("SOPS_AGE_KEY_FILE").filter(|v| !v.is_empty()) {
            Some(file) => {
                let path = PathBuf::from(file);
                let text = std::fs::read_to_string(&path).with_context(|| {
                    format!(
                        "SOPS_AGE_KEY_FILE names {}, which cannot be read",
                        path.display()
                    )
                })?;
                let n = ring.add_text(&text, &path.display().to_string())?;
                ring.tried
                    .push(format!("SOPS_AGE_KEY_FILE={} ({n})", path.display()));
            }
            None => ring.tried.push("SOPS_AGE_KEY_FILE (unset)".into()),
        }
        if let Some(cmd) = std::env::var_os("SOPS_AGE_KEY_CMD").filter(|v| !v.is_empty()) {
            let output = std::process::Command::new("sh")
                .arg("-c")
                .arg(&cmd)
                .stderr(std::process::Stdio::inherit())
                .output()
                .context("cannot run SOPS_AGE_KEY_CMD")?;
            if !output.status.success() {
                bail!("SOPS_AGE_KEY_CMD failed ({})", output.status);
            }
            let text = String::from_utf8(output.stdout)
                .context("SOPS_AGE_KEY_CMD printed non-UTF-8 output")?;
            let n = ring.add_text(&text, "SOPS_AGE_KEY_CMD")?;
            ring.tried.push(format!("SOPS_AGE_KEY_CMD ({n})"));
        }
        if let Some(path) = default_identity_path() {
            ring.add_file_if_present(&path, |text, ring, label| ring.add_text(text, label))?;
        }
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let mut ssh_paths = Vec::new();
        if let Some(file) =
            std::env::var_os("SOPS_AGE_SSH_PRIVATE_KEY_FILE").filter(|v| !v.is_empty())
        {
            ssh_paths.push(PathBuf::from(file));
        } else if let Some(home) = &home {
            ssh_paths.push(home.join(".ssh/id_ed25519"));
            ssh_paths.push(home.join(".ssh/id_rsa"));
        }
        for path in ssh_paths {
            ring.add_file_if_present(&path, |text, ring, label| ring.add_ssh(text, label))?;
        }
        Ok(ring)
    }

    fn add_file_if_present(
        &mut self,
        path: &Path,
        add: impl Fn(&str, &mut Keyring, &str) -> Result<usize>,
    ) -> Result<()> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let n = add(&text, self, &path.display().to_string())?;
                self.tried.push(format!("{} ({n})", path.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.tried.push(format!("{} (absent)", path.display()));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
        Ok(())
    }

    /// Adds the identities of an age identity file's text; returns how many.
    pub fn add_text(&mut self, text: &str, label: &str) -> Result<usize> {
        let file = age::IdentityFile::from_buffer(text.as_bytes())
            .with_context(|| format!("{label}: not an age identity file"))?;
        let identities = file
            .into_identities()
            .map_err(|e| anyhow!("{label}: {e}"))?;
        let n = identities.len();
        self.identities.extend(identities);
        Ok(n)
    }

    fn add_ssh(&mut self, text: &str, label: &str) -> Result<usize> {
        match age::ssh::Identity::from_buffer(text.as_bytes(), Some(label.to_string())) {
            Ok(age::ssh::Identity::Unencrypted(key)) => {
                self.identities
                    .push(Box::new(age::ssh::Identity::Unencrypted(key)));
                Ok(1)
            }
            // A passphrase-protected or unsupported key is skipped, and said so in `tried`.
            Ok(_) | Err(_) => Ok(0),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.identities.is_empty()
    }

    pub fn identities(&self) -> &[Box<dyn age::Identity + Send + Sync>] {
        &self.identities
    }
}
