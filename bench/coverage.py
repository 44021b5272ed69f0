#!/usr/bin/env python3
"""Coverage of leakguard against peer rule catalogs, on values generated from the peers' regexes.

For every rule of a peer catalog (gitleaks' default config, noseyparker's rules, ...) this draws N
values from the rule's own regex with a small seeded regex-to-string generator (Python's regex
parser; bounded repeats, character classes and alternations; lookarounds are skipped), puts each
value in a realistic line built from the rule's keywords (`<keyword>_api_key = "<value>"` in a few
file types) and keeps only lines the peer's regex really matches (with its keywords, entropy, path
and allowlists), so every sample is a credential the peer would report. It also writes near-miss
negatives: the value one character too short, one character outside the alphabet (both kept only if
the peer's regex no longer matches), and placeholders (`xxxx…`, `your_key_here`, `${VAR}`). Each
sample goes to its own file in a temporary tree, leakguard scans the tree once (`--format json
--show-secrets`), and the report says per peer rule how many samples leakguard found and how many
negatives it reported.

Only the peers' patterns, keywords, paths and allowlists are read (facts about formats); their
example sections (`examples`, `negative_examples`, `tps`, `fps`) are never read. Nothing generated
is written outside the temporary tree; do not commit generated values.

Usage:
  bench/coverage.py --gitleaks PATH --noseyparker PATH [-n 10] [--seed 1] [--binary target/release/leakguard]
                    [--config extra.toml] [--json report.json] [--misses] [--keep DIR]

PATH is a checkout or a bare git directory of the peer's repository (or, for gitleaks, the TOML file
itself; for noseyparker, the rules directory). Not run in CI: it needs the peers' sources.

Adding a catalog: write a loader `load_<name>(path) -> list[PeerRule]` and register it in
CATALOGS below; the generator, the samples and the report are shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import glob
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from difflib import SequenceMatcher

try:  # Python 3.11+ keeps the parser under re._parser; older ones as sre_parse.
    import re._parser as sre_parse  # type: ignore
    import re._constants as sre_c  # type: ignore
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore
    import sre_constants as sre_c  # type: ignore


# ----------------------------------------------------------------------------------------------
# Peer rules


@dataclasses.dataclass
class PeerRule:
    catalog: str
    id: str
    name: str
    regex: str  # the peer's pattern, translated to Python syntax
    keywords: list[str]  # lowercase; the peer's prefilter (empty: none)
    # Which capture group is the secret: an int, "first" (first non-empty group, gitleaks'
    # default) or "last" (noseyparker's credential pairs: user then password, id then secret).
    secret_group: object = "first"
    entropy: float = 0.0
    path: str | None = None  # the file path must match this (Python regex)
    # (target, regex) pairs and stopwords that make the peer drop a match; target is
    # "secret", "match" or "line".
    allow_regexes: list = dataclasses.field(default_factory=list)
    stopwords: list = dataclasses.field(default_factory=list)
    counted: bool = True  # False: the peer itself calls it an identifier, not a secret
    note: str = ""
    compiled: object = None


def read_repo_file(repo: str, relpath: str) -> str:
    """A file of a peer's repository: a checkout, a bare git directory, or the file itself."""
    if os.path.isfile(repo):
        return open(repo, encoding="utf-8").read()
    if os.path.isfile(os.path.join(repo, relpath)):
        return open(os.path.join(repo, relpath), encoding="utf-8").read()
    return subprocess.run(
        ["git", "--git-dir", git_dir(repo), "show", f"HEAD:{relpath}"],
        check=True, capture_output=True, text=True,
    ).stdout


def list_repo_dir(repo: str, reldir: str, suffix: str) -> list[str]:
    """Paths (relative to the repository) of the files under reldir ending with suffix."""
    if os.path.isdir(os.path.join(repo, reldir)):
        return sorted(os.path.relpath(p, repo) for p in glob.glob(os.path.join(repo, reldir, "*" + suffix)))
    if os.path.isdir(repo) and glob.glob(os.path.join(repo, "*" + suffix)):
        return sorted(glob.glob(os.path.join(repo, "*" + suffix)))
    out = subprocess.run(
        ["git", "--git-dir", git_dir(repo), "ls-tree", "--name-only", "HEAD", reldir.rstrip("/") + "/"],
        check=True, capture_output=True, text=True,
    ).stdout
    return sorted(p for p in out.split() if p.endswith(suffix))


def git_dir(repo: str) -> str:
    # The mirrors keep the bare repository in a `repo` subdirectory.
    if os.path.isfile(os.path.join(repo, "repo", "HEAD")):
        return os.path.join(repo, "repo")
    return repo


