#!/usr/bin/env bash
# The scan step of leakguard's GitHub Action (action.yml). It picks the commits the event brought:
#   push          before..after (a new branch: what it adds over the default branch; a force-push
#                 whose old tip is gone: the new tip's whole history)
#   pull_request  base..head of the pull request
#   pull_request_target  the same, after fetching the head (its checkout is the base branch)
#   push to the default branch, and any other event: the whole history of every ref
# unless INPUT_RANGE names a range, then runs `leakguard history` once, writing the log (INPUT_FORMAT)
# and the SARIF file code scanning reads (INPUT_SARIF_FILE) together, and fails on findings unless
# INPUT_FAIL_ON_FINDINGS is false. An error (exit 2) always fails.
#
# With a range, leakguard reads INPUT_CONFIG and INPUT_BASELINE (and any config it discovers) from the
# base of the range when they lie inside the repository, so the commits under review cannot change the
# rules that judge them; it reports such a change as a note (a ::warning annotation in the github
# format). Add --fail-on-config-change to INPUT_ARGS to fail on it.
#
# Code scanning treats each upload as the whole result of its category on its branch, so a range
# scan's SARIF is uploaded as leakguard/push-range and a whole-history scan's as
# leakguard/full-history: a push to the default branch is audited whole, and its alerts close only
# once the secret is gone from history (or accepted in the baseline). Outputs `category` and
# `upload` (false, with a notice, on a pull request from a fork, whose token cannot upload).
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

notice() { printf '::notice title=leakguard::%s\n' "$*"; say "$*"; }

# A field of the event's JSON, by a path of keys ("pull_request base sha"); empty when absent.
# Booleans print as true/false, numbers as they are. (python3 is on every GitHub-hosted runner.)
event_field() {
  [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ] || return 0
  python3 - "$GITHUB_EVENT_PATH" "$@" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value.get(key) if isinstance(value, dict) else None
if isinstance(value, bool):
    print("true" if value else "false")
elif isinstance(value, (str, int)):
    print(value)
else:
    print("")
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
upload=true
if [ -z "$range" ]; then
  case "$event" in
    push)
      before=$(event_field before)
      after=$(event_field after)
      default_branch=$(event_field repository default_branch)
      pushed_ref=$(event_field ref)
      if [ -n "$default_branch" ] && [ "$pushed_ref" = "refs/heads/$default_branch" ]; then
        # Every ref, whole: the full-history result code scanning keeps for the default branch.
        say "a push to the default branch ($default_branch): auditing the whole history"
      elif ! is_commit "$after"; then
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
      number=$(event_field pull_request number)
      if [ "$(event_field pull_request head repo fork)" = true ] ||
        { [ -n "$(event_field pull_request head repo full_name)" ] &&
          [ "$(event_field pull_request head repo full_name)" != "$(event_field pull_request base repo full_name)" ]; }; then
        if [ "$event" = pull_request ]; then
          upload=false
          notice "a pull request from a fork: its token cannot upload to code scanning; the findings are in this log only"
        fi
      fi
      if [ "$event" = pull_request_target ] && ! is_commit "$head"; then
        # pull_request_target checks out the base branch: fetch the head to scan it. Only its
        # objects are read; nothing from it runs, and config and baseline come from the checkout.
        say "pull_request_target: fetching the pull request's head ($head)"
        git -C "$repo" fetch --quiet --no-tags origin "+refs/pull/$number/head" 2>/dev/null ||
          git -C "$repo" fetch --quiet --no-tags origin "$head" 2>/dev/null || true
        if ! is_commit "$head"; then
          say "pull_request_target: the pull request's head $head cannot be fetched into the checkout; check it out (actions/checkout with ref: \${{ github.event.pull_request.head.sha }} and fetch-depth: 0) or run on pull_request"
          [ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=2" >>"$GITHUB_OUTPUT"
          exit 2
        fi
      fi
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
if [ -n "${INPUT_BASELINE:-}" ]; then
  # An optional input: a baseline that is not there (yet) is said, not an error. Without the input,
  # leakguard reads .leakguard-baseline.json at the repository root by itself.
  case "$INPUT_BASELINE" in /*) baseline_path=$INPUT_BASELINE ;; *) baseline_path=$repo/$INPUT_BASELINE ;; esac
  case "$INPUT_BASELINE" in /*) base_rev= ;; *) base_rev=$range ;; esac
  if [ -n "$base_rev" ]; then
    # With a range, leakguard reads a baseline inside the repository from the base of the range
    # (the reviewed commits cannot accept their own findings): there it is present or missing.
    case "$range" in
      *...*) base_rev=$(git -C "$repo" merge-base "${range%%...*}" "${range##*...}" 2>/dev/null) || base_rev= ;;
      *) base_rev=${range%%..*} ;;
    esac
    if git -C "$repo" cat-file -e "${base_rev:-HEAD}:./${INPUT_BASELINE#./}" 2>/dev/null; then
      args+=(--baseline "$baseline_path")
    else
      notice "baseline $INPUT_BASELINE not found at the base of the range: reporting every finding"
    fi
  elif [ -f "$INPUT_BASELINE" ] || [ -f "$baseline_path" ]; then
    [ -f "$INPUT_BASELINE" ] || INPUT_BASELINE=$baseline_path
    args+=(--baseline "$INPUT_BASELINE")
  else
    notice "baseline $INPUT_BASELINE not found: reporting every finding"
  fi
fi
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi

if [ -n "$range" ] || [ ${#refs[@]} -gt 0 ]; then
  category=leakguard/push-range
else
  category=leakguard/full-history
fi
# One run writes both the log's report and the SARIF file.
[ -n "$sarif" ] && args+=(--sarif-file "$sarif")

say "scanning ${range:-${refs[*]:-every ref}}"
set +e
"$leakguard" "${args[@]}" --format "$format"
code=$?
set -e
if [ "$code" -eq 2 ] && [ -n "$sarif" ]; then
  rm -f "$sarif"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "range=$range"
    echo "sarif-file=$sarif"
    echo "category=$category"
    echo "upload=$upload"
  } >>"$GITHUB_OUTPUT"
fi

case "$code" in
  0) exit 0 ;;
  1) if [ "$fail_on_findings" = true ]; then exit 1; fi; say "findings reported; not failing (fail-on-findings: false)"; exit 0 ;;
  *) exit 2 ;;
esac
