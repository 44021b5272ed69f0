#!/usr/bin/env python3
"""Recall and false alarms of leakguard on Samsung's CredData (labeled lines of real public repositories).

Usage:
  bench/coverage_cd.py --creddata PATH [--mirror /work/.mirror] [--binary target/release/leakguard]
                       [--work /tmp/creddata-lg] [--repos owner/name,...] [--top N]
                       [--misses] [--false-alarms] [--unlabeled N] [--causes] [--by-rule] [--found RULE]
                       [--json report.json]

PATH is CredData's repository (a checkout or a bare git directory): its snapshot.json maps a 64-hex
repo id (first 40 hex: the commit) to a GitHub URL; meta/<crc32 of the unhexlified repo id>.csv
holds that repository's labeled lines (FileID = sha256(path in the repository)[:8], LineStart,
LineEnd, GroundTruth T/F/X, ValueStart/ValueEnd, Category).

CredData's own download_data.py fetches each repository at its commit over the network. This script
does not: it reads each repository from a local bare git mirror (<mirror>/<owner>+<name>/repo, or
repo/.git), checks that the labeled commit is there, and writes the labeled files (the blobs whose
path hash is a FileID of the meta file) under WORK/<repo id>/<path in the repository>, keeping the
real paths (so path-based filters act as they would on the repository). Repositories whose mirror is
missing or lacks the commit are counted as not covered. The dataset holds real leaked credentials:
nothing is written outside WORK, and everything printed is redacted to a value's first 4 characters.
Unlike CredData's own benchmark (which scans its obfuscated copy), the files scanned are the
originals at the labeled commit.

leakguard scans WORK once (--no-ignore, JSON). Scoring, per labeled line (X labels excluded):
  - a True line is found when a finding's line range covers a line of the label's range; where the
    label gives ValueStart/ValueEnd, the report also counts the found lines whose finding's columns
    overlap the labeled value;
  - a False line is a false alarm when a finding's line range covers it;
  - findings covering no labeled line (T, F or X) are "unlabeled" (unlabeled secrets or noise).
Figures are printed overall, per category (a label's Category may list several, `A:B`; it counts
under each) and per file type (extension).

--causes sorts the missed True lines by cause: each missed label's lines are written alone, under
the same file name, and scanned one label at a time; a label found alone was dropped by its file's
context; one not found alone is attributed to the allowlist/filter leakguard reports suppressing
(stats.suppressed), or, when nothing was suppressed, to no rule matching its shape.
Not run in CI: it needs CredData and the mirrors.
"""

from __future__ import annotations

import argparse
import binascii
import collections
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


# Categories CredData labels True that name an identifier, not a credential: a label whose categories
# are all here is left out of the "judged" recall (it stays in the plain figure). Each with its reason.
IDENTIFIERS = {
    "UUID": "a bare UUID (request, object and client ids); leakguard reports one only under a secret's name",
    "Firebase Domain": "a project's database host name, public in every client",
    "Tencent WeChat API App ID": "the public app id (wx + 16 hex) that every mini-program request carries",
    "AWS S3 Bucket": "a bucket name, public in every URL to it",
    "Nonce": "a one-time value, public by design",
    "Salt": "a salt is stored beside its hash; it is not a secret",
}


def git(gitdir: str, *args: str, input_bytes: bytes | None = None) -> bytes:
    res = subprocess.run(["git", "--git-dir", gitdir, *args], input=input_bytes, capture_output=True)
    if res.returncode != 0:
        raise RuntimeError(f"git {' '.join(args[:2])}: {res.stderr.decode(errors='replace').strip()[:200]}")
    return res.stdout


