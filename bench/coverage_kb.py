#!/usr/bin/env python3
"""Breadth of leakguard's catalog measured on material we did not write: the peers' own formats.

For every rule of a peer catalog (kingfisher's YAML rules, the rules built into an installed kingfisher
binary, betterleaks' embedded TOML) this generates N random values *from the peer's regex* (a seeded
regex-to-string generator over Python's regex parser: bounded repeats, classes, alternations;
lookarounds skipped), wraps each in a realistic assignment line named after the rule's keywords (the
line must still match the peer's regex, so it is something the peer itself reports), writes one file per
sample into a temporary tree, scans the tree with leakguard and reports per peer rule whether leakguard
found the value, plus overall recall. It also writes near-miss negatives derived from the same values
(too short, wrong alphabet, placeholder; each checked *not* to match the peer's regex, except the
placeholders, which no scanner should report) and reports how many of them leakguard flags.

Only the peers' formats are read (regex, keywords, secret group, ids): their example and test strings
(`examples`, `negative_examples`, ...) are never read. Generated values stay in the temporary tree.

    python3 bench/coverage_kb.py --betterleaks PATH --kingfisher DIR [--kingfisher-bin BIN]
        [--leakguard target/release/leakguard] [--config extra.toml] [-n 5] [--seed 1]
        [--misses] [--json out.json]

PATH for --betterleaks is a TOML catalog or a betterleaks binary (its embedded default config is read).
"""

import argparse
import collections
import json
import os
import random
import re
import re._constants as C
import re._parser as P
import shutil
import string
import subprocess
import sys
import tempfile
import tomllib

PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
ALNUM = string.ascii_letters + string.digits
TOKEN_CHARS = ALNUM + "_-"
# Characters preferred, in order, when the regex leaves a context character free (outside the secret):
# what an assignment line in real code uses.
CONTEXT_PREF = " =:\"'_-./" + string.ascii_lowercase + string.digits + string.ascii_uppercase

# Peer rules that match any assignment say nothing about family breadth (reported apart).
GENERIC_ID = re.compile(r"generic|password|secret-in-url|private-key-generic", re.I)
# leakguard's own context rules (tag `generic` or `vendor-context`, or `generic` in the id: filled in
# from `leakguard rules`); the other rules are format rules.
LG_GENERIC = set()


# --------------------------------------------------------------------------------------------
# Peer syntax (Go RE2 / Hyperscan / Rust regex) to Python's
# --------------------------------------------------------------------------------------------

POSIX = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "digit": "0-9", "xdigit": "0-9a-fA-F",
    "upper": "A-Z", "lower": "a-z", "space": r" \t\r\n\f\v", "word": r"\w",
    "punct": r"!-/:-@\[-`{-~", "print": r" -~", "graph": r"!-~", "blank": r" \t", "cntrl": r"\x00-\x1f",
}


def to_python(pattern):
    """Translate the constructs Python's parser rejects; None when the pattern cannot be expressed."""
    p = pattern
    p = re.sub(r"\[:(\^?)(\w+):\]", lambda m: POSIX.get(m.group(2), m.group(0)) if not m.group(1) else m.group(0), p)
    p = p.replace(r"\z", r"\Z").replace("(?<name>", "(?P<name>")
    p = re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", p)
    if r"\p{" in p or r"\P{" in p or r"\pL" in p or r"\pN" in p:
        return None
    # Inline global flags anywhere (Go allows them mid-pattern): hoist them to the front.
    flags = set()

    def hoist(m):
        flags.update(m.group(1))
        return ""

    p = re.sub(r"(?<!\\)\(\?([imsxU]+)\)", hoist, p)
    flags.discard("U")
    if flags:
        p = "(?" + "".join(sorted(flags)) + ")" + p
    return p


def compile_py(pattern):
    p = to_python(pattern)
    if p is None:
        return None, None
    try:
        return p, re.compile(p)
    except (re.error, OverflowError, RecursionError):
        return None, None


# --------------------------------------------------------------------------------------------
# Regex to string
# --------------------------------------------------------------------------------------------