def load_gitleaks(path: str) -> list[PeerRule]:
    import tomllib

    data = tomllib.loads(read_repo_file(path, "config/gitleaks.toml"))
    glob_allow = data.get("allowlist", {})
    rules = []
    for r in data["rules"]:
        allow = [("secret", translate(x)) for x in glob_allow.get("regexes", [])]
        stop = list(glob_allow.get("stopwords", []))
        for al in r.get("allowlists", []):
            if al.get("paths") and al.get("condition") != "AND":
                continue  # path-only allowlists: our sample paths never match them
            if al.get("paths"):
                continue  # AND with paths (bitbake files): not our file names
            target = al.get("regexTarget", "secret")
            allow += [(target, translate(x)) for x in al.get("regexes", [])]
            stop += al.get("stopwords", [])
        rules.append(PeerRule(
            catalog="gitleaks", id=r["id"], name=r.get("description", r["id"]),
            regex=translate(r["regex"]) if "regex" in r else "",
            keywords=[k.lower() for k in r.get("keywords", [])],
            secret_group=r.get("secretGroup") or "first",
            entropy=float(r.get("entropy", 0) or 0),
            path=translate(r["path"]) if "path" in r else None,
            allow_regexes=allow, stopwords=stop,
        ))
    return rules


def load_noseyparker(path: str) -> list[PeerRule]:
    import yaml  # PyYAML

    reldir = "crates/noseyparker/data/default/builtin/rules"
    rules = []
    for f in list_repo_dir(path, reldir, ".yml"):
        text = open(f, encoding="utf-8").read() if os.path.isabs(f) else read_repo_file(path, f)
        for r in (yaml.safe_load(text) or {}).get("rules", []):
            cats = r.get("categories", [])
            rules.append(PeerRule(
                catalog="noseyparker", id=r["id"], name=r["name"],
                regex=translate(r["pattern"]), keywords=[], secret_group=NP_SECRET_GROUP.get(r["id"], "last"),
                counted=not ("identifier" in cats and "secret" not in cats),
                note="identifier (not counted)" if "identifier" in cats and "secret" not in cats else "",
            ))
    return rules


# Peer rules whose regex admits far more than the credential's real format, so values drawn from
# it are mostly not credentials (judged one by one from the provider's format; see the README).
# They are reported, and left out of the "format" recall figure only.
LOOSE: dict[str, str] = {
    "jwt": "`ey` + any 17 base64 chars: a JWT header decodes to JSON ({\"alg\"...), so starts eyJ",
    "jwt-base64": "any base64 after the encoded `eyJhbGciOi` prefix, not an encoded JWT",
    "private-key": "any bytes between the armour lines; a key has a base64 body in 64-char lines",
    "np.pem.1": "any bytes between the armour lines; a key has a base64 body in 64-char lines",
    "microsoft-teams-webhook": "[a-z0-9] where the URL holds hex UUIDs",
    "twilio-api-key": "mixed-case hex; Twilio SIDs are SK + 32 lowercase hex",
    "np.twilio.1": "lowercase `sk` prefix (case-insensitive pattern); Twilio SIDs start with SK",
    "slack-bot-token": "the token's last part is optional and may be 1 char",
    "sendgrid-api-token": "66 chars with dots anywhere; SendGrid keys are SG.<22>.<43>",
    "curl-auth-user": "any printable user:password after -u, including punctuation-only values",
    "kubernetes-secret-yaml": "kind: secret and data: with any text between them",
    "curl-auth-header": "Basic credentials decode to user:password; random base64 does not",
    "np.http.1": "Basic credentials decode to user:password; random base64 does not",
    "np.hashicorp.5": "hvb. + 24 chars and up: Vault batch tokens are hvb. + 130 or more",
    "np.mailgun.1": "any case: legacy Mailgun keys are key- + 32 lowercase alphanumerics",
    "np.azure.1": "account keys of 20-100 chars: storage keys are 88 base64 chars, shared access keys 44",
    "np.pwhash.2": "any number of digits for the cost: bcrypt's cost is two digits",
    "np.aws.6": "ids of every IAM kind in [A-Z0-9] (access key ids are AKIA/ASIA + base32 [A-Z2-7]) and any text between",
    "np.google.4": "ya29. + 20 chars and up: OAuth access tokens run to 100+",
    "np.jenkins.1": "UUID-shaped values; Jenkins API tokens are 32-34 hex without dashes",
    "np.wireguard.1": "any last base64 char: a 32-byte key's 43rd char is one of 16",
    "np.wireguard.2": "any last base64 char: a 32-byte key's 43rd char is one of 16",
    "telegram-bot-api-token": "`:A` + any 34: bot tokens start with AA after the colon",
    "np.generic.10": "any connection string, with or without a password in it",
    "mailgun-signing-key": "[a-h0-9] where Mailgun's keys are hex",
    "np.facebook.1": "any 32 alphanumerics in any case: Facebook app secrets are 32 lowercase hex",
    "np.http.2": "[A-z] admits [\\]^_` (the range from Z to a): RFC 6750 bearer tokens are letters, digits and -._~+/",
    "square-access-token": "EAAA + 22-60: Square's OAuth access tokens are 64 characters (EAAA + 60)",
    "stripe-access-token": "10 characters and up: Stripe secret and restricted keys carry 24 or more after the prefix",
    "confluent-access-token": "any case: Confluent Cloud API keys are 16 uppercase letters and digits",
    "np.newrelic.1": "any case: license keys end in uppercase NRAL after lowercase hex",
    "np.telegram.1": "AA + 32: bot tokens are AA + 33 after the colon",
    "aws-amazon-bedrock-api-key-short-lived": "the fixed prefix alone: a short-lived key carries a signed body after the encoded host",
    "np.adobe.1": "- inside the 32: Adobe client secrets are p8e- + 32 alphanumerics",
    "grafana-cloud-api-token": "={0,3}: base64 pads with two = at most",
    "okta-access-token": "= inside the 40: Okta API tokens are 00 + 40 base64url characters",
    "sentry-org-token": "ends at any non-base64 character, _ included: a token followed by _ runs on into a name",
    "slack-user-token": "- anywhere in the last part: user tokens end in a run of letters and digits",
    "np.gradle.1": "(?://.*)* backtracks: generated lines put the reported value (or the username, when it comes second) inside a // comment",
    "np.sauce.1": "any 36 of hex and -: Sauce Labs access keys are UUIDs (8-4-4-4-12)",
    "np.github.6": "[a-z0-9]{40}: GitHub OAuth app client secrets are 40 lowercase hex",
    "np.mapbox.2": "+, / and = in the parts: Mapbox tokens are base64url (sk.eyJ...)",
    "np.jwt.1": "`ey` + any base64url: a JWT header decodes to JSON ({\"alg\"...), so starts eyJ",
    "np.pwhash.3": "rounds= with any number of digits: sha-crypt takes 1000 to 999999999",
    "np.pwhash.4": "rounds= with any number of digits: sha-crypt takes 1000 to 999999999",
}
# noseyparker URL rules capture user, password, host: the password is the secret.
NP_SECRET_GROUP = {"np.mongodb.1": 2, "np.postgres.1": 2}


