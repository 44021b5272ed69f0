#!/usr/bin/env bash
# The pre-commit framework hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` tool:
# `pre-commit try-repo` builds leakguard from this repository (language: rust) and runs the hook in
# a scratch repository. A staged fake key must fail the hook ("commit blocked") without printing the
# key; the same commit without it must pass; a secret already committed in a file must not block an
# unrelated edit of that file (only `leakguard` runs on commits; `leakguard-files` is manual-stage);
# the installed binary must stay under 10 MB. LEAKGUARD_FRESH_BUILD=1 builds from nothing, to time a
# user's first install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

python3 -c "import pre_commit" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pre-commit ||
  python3 -m pip install --quiet --disable-pip-version-check --break-system-packages pre-commit
# cargo install (what language: rust runs) reuses the dependencies the test build compiled.
if [ "${LEAKGUARD_FRESH_BUILD:-}" != 1 ]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private HOME keeps the machine's git config out; rustup and cargo keep theirs.
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PRE_COMMIT_HOME=$work/cache HOME=$work/home GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
mkdir -p "$HOME" "$work/repo"
cd "$work/repo"
git init -q -b main
git config user.name "CI" && git config user.email ci@example.invalid
echo "hello" >README && git add README && git commit -qm init

# A fake GitHub token of the real format, made up here (never a real credential).
key=ghp_$(python3 -c 'import random,string; r=random.Random(42); print("".join(r.choice(string.ascii_letters+string.digits) for _ in range(36)))')

fail() { echo "pre-commit framework: $*" >&2; cat "$work/out" >&2; exit 1; }
try() { python3 -m pre_commit try-repo "$root" "$@" --verbose >"$work/out" 2>&1; }

printf 'API = "%s"\n' "$key" >settings.py
git add settings.py
started=$(date +%s)
if try leakguard; then fail "the staged key did not fail the leakguard hook"; fi
echo "first run (install included): $(($(date +%s) - started)) s"
grep -q "commit blocked" "$work/out" || fail "the hook did not say the commit is blocked"
grep -q "github" "$work/out" || fail "the failing hook did not name the rule"
grep -q "settings.py" "$work/out" || fail "the failing hook did not name the file"
if grep -qF "$key" "$work/out"; then fail "the hook printed the secret"; fi
echo "ok: leakguard blocks a staged key; what the committer sees:"
sed -n '/leakguard (secrets/,$p' "$work/out"

printf 'API = os.environ["API"]\n' >settings.py
git add settings.py
try leakguard || fail "the leakguard hook failed without a secret"
echo "ok: leakguard passes a clean change"

printf 'API = "%s"\n' "$key" >old.py
git add old.py && git commit -qm "an old leak" --no-verify
if try leakguard-files --hook-stage manual --all-files; then fail "leakguard-files --all-files missed a committed key"; fi
grep -q "old.py" "$work/out" || fail "leakguard-files did not name the file"
echo "ok: leakguard-files finds a committed key with --hook-stage manual --all-files"

# An unrelated edit of the file holding the old key, committed with every hook of the repository:
# only the staged hook runs on a commit, and it sees only the added line.
printf '# more\n' >>old.py
git add old.py
try --all-files || fail "an unrelated edit of a file with an old key was blocked (did leakguard-files run on commit?)"
grep -q "secrets in files" "$work/out" && fail "leakguard-files ran in the commit stage"
echo "ok: on a commit only the staged hook runs, and an unrelated edit passes"

# The binary pre-commit installs (try-repo's store is temporary, so install it again the way
# language: rust does; the build above is reused): the release profile (stripped, fat LTO) keeps it small.
cargo install --locked --quiet --bins --path "$root" --root "$work/inst" >/dev/null 2>&1 || fail "cargo install failed"
bin=$work/inst/bin/leakguard
size=$(stat -c %s "$bin")
echo "installed binary: $bin, $size bytes"
[ "$size" -lt 10000000 ] || fail "the installed binary is $size bytes (over 10 MB)"