class Gen:
    """Generates one string matching a parsed pattern; tracks group spans to find the secret."""

    def __init__(self, rng, secret_group, nice):
        self.rng = rng
        self.secret_group = secret_group
        self.nice = nice  # prefer minimal, assignment-like context outside the secret
        self.out = []
        self.groups = {}
        self.depth_in_secret = 0
        # Runs of literal characters outside the secret: the context words the pattern requires.
        self.literal_runs = [""]

    def text(self):
        return "".join(self.out)

    def in_secret(self):
        return self.depth_in_secret > 0 or self.secret_group == 0

    def class_chars(self, items, ignorecase):
        neg = False
        chars = set()
        for op, av in items:
            if op is C.NEGATE:
                neg = True
            elif op is C.LITERAL:
                chars.add(chr(av))
            elif op is C.RANGE:
                lo, hi = av
                for c in range(lo, min(hi, 0x7E) + 1):
                    if c >= 0x20 or c in (9, 10, 13):
                        chars.add(chr(c))
            elif op is C.CATEGORY:
                chars.update(category(av))
        # Case-insensitive patterns write the keyword's case loosely, not the value's: a hex class stays
        # as written (real hex keys are one case); other letter classes take both cases.
        if ignorecase and not (self.in_secret() and chars <= set("0123456789abcdefABCDEF")):
            chars |= {c.swapcase() for c in chars}
        if neg:
            chars = set(PRINTABLE) - chars
        return sorted(chars)

    def pick(self, chars):
        if not chars:
            raise ValueError("empty class")
        if self.in_secret():
            # Secrets are drawn from the printable, non-space part of the class when there is one; a
            # class that admits nearly everything (`\S`, `[^"]`) is a peer's shortcut, not the format:
            # real values there are letters, digits and the usual token punctuation.
            solid = [c for c in chars if c not in " \t\r\n\f\v"]
            if len(solid) > 70:
                solid = [c for c in solid if c in TOKEN_CHARS] or solid
            return self.rng.choice(solid or chars)
        if self.nice:
            for c in CONTEXT_PREF:
                if c in chars:
                    return c
        pref = [c for c in chars if c in CONTEXT_PREF] or chars
        return self.rng.choice(pref)

    def repeat_count(self, lo, hi):
        unbounded = hi is C.MAXREPEAT or hi > 10000
        if self.in_secret():
            if unbounded:
                top = lo + (24 if lo == 0 else 8)
                lo = max(lo, 8) if lo == 0 else lo
                return self.rng.randint(lo, top)
            return self.rng.randint(lo, hi)
        if self.nice:
            return lo
        top = lo + 3 if unbounded else min(hi, lo + 3)
        return self.rng.randint(lo, top)

    def emit(self, seq, ic):
        for op, av in seq:
            self.node(op, av, ic)

    def node(self, op, av, ic):
        if op is C.LITERAL:
            self.out.append(chr(av))
            if not self.in_secret():
                self.literal_runs[-1] += chr(av)
            return
        if op not in (C.SUBPATTERN, C.BRANCH, C.ATOMIC_GROUP, C.AT) and self.literal_runs[-1]:
            self.literal_runs.append("")
        if op is C.NOT_LITERAL:
            self.out.append(self.pick([c for c in PRINTABLE if c != chr(av)]))
        elif op is C.ANY:
            self.out.append(self.pick(list(ALNUM) if self.in_secret() else list(CONTEXT_PREF)))
        elif op is C.IN:
            self.out.append(self.pick(self.class_chars(av, ic)))
        elif op is C.CATEGORY:
            self.out.append(self.pick(category(av)))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            for _ in range(self.repeat_count(lo, hi)):
                self.emit(sub, ic)
        elif op is C.SUBPATTERN:
            gid, add, dele, sub = av
            sub_ic = (ic or bool(add & re.I)) and not bool(dele & re.I)
            start = len(self.text())
            if gid == self.secret_group:
                self.depth_in_secret += 1
            self.emit(sub, sub_ic)
            if gid == self.secret_group:
                self.depth_in_secret -= 1
            if gid is not None:
                self.groups[gid] = (start, len(self.text()))
        elif op is C.ATOMIC_GROUP:
            self.emit(av, ic)
        elif op is C.BRANCH:
            alts = av[1]
            alt = alts[0] if (self.nice and not self.in_secret()) else self.rng.choice(alts)
            self.emit(alt, ic)
        elif op is C.GROUPREF:
            s, e = self.groups.get(av, (0, 0))
            self.out.append(self.text()[s:e])
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            pass  # anchors and lookarounds: nothing to emit (validated afterwards)
        elif op is C.GROUPREF_EXISTS:
            gid, yes, no = av
            self.emit(yes if gid in self.groups else (no or []), ic)
        else:
            raise ValueError(f"unsupported {op}")


def category(cat):
    if cat is C.CATEGORY_DIGIT:
        return list(string.digits)
    if cat is C.CATEGORY_NOT_DIGIT:
        return [c for c in PRINTABLE if not c.isdigit()]
    if cat is C.CATEGORY_SPACE:
        return [" "]
    if cat is C.CATEGORY_NOT_SPACE:
        return [c for c in PRINTABLE if c != " "]
    if cat is C.CATEGORY_WORD:
        return list(ALNUM + "_")
    if cat is C.CATEGORY_NOT_WORD:
        return [c for c in PRINTABLE if not (c.isalnum() or c == "_")]
    return list(ALNUM)


def secret_group_of(regex, explicit):
    if explicit:
        return explicit
    if "TOKEN" in regex.groupindex:
        return regex.groupindex["TOKEN"]
    return 1 if regex.groups >= 1 else 0


def secret_of(m, group):
    if m is None:
        return None
    try:
        v = m.group(group)
    except IndexError:
        v = m.group(0)
    if v is None:
        # Like gitleaks: with the designated group empty, the first group that matched.
        v = next((g for g in m.groups() if g), m.group(0))
    return v


def generate(pyre, regex, group, rng, nice):
    tree = P.parse(pyre)
    g = Gen(rng, group, nice)
    ic = bool(regex.flags & re.I)
    g.emit(tree, ic)
    full = g.text()
    if group and group in g.groups:
        s, e = g.groups[group]
    else:
        s, e = 0, len(full)
    return full, full[s:e], s, e, g.literal_runs


# --------------------------------------------------------------------------------------------
# Context lines
# --------------------------------------------------------------------------------------------

TEMPLATES = [
    ("settings.py", '{kw}_api_key = "{s}"'),
    (".env", "{NAME}_TOKEN={s}"),
    ("config.yaml", "{kw}_secret: {s}"),
    ("app.properties", "{kw}.key={s}"),
    ("config.json", '  "{kw}_key": "{s}",'),
    ("deploy.sh", 'export {NAME}_API_KEY="{s}"'),
    ("settings.py", '{kw} = "{s}"'),
    ("config.yaml", "{kw}: {s}"),
    ("client.js", 'const {kw}Token = "{s}";'),
]