# The plug-in point: name -> loader. Another catalog adds its loader here and a --<name> option
# appears (PATH as for the others).
CATALOGS = {
    "gitleaks": load_gitleaks,
    "noseyparker": load_noseyparker,
}


# ----------------------------------------------------------------------------------------------
# Go / Rust regex syntax -> Python

POSIX = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "digit": "0-9", "xdigit": "0-9a-fA-F",
    "lower": "a-z", "upper": "A-Z", "space": r" \t\r\n\f\v", "word": r"\w", "punct": r"!-/:-@\[-`{-~",
    "print": r" -~", "graph": r"!-~", "blank": r" \t", "cntrl": r"\x00-\x1f",
}


def translate(pat: str) -> str:
    """Rewrite the RE2/Rust constructs Python does not read the same way."""
    verbose = False
    out = []
    i = 0
    n = len(pat)
    # Stack of open groups; each entry counts the scoped-flag groups to close with it.
    stack = [0]
    in_class = False
    at_start = True  # only flags so far: global flags may stay global
    while i < n:
        c = pat[i]
        if c == "\\" and i + 1 < n:
            nxt = pat[i + 1]
            if nxt == "z":
                out.append(r"\Z")
            elif nxt == "Q":
                end = pat.find(r"\E", i + 2)
                end = n if end < 0 else end
                out.append(re.escape(pat[i + 2:end]))
                i = end + 2
                continue
            else:
                out.append(pat[i:i + 2])
            i += 2
            at_start = False
            continue
        if in_class:
            if pat.startswith("[:", i):
                end = pat.find(":]", i)
                name = pat[i + 2:end].lstrip("^")
                out.append(POSIX.get(name, ""))
                i = end + 2
                continue
            if verbose and c in " \t\n\r":
                i += 1  # Rust's x flag ignores whitespace inside classes too
                continue
            if c == "]":
                in_class = False
            elif c == "[" :
                out.append(r"\[")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            # a leading ']' (or '^]') is a literal
            if pat.startswith("^", i):
                out.append("^")
                i += 1
            if pat.startswith("]", i):
                out.append(r"\]")
                i += 1
            at_start = False
            continue
        if verbose and c == "#":
            end = pat.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == "(":
            m = re.match(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])", pat[i:])
            if pat.startswith("(?#", i):
                end = pat.find(")", i)
                i = end + 1
                continue
            if pat.startswith("(?<", i) and i + 3 < n and pat[i + 3] not in "=!":
                out.append("(?P<")
                stack.append(0)
                i += 3
                continue
            if m and m.group(3) == ")":
                on, off = m.group(1), m.group(2) or ""
                on = on.replace("U", "")
                if "x" in on:
                    verbose = True
                if at_start and not off:
                    out.append(f"(?{on})" if on else "")
                else:
                    # A flag group mid-pattern scopes to the end of the enclosing group.
                    flags = on + (f"-{off}" if off else "")
                    if flags and flags != "-":
                        out.append(f"(?{flags}:")
                        stack[-1] += 1
                i += len(m.group(0))
                continue
            stack.append(0)
            out.append(c)
            at_start = False
            i += 1
            continue
        if c == ")":
            out.append(")" * stack.pop())
            out.append(")")
            i += 1
            continue
        if verbose and c == "{":
            m = re.match(r"\{\s*(\d+)\s*(,\s*(\d*)\s*)?\}", pat[i:])
            if m:  # Rust's x flag also ignores spaces inside a counted repetition: {1, 5}
                out.append("{" + m.group(1) + ("," + m.group(3) if m.group(2) else "") + "}")
                i += len(m.group(0))
                continue
        if not (verbose and c in " \t\n\r"):
            at_start = False
        out.append(c)
        i += 1
    out.append(")" * stack.pop())
    return "".join(out)


