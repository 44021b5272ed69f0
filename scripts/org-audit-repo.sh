#!/usr/bin/env bash
# One cell of the organisation-wide audit (.github/workflows/org-audit.yml): clone one repository
# with its whole history and every branch and tag, run `leakguard history` on it once, and write its
# JSON report (top-level "repository": the clone URL, without credentials) for `leakguard report
# merge`. Runs the same on a laptop:
#
#   scripts/org-audit-repo.sh REPOSITORY OUT_DIR
#
# REPOSITORY is owner/name (cloned from $ORG_AUDIT_GIT_BASE, default https://github.com/), or any
# URL or path git can clone. The report is OUT_DIR/<owner>__<name>.json. Exit 0 whether or not
# there are findings (the merge job decides), 2 on an error, which is also written as a report with
# an "error" field so the merge still names the repository.
#
# Environment: LEAKGUARD (the binary; default leakguard on PATH), GITHUB_TOKEN (private
# repositories over https; sent as a header, never written into the clone's config),
# ORG_AUDIT_ARGS (more `leakguard history` options), GITHUB_STEP_SUMMARY (optional).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 REPOSITORY OUT_DIR" >&2
  exit 2
fi
repository=$1
out_dir=$2
leakguard=${LEAKGUARD:-leakguard}
base=${ORG_AUDIT_GIT_BASE:-https://github.com/}
say() { printf 'org-audit: %s\n' "$*" >&2; }

case "$repository" in
  *://* | /* | ./* | ../* | *@*:*) url=$repository ;;
  */*) url="${base%/}/${repository%.git}" ;;
  *) say "$repository: give owner/name, a URL or a path"; exit 2 ;;
esac
# A file name for the report: owner__name from the last two path parts.
name=$(printf '%s' "${url%/}" | sed -e 's#\.git$##' -e 's#/*$##' | awk -F'[/:]' '{ n = NF; print (n > 1 ? $(n-1) "__" $n : $n) }')
name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
mkdir -p "$out_dir"
report="$out_dir/$name.json"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
auth=()
if [ -n "${GITHUB_TOKEN:-}" ] && [[ "$url" == https://* ]]; then
  auth=(-c "http.extraHeader=AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 | tr -d '\n')")
fi

say "cloning $url"
# Every branch and tag with full history; a checkout so that the repository's own .leakguard.toml
# and .leakguard-baseline.json are read as its developers' scans read them.
if ! git "${auth[@]}" clone --quiet --no-single-branch "$url" "$work/repo" 2>"$work/clone.err"; then
  say "cannot clone $url: $(tail -1 "$work/clone.err")"
  printf '{"version":"","repository":"%s","error":"cannot clone","findings":[]}\n' "$url" >"$report"
  exit 2
fi
# Remote-tracking branches are refs too: every branch is scanned without checking it out.
extra=()
if [ -n "${ORG_AUDIT_ARGS:-}" ]; then
  read -r -a extra <<<"$ORG_AUDIT_ARGS"
fi
set +e
"$leakguard" history "$work/repo" --format json --output "$report" "${extra[@]}"
code=$?
set -e
case "$code" in
  0 | 1) ;;
  *)
    say "leakguard failed on $url (exit $code)"
    printf '{"version":"","repository":"%s","error":"scan failed","findings":[]}\n' "$url" >"$report"
    exit 2
    ;;
esac
count=$(grep -c '"fingerprint"' "$report" || true)
say "$url: $count finding(s) -> $report"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  echo "- \`$url\`: $count finding(s)" >>"$GITHUB_STEP_SUMMARY"
fi
exit 0