def provider_of(rule_id):
    """The service name in a peer id: kingfisher.airtable.1 -> airtable, stripe-access-token -> stripe."""
    rid = rule_id.split("/", 1)[-1]
    rid = re.sub(r"^(kingfisher|betterleaks|veles)\.", "", rid)
    rid = re.sub(r"^secrets/", "", rid)
    head = re.split(r"[.\-_]", rid)[0]
    return head.lower() or "service"


def keyword_for(rule, literal_runs):
    """A context word the peer's regex needs: its keywords, else its first literal word, else its id."""
    for kw in rule.get("keywords") or []:
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{2,}", kw):
            return kw.lower()
    for run in literal_runs:
        for w in re.findall(r"[A-Za-z][A-Za-z0-9]{2,}", run):
            if w.lower() not in ("key", "token", "secret", "api", "the", "and", "http", "https", "www"):
                return w.lower()
    return provider_of(rule["id"])


def sample(rule, rng):
    """One positive sample: (file name, line, secret) or None when none can be produced."""
    regex = rule["py"]
    group = secret_group_of(regex, rule.get("secretGroup"))
    for attempt in range(30):
        try:
            full, secret, s, e, runs = generate(rule["pyre"], regex, group, rng, nice=attempt % 3 == 0)
        except (ValueError, RecursionError, IndexError):
            return None
        if not secret:
            continue
        # A value that starts or ends with punctuation is a quirk of a loose class, rarely a real key.
        if attempt < 20 and not (secret[0].isalnum() and secret[-1].isalnum()):
            continue
        if secret_of(regex.search(full), group) != secret:
            continue
        kw = keyword_for(rule, runs)
        name = re.sub(r"[^A-Za-z0-9]", "_", kw).upper()
        order = list(range(len(TEMPLATES)))
        rng.shuffle(order)
        for i in order:
            fname, tpl = TEMPLATES[i]
            line = tpl.format(kw=kw, NAME=name, s=secret)
            if secret_of(regex.search(line), group) == secret:
                return fname, line, secret
        # No assignment form matches the peer's regex: the generated match itself, on its own line.
        if "\n" in full:
            continue
        return "notes.txt", full, secret
    return None