# ----------------------------------------------------------------------------------------------
# Regex -> string

PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]
ALNUM = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
QUOTES = "\"'`"
BASE64 = list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
FILLER = list("_-.")  # what `.{0,n}` and negated classes between a name and its value turn into
SEPARATOR = [" ", "=", ":", '"', "_"]


class Gen:
    """Draws one string from a parsed regex. `short` asks for the secret's longest repeat one short;
    `mixcase` flips letters in case-insensitive alphabetic classes."""

    def __init__(self, rng: random.Random, target_group: int | None, mode: str = ""):
        self.rng = rng
        self.groups: dict[int, str] = {}
        self.target = target_group
        self.mode = mode
        self.in_target = False
        self.shorten_id = None  # id() of the repeat to cut short
        self.mixcase = mode == "mixcase"
        self.in_repeat = False
        self.filler_ctx = False
        self.open_quote = None

    def chars(self, items, negate=False, icase=False):
        s = set()
        for op, av in items:
            if op is sre_c.LITERAL:
                s.add(chr(av))
            elif op is sre_c.RANGE:
                lo, hi = av
                for c in range(lo, min(hi, 0x7E) + 1):
                    s.add(chr(c))
            elif op is sre_c.CATEGORY:
                s |= set(category_chars(av))
            elif op is sre_c.NEGATE:
                negate = True
        if icase:
            s |= {c.swapcase() for c in s if c.isalpha()}
        if negate:
            s = set(PRINTABLE) - s
            if not self.in_target:
                # Optional free text reads as separators; a required token ([^\s]+: a host,
                # a login) as a word.
                pref = [c for c in (FILLER + SEPARATOR if self.filler_ctx else ALNUM) if c in s]
                if pref:
                    return sorted(pref)
        return sorted(s)

    def emit(self, tree, icase=False, filler=False) -> str:
        out = []
        for op, av in tree:
            out.append(self.node(op, av, icase, filler))
        return "".join(out)

    def node(self, op, av, icase, filler) -> str:
        rng = self.rng
        if op is sre_c.LITERAL:
            return chr(av)
        if op is sre_c.NOT_LITERAL:
            opts = [c for c in (FILLER if filler else PRINTABLE) if ord(c) != av] or PRINTABLE
            return rng.choice(opts)
        if op is sre_c.ANY:
            # A lone `.` in these patterns is nearly always a sloppy literal dot (hooks.slack.com).
            return rng.choice(FILLER + SEPARATOR) if filler else "."

        if op is sre_c.IN:
            negate = any(o is sre_c.NEGATE for o, _ in av)
            alphabet = self.chars(av, icase=False)
            if icase and self.in_target and self.mixcase and not negate:
                letters = [c for c in alphabet if c.isalpha()]
                # Only full alphabets: hex stays hex in one case, as real keys do.
                if len({c.lower() for c in letters}) >= 26:
                    alphabet = sorted(set(alphabet) | {c.swapcase() for c in letters})
            if not alphabet:
                return ""
            if self.in_target and len(alphabet) >= 80:
                # [\s\S], [^"\n]: the peer takes anything; a real value is base64-like.
                alphabet = BASE64
            # Context classes like [\s'"] read best as a space or quote, not a tab.
            if not self.in_target:
                nice = [c for c in alphabet if c not in "\t\r\n\x0b\x0c"]
                alphabet = nice or alphabet
                # ["'] around a value: the closing quote is the opening one, as in any source.
                quotes = [c for c in alphabet if c in QUOTES]
                if len(quotes) >= 2 and len(quotes) == len(alphabet):
                    if self.open_quote in quotes:
                        q, self.open_quote = self.open_quote, None
                        return q
                    self.open_quote = rng.choice(quotes)
                    return self.open_quote
            return rng.choice(alphabet)
        if op is sre_c.CATEGORY:
            chars = category_chars(av)
            if self.in_target and len(chars) >= 80:
                chars = BASE64
            elif not self.in_target and "SPACE" in str(av) and "NOT" not in str(av):
                chars = [" "]
            return rng.choice(chars)
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) or str(op) == "POSSESSIVE_REPEAT":
            lo, hi, sub = av
            is_filler = not self.in_target and is_filler_tree(sub)
            is_filler = is_filler and lo == 0  # `[^\s]+` is a token, `.{0,20}` free text
            if hi == sre_c.MAXREPEAT:
                if is_filler or not self.in_target:
                    hi = lo + 3
                elif is_digits(sub):
                    lo, hi = lo, lo + 12  # ids: \d+ is rarely longer than 13 digits
                else:
                    lo = max(lo, min(16, lo + 16))
                    hi = lo + 24
            if is_filler:
                # Free text between a name and its value: usually nothing, else a char or two.
                count = lo if rng.random() < 0.5 else rng.randint(lo, min(hi, lo + 2))
            elif not self.in_target:
                count = rng.randint(lo, min(hi, lo + 1))
            else:
                count = rng.randint(lo, min(hi, lo + 48))
            if self.shorten_id == id(av):
                count = lo - 1
            was, wasf = self.in_repeat, self.filler_ctx
            self.in_repeat = True
            self.filler_ctx = is_filler
            out = "".join(self.emit(sub, icase, filler or is_filler) for _ in range(max(count, 0)))
            self.in_repeat, self.filler_ctx = was, wasf
            return out
        if op is sre_c.BRANCH:
            _, alts = av
            if self.in_repeat and self.rng.random() < 0.9:
                # (?: [A-Za-z0-9+/=] | \\n ){50,}: the first alternative is the body, the others
                # rare escapes; drawing them evenly makes text no key looks like.
                return self.emit(alts[0], icase, filler)
            return self.emit(self.rng.choice(alts), icase, filler)
        if op is sre_c.SUBPATTERN:
            gid, add_flags, del_flags, sub = av
            ic = (icase or bool(add_flags & sre_c.SRE_FLAG_IGNORECASE)) and not (del_flags & sre_c.SRE_FLAG_IGNORECASE)
            was = self.in_target
            if gid is not None and gid == self.target:
                self.in_target = True
            s = self.emit(sub, ic, filler)
            self.in_target = was
            if gid is not None:
                self.groups[gid] = s
            return s
        if op is sre_c.GROUPREF:
            return self.groups.get(av, "")
        if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            return ""  # anchors and lookarounds generate nothing
        if str(op) == "ATOMIC_GROUP":
            return self.emit(av, icase, filler)
        if op is sre_c.GROUPREF_EXISTS:
            _, yes, no = av
            return self.emit(yes, icase, filler)
        raise ValueError(f"unsupported regex node {op}")


