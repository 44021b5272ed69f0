#!/usr/bin/env python3
"""Family census: every peer rule id mapped to the leakguard rule that covers it; the unmapped ones printed.

The peers' catalogs (gitleaks' default config, noseyparker, kingfisher's YAML rules and built-ins,
betterleaks, trufflehog's detectors) each name credential families. This script reads the per-rule
reports the coverage harnesses already write (values drawn from each peer's own regex, or trufflehog's
detector tests) and says, per peer rule, which leakguard rule found its samples:

  format     found by a leakguard rule that reads the format (not tagged generic / vendor-context)
  context    found only by context rules (a secret-sounding name, or a vendor's name, + a random value):
             a candidate for a format rule when the family has a documented format
  partial    some samples found, by any rule, but fewer than half
  missed     samples written, none found
  named      no sample (regex not generable, no detector test): mapped by name or gitleaks alias only
  unmapped   no sample and no leakguard rule whose id, alias or tag names the family

Inputs (each optional; write them with the harnesses' --json):

  python3 bench/coverage.py --gitleaks G --noseyparker N -n 10 --binary BIN --json /tmp/gl.json
  python3 bench/coverage_kb.py --kingfisher K --kingfisher-bin KB --betterleaks B -n 5 --leakguard BIN --json /tmp/kb.json
  python3 bench/coverage_th.py --trufflehog T --binary BIN --json /tmp/th.json
  python3 bench/family_census.py --gl /tmp/gl.json --kb /tmp/kb.json --th /tmp/th.json \
      --trufflehog T --binary BIN [--list unmapped,missed,context,partial] [--json census.json]

--trufflehog (a checkout or bare git directory) adds the detectors that ship no pattern test (they
have no samples, so only a name can map them). Peer rules the harnesses judged LOOSE keep their
verdict (the census counts them by what leakguard found, and marks them). Nothing here reads or
prints a credential value: only rule ids and counts.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess

# A peer rule id's words that name no family (kinds of credential, not vendors).
KIND_WORDS = {
    "api", "key", "keys", "token", "tokens", "secret", "secrets", "access", "client", "id", "oauth",
    "personal", "app", "application", "auth", "authentication", "credential", "credentials", "password",
    "private", "public", "service", "account", "user", "webhook", "url", "refresh", "bearer", "pat",
    "live", "test", "legacy", "new", "old", "v1", "v2", "v3", "legacy", "management", "admin", "cloud",
    "organization", "org", "project", "sdk", "dsn", "connection", "string", "uri", "basic", "jwt",
    "signing", "encryption", "config", "configuration", "the", "and", "of", "with", "in", "for",
    "betterleaks", "kingfisher", "np", "veles", "secrets", "http",
}

GENERIC_ID = re.compile(r"generic|password|(^|\.)(jwt|private-key)$", re.I)


def norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def leakguard_rules(binary: str) -> list[dict]:
    return json.loads(subprocess.run([binary, "rules", "--json"], capture_output=True, text=True,
                                     check=True).stdout)


def context_ids(rules: list[dict]) -> set[str]:
    """The rules that report a random value by its name (what coverage_kb.py calls LG_GENERIC)."""
    return {r["id"] for r in rules
            if "generic" in r["tags"] or "vendor-context" in r["tags"] or "generic" in r["id"].lower()}


class NameIndex:
    """Maps a peer family name to leakguard rules by gitleaks alias, then by the vendor word."""

    def __init__(self, rules: list[dict]):
        self.by_alias = collections.defaultdict(set)
        self.by_word = collections.defaultdict(set)
        for r in rules:
            for a in [r["id"]] + r.get("aliases", []):
                self.by_alias[a.lower()].add(r["id"])
            # Keywords name vendors too (the vendor-named rules' word lists).
            names = [r["id"]] + r.get("aliases", []) + r.get("tags", []) + [
                k for k in r.get("keywords", []) if re.fullmatch(r"[a-z0-9]{4,}", k)]
            for n in names:
                for w in re.split(r"[^a-z0-9]+", n.lower()):
                    if w and w not in KIND_WORDS and len(w) >= 3:
                        self.by_word[w].add(r["id"])
                self.by_word[norm(n)].add(r["id"])

    def lookup(self, peer_id: str) -> list[str]:
        base = re.sub(r"^(betterleaks|kingfisher|np|veles\.secrets)[./]", "", peer_id.lower())
        base = re.sub(r"\.\d+$", "", base).split("/")[0]
        if base in self.by_alias:
            return sorted(self.by_alias[base])
        words = [w for w in re.split(r"[^a-z0-9]+", base) if w and w not in KIND_WORDS and len(w) >= 3]
        # The vendor word is the id's first word that names no kind of credential; a detector
        # directory name (one word, `azureopenai`) is looked up whole too.
        for key in words[:1] + [norm(base)]:
            if key in self.by_word:
                return sorted(self.by_word[key])
        # A detector directory glues the vendor to the kind (`figmapersonalaccesstoken`): the
        # longest vendor word of 4+ letters it opens with.
        whole = norm(base)
        best = max((w for w in self.by_word if len(w) >= 4 and whole.startswith(w)), key=len, default="")
        return sorted(self.by_word[best]) if best else []


def verdict(n: int, found: int, fmt_found: int) -> str:
    if n == 0:
        return "nosample"
    if found == 0:
        return "missed"
    if found * 2 < n:
        return "partial"
    # A family maps to a format rule when any of its samples was found by one (coverage.py records
    # only the first finding per sample, and a context rule may stand for a value both found).
    return "format" if fmt_found else "context"


def from_gl(path: str, ctx: set[str]) -> list[dict]:
    rows = []
    for x in json.load(open(path)):
        by = x["found_by"]
        fmt = sum(c for r, c in by.items() if r not in ctx)
        rows.append({"catalog": x["catalog"], "id": x["id"], "n": x["samples"], "found": x["detected"],
                     "fmt": fmt, "by": sorted(by, key=lambda r: -by[r]), "loose": bool(x.get("loose")),
                     "counted": x.get("counted", True) and not GENERIC_ID.search(x["id"])})
    return rows


def kb_loose():
    """coverage_kb.py's loose_reason (its LOOSE table, with coverage.py's), loaded from its path."""
    import importlib.util
    import sys
    spec = importlib.util.spec_from_file_location(
        "lg_bench_coverage_kb", os.path.join(os.path.dirname(os.path.abspath(__file__)), "coverage_kb.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod.loose_reason


def from_kb(path: str, ctx: set[str]) -> list[dict]:
    loose = kb_loose()
    rows = []
    for res in json.load(open(path)):
        seen = set()
        for rid, v in res["per_rule"].items():
            seen.add(rid)
            fmt = v["found"] if any(b not in ctx for b in v["by"]) else 0
            rows.append({"catalog": res["name"], "id": rid, "n": v["n"], "found": v["found"],
                         "fmt": min(fmt, v["specific"]) if fmt else 0, "by": v["by"], "loose": bool(loose(rid)),
                         "counted": not GENERIC_ID.search(rid)})
        for entry in list(res.get("unparsed", [])) + list(res.get("ungenerated", [])):
            rid = entry[0] if isinstance(entry, (list, tuple)) else entry
            if rid not in seen:
                seen.add(rid)
                rows.append({"catalog": res["name"], "id": rid, "n": 0, "found": 0, "fmt": 0, "by": [],
                             "loose": False, "counted": not GENERIC_ID.search(rid)})
    return rows


def from_th(path: str, ctx: set[str], detectors: list[str]) -> list[dict]:
    data = json.load(open(path))
    per = collections.defaultdict(lambda: {"n": 0, "found": 0, "fmt": 0, "by": collections.Counter(),
                                           "loose": 0})
    for c in data["cases"]:
        if not c["positive"]:
            continue
        p = per[c["detector"]]
        p["n"] += 1
        # LOOSE when every case leakguard misses was judged looser than the format.
        p["loose"] += bool(c["loose"]) or c["ok"]
        hits = [f["rule"] for f in c["findings"]
                if any(w and (w in f["secret"] or f["secret"] in w) for w in c["want"])]
        hits = hits or ([f["rule"] for f in c["findings"]] if c["ok"] else [])
        if c["ok"]:
            p["found"] += 1
            p["fmt"] += any(h not in ctx for h in hits)
            p["by"].update(set(hits))
    # A versioned detector (`godaddy/v1`, `godaddy/v2`) is counted by its versions, not its directory.
    parents = {d for d in detectors if any(p.startswith(d + "/") for p in per)}
    rows = []
    for det in sorted(set(per) | (set(detectors) - parents)):
        p = per.get(det, {"n": 0, "found": 0, "fmt": 0, "by": collections.Counter(), "loose": 0})
        rows.append({"catalog": "trufflehog", "id": det, "n": p["n"], "found": p["found"], "fmt": p["fmt"],
                     "by": [r for r, _ in p["by"].most_common()],
                     "loose": p["found"] < p["n"] and p["loose"] == p["n"],
                     "counted": True})
    return rows


def trufflehog_detectors(path: str) -> list[str]:
    """Detector directories of pkg/detectors (a checkout or a bare git directory)."""
    d = os.path.join(path, "pkg", "detectors")
    if os.path.isdir(d):
        names = [n for n in os.listdir(d) if os.path.isdir(os.path.join(d, n))]
    else:
        out = subprocess.run(["git", "--git-dir", path, "ls-tree", "-d", "--name-only", "HEAD",
                              "pkg/detectors/"], capture_output=True, text=True, check=True).stdout
        names = [os.path.basename(line) for line in out.split()]
    # Shared code, not detectors.
    return sorted(n for n in names if n not in {"custom_detectors", "common"} and not n.startswith("_"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gl", help="bench/coverage.py --json report (gitleaks, noseyparker)")
    ap.add_argument("--kb", help="bench/coverage_kb.py --json report (kingfisher, betterleaks)")
    ap.add_argument("--th", help="bench/coverage_th.py --json report (trufflehog's detector tests)")
    ap.add_argument("--trufflehog", help="trufflehog's repository: adds the detectors without a test")
    ap.add_argument("--binary", default="target/release/leakguard")
    ap.add_argument("--list", default="unmapped,missed",
                    help="verdicts to list rule by rule (comma list; 'all' for every one)")
    ap.add_argument("--json", help="write the census here")
    args = ap.parse_args()

    lg = leakguard_rules(args.binary)
    ctx = context_ids(lg)
    names = NameIndex(lg)
    rows: list[dict] = []
    if args.gl:
        rows += from_gl(args.gl, ctx)
    if args.kb:
        rows += from_kb(args.kb, ctx)
    if args.th:
        rows += from_th(args.th, ctx, trufflehog_detectors(args.trufflehog) if args.trufflehog else [])
    if not rows:
        ap.error("give at least one of --gl, --kb, --th")

    for r in rows:
        r["verdict"] = verdict(r["n"], r["found"], r["fmt"])
        if r["verdict"] in ("nosample", "missed"):
            named = names.lookup(r["id"])
            if r["verdict"] == "nosample":
                r["verdict"] = "named" if named else "unmapped"
            r["named"] = named[:3]
        r["rule"] = r["by"][0] if r["by"] else (r.get("named") or [""])[0]

    order = ["format", "context", "partial", "missed", "named", "unmapped"]
    print(f"{'catalog':<15} {'rules':>6} " + " ".join(f"{v:>9}" for v in order) + f" {'mapped':>8}")
    for cat in dict.fromkeys(r["catalog"] for r in rows):
        cr = [r for r in rows if r["catalog"] == cat and r["counted"]]
        c = collections.Counter(r["verdict"] for r in cr)
        mapped = c["format"] + c["context"] + c["partial"] + c["named"]
        print(f"{cat:<15} {len(cr):>6} " + " ".join(f"{c[v]:>9}" for v in order) +
              f" {mapped / max(len(cr), 1):>8.3f}")
    want = set(order) if args.list == "all" else set(args.list.split(","))
    for v in order:
        if v not in want:
            continue
        sel = [r for r in rows if r["verdict"] == v and r["counted"]]
        if not sel:
            continue
        print(f"\n{v} ({len(sel)}):")
        for r in sel:
            extra = f" {r['found']}/{r['n']}" if r["n"] else ""
            via = f" -> {r['rule']}" if r["rule"] else ""
            print(f"  {r['catalog']:<15} {r['id']:<48}{extra}{via}{' LOOSE' if r['loose'] else ''}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