class CredData:
    """snapshot.json and meta/*.csv, read from a checkout or a bare git directory."""

    def __init__(self, path: str):
        self.path = path
        self.bare = not os.path.exists(os.path.join(path, "snapshot.json"))

    def read(self, rel: str) -> str | None:
        if not self.bare:
            p = os.path.join(self.path, rel)
            return open(p, encoding="utf-8").read() if os.path.exists(p) else None
        try:
            return git(self.path, "show", f"HEAD:{rel}").decode("utf-8")
        except RuntimeError:
            return None

    def snapshot(self) -> dict[str, str]:
        return json.loads(self.read("snapshot.json"))

    def meta(self, repo_id: str) -> list[dict]:
        nid = new_repo_id(repo_id)
        text = self.read(f"meta/{nid}.csv")
        return list(csv.DictReader(io.StringIO(text))) if text else []


def new_repo_id(repo_id: str) -> str:
    return f"{binascii.crc32(binascii.unhexlify(repo_id)):08x}"


def repo_name(url: str) -> str:
    name = url.split("github.com/", 1)[1].strip("/")
    return name[:-4] if name.endswith(".git") else name


def mirror_gitdir(mirror: str, name: str) -> str | None:
    base = os.path.join(mirror, name.replace("/", "+"), "repo")
    for d in (base, os.path.join(base, ".git")):
        if os.path.exists(os.path.join(d, "HEAD")) and os.path.isdir(os.path.join(d, "objects")):
            return d
    return None


def has_commit(gitdir: str, commit: str) -> bool:
    return subprocess.run(["git", "--git-dir", gitdir, "cat-file", "-e", f"{commit}^{{commit}}"],
                          capture_output=True).returncode == 0


def materialize(gitdir: str, commit: str, file_ids: set[str], dest: str) -> dict[str, str]:
    """Write the blobs whose path hashes to a wanted FileID under dest; FileID -> relative path."""
    out = git(gitdir, "ls-tree", "-r", "-z", commit)
    wanted: dict[str, tuple[str, str]] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        head, path = entry.split(b"\t", 1)
        mode, kind, sha = head.decode().split()
        if kind != "blob" or mode == "120000":  # download_data.py skips symbolic links
            continue
        rel = path.decode("utf-8", errors="surrogateescape")
        fid = hashlib.sha256(rel.encode("utf-8", errors="surrogateescape")).hexdigest()[:8]
        if fid in file_ids and fid not in wanted:
            wanted[fid] = (rel, sha)
    if not wanted:
        return {}
    shas = "".join(sha + "\n" for _, sha in wanted.values()).encode()
    data = git(gitdir, "cat-file", "--batch", input_bytes=shas)
    pos = 0
    blobs: dict[str, bytes] = {}
    while pos < len(data):
        nl = data.index(b"\n", pos)
        head = data[pos:nl].decode().split()
        if len(head) != 3:  # "<sha> missing": the mirror left out a large blob
            pos = nl + 1
            continue
        sha, _kind, size = head
        size = int(size)
        blobs[sha] = data[nl + 1:nl + 1 + size]
        pos = nl + 1 + size + 1
    result = {}
    for fid, (rel, sha) in wanted.items():
        if sha not in blobs:
            continue
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(blobs[sha])
        result[fid] = rel
    return result


def scan(binary: str, root: str) -> dict:
    cmd = [binary, "scan", root, "--no-ignore", "--format", "json", "--show-secrets", "--no-baseline",
           "--exit-zero"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(f"leakguard failed ({res.returncode}): {res.stderr.strip()[:500]}")
    return json.loads(res.stdout)


def redact(s: str) -> str:
    return s[:4] + "…" if len(s) > 4 else "…"


def ext_of(path: str) -> str:
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1].lower()
    return ext or "(none)"


def categories(label: dict) -> list[str]:
    return [c for c in (label.get("Category") or "?").split(":") if c] or ["?"]


def rel_of(path: str, root: str) -> str:
    """A finding's path relative to the scanned root (leakguard reports them relative to it)."""
    return path[len(root) + 1:] if path.startswith(root + "/") else path


def read_lines(path: str) -> list[str]:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="replace")
    return text.splitlines()