def category_chars(cat) -> list[str]:
    name = str(cat)
    if "NOT_DIGIT" in name:
        return [c for c in PRINTABLE if not c.isdigit()]
    if "DIGIT" in name:
        return list("0123456789")
    if "NOT_SPACE" in name:
        return PRINTABLE
    if "SPACE" in name:
        return [" "]
    if "NOT_WORD" in name:
        return [c for c in PRINTABLE + [" "] if not (c.isalnum() or c == "_")]
    if "WORD" in name:
        return [chr(c) for c in range(0x30, 0x7B) if chr(c).isalnum()] + ["_"]
    return PRINTABLE


def is_digits(sub) -> bool:
    if len(sub) != 1:
        return False
    op, av = sub[0]
    if op is sre_c.CATEGORY:
        return "DIGIT" in str(av) and "NOT" not in str(av)
    if op is sre_c.IN:
        return all((o is sre_c.RANGE and a == (48, 57)) or (o is sre_c.CATEGORY and str(a).endswith("DIGIT")) for o, a in av)
    return False


def is_filler_tree(sub) -> bool:
    """A repeat of `.`, a negated class or \\s/\\S: free text between a name and its value."""
    if len(sub) != 1:
        return False
    op, av = sub[0]
    if op is sre_c.ANY or op is sre_c.NOT_LITERAL:
        return True
    if op is sre_c.IN:
        return any(o is sre_c.NEGATE for o, _ in av) or any(
            o is sre_c.CATEGORY and "SPACE" in str(a) for o, a in av)
    if op is sre_c.CATEGORY:
        return "SPACE" in str(av)
    return False


def secret_repeats(tree, target, inside=False, acc=None):
    """The repeats inside the secret group, to pick the one a near-miss cuts short."""
    acc = [] if acc is None else acc
    for op, av in tree:
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) or str(op) == "POSSESSIVE_REPEAT":
            # Fixed lengths only: one short of a range's minimum is still the format to a scanner
            # that knows the range is wider (and says nothing about the real format).
            if inside and av[0] >= 2 and av[0] == av[1] and not is_filler_tree(av[2]):
                acc.append(av)
            secret_repeats(av[2], target, inside, acc)
        elif op is sre_c.SUBPATTERN:
            secret_repeats(av[3], target, inside or av[0] == target, acc)
        elif op is sre_c.BRANCH:
            for alt in av[1]:
                secret_repeats(alt, target, inside, acc)
    return acc



# ----------------------------------------------------------------------------------------------
# Samples

def kw_forms(kw: str):
    base = re.sub(r"[^a-z0-9]+", "_", kw.lower()).strip("_") or "service"
    camel = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), base)
    return base, base.upper(), camel


# (file name, line template). {k}: keyword, {K}: KEYWORD, {c}: camelCase keyword, {v}: value.
TEMPLATES = [
    (".env", "{K}_API_KEY={v}"),
    ("deploy.sh", 'export {K}_TOKEN="{v}"'),
    ("settings.py", '{k}_secret = "{v}"'),
    ("config.yaml", "{k}_api_key: {v}"),
    ("config.json", '{{\n  "{k}_token": "{v}"\n}}'),
    ("client.js", "const {c}ApiKey = '{v}';"),
    ("application.properties", "{k}.api.key={v}"),
    ("main.go", '\t{c}Token := "{v}"'),
    ("config.rb", "{K}_KEY = '{v}'"),
]

PLACEHOLDERS = ["your_key_here", "<YOUR_{K}_API_KEY>", "${{{K}_API_KEY}}", "changeme", "REPLACE_ME"]


def shannon(s: str) -> float:
    if not s:
        return 0.0
    from collections import Counter
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def pick_secret(rule: PeerRule, m: re.Match) -> str | None:
    groups = m.groups()
    if not groups:
        return m.group(0)
    if isinstance(rule.secret_group, int):
        return m.group(rule.secret_group) if rule.secret_group <= len(groups) else None
    nonempty = [g for g in groups if g]
    if not nonempty:
        return m.group(0)
    return nonempty[-1] if rule.secret_group == "last" else nonempty[0]


