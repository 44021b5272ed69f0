#!/usr/bin/env bash
# The scan step of leakguard's GitHub Action (action.yml). It picks the commits the event brought:
#   push          before..after (a new branch: what it adds over the default branch; a force-push
#                 whose old tip is gone: the new tip's whole history)
#   pull_request  base..head of the pull request
#   anything else the whole history of every ref
# unless INPUT_RANGE names a range, then runs `leakguard history` once for the log (INPUT_FORMAT)
# and once for the SARIF file code scanning reads (INPUT_SARIF_FILE), and fails on findings unless
# INPUT_FAIL_ON_FINDINGS is false. An error (exit 2) always fails.
#
# With a range, leakguard reads INPUT_CONFIG and INPUT_BASELINE (and any config it discovers) from the
# base of the range when they lie inside the repository, so the commits under review cannot change the
# rules that judge them; it reports such a change as a note (a ::warning annotation in the github
# format). Add --fail-on-config-change to INPUT_ARGS to fail on it.
#
# It reads only environment variables, so it runs the same on a laptop as on a runner:
#   GITHUB_EVENT_NAME, GITHUB_EVENT_PATH (the event's JSON), GITHUB_OUTPUT (optional)
#   INPUT_PATH INPUT_RANGE INPUT_CONFIG INPUT_BASELINE INPUT_FORMAT INPUT_SARIF_FILE
#   INPUT_FAIL_ON_FINDINGS INPUT_ARGS, and LEAKGUARD (the binary; default: leakguard on PATH)
set -euo pipefail

leakguard=${LEAKGUARD:-leakguard}
repo=${INPUT_PATH:-.}
range=${INPUT_RANGE:-}
format=${INPUT_FORMAT:-github}
sarif=${INPUT_SARIF_FILE:-}
fail_on_findings=${INPUT_FAIL_ON_FINDINGS:-true}
event=${GITHUB_EVENT_NAME:-}
zero=0000000000000000000000000000000000000000

say() { printf 'leakguard-action: %s\n' "$*" >&2; }

# A field of the event's JSON, by a path of keys ("pull_request base sha"); empty when absent.
event_field() {
  [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ] || return 0
  python3 - "$GITHUB_EVENT_PATH" "$@" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value.get(key) if isinstance(value, dict) else None
print(value if isinstance(value, str) else "")
PY
}

is_commit() { [ -n "$1" ] && git -C "$repo" cat-file -e "$1^{commit}" 2>/dev/null; }

case "$fail_on_findings" in
  true | false) ;;
  *) say "fail-on-findings must be true or false, not '$fail_on_findings'"; exit 2 ;;
esac

# actions/checkout fetches one commit unless told fetch-depth: 0; a range needs the history.
if [ "$(git -C "$repo" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
  if git -C "$repo" remote get-url origin >/dev/null 2>&1; then
    say "the checkout is shallow: fetching the full history (use fetch-depth: 0 to save this step)"
    git -C "$repo" fetch --quiet --no-tags --unshallow origin || say "could not unshallow; scanning what is here"
  fi
fi

refs=()
if [ -z "$range" ]; then
  case "$event" in
    push)
      before=$(event_field before)
      after=$(event_field after)
      default_branch=$(event_field repository default_branch)
      if ! is_commit "$after"; then
        say "the pushed commit '${after:-?}' is not in the checkout: scanning every ref"
      elif [ "$before" != "$zero" ] && is_commit "$before"; then
        range="$before..$after"
      elif [ -n "$default_branch" ] && is_commit "origin/$default_branch" &&
        ! git -C "$repo" merge-base --is-ancestor "$after" "origin/$default_branch"; then
        range="origin/$default_branch..$after"
      else
        refs=(--ref "$after")
      fi
      ;;
    pull_request | pull_request_target)
      base=$(event_field pull_request base sha)
      head=$(event_field pull_request head sha)
      if is_commit "$base" && is_commit "$head"; then
        range="$base..$head"
      else
        say "the pull request's base or head is not in the checkout (fetch-depth: 0?): scanning every ref"
      fi
      ;;
  esac
fi

args=(history "$repo")
[ -n "$range" ] && args+=(--range "$range")
args+=("${refs[@]}")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi

say "scanning ${range:-${refs[*]:-every ref}}"
set +e
"$leakguard" "${args[@]}" --format "$format"
code=$?
if [ "$code" -ne 2 ] && [ -n "$sarif" ]; then
  "$leakguard" "${args[@]}" --format sarif --output "$sarif"
  sarif_code=$?
  [ "$sarif_code" -eq 2 ] && code=2
fi
set -e

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "range=$range"
    echo "sarif-file=$sarif"
  } >>"$GITHUB_OUTPUT"
fi

case "$code" in
  0) exit 0 ;;
  1) if [ "$fail_on_findings" = true ]; then exit 1; fi; say "findings reported; not failing (fail-on-findings: false)"; exit 0 ;;
  *) exit 2 ;;
esac