def near_misses(rule, secret, line, rng):
    """Near-miss lines derived from a positive: [(kind, line)]; the first two do not match the peer."""
    regex = rule["py"]
    out = []
    # Keep the value's literal prefix (e.g. ghp_) and damage the rest.
    m = re.match(r"^[A-Za-z]{0,8}[_\-.]", secret)
    pre = m.group(0) if m else ""
    body = secret[len(pre):]
    if len(body) >= 8:
        short = pre + body[: max(4, len(body) // 3)]
        cand = line.replace(secret, short)
        if not regex.search(cand):
            out.append(("short", cand))
        alpha = set(body)
        # Wrong alphabet: a letter the class never uses (hex keys get g-z; lowercase keys get capitals).
        outside = [c for c in string.ascii_letters if c not in alpha]
        if alpha <= set("0123456789abcdef"):
            outside = list("ghijklmnopqrstuvwxyz")
        elif alpha <= set(string.ascii_lowercase + string.digits + "_-"):
            outside = list(string.ascii_uppercase)
        elif alpha <= set(string.ascii_uppercase + string.digits + "_-"):
            outside = list(string.ascii_lowercase)
        if outside:
            chars = list(body)
            for i in range(0, len(chars), 3):
                chars[i] = rng.choice(outside)
            cand = line.replace(secret, pre + "".join(chars))
            if not regex.search(cand):
                out.append(("alphabet", cand))
        ph = pre + re.sub(r"[A-Za-z0-9]", "x", body)
        out.append(("placeholder", line.replace(secret, ph)))
    return out


# --------------------------------------------------------------------------------------------
# Catalog loaders (formats only: regex, keywords, secret group, id)
# --------------------------------------------------------------------------------------------


def load_betterleaks(path):
    data = open(path, "rb").read()
    if not data.lstrip().startswith((b"#", b"title", b"[")):
        # A betterleaks binary: its default config is embedded as one TOML string.
        start = data.find(b'title = "betterleaks config"')
        if start < 0:
            sys.exit(f"no embedded betterleaks config in {path}")
        end = start
        while end < len(data) and (data[end] >= 32 or data[end] in (9, 10, 13)):
            end += 1
        text = data[start:end].decode("utf-8", "replace")
        while True:
            try:
                doc = tomllib.loads(text)
                break
            except tomllib.TOMLDecodeError:
                text = text[: text.rfind("\n", 0, len(text) - 1) + 1]
                if not text:
                    sys.exit("embedded betterleaks config unreadable")
    else:
        doc = tomllib.loads(data.decode())
    rules = []
    for r in doc.get("rules", []):
        if r.get("skipReport") or not r.get("regex"):
            continue
        rules.append({
            "id": r["id"], "regex": r["regex"], "keywords": r.get("keywords", []),
            "secretGroup": r.get("secretGroup"),
        })
    return rules


def load_kingfisher_yaml(root):
    import yaml  # PyYAML: the one non-stdlib need, only for kingfisher's YAML

    rules = []
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if not f.endswith((".yml", ".yaml")):
                continue
            doc = yaml.safe_load(open(os.path.join(dirpath, f))) or {}
            for r in doc.get("rules", []) or []:
                if r.get("visible") is False or not r.get("pattern"):
                    continue
                rules.append({"id": r["id"], "regex": r["pattern"], "keywords": []})
    return rules


def load_kingfisher_bin(binary):
    out = subprocess.run([binary, "rules", "list", "--format", "json"], capture_output=True, text=True)
    rules = []
    for r in json.loads(out.stdout):
        if r.get("visible") is False or not r.get("pattern"):
            continue
        rules.append({"id": r["id"], "regex": r["pattern"], "keywords": []})
    return rules


# --------------------------------------------------------------------------------------------
# Scan and score
# --------------------------------------------------------------------------------------------


def scan(leakguard, tree, config):
    cmd = [leakguard, "scan", tree, "--format", "json", "--show-secrets"]
    if config:
        cmd += ["--config", config]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"leakguard failed ({p.returncode}): {p.stderr.strip()[:400]}")
    found = collections.defaultdict(list)
    for f in json.loads(p.stdout)["findings"]:
        found[f["path"]].append((f["rule_id"], f["secret"]))
    return found


def hit(findings, secret):
    return [rid for rid, s in findings if s and (s in secret or secret in s)]


def run_catalog(name, rules, args, rng):
    if args.keep:
        tmp = os.path.join(args.keep, name)
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
    else:
        tmp = tempfile.mkdtemp(prefix=f"lgcov-{name}-")
    pos, neg, unparsed, ungenerated = {}, [], [], []
    try:
        for idx, r in enumerate(rules):
            pyre, rx = compile_py(r["regex"])
            if rx is None:
                unparsed.append(r["id"])
                continue
            r["pyre"], r["py"] = pyre, rx
            samples = []
            for k in range(args.n):
                s = sample(r, rng)
                if s is None:
                    break
                fname, line, secret = s
                rel = f"p/{idx:04d}_{k}/{fname}"
                os.makedirs(os.path.join(tmp, os.path.dirname(rel)), exist_ok=True)
                with open(os.path.join(tmp, rel), "w") as fh:
                    fh.write(line + "\n")
                samples.append((rel, secret, line))
                for j, (kind, nline) in enumerate(near_misses(r, secret, line, rng)):
                    nrel = f"n/{idx:04d}_{k}_{j}/{fname}"
                    os.makedirs(os.path.join(tmp, os.path.dirname(nrel)), exist_ok=True)
                    with open(os.path.join(tmp, nrel), "w") as fh:
                        fh.write(nline + "\n")
                    neg.append((r["id"], kind, nrel, nline))
            if not samples:
                ungenerated.append(r["id"])
                continue
            pos[r["id"]] = samples
        found = scan(args.leakguard, tmp, args.config)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    per_rule = {}
    for rid, samples in pos.items():
        det = [hit(found.get(rel, []), secret) for rel, secret, _ in samples]
        per_rule[rid] = {
            "n": len(samples),
            "found": sum(1 for d in det if d),
            "specific": sum(1 for d in det if any(x not in LG_GENERIC for x in d)),
            "by": sorted({x for d in det for x in d}),
            "missed_lines": [line for (rel, secret, line), d in zip(samples, det) if not d],
        }
    fa = collections.Counter()
    fa_specific = collections.Counter()
    kinds = collections.Counter()
    fa_rows = []
    for rid, kind, rel, line in neg:
        kinds[kind] += 1
        fs = found.get(rel, [])
        if fs:
            fa[kind] += 1
            if any(x not in LG_GENERIC for x, _ in fs) or kind == "placeholder":
                fa_specific[kind] += 1
            fa_rows.append((rid, kind, [x for x, _ in fs], line))
    return {
        "name": name, "rules": len(rules), "unparsed": unparsed, "ungenerated": ungenerated,
        "per_rule": per_rule, "neg_total": dict(kinds), "fa": dict(fa), "fa_specific": dict(fa_specific),
        "fa_rows": fa_rows,
    }


def summarize(res, show_misses):
    pr = res["per_rule"]
    fam = {k: v for k, v in pr.items() if not GENERIC_ID.search(k)}
    n = sum(v["n"] for v in fam.values())
    f = sum(v["found"] for v in fam.values())
    sp = sum(v["specific"] for v in fam.values())
    covered = [k for k, v in fam.items() if v["found"] * 2 > v["n"]]
    negs = sum(res["neg_total"].values())
    fas = sum(res["fa"].values())
    fass = sum(res["fa_specific"].values())
    print(f"== {res['name']}: {res['rules']} rules, {len(pr)} generated "
          f"({len(res['unparsed'])} regex not expressible in Python, {len(res['ungenerated'])} not generated)")
    strict = {k: v for k, v in fam.items() if not loose_reason(k)}
    sn = sum(v["n"] for v in strict.values())
    sf = sum(v["found"] for v in strict.values())
    print(f"   family rules (not generic): {len(fam)}; samples found {f}/{n} = {f / max(n, 1):.3f} "
          f"(by a format rule {sp / max(n, 1):.3f}; w/o the {len(fam) - len(strict)} LOOSE rules "
          f"{sf}/{sn} = {sf / max(sn, 1):.3f}); rules covered {len(covered)}/{len(fam)} = "
          f"{len(covered) / max(len(fam), 1):.3f}")
    gen = {k: v for k, v in pr.items() if GENERIC_ID.search(k)}
    if gen:
        gn = sum(v["n"] for v in gen.values())
        gf = sum(v["found"] for v in gen.values())
        print(f"   generic rules: {len(gen)}; samples found {gf}/{gn}")
    # A random value assigned to a secret-sounding name is what context rules exist for, so short and
    # wrong-alphabet near-misses count as false alarms when a format rule takes them; placeholders
    # count whichever rule reports them.
    print(f"   near-miss false alarms (format rules; placeholders by any rule): {fass}/{negs} = "
          f"{fass / max(negs, 1):.3f} (any rule, context rules included: {fas / max(negs, 1):.3f}); by kind "
          + ", ".join(f"{k} {res['fa_specific'].get(k, 0)}/{t}" for k, t in sorted(res["neg_total"].items())))
    if show_misses:
        for k, v in sorted(fam.items()):
            if v["found"] < v["n"]:
                why = loose_reason(k)
                print(f"   MISS {k} {v['found']}/{v['n']}  regex={RULES_BY_ID.get(k, '')[:160]!r}"
                      + (f"\n        LOOSE: {why}" if why else ""))
                for line in v["missed_lines"][:1]:
                    print(f"        {line[:200]}")
        for rid, kind, by, line in res["fa_rows"]:
            if kind != "placeholder" and all(x in LG_GENERIC for x in by):
                continue
            print(f"   FALSE {rid} [{kind}] by {','.join(by)}: {line[:160]}")


# Peer rules whose regex admits far more than the credential's issued format, or whose generated lines
# are not how the credential is written (judged one by one from the provider's format and the rule's
# capture; see the README's coverage section). They are reported, and left out of the "w/o loose"
# figure only. Keys are this harness's ids; betterleaks ids (also under `betterleaks.` in kingfisher's
# binary) fall back on bench/coverage.py's table, which judges the same gitleaks-dialect rules.
LOOSE = {
    # kingfisher YAML (and its binary's built-ins of the same id)
    "kingfisher.adobe.3": "- inside the 32: Adobe client secrets are p8e- + 32 alphanumerics",
    "kingfisher.age.1": "[0-9a-z]: age keys are bech32, whose alphabet has no 1, b, i, o",
    "kingfisher.airtable.1": "any alphanumerics after the dot: Airtable PATs end in 64 hex",
    "kingfisher.airtable.2": "any lengths around .v1.: the values drawn are a few characters long",
    "kingfisher.alibabacloud.1": "LTAI + 17-21: AccessKey ids are LTAI + 12, 16 or 20",
    "kingfisher.asana.2": "any 30-40 alphanumerics near the word asana, in any case",
    "kingfisher.asana.3": "a single 0/1 digit and 16 hex: Asana PATs are 1/ or 2/ + a 16-digit id + : + 32 hex",
    "kingfisher.asanaoauth.1": "/ and : anywhere in 51 characters: not a documented Asana format",
    "kingfisher.aws.2": "= inside the 40, and id prefixes (AIDA, ASIA) as names: secret keys are 40 base64 without padding",
    "kingfisher.azure.1": "captures the account name; the generated AccountKey is empty",
    "kingfisher.azure.2": "Id parts of any characters (.{4}-.{2}-.{2}), drawn as spaces and slashes",
    "kingfisher.azure.3": "[a-z0-9]: legacy Azure DevOps PATs are 52 base32 characters [a-z2-7]",
    "kingfisher.azure.devops.1": "84 alphanumerics without the AZDO signature at 76-80 that new Azure DevOps PATs carry",
    "kingfisher.azureopenai.1": "the name glued to the value with no separator (azureopenaiSECRET<hex>)",
    "kingfisher.azuresearch.url.1": "a search service URL, an endpoint and no credential",
    "kingfisher.azurestorage.key.1": "\\ and - in the key: storage keys are 88 base64 characters ending ==",
    "kingfisher.beamer.1": "a backslash inside the 44 (the class escapes it twice)",
    "kingfisher.bitbucket.1": "the name glued to the value (bitbucketclient<value>)",
    "kingfisher.buildkite.1": "case-insensitive: Buildkite tokens are bkua_ + 40 lowercase hex",
    "kingfisher.cloudconvert.1": "three dot-separated runs of ~+/= text: CloudConvert keys are JWTs (eyJ...)",
    "kingfisher.cloudflare.2": ". and _ anywhere: origin CA keys are v1.0- + hex and base64url parts",
    "kingfisher.column.1": "the name column is an ordinary word; the key word must follow it (column.key drawn)",
    "kingfisher.confluent.2": "the cpdev name; 64-char secrets under Confluent and Kafka names are found",
    "kingfisher.credentials.1": "user:password URLs whose password is _ and host -",
    "kingfisher.datadog.2": "dog alone as the name",
    "kingfisher.datagov.1": "the name glued to the value (data.govSECRET<value>)",
    "kingfisher.dfuse.1": "web_ + 32 alphanumerics with no name: dfuse (defunct) keys are not told from any identifier",
    "kingfisher.discord.1": "a webhook token of 68 dashes",
    "kingfisher.django.1": "[DJANGO] is a class: one letter glued before SECRET_KEY (ASECRET_KEY <value>); Dockerfile's ENV SECRET_KEY <value> and csh's setenv are found",
    "kingfisher.documo.1": "JWT-shaped: the first part must decode to a JSON header (eyJ)",
    "kingfisher.facebook.2": "32 mixed-case alphanumerics after fb and junk (fb_client1G <value>): Facebook app secrets are 32 lowercase hex",
    "kingfisher.fetchrss.1": "dots anywhere in the 40",
    "kingfisher.figma.2": "a 4-8-4-4-4-12 hex id: Figma tokens are figd_ + base64url",
    "kingfisher.fileio.1": "dots and dashes anywhere in the 39",
    "kingfisher.formbucket.1": "any three dot-separated runs, however short",
    "kingfisher.formio.1": "the fixed JWT header then random text: a JWT payload decodes to JSON",
    "kingfisher.ftp.1": "ftp://===:<password>@: with no user or host",
    "kingfisher.gcp.1": "JSON fragments of any characters around a service-account field name",
    "kingfisher.gcp.3": "any 35-40 alphanumerics under gcp: Google API keys are AIza + 35",
    "kingfisher.generic.3": "a generic user/password rule (not a family)",
    "kingfisher.github.1": "35-235 characters after the prefix without dots: GitHub tokens are ghp_/gho_/ghu_/ghs_/ghr_ + 36, github_pat_ + 82, and the stateless ghs_ tokens of 2026 ghs_<app id>_<JWT>",
    "kingfisher.github.5": "any 20 alphanumerics: OAuth client ids are Iv1./Iv23 + hex or 20 lowercase hex",
    "kingfisher.github.6": "any 40 alphanumerics: OAuth client secrets are 40 lowercase hex",
    "kingfisher.google.6": "the client id alone with the secret glued after .com.: a client secret is GOCSPX- + 28",
    "kingfisher.google.oauth2.1": "ya29. + 20 and up: OAuth access tokens run to 100+",
    "kingfisher.gradle.1": "username twice, the second a blank",
    "kingfisher.gyazo.1": "the value drawn spells fAkE, which the stand-in filter drops (a redrawn value is found)",
    "kingfisher.hubspot.1": "any alphanumerics in the UUID: HubSpot private-app tokens are pat-<region>- + a hex UUID",
    "kingfisher.jenkins.1": "32-36 hex: Jenkins API tokens are 32-34 hex (11 + 32)",
    "kingfisher.jwt.1": "`ey` + any: a JWT header decodes to JSON ({\"alg\"...), so starts eyJ",
    "kingfisher.launchdarkly.1": "newlines and junk inside the name, no name at all before the value",
    "kingfisher.lessannoyingcrm.1": "the word less alone as the name",
    "kingfisher.line.1": "the word line alone as the name",
    "kingfisher.linkedin.1": "12-13 characters in any case: LinkedIn client ids are 14 lowercase alphanumerics",
    "kingfisher.lob.1": "any 40 [A-Za-z0-9_]: Lob keys are live_/test_ + 35 hex",
    "kingfisher.microsoftteamswebhook.1": "[A-Za-z0-9] where the URL holds hex UUIDs",
    "kingfisher.mongodb.1": "a UUID under mongodb_key, no private/secret/api word: a UUID under a bare vendor key name is as often an id",
    "kingfisher.mongodb.3": "a password of 7 letters and nothing else, which the placeholder filter takes for a word (with a digit it is found)",
    "kingfisher.myintervals.1": "11 letters and no digit: taken for a word (keys with digits are found)",
    "kingfisher.netrc.1": "login and password both empty",
    "kingfisher.nuget.2": "case-insensitive: NuGet keys are 46 lowercase letters and digits (nuget.org's oy2…)",
    "kingfisher.npm.2": "_authToken glued to the UUID, no = between",
    "kingfisher.odbc.1": "captures the user; the password drawn is ===",
    "kingfisher.okta.1": "ssws as a name: SSWS is the Authorization scheme, written before the token",
    "kingfisher.openweather.1": "APPID= with no ? or & before it, under the name owm: the key in a URL's appid parameter, pyowm's OWM(…) and names with openweather are found",
    "kingfisher.pem.1": "any bytes between the armour lines; a key has a base64 body in 64-char lines",
    "kingfisher.pem.2": "a few dozen characters after an encoded armour line: an encoded key runs 1,000+",
    "kingfisher.postgres.1": "passwords of 1-2 characters",
    "kingfisher.privkey.1": "any text between mismatched armour lines",
    "kingfisher.privkey.2": "any text between mismatched armour lines",
    "kingfisher.psexec.1": "captures the user; the password drawn is =",
    "kingfisher.pwhash.2": "any number of digits for the cost: bcrypt's cost is two digits",
    "kingfisher.pwhash.5": "salts of any length: Cisco type 8 is $8$ + 14 + $ + 43",
    "kingfisher.rabbitmq.1": "quotes and slashes in the user name",
    "kingfisher.raven.1": "16 characters in any case under raven.key: no documented Raven format to tell it from a word",
    "kingfisher.reactapp.1": "a user name, not a credential",
    "kingfisher.reactapp.2": "an unterminated quoted value",
    "kingfisher.readme.1": "case-insensitive: ReadMe keys are rdme_ + 70 lowercase alphanumerics",
    "kingfisher.reallysimplesystems.1": "`ey` + any: the key is a JWT, whose header starts eyJ",
    "kingfisher.recaptcha.1": "case-insensitive 6l…: reCAPTCHA keys start 6L",
    "kingfisher.sherpadesk.1": "the value drawn ends in Id, which the identifier filter takes for a name like sessionId (a redrawn value is found)",
    "kingfisher.shippo.1": "captures live/test, the token drawn all one letter",
    "kingfisher.slack.2": "xoxP5-style prefixes and xoxb parts drawn out of the issued shape",
    "kingfisher.sonarqube.3": "junk glued between sonar and login",
    "kingfisher.sourcegraph.2": "sgp_sgp_: the prefix twice",
    "kingfisher.square.1": "EAAA + = and - : Square access tokens are EAAA + 60 base64url",
    "kingfisher.stripe.1": "pk_live_: publishable keys are public by design",
    "kingfisher.supabase.1": "mixed case: Supabase tokens are sbp_ + 40 lowercase hex",
    "kingfisher.tailscale.1": "tskey- + a few characters: keys are tskey-<kind>-<id>-<secret>, 40+",
    "kingfisher.telegram.1": "tgram:// + any :35: bot tokens start AA after the colon",
    "kingfisher.tineswebhook.1": "a host of _ and a path of one letter",
    "kingfisher.twilio.1": "mixed-case hex; Twilio SIDs are SK + 32 lowercase hex",
    "kingfisher.twilio.2": "twilio.key with 32 alphanumerics in any case: auth tokens are 32 lowercase hex",
    "kingfisher.twitter.v1.1": "% anywhere: bearer tokens are AAAA… with %2B/%3D escapes, not random %",
    "kingfisher.typeform.1": "40-58 after tfp_: Typeform tokens are tfp_ + 59 (as gitleaks has it)",
    "kingfisher.uri.1": "a password of = and a host of _",
    "kingfisher.viewneo.1": "three random runs of 120-800: not a documented viewneo format",
    "kingfisher.weak_password.1": "a weak-password list, not a family",
    "kingfisher.wireguard.2": "any last base64 char: a 32-byte key's 43rd char is one of 16",
    "kingfisher.yandex.1": "dots anywhere in the 83",
    "kingfisher.yelp.1": "backslashes and dots in the key",
    "kingfisher.youtube.1": "the name glued to the value: YouTube Data API keys are Google API keys (AIza + 35)",
    "kingfisher.zapierwebhook.1": "catch/ + 16: Zapier hooks are catch/<account id>/<hook id>/",
    # betterleaks (its TOML, and kingfisher's binary under betterleaks.*), beyond bench/coverage.py's table
    "airtable-oauth-token": "any lengths around .v1.: the values drawn are a few characters long",
    "amplitude-secret-key": "amplitude.key: the word alone, 32 hex of a hash",
    "apify-api-token": "apify_api_ as the name (the prefix taken for a variable)",
    "artifactory-api-key": "AKCp + 68 or 70 (under akcp, the prefix taken for a name): Artifactory API keys are AKCp + 69, 73 characters (found so)",
    "atlassian-api-token": "ATAT + = and - anywhere: Atlassian tokens are ATATT3 + base64url + = + 8 hex",
    "azure-app-configuration-connection-string": "Id and Secret of = and / only",
    "azure-servicebus-connection-string": "SharedAccessKey of 32-100 characters without padding: SAS keys are 32 bytes, 44 base64 ending = (found so, with policy names of any length)",
    "azure-storage-account-key": "the 86th char outside AQgw: a 64-byte key's base64 ends [AQgw]==",
    "bitbucket-client-secret": "= inside the 64",
    "box-api-access-token": "box_ / box as the name: the word alone",
    "brave-search-api-key": "bsa as the name, no Brave word: BSA + 24-40 alone is any identifier starting BSA (found under brave names)",
    "curl-auth-user": "-u= (curl takes no =), the user and password quoted apart, a user holding $ (a shell variable), passwords of 2 characters",
    "cerebras-api-key": "upper-case CSK-: Cerebras keys are csk- + 48 lowercase alphanumerics",
    "circleci-personal-token": "the last part outside hex: CircleCI PATs are CCIPAT_ + 22 + _ + 40 lowercase hex (found so, under any name)",
    "deepseek-api-key": "upper-case SK-: DeepSeek keys are sk- + 32 lowercase hex",
    "discord-client-id": "an 18-digit snowflake under the bare name: an id, not a credential",
    "etsy-open-api-key": "keystring:secret in mixed case: Etsy issues both parts in lowercase (found so)",
    "exoscale-api-key": "exo as the name: EXO + 24 is told from identifiers by the word exoscale (a three-letter keyword fires every few hundred KB of base64)",
    "facebook-access-token": "% inside the token",
    "figma-personal-access-token": "figd_ + 38-42: Figma PATs are figd_ + 40 (found so, under any name)",
    "flickr-access-token": "32 mixed-case alphanumerics: Flickr keys are 32 lowercase hex (found so under the bare name)",
    "fullstory-api-key": "na1. + 21: FullStory keys are na1.<base64> of 100+",
    "gcp-application-default-credentials": "JSON of one-letter values",
    "gcp-service-account": "JSON fragments with the armour line and no key",
    "gitlab-incoming-mail-address-token": "tokens of 1-7 characters: incoming-email tokens are 25 base36",
    "hashicorp-tf-password": "a quoted value opened by ' and closed by \"",
    "ibm-cloud-user-api-key": "ibm alone as the name: a three-letter keyword the prefilter cannot afford (found under ibmcloud and IBM_CLOUD names)",
    "influxdb-api-token": "the name glued to the value with quotes",
    "instantly-api-key.1": "instantly alone as the name; +/ in the key",
    "kimi-api-key": "upper-case SK-: Moonshot keys are sk- + 48",
    "lichess-personal-access-token": "_ inside and lengths past 40: Lichess tokens are lip_ + letters and digits (20 as issued; 16-40 found)",
    "mattermost-access-token": "mixed case, no digit: Mattermost tokens are 26 lowercase letters and digits (found so under the bare name)",
    "monday-api-token.1": "eyJ + random text: a JWT payload decodes to JSON",
    "nuget-config-password": "key=\"Password\"value=… with no space between the attributes",
    "nvidia-api-key": "nvapi- + 64 drawn out of the issued length",
    "okta-access-token": "= inside the 42: Okta API tokens are 00 + 40 base64url",
    "opsgenie-api-key.1": "a UUID under the bare name opsgenie",
    "ovh-application-secret": "a backslash and junk in the secret",
    "paypal-client-secret.1": "dots in the 80: PayPal secrets are base64url",
    "posthog-project-api-key": "phc_ project keys are public write-only ingestion keys, shipped in front-end code by design",
    "slack-config-access-token": "xoxe + junk + xoxb: config tokens are xoxe.xoxp-1-…",
    "slack-webhook-url": "hooks<any>slack<any>com: the dots drawn as letters",
    "sonar-api-token": "no secretGroup: the first group, the word login/token, is the secret (the 40 beside it drawn as = signs)",
    "square-access-token": "EAAA + 22-60 (coverage.py); sq0atp- + 22 for the legacy kind",
    "supabase-management-token": "_ and - inside: Supabase tokens are sbp_ + 40 lowercase hex",
    "tailscale-api-key.1": "tskey-api- + the secret without its -<id>- part",
    "twitch-api-token": "mixed case: Twitch tokens are 30 lowercase letters and digits (found so under the bare name, and as oauth:<token>)",
    "voyageai-api-key": "al- + 43 drawn in a case Voyage does not issue",
    "woocommerce-consumer-secret.1": "wooc as the name",
    "aws-session-token": ". _ - inside the token: STS session tokens are base64",
    "zai-api-key": "mixed-case hex: Z.ai keys are 32 lowercase hex + . + 16",
    # other built-ins of kingfisher's binary
    "veles.secrets/bitbucketcredentials": "passwords of 1-2 characters",
    "veles.secrets/codecatalystcredentials": "host glued to codecatalyst.aws with no dot",
    "veles.secrets/hcpclientcredentials": "a quote opened and never closed, ~ in the secret",
}


def _gitleaks_suite_loose():
    """bench/coverage.py's table, loaded from its path (a module named `coverage` may be installed)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "lg_bench_coverage", os.path.join(os.path.dirname(os.path.abspath(__file__)), "coverage.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod.LOOSE


GL_LOOSE = _gitleaks_suite_loose()


def loose_reason(rid):
    base = rid.removeprefix("betterleaks.")
    return LOOSE.get(rid) or LOOSE.get(base) or GL_LOOSE.get(base, "")


RULES_BY_ID = {}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--betterleaks", help="betterleaks TOML catalog or binary")
    ap.add_argument("--kingfisher", help="directory of kingfisher YAML rules")
    ap.add_argument("--kingfisher-bin", help="kingfisher binary: its built-in rules (rules list --format json)")
    ap.add_argument("--leakguard", default="target/release/leakguard")
    ap.add_argument("--config", help="extra leakguard config (e.g. candidate rules with [extend] useDefault)")
    ap.add_argument("-n", type=int, default=5, help="samples per peer rule")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", help="regex on peer rule ids to keep")
    ap.add_argument("--misses", action="store_true", help="list missed rules and flagged negatives")
    ap.add_argument("--json", help="write per-rule results here")
    ap.add_argument("--keep", help="write the generated trees under this directory and keep them (never in the repo)")
    args = ap.parse_args()
    catalogs = []
    if args.kingfisher:
        catalogs.append(("kingfisher", load_kingfisher_yaml(args.kingfisher)))
    if args.kingfisher_bin:
        catalogs.append(("kingfisher-bin", load_kingfisher_bin(args.kingfisher_bin)))
    if args.betterleaks:
        catalogs.append(("betterleaks", load_betterleaks(args.betterleaks)))
    if not catalogs:
        ap.error("name at least one catalog")
    cmd = [args.leakguard, "rules", "--json"] + (["--config", args.config] if args.config else [])
    for r in json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout):
        # Context rules: generic ones, and vendor-named ones that report any random value assigned to a
        # vendor's key name whatever its format (so a wrong-alphabet near-miss there is still a finding).
        if "generic" in r["tags"] or "vendor-context" in r["tags"] or "generic" in r["id"].lower():
            LG_GENERIC.add(r["id"])
    results = []
    for name, rules in catalogs:
        if args.only:
            rules = [r for r in rules if re.search(args.only, r["id"])]
        for r in rules:
            RULES_BY_ID[r["id"]] = r["regex"].replace("\n", " ")
        rng = random.Random(f"{args.seed}:{name}")
        res = run_catalog(name, rules, args, rng)
        summarize(res, args.misses)
        results.append(res)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, default=list)


if __name__ == "__main__":
    main()