def peer_reports(rule: PeerRule, text: str, fname: str) -> list[str]:
    """The secrets the peer itself would report in text (its regex, keywords, entropy,
    path and allowlists), to keep only samples it detects and near-misses it does not."""
    if rule.path and not re.search(rule.path, fname):
        return []
    if rule.keywords and not any(k in text.lower() for k in rule.keywords):
        return []
    out = []
    for m in rule.compiled.finditer(text):
        secret = pick_secret(rule, m)
        if not secret:
            continue
        if rule.entropy and shannon(secret) < rule.entropy:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start: None if line_end < 0 else line_end]
        allowed = False
        for target, rx in rule.allow_regexes:
            subject = {"match": m.group(0), "line": line}.get(target, secret)
            try:
                if re.search(rx, subject):
                    allowed = True
                    break
            except re.error:
                pass
        if allowed or any(w.lower() in secret.lower() for w in rule.stopwords):
            continue
        out.append(secret)
    return out


def target_group(rule: PeerRule, tree) -> int | None:
    n = tree.state.groups - 1
    if n <= 0:
        return None
    if isinstance(rule.secret_group, int):
        return rule.secret_group
    return n if rule.secret_group == "last" else 1


STOP = {"identified", "detected", "found", "potential", "possible", "discovered", "exposed", "api", "key",
        "token", "access", "secret", "with", "that", "could", "which", "the", "and", "generic"}


def literal_words(tree, tg, inside=False, acc=None):
    """Runs of literal letters outside the secret group (the names a context rule wants),
    each alternative of a branch on its own."""
    acc = [] if acc is None else acc
    run = []

    def flush():
        w = "".join(run).strip("-_. ")
        if len(w) >= 3 and re.fullmatch(r"[A-Za-z0-9_.\-]+", w) and any(c.isalpha() for c in w):
            acc.append(w)
        run.clear()

    for op, av in tree:
        if op is sre_c.LITERAL and not inside:
            run.append(chr(av))
            continue
        flush()
        if op is sre_c.SUBPATTERN:
            literal_words(av[3], tg, inside or av[0] == tg, acc)
        elif op is sre_c.BRANCH:
            for alt in av[1]:
                literal_words(alt, tg, inside, acc)
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1:
            literal_words(av[2], tg, inside, acc)
    flush()
    return acc


def derive_keywords(rule: PeerRule, match_text: str, secret: str) -> list[str]:
    """Names to build a context line from: the words the regex itself wants before the value,
    the peer's keywords, then the rule name's words (noseyparker has no keywords)."""
    tree = sre_parse.parse(rule.regex)
    words = literal_words(list(tree), target_group(rule, tree))
    words = [w for w in words if w.lower() not in secret.lower()]
    words += rule.keywords
    words += [w for w in re.findall(r"[a-z0-9]{4,}", rule.name.lower()) if w not in STOP]
    out = list(dict.fromkeys(w.lower() for w in words if w))
    return out or ["service"]


def draw(rule: PeerRule, rng: random.Random, mode: str = ""):
    """One generated match of the rule: (full text, secret, tree, gen)."""
    tree = sre_parse.parse(rule.regex)
    tg = target_group(rule, tree)
    g = Gen(rng, tg, mode)
    g.in_target = tg is None  # no group: the whole match is the secret
    if mode == "short":
        reps = secret_repeats(tree, tg, inside=tg is None)
        if not reps:
            return None
        g.shorten_id = id(max(reps, key=lambda a: a[0]))
    icase = bool(tree.state.flags & sre_c.SRE_FLAG_IGNORECASE)
    text = g.emit(list(tree), icase)
    secret = g.groups.get(tg, text) if tg else text
    return text, secret


def make_positive(rule: PeerRule, rng: random.Random):
    """A file (name, content) holding one value the peer reports, and that value."""
    for attempt in range(40):
        mode = "mixcase" if rng.random() < 0.25 else ""
        full, secret = draw(rule, rng, mode)
        if not secret:
            continue
        kws = derive_keywords(rule, full, secret)
        tries = [(t, w) for t in rng.sample(TEMPLATES, len(TEMPLATES)) for w in kws[:6]]
        # A random template first, then every name with every template.
        for (fname, tpl), kw in tries[:1] + rng.sample(tries, len(tries)):
            if rule.path and not re.search(rule.path, fname):
                continue
            k, K, c = kw_forms(kw)
            if len(secret) > 2 and secret[0] in QUOTES and secret[-1] == secret[0]:
                # The peer's secret keeps its quotes (gitleaks' hashicorp-tf-password): no second pair.
                tpl = tpl.replace('"{v}"', "{v}").replace("'{v}'", "{v}")
            content = tpl.format(k=k, K=K, c=c, v=secret) + "\n"
            found = peer_reports(rule, content, fname)
            if secret in found:
                return fname, content, secret
        # The rule needs its own context (a URL, a header, a command): the whole generated match.
        for fname in rng.sample(["notes.txt", "run.sh", "settings.py", "config.yaml"], 4):
            content = full + "\n"
            if rule.path and not re.search(rule.path, fname):
                fname = path_name(rule, rng)
            found = peer_reports(rule, content, fname)
            if secret in found:
                return fname, content, secret
    return None