def redacted_line(line: str, vs: int | None, ve: int | None, limit: int = 110) -> str:
    """The line with its labeled value (or, when no span is given, every long token) cut to 4 chars."""
    if vs is not None and ve is not None and 0 <= vs < ve <= len(line):
        line = line[:vs] + redact(line[vs:ve]) + line[ve:]
    # Any other token that could be a value (a digit, inner capitals or a symbol in it) is cut too:
    # a labeled line often holds a second credential (user and password, key id and secret).
    line = re.sub(r"[A-Za-z0-9+/=_\-.@:!#$%^&*~]{9,}",
                  lambda m: m.group(0) if re.fullmatch(r"[A-Za-z][a-z_.\-]*", m.group(0)) else redact(m.group(0)),
                  line)
    line = line.strip()
    return line if len(line) <= limit else line[:limit] + "…"


def intnull(s: str) -> int | None:
    try:
        v = int(s)
        return v if v >= 0 else None
    except (TypeError, ValueError):
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--creddata", required=True)
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--binary", default="target/release/leakguard")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "creddata-lg"))
    ap.add_argument("--repos", help="only these owner/name, comma-separated")
    ap.add_argument("--top", type=int, help="only the N repositories with the most True labels")
    ap.add_argument("--misses", action="store_true", help="list missed True lines (redacted)")
    ap.add_argument("--false-alarms", action="store_true", help="list False lines with a finding")
    ap.add_argument("--unlabeled", type=int, default=15, help="sample size of unlabeled findings")
    ap.add_argument("--causes", action="store_true", help="sort the misses by cause (rescans each)")
    ap.add_argument("--by-rule", action="store_true", help="every rule's found True and False lines, not the top 12")
    ap.add_argument("--found", metavar="RULE", help="list the True lines RULE found (redacted)")
    ap.add_argument("--json", help="write the figures (no values) to this file")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    cd = CredData(args.creddata)
    snap = cd.snapshot()
    only = set(args.repos.split(",")) if args.repos else None

    repos = []
    for rid, url in snap.items():
        name = repo_name(url)
        if only and name not in only:
            continue
        meta = cd.meta(rid)
        repos.append((sum(r["GroundTruth"] == "T" for r in meta), name, rid, meta))
    repos.sort(key=lambda r: (-r[0], r[1]))
    if args.top:
        repos = repos[:args.top]

    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    root = os.path.abspath(args.work)

    total = collections.Counter()
    covered = collections.Counter()
    not_covered = []
    labels = []  # dicts with path (relative to root), lines, gt, category, span
    for n_true, name, rid, meta in repos:
        for r in meta:
            total[r["GroundTruth"]] += 1
        total["repos"] += 1
        gitdir = mirror_gitdir(args.mirror, name)
        commit = rid[:40]
        if not gitdir or not has_commit(gitdir, commit):
            not_covered.append((name, n_true, "no mirror" if not gitdir else "commit absent"))
            continue
        nid = new_repo_id(rid)
        file_ids = {r["FileID"] for r in meta}
        try:
            paths = materialize(gitdir, commit, file_ids, os.path.join(root, nid))
        except RuntimeError as e:
            not_covered.append((name, n_true, str(e)))
            continue
        covered["repos"] += 1
        missing_files = 0
        for r in meta:
            rel = paths.get(r["FileID"])
            if rel is None:
                missing_files += 1
                continue
            covered[r["GroundTruth"]] += 1
            labels.append({
                "repo": name, "path": f"{nid}/{rel}", "start": int(r["LineStart"]), "end": int(r["LineEnd"]),
                "gt": r["GroundTruth"], "cats": categories(r), "vs": intnull(r["ValueStart"]),
                "ve": intnull(r["ValueEnd"]), "id": r["Id"],
            })
        if missing_files:
            not_covered.append((name, 0, f"{missing_files} labels' files not found at the commit"))

    print(f"CredData: {total['repos']} repositories, labels T {total['T']} F {total['F']} X {total['X']}")
    print(f"covered:  {covered['repos']} repositories, labels T {covered['T']} ({covered['T'] / max(1, total['T']):.1%})"
          f" F {covered['F']} ({covered['F'] / max(1, total['F']):.1%}) X {covered['X']}")
    big = sorted([nc for nc in not_covered if nc[1]], key=lambda x: -x[1])
    if big:
        print("not covered (True labels): " + ", ".join(f"{n} {t} ({why})" for n, t, why in big[:12])
              + (f", … {len(big) - 12} more" if len(big) > 12 else ""))

    report = scan(binary, root)
    by_path: dict[str, list[dict]] = collections.defaultdict(list)
    for f in report["findings"]:
        by_path[rel_of(f["path"], root)].append(f)

    labeled_lines: dict[str, set[int]] = collections.defaultdict(set)
    for lab in labels:
        labeled_lines[lab["path"]].update(range(lab["start"], lab["end"] + 1))

    def hits(lab):
        return [f for f in by_path.get(lab["path"], [])
                if f["line"] <= lab["end"] and f["end_line"] >= lab["start"]]

    def span_overlap(lab, f) -> bool:
        if lab["vs"] is None or lab["ve"] is None:
            return False
        if not (f["line"] <= lab["start"] <= f["end_line"]):
            return False
        fs = f["column"] - 1 if f["line"] == lab["start"] else 0
        fe = f["end_column"] - 1 if f["end_line"] == lab["start"] else 1 << 30
        return fs < lab["ve"] and lab["vs"] < fe

    stat = {k: collections.Counter() for k in ("cat", "ext")}
    misses, alarms, found = [], [], []
    found_rules = collections.Counter()
    alarm_rules = collections.Counter()
    tot = collections.Counter()
    for lab in labels:
        if lab["gt"] == "X":
            continue
        hs = hits(lab)
        keys = [("cat", c) for c in lab["cats"]] + [("ext", ext_of(lab["path"]))]
        if lab["gt"] == "T":
            tot["T"] += 1
            judged = not all(c in IDENTIFIERS for c in lab["cats"])
            tot["T_judged"] += judged
            tot["T_judged_found"] += judged and bool(hs)
            with_span = lab["vs"] is not None and lab["ve"] is not None
            tot["T_span"] += with_span
            for k, v in keys:
                stat[k][(v, "T")] += 1
            if hs:
                tot["T_found"] += 1
                found_rules[hs[0]["rule_id"]] += 1
                found.append((lab, hs[0]))
                tot["T_found_with_span"] += with_span
                if with_span and any(span_overlap(lab, f) for f in hs):
                    tot["T_found_span"] += 1
                for k, v in keys:
                    stat[k][(v, "T_found")] += 1
            else:
                misses.append(lab)
        else:
            tot["F"] += 1
            for k, v in keys:
                stat[k][(v, "F")] += 1
            if hs:
                tot["F_alarm"] += 1
                alarm_rules[hs[0]["rule_id"]] += 1
                alarms.append((lab, hs[0]))
                for k, v in keys:
                    stat[k][(v, "F_alarm")] += 1

    unlabeled = [f for p, fs in by_path.items() for f in fs
                 if not any(ln in labeled_lines.get(p, ()) for ln in range(f["line"], f["end_line"] + 1))]

    recall = tot["T_found"] / max(1, tot["T"])
    far = tot["F_alarm"] / max(1, tot["F"])
    print(f"\nfindings: {len(report['findings'])} in {len(by_path)} files ({report['stats']['scanned']} files scanned)")
    print(f"recall (True lines found): {tot['T_found']}/{tot['T']} = {recall:.3f}"
          f"   (the finding overlaps the labeled value on {tot['T_found_span']}/{tot['T_found_with_span']} found lines"
          f" that give its span)")
    print(f"judged recall (without labels that are identifiers only: {', '.join(IDENTIFIERS)}): "
          f"{tot['T_judged_found']}/{tot['T_judged']} = {tot['T_judged_found'] / max(1, tot['T_judged']):.3f}")
    print(f"false alarms (False lines with a finding): {tot['F_alarm']}/{tot['F']} = {far:.3f}")
    prec = tot["T_found"] / max(1, tot["T_found"] + tot["F_alarm"])
    print(f"precision on labeled lines: {prec:.3f}   F1: {2 * prec * recall / max(1e-9, prec + recall):.3f}")
    print(f"findings on unlabeled lines: {len(unlabeled)}")

    def table(kind: str, title: str, minimum: int):
        rows = sorted({v for (v, _k) in stat[kind]}, key=lambda v: -(stat[kind][(v, "T")] + stat[kind][(v, "F")]))
        print(f"\n{title:<22} {'True':>6} {'found':>6} {'recall':>7} {'False':>6} {'alarms':>6} {'rate':>6}")
        for v in rows:
            t, tf = stat[kind][(v, "T")], stat[kind][(v, "T_found")]
            fl, fa = stat[kind][(v, "F")], stat[kind][(v, "F_alarm")]
            if t + fl < minimum:
                continue
            r = f"{tf / t:.3f}" if t else "-"
            a = f"{fa / fl:.3f}" if fl else "-"
            print(f"{v[:22]:<22} {t:>6} {tf:>6} {r:>7} {fl:>6} {fa:>6} {a:>6}")

    table("cat", "category", 1)
    table("ext", "file type", 40)

    print("\nrules on found True lines: " + ", ".join(f"{r} {n}" for r, n in found_rules.most_common(12)))
    print("rules on False lines:      " + ", ".join(f"{r} {n}" for r, n in alarm_rules.most_common(12)))
    if args.by_rule:
        print("\nrule                                   True  False")
        for r in sorted(set(found_rules) | set(alarm_rules)):
            print(f"{r:38} {found_rules[r]:5} {alarm_rules[r]:6}")

    line_cache: dict[str, list[str]] = {}

    def line_of(path: str, n: int) -> str:
        if path not in line_cache:
            line_cache[path] = read_lines(os.path.join(root, path))
        ls = line_cache[path]
        return ls[n - 1] if 0 < n <= len(ls) else ""

    if args.misses:
        print(f"\nmissed True lines ({len(misses)}):")
        for lab in misses:
            print(f"  {'/'.join(lab['cats'])}  {lab['repo']}:{lab['path'].split('/', 1)[1]}:{lab['start']}  "
                  f"{redacted_line(line_of(lab['path'], lab['start']), lab['vs'], lab['ve'])}")
    if args.found:
        mine = [(lab, f) for lab, f in found if f["rule_id"] == args.found]
        print(f"\nTrue lines found by {args.found} ({len(mine)}):")
        for lab, f in mine:
            print(f"  {'/'.join(lab['cats'])}  {lab['repo']}:{lab['path'].split('/', 1)[1]}:{lab['start']}  "
                  f"{redacted_line(line_of(lab['path'], lab['start']), lab['vs'], lab['ve'])}")
    if args.false_alarms:
        print(f"\nFalse lines with a finding ({len(alarms)}):")
        for lab, f in alarms:
            print(f"  {'/'.join(lab['cats'])}  {f['rule_id']}  {lab['repo']}:{lab['path'].split('/', 1)[1]}:{lab['start']}  "
                  f"{redacted_line(line_of(lab['path'], lab['start']), None, None)}")
    if args.unlabeled and unlabeled:
        by_rule = collections.Counter(f["rule_id"] for f in unlabeled)
        print(f"\nunlabeled findings by rule: " + ", ".join(f"{r} {n}" for r, n in by_rule.most_common(15)))
        step = max(1, len(unlabeled) // args.unlabeled)
        for f in sorted(unlabeled, key=lambda f: (f["path"], f["line"]))[::step][:args.unlabeled]:
            p = rel_of(f["path"], root)
            print(f"  {f['rule_id']}  {p.split('/', 1)[1] if '/' in p else p}:{f['line']}  {redact(f['secret'])}")

    causes_out = None
    if args.causes and misses:
        causes_out = causes(binary, root, misses, line_of)

    if args.json:
        out = {
            "covered": dict(covered), "total": dict(total), "not_covered": not_covered,
            "recall": recall, "false_alarm_rate": far, "counts": dict(tot), "unlabeled": len(unlabeled),
            "by_category": {f"{v}|{k}": n for (v, k), n in stat["cat"].items()},
            "by_ext": {f"{v}|{k}": n for (v, k), n in stat["ext"].items()},
            "causes": causes_out,
        }
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


NAME = re.compile(r"(?i)pass|pwd|secret|token|key|auth|cred|api|bearer|basic|salt|nonce|seed|private")


def shape(line: str, lab: dict) -> str:
    """A missed value's shape (and whether a credential name is on its line), to group misses."""
    vs, ve = lab["vs"], lab["ve"]
    value = line[vs:ve] if vs is not None and ve is not None and 0 <= vs < ve <= len(line) else ""
    before = line[:vs] if value else line
    named = "named" if NAME.search(before) else "no name before it"
    if lab["end"] > lab["start"]:
        kind = "multi-line value"
    elif not value:
        kind = "no value span"
    elif re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", value):
        kind = "UUID"
    elif re.fullmatch(r"[0-9a-fA-F]+", value):
        kind = f"hex {'<16' if len(value) < 16 else '16-31' if len(value) < 32 else '32+'}"
    elif re.fullmatch(r"[0-9]+", value):
        kind = "digits"
    elif len(value) < 8:
        kind = "short (<8)"
    elif re.fullmatch(r"[A-Za-z]+[0-9]{0,4}[!@#$%^&*]?", value) or re.fullmatch(r"[a-z]+(?:[-_.][a-z0-9]+)+", value):
        kind = "word-like"
    elif re.fullmatch(r"[A-Za-z0-9+/=_\-]{16,}", value):
        kind = "random 16+"
    else:
        kind = "other 8+"
    return f"{'/'.join(lab['cats'])}: {kind}, {named}"


def family(lab: dict, line: str, cause: str) -> str:
    """The named cause a miss belongs to (what the lead can assign), from its cause, shape and line."""
    cats = set(lab["cats"])
    vs, ve = lab["vs"], lab["ve"]
    value = line[vs:ve] if vs is not None and ve is not None and 0 <= vs < ve <= len(line) else ""
    kind = shape(line, lab).split(": ", 1)[1]
    if all(c in IDENTIFIERS for c in cats):
        return "identifier-only label (UUID, nonce, salt, app id, bucket, host)"
    if cause.startswith("found alone") and "terraform" in cause:
        return "terraform-state-file reports the file once at line 1, not the labeled line"
    if cause.startswith("found alone"):
        return "found alone, dropped in its file (documentation-example context)"
    if "JWK" in cats:
        return "JWK private members (d, p, q, dp, k) of JSON Web Keys"
    if "NKEY Seed" in cats:
        return "NATS nkey seed without an nkey/nats name before it"
    if re.fullmatch(r"[UANOC][A-Z2-7]{55}", value):
        return "NATS public nkey labeled as a key (public, not a secret)"
    if "Basic Authorization" in cats:
        return "HTTP Basic authorization header (base64 of user:password)"
    if "generic.toml:470" in cause:
        return "bearer token starting eyJ left to the jwt rule (Grafana legacy API keys, cut JWTs)"
    if kind.startswith("UUID"):
        return "UUID-shaped token under a token/key name (UUID allowlist)"
    if re.search(r"database\.toml|url-embedded", cause) or "URL Credentials" in cats:
        return "URL/DSN credentials with a default or variable password, or to a loopback host"
    if kind.startswith(("word-like", "short", "digits")) or "stopword" in cause or "generic.toml:587" in cause:
        return "weak password under a credential name (a word, a name, under 8 characters)"
    if kind.startswith("hex"):
        return "hex value under a key/token/secret name"
    if kind.startswith("multi-line"):
        return "other multi-line value"
    if "no name before it" in kind:
        return "value without a credential name on its line"
    if cause.startswith("suppressed"):
        return "other allowlist: " + re.sub(r".*rules/", "", cause)
    if "\\\"" in value:
        return "named value: escaped JSON inside a string"
    if re.search(r"(?i)oauth_(token|signature|consumer|verifier|nonce)", line):
        return "named value: OAuth 1.0 parameters in a header or URL"
    if re.search(r"\[\]byte\{|\\x[0-9a-f]{2}", line):
        return "named value: byte array or escaped binary"
    return "named random-looking value no rule reads (other)"


def causes(binary: str, root: str, misses: list[dict], line_of) -> dict:
    """Rescan each missed label alone (its lines under the same file name) to see what dropped it."""
    iso = root + ".alone"
    if os.path.exists(iso):
        shutil.rmtree(iso)
    by_cause: dict[str, list[dict]] = collections.defaultdict(list)
    for i, lab in enumerate(misses):
        d = os.path.join(iso, str(i))
        os.makedirs(d)
        lines = [line_of(lab["path"], n) for n in range(lab["start"], lab["end"] + 1)]
        with open(os.path.join(d, os.path.basename(lab["path"])), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        rep = scan(binary, d)
        if rep["findings"]:
            cause = "found alone: dropped in its file's context (" + rep["findings"][0]["rule_id"] + ")"
        elif rep["stats"].get("suppressed"):
            s = rep["stats"]["suppressed"][0]
            cause = f"suppressed: {s['kind']} {s.get('source') or ''} ({s.get('rule_id') or ''})"
        elif rep["stats"].get("skipped"):
            cause = "file skipped: " + ",".join(rep["stats"].get("skipped_by_reason", {}))
        else:
            line = line_of(lab["path"], lab["start"])
            cause = "no rule matches: " + shape(line, lab)
        by_cause[cause].append(lab)
    shutil.rmtree(iso)
    fams: dict[str, list[dict]] = collections.defaultdict(list)
    fam_of = {}
    for c, labs in by_cause.items():
        for lab in labs:
            f = family(lab, line_of(lab["path"], lab["start"]), c)
            fams[f].append(lab)
            fam_of[id(lab)] = f
    print(f"\nmissed True lines by family ({len(misses)}):")
    for f, labs in sorted(fams.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(labs):>5}  {f}")
        for lab in labs[:3]:
            print(f"           {lab['repo']}:{lab['path'].split('/', 1)[1]}:{lab['start']}  "
                  f"{redacted_line(line_of(lab['path'], lab['start']), lab['vs'], lab['ve'])}")
    print(f"\nmissed True lines by cause ({len(misses)}):")
    for cause, labs in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(labs):>5}  {cause}")
        for lab in labs[:3]:
            print(f"           {lab['repo']}:{lab['path'].split('/', 1)[1]}:{lab['start']}  "
                  f"{redacted_line(line_of(lab['path'], lab['start']), lab['vs'], lab['ve'])}")
    return {"counts": {c: len(v) for c, v in by_cause.items()},
            "families": {f: len(v) for f, v in fams.items()},
            "misses": [{"repo": lab["repo"], "path": lab["path"].split("/", 1)[1], "line": lab["start"],
                        "id": lab["id"], "category": "/".join(lab["cats"]), "cause": c,
                        "family": fam_of[id(lab)]}
                       for c, labs in sorted(by_cause.items()) for lab in labs]}


if __name__ == "__main__":
    main()