def path_name(rule: PeerRule, rng: random.Random) -> str:
    for cand in ["main.tf", "NuGet.config", "plugin.php", "secret.yaml", "cert.p12", "settings.py"]:
        if re.search(rule.path, cand):
            return cand
    return "cfg" + Gen(rng, None).emit(list(sre_parse.parse(rule.path)))


def near_misses(rule: PeerRule, rng: random.Random, fname: str, content: str, secret: str):
    """Negatives next to a positive: (kind, file name, content)."""
    out = []
    # One character short (the secret's longest fixed-length part), kept only if the peer no
    # longer matches.
    for _ in range(10):
        d = draw(rule, rng, "short")
        if d is None:
            break
        short = d[1]
        cand = content.replace(secret, short)
        if short and not peer_reports(rule, cand, fname) and not rule.compiled.search(cand):
            out.append(("short", fname, cand))
            break
    # One character outside the alphabet, near the middle: both halves are then too short to be a
    # token of a variable-length format on their own.
    for _ in range(10):
        if len(secret) < 8:
            break
        pos = rng.randrange(len(secret) // 2 - 2, len(secret) // 2 + 2)
        bad = rng.choice("!#%*,;~^") if secret[pos].isalnum() else rng.choice("QZqz")
        cand_secret = secret[:pos] + bad + secret[pos + 1:]
        cand = content.replace(secret, cand_secret)
        if not rule.compiled.search(cand):
            out.append(("alphabet", fname, cand))
            break
    # A placeholder where the value was (the literal prefix kept, as documentation shows it).
    prefix = re.match(r"[A-Za-z]{2,8}[_\-.]", secret)
    p = rng.choice(PLACEHOLDERS + ["xfill"])
    if p == "xfill":
        head = prefix.group(0) if prefix else ""
        ph = head + "x" * max(8, len(secret) - len(head))
    else:
        k, K, c = kw_forms(derive_keywords(rule, "", secret)[0])
        ph = p.format(K=K)
    out.append(("placeholder", fname, content.replace(secret, ph)))
    return out


# ----------------------------------------------------------------------------------------------
# Run

def build_tree(rules: list[PeerRule], n: int, seed: int, root: str):
    samples = []  # (kind, rule index, relpath, secret or None)
    for ri, rule in enumerate(rules):
        if not rule.regex:
            rule.note = rule.note or "no regex (path-only rule)"
            continue
        try:
            rule.compiled = re.compile(rule.regex)
            sre_parse.parse(rule.regex)
        except (re.error, ValueError, OverflowError) as e:
            rule.note = f"regex not readable by the generator: {e}"
            continue
        rng = random.Random(f"{seed}:{rule.catalog}:{rule.id}")
        made = 0
        for i in range(n):
            try:
                pos = make_positive(rule, rng)
            except (ValueError, RecursionError) as e:
                rule.note = f"generator: {e}"
                break
            if not pos:
                continue
            made += 1
            fname, content, secret = pos
            rel = os.path.join("p", rule.catalog, str(ri), str(i), fname)
            write(root, rel, content)
            samples.append(("pos", ri, rel, secret))
            for kind, nf, nc in near_misses(rule, rng, fname, content, secret):
                rel = os.path.join("n", rule.catalog, str(ri), f"{i}{kind[0]}", nf)
                write(root, rel, nc)
                samples.append((kind, ri, rel, None))
        if made == 0 and not rule.note:
            rule.note = "no sample the peer itself reports could be generated"
    return samples


def write(root, rel, content):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(content)


def generic_rule_ids(binary: str, config: str | None) -> set[str]:
    """leakguard's context rules (tagged generic or vendor-context, as in coverage_kb.py): they
    report any strong value under a credential name (a vendor's name), by design, so a near-miss of
    some format under `X_API_KEY=` is theirs to report."""
    cmd = [binary, "rules", "--json"] + (["--config", config] if config else [])
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return set()
    return {r["id"] for r in json.loads(res.stdout)
            if "generic" in r.get("tags", []) or "vendor-context" in r.get("tags", [])}


def scan(binary: str, root: str, config: str | None) -> dict[str, list[dict]]:
    cmd = [binary, "scan", root, "--format", "json", "--show-secrets", "--no-baseline", "--exit-zero"]
    if config:
        cmd += ["--config", config]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(f"leakguard failed ({res.returncode}): {res.stderr.strip()[:500]}")
    by_file: dict[str, list[dict]] = {}
    for f in json.loads(res.stdout)["findings"]:
        by_file.setdefault(f["path"], []).append(f)
    return by_file


def overlaps(found: str, secret: str) -> bool:
    if not found:
        return False
    if found in secret or secret in found:
        return True
    m = SequenceMatcher(None, found, secret).find_longest_match(0, len(found), 0, len(secret))
    return m.size >= max(8, len(secret) // 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in CATALOGS:
        ap.add_argument(f"--{name}", metavar="PATH", help=f"{name}'s repository (checkout or bare git dir)")
    ap.add_argument("-n", type=int, default=10, help="samples per rule (default 10)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default="target/release/leakguard")
    ap.add_argument("--config", help="leakguard config for the scan (e.g. candidate rules with [extend] useDefault)")
    ap.add_argument("--json", help="write the per-rule report here")
    ap.add_argument("--misses", action="store_true", help="list every rule below full recall or with false alarms")
    ap.add_argument("--only", help="only peer rules whose id matches this regex")
    ap.add_argument("--keep", help="write the sample tree here (outside the repository) and keep it")
    ap.add_argument("--show-missed", action="store_true",
                    help="with --misses, print each missed sample's line (fake values drawn from the peer's regex)")
    args = ap.parse_args()

    rules: list[PeerRule] = []
    for name, loader in CATALOGS.items():
        path = getattr(args, name)
        if path:
            rules += loader(path)
    if not rules:
        ap.error("name at least one catalog (" + ", ".join(f"--{c}" for c in CATALOGS) + ")")
    if args.only:
        rules = [r for r in rules if re.search(args.only, r.id)]

    root = args.keep or tempfile.mkdtemp(prefix="lgcov-")
    if args.keep and os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root, exist_ok=True)
    try:
        samples = build_tree(rules, args.n, args.seed, root)
        by_file = scan(args.binary, root, args.config)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    generic = generic_rule_ids(args.binary, args.config)
    per = {i: {"pos": 0, "hit": 0, "neg": 0, "fa": 0, "fa_family": 0, "by": {}, "fa_by": {}, "fa_kinds": {}}
           for i in range(len(rules))}
    for kind, ri, rel, secret in samples:
        found = by_file.get(rel, [])
        st = per[ri]
        if kind == "pos":
            st["pos"] += 1
            hits = [f for f in found if overlaps(f["secret"], secret)]
            if not hits:
                st.setdefault("missed", []).append((rel, secret))
            if hits:
                st["hit"] += 1
                for f in hits[:1]:
                    st["by"][f["rule_id"]] = st["by"].get(f["rule_id"], 0) + 1
        else:
            st["neg"] += 1
            if found:
                st["fa"] += 1
                # Near-misses of a format: a false alarm of the family rules; placeholders: of any.
                if kind == "placeholder" or any(f["rule_id"] not in generic for f in found):
                    st["fa_family"] += 1
                st["fa_kinds"][kind] = st["fa_kinds"].get(kind, 0) + 1
                for f in found[:1]:
                    st["fa_by"][f["rule_id"]] = st["fa_by"].get(f["rule_id"], 0) + 1

    report = []
    for ri, rule in enumerate(rules):
        st = per[ri]
        report.append({
            "catalog": rule.catalog, "id": rule.id, "name": rule.name, "counted": rule.counted,
            "samples": st["pos"], "detected": st["hit"], "negatives": st["neg"],
            "false_alarms": st["fa"], "false_alarms_family": st["fa_family"], "false_alarm_kinds": st["fa_kinds"],
            "loose": LOOSE.get(rule.id, ""),
            "missed": st.get("missed", []), "found_by": st["by"], "false_alarm_rules": st["fa_by"], "note": rule.note,
        })
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)

    print(f"{'catalog':<12} {'rules':>5} {'no sample':>9} {'samples':>7} {'recall':>7} {'w/o loose':>9} "
          f"{'rules<full':>10} {'negatives':>9} {'FA family':>9} {'FA any':>7}")
    for cat in dict.fromkeys(r.catalog for r in rules):
        rows = [x for x in report if x["catalog"] == cat and x["counted"]]
        used = [x for x in rows if x["samples"]]
        strict = [x for x in used if not x["loose"]]
        pos = sum(x["samples"] for x in used)
        hit = sum(x["detected"] for x in used)
        neg = sum(x["negatives"] for x in used)
        fa = sum(x["false_alarms"] for x in used)
        fam = sum(x["false_alarms_family"] for x in used)
        partial = sum(1 for x in used if x["detected"] < x["samples"])
        s_pos = sum(x["samples"] for x in strict)
        s_hit = sum(x["detected"] for x in strict)
        print(f"{cat:<12} {len(rows):>5} {len(rows) - len(used):>9} {pos:>7} {hit / max(pos, 1):>7.3f} "
              f"{s_hit / max(s_pos, 1):>9.3f} {partial:>10} {neg:>9} {fam / max(neg, 1):>9.3f} {fa / max(neg, 1):>7.3f}")
    if args.misses:
        print()
        for x in report:
            if x["samples"] and (x["detected"] < x["samples"] or x["false_alarms"]) or x["note"]:
                print(f"{x['catalog']:<12} {x['id']:<45} {x['detected']:>3}/{x['samples']:<3} "
                      f"fa {x['false_alarms_family']}/{x['false_alarms']}/{x['negatives']} "
                      f"{x['false_alarm_kinds'] or ''} {x['found_by'] or ''} {x['false_alarm_rules'] or ''} "
                      f"{x['note']} {('LOOSE: ' + x['loose']) if x['loose'] else ''}")
                if args.show_missed:
                    for rel, secret in x["missed"]:
                        print(f"    miss {rel}: {secret!r}")


if __name__ == "__main__":
    main()
