#!/usr/bin/env python3
"""Coverage of leakguard on trufflehog's detector pattern tests (a held-out set of examples).

Usage:
  bench/coverage_th.py --trufflehog PATH [--binary target/release/leakguard] [--detectors a-l]
                       [--misses] [--false-alarms] [--unresolved] [--json report.json] [--keep DIR]
                       [--config extra.toml]

PATH is trufflehog's repository: a checkout or a bare git directory (its pkg/detectors is read; a
bare one is unpacked with `git archive` into a temporary directory).

trufflehog ships one directory per detector under pkg/detectors; each `<name>_test.go` has a table
test (`TestX_Pattern`) whose cases are `{name: ..., input: ..., want: []string{...}}`: `want` lists
the secrets the detector must find in `input` (often key and secret concatenated, or a URL), and a
nil/empty `want` is an input it must not match. This script reads those tables with a small Go
reader (raw `...` and "..." strings with escapes, `+`, fmt.Sprintf of constants, strings.Repeat /
Join / TrimSpace / ToLower / ToUpper, []byte(...), names of const/var/:= declared in the file),
writes each case to its own file (`case.txt`, and a second copy under a file name the case implies:
`config.json` for JSON, `.env` for KEY=value lines, `config.xml`, `main.go`, ...), runs leakguard
once over the tree (`--format json --show-secrets`) and scores per detector:
  - a positive case is found when a finding's secret shares a substring of >= 8 characters (or the
    whole value, when shorter) with one of the `want` values, in either copy of the case;
  - a negative case is a false alarm when leakguard reports anything in either copy.
Integration tests (`*_integ*_test.go`) are not examples and are not read. Cases the reader cannot
resolve (values fetched at run time, non-string wants, ...) are counted and listed by reason.

LOOSE below lists cases judged not to be credentials or not the issued shape (each with a reason);
NEG_WINDOW lists negatives that are negative only because of trufflehog's keyword-distance window
(the value is a well-formed key; reporting it is right). Figures are printed with and without them.

The test strings are trufflehog's; nothing here copies them: they are read at run time from the
peer's checkout and written only to the temporary tree. Not run in CI: it needs the peer's sources.
"""

from __future__ import annotations

import argparse
import dataclasses
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from difflib import SequenceMatcher
from urllib.parse import unquote

# The scan and the context rules' ids are coverage.py's (this directory is the script's, so first on
# sys.path): one definition of what a report is and of which rules are context rules.
from coverage import generic_rule_ids as context_rule_ids
from coverage import scan

# ----------------------------------------------------------------------------------------------
# Judgement tables (edit these, each entry with its reason).

# "detector" or "detector::case name" -> reason. Positives here are not credentials, or not the
# issued shape (the peer's regex is looser than the provider's format); negatives here are inputs
# on which a report is right (the "negative" is a real credential shape).
LOOSE: dict[str, str] = {
    # detectors a-l (thA)
    "airbrakeprojectkey::valid pattern - only key": "negative only because trufflehog pairs the key with a "
    "project id; the key alone is a credential (a report is right)",
    "appsynergy::valid pattern": "the vendor's name is misspelt in the input (appSyneregyKey)",
    "atlassian/v1::valid pattern": "24 characters alternating a letter and a digit (aB1cD2eF3...): a made-up sequence",
    "azuredevopspersonalaccesstoken::valid pattern": "Azure DevOps PATs are 52 characters of base32 "
    "([a-z2-7]) or 84 with the AZDO signature; this value holds 0, 1, 8 and 9",
    "checkout::valid pattern": "a customer id (cus_...) in a URL: not a credential",
    # stop 42 (kb42): duo-security-secret-key reads the skey wherever it stands
    **{
        f"duo::invalid pattern - {case}": "negative only because trufflehog verifies the integration key, "
        "secret key and host together; a 40-character skey under DUO_SKEY is the secret (a report is right)"
        for case in ("only skey", "missing host", "short ikey", "wrong host domain")
    },
    "cloudflarecakey::valid pattern": "Cloudflare Origin CA keys are v1.0- then hex (24 and 146); this value "
    "holds v's in the hex part (cloudflare-origin-ca-key reports the issued shape)",
    "ftp::valid pattern": "ftp://test:nonprod@host: a stand-in user and password",
    "githubapp::valid pattern": "an RSA key of 60 characters with spaces inside the armour: not a key",
    "gitlab/v2::valid pattern": "glpat- then 22 characters: GitLab PATs are glpat- and 20, or the routable "
    "glpat-<27+>.<2>.<7-9> format (gitlab-pat reports both)",
    "github/v2::valid pattern": "ghs_ then 122 characters without dots: GitHub's server-to-server tokens are ghs_ and 36, or ghs_<app id>_<JWT> (2026)",
    "instamojo::valid pattern - with keyword instamojo": "the vendor's name then bare quoted values: no "
    "credential name or assignment ties a value to a key",
    "invoiceocean::valid pattern - with keyword invoiceocean": "the vendor's name then bare quoted values",
    "kanban::valid pattern - with keyword kanban": "the vendor's name then bare quoted values",
    "kanbantool::valid pattern - with keyword kanbantool": "the vendor's name then bare quoted values",
    "keenio::valid pattern - with keyword keenio": "the vendor's name then bare quoted values",
    "kraken::valid pattern - with keyword kraken": "the vendor's name then bare quoted values",
    "kucoin::valid pattern - with keyword kucoin": "the vendor's name then bare values, one of them "
    "_4K~W4|RHH--o}: (punctuation, not a key)",
    "launchdarkly::valid pattern - launchdarkly api key": "LaunchDarkly keys are api-/sdk-/mob- and a hex "
    "UUID; this one holds letters past f",
    "launchdarkly::valid pattern - launchdarkly sdk key": "LaunchDarkly keys are api-/sdk-/mob- and a hex "
    "UUID; this one holds letters past f",
    "liveagent::valid pattern - with keyword liveagent": "the vendor's name then bare quoted values",
    "loggly::valid pattern - with keyword loggly": "the vendor's name then bare quoted values",
    "luno::valid pattern - with keyword luno": "the vendor's name then bare quoted values",
    # --- detectors m-z (helper thB), sorted by detector ---
    "magicbell": "the wanted value is a sequence placeholder (abcde12345-67890fghij...)",
    "mapbox::valid pattern": "dotted 3-character groups (sk.nc7.R5t...): not a Mapbox secret token, which is sk.eyJ... (a JWT-like body)",
    "microsoftteamswebhook/v1": "the webhook URL's tenant and group ids here hold non-hex letters; Teams puts GUIDs there",
    "mrticktock": "the wanted value is the account's e-mail address (example@email.com), not a secret",
    "newrelicbrowserkey": "NRBR- is no prefix New Relic issues; browser keys are NRJS- + 19 hex (new-relic-browser-api-token)",
    "newrelicinsightsinsertkey": "NRII- + 25 characters: Insights insert keys are NRII- + 32 (gitleaks' new-relic-insert-key; new-relic-key)",
    "newrelicinsightsquerykey": "NRIQ- + 25 characters: query keys are NRIQ- + 32, like insert keys (newrelic-insights-query-key)",
    "onedesk": "the wanted value is the account's e-mail address, not a secret",
    "openaiadmin::legacy key": "a real OpenAI key of another kind: its own rule reports it, rightly",
    "openaiadmin::project key": "a real OpenAI project key: openai-project-key reports it, rightly",
    "openaiadmin::project key should not match": "a real OpenAI project key: openai-project-key reports it, rightly",
    "openaiadmin::regular OpenAI key should not match": "a real OpenAI key: openai-legacy-key reports it, rightly",
    "openaiadmin::service account key": "a real OpenAI service-account key: its own rule reports it, rightly",
    "openaiadmin::service account key (old format)": "a real OpenAI key (old service-account form): reported, rightly",
    "postman": "PMAK- + 59 mixed characters: Postman API keys are PMAK- + 24 hex + '-' + 34 hex (postman-api-token)",
    "pubnubpublishkey": "publish/subscribe keys (pub-c-, sub-c-) ship in PubNub clients by design; the secret key is sec-c-",
    "pulumi": "pul- + 40 characters with non-hex letters: Pulumi access tokens are pul- + 40 hex",
    "rubygems": "rubygems_ + 48 characters with non-hex letters: RubyGems API keys are rubygems_ + 48 hex",
    "salesforceoauth2::negative case: invalid secret format (too short)": "the consumer key beside the short secret is a real one (3MVG9...) under salesforce_key",
    "salesforceoauth2::negative case: missing secret component": "a real Salesforce consumer key (3MVG9...) under salesforce_key: trufflehog needs the pair only to verify",
    "salesforcerefreshtoken::negative case: invalid key format": "a real Salesforce refresh token (5Aep861...) under salesforce_refresh_token",
    "salesforcerefreshtoken::negative case: invalid refresh token component": "the consumer key beside the bad refresh token is a real one (3MVG9...)",
    "salesforcerefreshtoken::negative case: invalid secret format (too short)": "a real refresh token and consumer key under salesforce_ names",
    "salesforcerefreshtoken::negative case: missing refresh token component": "a real Salesforce consumer key (3MVG9...) under salesforce_key",
    "salesforcerefreshtoken::negative case: missing secret component": "a real refresh token and consumer key under salesforce_ names",
    "sendgrid": "SG. + 21 + . + 49: SendGrid API keys are SG. + 22 + . + 43 (sendgrid-api-key)",
    "sendinbluev2": "xkeysib- + 81 mixed characters: Brevo/Sendinblue keys are xkeysib- + 64 hex + '-' + 16 (brevo-api-key)",
    "shopifyoauth::client id without context keywords - no results": "a real Shopify app shared secret (shpss_): reported alone",
    "shopifyoauth::invalid secret prefix - no results": "a real Shopify access token (shpat_): reported, rightly",
    "shopifyoauth::missing client id - no results": "a real Shopify app shared secret (shpss_): reported alone, as gitleaks does",
    "shopifyoauth::missing domain - no results": "a real Shopify app shared secret (shpss_): reported alone, as gitleaks does",
    "slackwebhook::valid pattern": "TAGGINGEXAMPLE/BASE: a documentation placeholder, not a team id and a B-prefixed bot id",
    "square": "EAAA + a value holding '=': Square access tokens are EAAA + 60 of [A-Za-z0-9_-]",
    "squareapp": "sq0i..- is the application id, public (it ships in the Web Payments SDK); the secret is sq0csp-",
    "stripepaymentintent": "PaymentIntent client secrets (pi_..._secret_...) are handed to the browser by design; the sk_live_ beside them ends in a placeholder (abc123456)",
    "stripepaymentintent::test keys should not match (only live keys are detected)": "a Stripe test key: reported at severity low by design",
    "supabasetoken": "sbp_ + 40 characters with non-hex letters: Supabase access tokens are sbp_ + 40 hex",
    "tableau::invalid_tableau_url": "a real PAT secret (<base64>==:<32>): trufflehog needs the name and the site only to verify it",
    "tableau::missing_token_name": "a real PAT secret (<base64>==:<32>): trufflehog needs the name only to verify it",
    "hasura::negative case: only a key, no domain": "a well-formed admin secret under the vendor's name: "
    "trufflehog needs the project's domain only to verify it",
    "hasura::negative case: invalid domain with valid key": "a well-formed admin secret under the vendor's name: "
    "trufflehog needs the project's domain only to verify it",
    # stop 48 (kb48): azure-apim-git-password reads the password by its own format
    "azureapimanagement/repositorykey::invalid host pattern": "a well-formed API Management Git password "
    "(git&<12-digit expiry>&<88 base64>) under PASSWORD: negative only because the host beside it is not "
    "*.scm.azure-api.net, which trufflehog needs to verify it",
    "apideck::invalid pattern": "the key (sk_live_ and 93) is well-formed: negative only because the id paired "
    "with it holds an underscore",
    "atlassiandatacenter/bitbucketdatacenter::invalid - pat only no url": "a well-formed BBDC- token: "
    "trufflehog needs the server's URL only to verify it",
    "cloudflareapitoken/v2::no match for legacy format": "a legacy (unprefixed) API token under "
    "CLOUDFLARE_API_TOKEN: negative only for v2's cfut_/cfat_ pattern (the v1 detector reports it)",
    "gcp::no private_key_id (1)": "a service account's PKCS#8 private key: a credential by itself "
    "(pkcs8-private-key reports it), whatever fields the JSON around it lacks",
    "gcp::.env": "a service account's PKCS#8 private key in an env file: a credential by itself",
    "gitlaboauth2::invalid pattern - client_id too short": "a well-formed GitLab OAuth application secret "
    "(gloas-): reported alone, as a Shopify app secret (shpss_) is",
    "gitlaboauth2::invalid pattern - no client_id context prefix": "a well-formed GitLab OAuth application "
    "secret (gloas-): reported alone",
    "harness::valid pattern - no keyword": "a well-formed Harness PAT (pat.<account>.<id>.<secret>): the "
    "prefix and shape identify it without the vendor's name",
    "uri::valid pattern - do not process duplicate": "username:password@127.0.0.1: a documentation placeholder",
    "uri::valid pattern - with keyword uri": "no password in the URL (host.com:1234@...: a port, then a host)",
    "zipbooks": "the wanted value is the account's e-mail address; the password beside it is a weak placeholder",
    # catD (batch 18)
    "bitbucketapppassword::multiple matches": "alphabet and digits written forwards and backwards "
    "(123abcDEF456..., zyxwvUT987...): made-up sequences, not issued app passwords",
    "jdbc::trailing non-alphanumeric characters in password": "MyPa$$w0rd: 'password' spelled with look-alike "
    "characters, a placeholder",
    # --- end of detectors m-z ---
}

# Inputs and wanted values judged by shape rather than one by one: (regex, reason). LOOSE_INPUT is
# searched in the case's input, LOOSE_WANT in each wanted value (a positive is loose when every
# wanted value is).
LOOSE_INPUT: list[tuple[str, str]] = [
    (r"<secret>\{[^{}<]*AQAAABAAA ",
     "synthetic Jenkins credentials.xml: Jenkins stores a <secret> encrypted ({AQAAABAAAAAQ...} base64), "
     "never as the vendor's name and the plaintext key inside the braces"),
]
LOOSE_WANT: list[tuple[str, str]] = [
    (r"(?i)fake|(.)\1{9,}|abcdef|0123456789|1234567890|12345678-|abc123|abcd1234|1a2b3c|(?:0000-){2}"
     r"|xxxxxx|qrstuvwx|stuvwxyz|klmnopqr|(?-i:EXAMPLE)",
     "a placeholder value (fake, a run of one character, a sequence): leakguard's placeholder "
     "filters drop it by design"),
]

# Negative cases named like this are negative only because the key sits outside trufflehog's
# keyword window (prefix range); the value itself is a valid key, so a report is not a false alarm.
NEG_WINDOW = re.compile(
    r"out of (the )?prefix|outside (the )?(prefix|range|window)|not close|too far|"
    r"out of range|beyond (the )?(prefix|range)|keyword (is )?(too )?far",
    re.I,
)


# ----------------------------------------------------------------------------------------------
# A small Go reader: tokens, then expressions over string constants.


class Unresolved(Exception):
    pass


TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lcomment>//[^\n]*)
  | (?P<bcomment>/\*.*?\*/)
  | (?P<raw>`[^`]*`)
  | (?P<str>"(?:\\.|[^"\\\n])*")
  | (?P<rune>'(?:\\.|[^'\\\n])+')
  | (?P<num>\d[\w.]*)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<op>:=|\.\.\.|&&|\|\||==|!=|<=|>=|<-|\+\+|--|[-+*/%&|^<>=!(){}\[\],;:.])
  | (?P<other>.)
    """,
    re.S | re.X,
)


@dataclasses.dataclass
class Tok:
    kind: str
    text: str
    pos: int
    line: int


def tokenize(src: str) -> list[Tok]:
    toks = []
    line = 1
    for m in TOKEN_RE.finditer(src):
        kind = m.lastgroup
        text = m.group()
        if kind not in ("ws", "lcomment", "bcomment"):
            toks.append(Tok(kind, text, m.start(), line))
        line += text.count("\n")
    return toks


ESC = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
       "\\": "\\", "'": "'", '"': '"'}


def go_unquote(lit: str) -> str:
    if lit[0] == "`":
        return lit[1:-1].replace("\r", "")
    body = lit[1:-1]
    out = []
    i = 0
    raw = bytearray()

    def flush():
        if raw:
            out.append(raw.decode("utf-8", "replace"))
            raw.clear()

    while i < len(body):
        c = body[i]
        if c != "\\":
            flush()
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in ESC:
            flush()
            out.append(ESC[e])
            i += 2
        elif e == "x":
            raw.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif e in "01234567":
            raw.append(int(body[i + 1:i + 4], 8))
            i += 4
        elif e == "u":
            flush()
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif e == "U":
            flush()
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        else:
            raise Unresolved(f"unknown escape \\{e}")
    flush()
    return "".join(out)


def go_quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def sprintf(fmt: str, args: list) -> str:
    out = []
    ai = 0
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        m = re.match(r"%([-+# 0]*)(\d*)(?:\.(\d+))?([svdqxX%])", fmt[i:])
        if not m:
            raise Unresolved(f"Sprintf verb {fmt[i:i + 3]!r}")
        verb = m.group(4)
        i += m.end()
        if verb == "%":
            out.append("%")
            continue
        if ai >= len(args):
            raise Unresolved("Sprintf: too few arguments")
        a = args[ai]
        ai += 1
        if isinstance(a, list):
            a = "[" + " ".join(map(str, a)) + "]"
        if verb == "q":
            out.append(go_quote(str(a)))
        elif verb in "xX" and isinstance(a, str):
            h = a.encode().hex()
            out.append(h.upper() if verb == "X" else h)
        else:
            out.append(str(a))
    return "".join(out)


class Env:
    """Names declared in a file (const, var, :=), each with its declarations' positions; a use
    takes the nearest declaration before it (a local shadows a global), else the first one."""

    def __init__(self, toks: list[Tok]):
        self.toks = toks
        self.decls: dict[str, list[int]] = {}  # name -> token index of the value's first token
        for i in range(1, len(toks) - 1):
            t = toks[i]
            if t.kind != "ident" or toks[i - 1].text == ".":
                continue
            nxt = toks[i + 1].text
            if nxt in ("=", ":="):
                # `a = x` inside a struct literal or call would be a field (`a: x`), not this.
                self.decls.setdefault(t.text, []).append(i + 2)
            elif (toks[i + 1].kind == "ident" and i + 2 < len(toks) and toks[i + 2].text == "="
                  and (toks[i - 1].text in ("var", "const") or toks[i - 1].line < t.line)):
                # `var name string = "..."`
                self.decls.setdefault(t.text, []).append(i + 3)
        self.cache: dict[int, object] = {}
        self.busy: set[int] = set()

    def lookup(self, name: str, at: int):
        idxs = self.decls.get(name)
        if not idxs:
            raise Unresolved(f"name {name} not declared in the file")
        before = [j for j in idxs if j < at]
        j = before[-1] if before else idxs[0]
        if j in self.cache:
            return self.cache[j]
        if j in self.busy:
            raise Unresolved(f"recursive {name}")
        self.busy.add(j)
        try:
            v, _ = Parser(self.toks, self).expr(j)
        finally:
            self.busy.discard(j)
        self.cache[j] = v
        return v


class Parser:
    def __init__(self, toks: list[Tok], env: Env):
        self.t = toks
        self.env = env

    def text(self, i: int) -> str:
        return self.t[i].text if i < len(self.t) else ""

    def expr(self, i: int):
        v, i = self.unary(i)
        while self.text(i) == "+":
            w, i = self.unary(i + 1)
            if isinstance(v, str) and isinstance(w, str):
                v = v + w
            elif isinstance(v, int) and isinstance(w, int):
                v = v + w
            else:
                raise Unresolved("+ of non-strings")
        return v, i

    def args(self, i: int):
        # i at '('
        assert self.text(i) == "("
        i += 1
        out = []
        while self.text(i) != ")":
            v, i = self.expr(i)
            if self.text(i) == "...":
                i += 1
                if isinstance(v, list):
                    out.extend(v)
                    if self.text(i) == ",":
                        i += 1
                    continue
            out.append(v)
            if self.text(i) == ",":
                i += 1
            elif self.text(i) != ")":
                raise Unresolved(f"unexpected {self.text(i)!r} in call")
        return out, i + 1

    def list_lit(self, i: int):
        # i at '{'
        i += 1
        out = []
        while self.text(i) != "}":
            if self.text(i) == "{":  # an element of a [][]string, its type elided
                v, i = self.list_lit(i)
            else:
                v, i = self.expr(i)
            out.append(v)
            if self.text(i) == ",":
                i += 1
            elif self.text(i) != "}":
                raise Unresolved(f"unexpected {self.text(i)!r} in list")
        return out, i + 1

    def unary(self, i: int):
        if i >= len(self.t):
            raise Unresolved("end of file")
        tok = self.t[i]
        if tok.kind in ("raw", "str"):
            return go_unquote(tok.text), i + 1
        if tok.kind == "num":
            try:
                return int(tok.text, 0), i + 1
            except ValueError:
                raise Unresolved(f"number {tok.text}")
        if tok.text == "(":
            v, i = self.expr(i + 1)
            if self.text(i) != ")":
                raise Unresolved("unbalanced (")
            return v, i + 1
        if tok.text == "[" and self.text(i + 1) == "]":
            typ = self.text(i + 2)
            if typ == "string" and self.text(i + 3) == "{":
                return self.list_lit(i + 3)
            if typ == "byte" and self.text(i + 3) == "(":
                a, i = self.args(i + 3)
                return self.one_str(a, "[]byte"), i
            if typ == "[" and self.text(i + 3) == "]" and self.text(i + 4) == "string" and self.text(i + 5) == "{":
                v, i = self.list_lit(i + 5)
                return [x for sub in v for x in (sub if isinstance(sub, list) else [sub])], i
            raise Unresolved(f"[]{typ} literal")
        if tok.kind == "ident":
            name = tok.text
            j = i + 1
            while self.text(j) == "." and j + 1 < len(self.t) and self.t[j + 1].kind == "ident":
                name += "." + self.t[j + 1].text
                j += 2
            if name == "nil":
                return [], j
            if name in ("true", "false"):
                return name == "true", j
            if self.text(j) == "(":
                a, j = self.args(j)
                return self.call(name, a), j
            if self.text(j) in ("{", "[") and name not in self.env.decls:
                raise Unresolved(f"composite {name}")
            if "." in name:
                raise Unresolved(f"selector {name}")
            return self.env.lookup(name, i), j
        raise Unresolved(f"token {tok.text!r}")

    @staticmethod
    def one_str(a, what):
        if len(a) != 1 or not isinstance(a[0], str):
            raise Unresolved(f"{what} of a non-string")
        return a[0]

    def call(self, name: str, a: list):
        if name in ("fmt.Sprintf",):
            if not a or not isinstance(a[0], str):
                raise Unresolved("Sprintf format")
            return sprintf(a[0], a[1:])
        if name == "fmt.Sprint":
            return "".join(map(str, a))
        if name in ("string", "strings.TrimSpace", "strings.ToLower", "strings.ToUpper"):
            s = self.one_str(a, name)
            return {"string": s, "strings.TrimSpace": s.strip(), "strings.ToLower": s.lower(),
                    "strings.ToUpper": s.upper()}[name]
        if name == "strings.Repeat" and len(a) == 2 and isinstance(a[0], str) and isinstance(a[1], int):
            return a[0] * a[1]
        if name == "strings.Join" and len(a) == 2 and isinstance(a[0], list) and isinstance(a[1], str):
            return a[1].join(map(str, a[0]))
        if name == "strings.TrimPrefix" and len(a) == 2 and all(isinstance(x, str) for x in a):
            return a[0][len(a[1]):] if a[0].startswith(a[1]) else a[0]
        if name == "strings.ReplaceAll" and len(a) == 3 and all(isinstance(x, str) for x in a):
            return a[0].replace(a[1], a[2])
        raise Unresolved(f"call {name}")


@dataclasses.dataclass
class Case:
    detector: str
    file: str
    line: int
    name: str
    input: str | None = None
    want: list | None = None
    error: str | None = None

    @property
    def key(self) -> str:
        return f"{self.detector}::{self.name}"

    @property
    def positive(self) -> bool:
        return bool(self.want)


def matching_braces(toks: list[Tok]) -> tuple[dict[int, int], list[int]]:
    """Closing index per opening '{', and per token its innermost enclosing '{' (-1 at top)."""
    close: dict[int, int] = {}
    parent = [-1] * len(toks)
    stack: list[int] = []
    for i, t in enumerate(toks):
        parent[i] = stack[-1] if stack else -1
        if t.text == "{":
            stack.append(i)
        elif t.text == "}" and stack:
            close[stack.pop()] = i
    return close, parent


# The table fields that hold the expected secrets (most tables call it `want`).
WANT_FIELDS = ("want", "expectedPairs", "wantRawV2", "wantSecrets", "expected")


def extract(path: str, detector: str) -> list[Case]:
    src = open(path, encoding="utf-8", errors="replace").read()
    toks = tokenize(src)
    env = Env(toks)
    close, parent = matching_braces(toks)
    cases = []
    seen_structs = set()
    for i, t in enumerate(toks):
        if not (t.kind == "ident" and t.text == "input" and i + 1 < len(toks) and toks[i + 1].text == ":"
                and i > 0 and toks[i - 1].text in ("{", ",")):
            continue
        o = parent[i]
        if o < 0 or o in seen_structs:
            continue
        seen_structs.add(o)
        end = close.get(o, len(toks))
        # The struct's own fields: `key :` tokens whose innermost brace is this one.
        fields = {}
        for j in range(o + 1, end):
            if (parent[j] == o and toks[j].kind == "ident" and j + 1 < end and toks[j + 1].text == ":"
                    and toks[j - 1].text in ("{", ",")):
                fields[toks[j].text] = j + 2
        p = Parser(toks, env)
        case = Case(detector, os.path.basename(path), t.line, f"line{t.line}")
        try:
            if "name" in fields:
                v, _ = p.expr(fields["name"])
                if isinstance(v, str):
                    case.name = v
        except Unresolved:
            pass
        try:
            v, _ = p.expr(fields["input"])
            if not isinstance(v, str):
                raise Unresolved("input is not a string")
            case.input = v
            key = next((k for k in WANT_FIELDS if k in fields), None)
            if key is None:
                # Go's zero value: a case without a want expects nothing, unless it says it matches.
                for flag in ("shouldMatch", "wantMatched", "wantMatch"):
                    if flag in fields and p.text(fields[flag]) == "true":
                        raise Unresolved("a match without a want value")
                w = []
            else:
                w, _ = p.expr(fields[key])
            if isinstance(w, str):
                w = [w] if w else []
            if not isinstance(w, list) or not all(isinstance(x, str) for x in w):
                raise Unresolved("want is not a list of strings")
            case.want = [x for x in w if x]
        except (Unresolved, IndexError, ValueError) as e:
            case.error = str(e) or type(e).__name__
        cases.append(case)
    return cases


def load_cases(root: str) -> list[Case]:
    """Every table case of every detector's non-integration tests under root (pkg/detectors).
    Files directly in pkg/detectors are the framework's own tests, not a detector's."""
    out = []
    for path in sorted(glob.glob(os.path.join(root, "**", "*_test.go"), recursive=True)):
        rel = os.path.relpath(path, root)
        if "/" not in rel or "integ" in os.path.basename(rel):
            continue
        detector = os.path.dirname(rel)
        out.extend(extract(path, detector))
    # Unique names within a detector (tables in several functions may reuse a name).
    seen: dict[str, int] = {}
    for c in out:
        k = c.key
        if k in seen:
            seen[k] += 1
            c.name = f"{c.name} #{seen[k]}"
        else:
            seen[k] = 1
    return out


# ----------------------------------------------------------------------------------------------
# File names a case implies.

NAME_HINTS = [
    (r"\bjson\b", "config.json"),
    (r"\bxml\b", "config.xml"),
    (r"\bya?ml\b", "config.yaml"),
    (r"\.env\b|\bdotenv\b|\benv(ironment)? (file|var)", ".env"),
    (r"\btoml\b", "config.toml"),
    (r"\bini\b", "config.ini"),
    (r"\bproperties\b", "application.properties"),
    (r"\bpython\b|\.py\b", "settings.py"),
    (r"\bjavascript\b|\bnode\b|\.js\b", "index.js"),
    (r"\btypescript\b|\.ts\b", "index.ts"),
    (r"\bgolang\b|\bgo code\b|\.go\b", "main.go"),
    (r"\bjava\b", "Main.java"),
    (r"\bphp\b", "config.php"),
    (r"\bruby\b", "config.rb"),
    (r"\bshell\b|\bbash\b|\bcurl\b|\bexport\b", "run.sh"),
    (r"\bterraform\b|\.tf\b", "main.tf"),
    (r"\bdocker\s*file\b|\bdockerfile\b", "Dockerfile"),
    (r"\bnpmrc\b", ".npmrc"),
    (r"\bnetrc\b", ".netrc"),
    (r"\bpypirc\b", ".pypirc"),
]


def implied_name(case: Case) -> str | None:
    for pat, fname in NAME_HINTS:
        if re.search(pat, case.name, re.I):
            return fname
    s = case.input.strip()
    if not s:
        return None
    if s[0] in "{[" and s[-1] in "}]":
        try:
            json.loads(s)
            return "config.json"
        except ValueError:
            pass
    if s.startswith("<"):
        return "config.xml"
    if s.startswith("<?php"):
        return "config.php"
    if re.match(r"package \w+", s) or "func main()" in s:
        return "main.go"
    if re.search(r"\bpublic (static )?(final )?class\b", s):
        return "Main.java"
    if re.match(r"(import \w|from \w+ import|def \w+\()", s):
        return "settings.py"
    if re.match(r"(const|let|var) \w+ = |require\(", s):
        return "index.js"
    lines = [ln.strip() for ln in s.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if lines and all(re.match(r"(export )?[A-Z][A-Z0-9_]*=\S", ln) for ln in lines):
        return ".env"
    if re.match(r"\[\[?[\w.\-\" ]+\]\]?$", lines[0] if lines else ""):
        return "config.toml"
    if lines and len(lines) > 1 and all(re.match(r"(- )?[\w.\-]+:(\s|$)", ln) for ln in lines):
        return "config.yaml"
    if re.match(r"curl ", s):
        return "run.sh"
    return None


# ----------------------------------------------------------------------------------------------
# Scan and score.


def safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s)[:60].strip("_") or "x"


def overlaps(found: str, want: str) -> bool:
    if not found or not want:
        return False
    need = min(8, len(want))
    if len(found) < min(4, need):
        return False
    if want in found or (found in want and len(found) >= need):
        return True
    # trufflehog reports a connection URL whole (and URL-encoded), leakguard its password: finding the
    # password of the wanted URL is finding the credential, however short the password is
    for w in (want, unquote(want)):
        pw = re.match(r"[a-z][a-z0-9+.-]*://[^:/@\s]*:([^@\s]+)@", w, re.I)
        if pw and found in (pw.group(1), unquote(pw.group(1))) and len(found) >= 4:
            return True
    m = SequenceMatcher(None, found, want, autojunk=False).find_longest_match(0, len(found), 0, len(want))
    return m.size >= need


def detector_filter(spec: str | None):
    if not spec:
        return lambda d: True
    m = re.fullmatch(r"([a-z0-9])-([a-z0-9])", spec.lower())
    if m:
        lo, hi = m.groups()
        return lambda d: lo <= d[0].lower() <= hi
    names = [s.strip() for s in spec.split(",") if s.strip()]
    return lambda d: any(d == n or d.startswith(n + "/") for n in names)


def trufflehog_detectors(path: str, tmp: str) -> str:
    for cand in (os.path.join(path, "pkg", "detectors"), path):
        if os.path.isdir(cand) and os.path.basename(cand.rstrip("/")) == "detectors":
            return cand
    git_dir = os.path.join(path, "repo") if os.path.isdir(os.path.join(path, "repo")) else path
    dest = os.path.join(tmp, "th")
    os.makedirs(dest)
    arch = subprocess.run(["git", "--git-dir", git_dir, "archive", "HEAD", "pkg/detectors"],
                          capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", dest], input=arch.stdout, check=True)
    return os.path.join(dest, "pkg", "detectors")


def rate(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trufflehog", required=True, metavar="PATH",
                    help="trufflehog's repository (checkout or bare git dir), or its pkg/detectors")
    ap.add_argument("--binary", default="target/release/leakguard")
    ap.add_argument("--config", help="leakguard config for the scan")
    ap.add_argument("--detectors", help="first-letter range (a-l) or comma list of detector directories")
    ap.add_argument("--misses", action="store_true", help="list every missed positive and false alarm")
    ap.add_argument("--false-alarms", action="store_true", help="list false alarms only")
    ap.add_argument("--unresolved", action="store_true", help="list the cases the Go reader could not resolve")
    ap.add_argument("--json", help="write the per-case report here")
    ap.add_argument("--keep", help="write the case tree here (kept) instead of a temporary directory")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="lg-covth-")
    try:
        root = trufflehog_detectors(args.trufflehog, tmp)
        want_det = detector_filter(args.detectors)
        cases = [c for c in load_cases(root) if want_det(c.detector)]
        unresolved = [c for c in cases if c.error]
        cases = [c for c in cases if not c.error]

        tree = args.keep or os.path.join(tmp, "cases")
        if args.keep and os.path.exists(tree):
            shutil.rmtree(tree)
        files: dict[int, list[str]] = {}
        for n, c in enumerate(cases):
            d = os.path.join(safe(c.detector.replace("/", "__")), f"{n:05d}")
            rels = [os.path.join(d, "case.txt")]
            alt = implied_name(c)
            if alt:
                rels.append(os.path.join(d, "alt", alt))
            for rel in rels:
                p = os.path.join(tree, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w", encoding="utf-8") as f:
                    f.write(c.input)
            files[n] = rels
        by_file = scan(args.binary, tree, args.config)
        context = context_rule_ids(args.binary, args.config)

        rows: dict[str, dict] = {}
        report = []
        for n, c in enumerate(cases):
            findings = [f for rel in files[n] for f in by_file.get(rel, [])]
            loose = LOOSE.get(c.key) or LOOSE.get(c.detector)
            if not loose:
                loose = next((why for rx, why in LOOSE_INPUT if re.search(rx, c.input)), None)
            if not loose and c.positive:
                loose = next((why for rx, why in LOOSE_WANT
                              if all(re.search(rx, w) for w in c.want)), None)
            if not c.positive and not loose and NEG_WINDOW.search(c.name):
                loose = "negative only by trufflehog's keyword window: the value is a well-formed key"
            if c.positive:
                hit = [w for w in c.want if any(overlaps(f["secret"], w) for f in findings)]
                ok = bool(hit)
            else:
                ok = not findings
            r = rows.setdefault(c.detector, {"pos": 0, "found": 0, "neg": 0, "fa": 0, "fa_fmt": 0,
                                             "pos_l": 0, "found_l": 0, "neg_l": 0, "fa_l": 0, "fa_fmt_l": 0})
            fmt_alarm = not c.positive and any(f["rule_id"] not in context for f in findings)
            if c.positive:
                r["pos"] += 1
                r["found"] += ok
                if not loose:
                    r["pos_l"] += 1
                    r["found_l"] += ok
            else:
                r["neg"] += 1
                r["fa"] += not ok
                r["fa_fmt"] += fmt_alarm
                if not loose:
                    r["neg_l"] += 1
                    r["fa_l"] += not ok
                    r["fa_fmt_l"] += fmt_alarm
            report.append({"detector": c.detector, "case": c.name, "file": c.file, "line": c.line,
                           "positive": c.positive, "ok": ok, "loose": loose, "files": files[n],
                           "want": c.want, "input": c.input,
                           "findings": [{"rule": f["rule_id"], "secret": f["secret"], "path": f["path"]}
                                        for f in findings]})

        tot = {k: sum(r[k] for r in rows.values()) for k in
               ("pos", "found", "neg", "fa", "fa_fmt", "pos_l", "found_l", "neg_l", "fa_l", "fa_fmt_l")}
        print(f"trufflehog detector pattern tests: {len(rows)} detectors, {len(cases)} cases "
              f"({tot['pos']} positive, {tot['neg']} negative), {len(unresolved)} unresolved")
        print(f"{'':28} {'recall':>8} {'found/pos':>12} {'false-alarm':>12} {'fa/neg':>10} "
              f"{'by format rules':>16}")
        for label, sfx in (("all cases", ""), ("without LOOSE/NEG_WINDOW", "_l")):
            pos, found, neg, fa, fmt = (tot["pos" + sfx], tot["found" + sfx], tot["neg" + sfx],
                                        tot["fa" + sfx], tot["fa_fmt" + sfx])
            print(f"{label:28} {rate(found, pos):>8} {found:>5}/{pos:<6} {rate(fa, neg):>12} {fa:>4}/{neg:<5} "
                  f"{rate(fmt, neg):>8} {fmt:>3}/{neg:<4}")
        print("(false alarms by format rules leave out the context rules' reports: generic and "
              "vendor-context rules report a strong value under a credential name by design)")
        full = sum(1 for r in rows.values() if r["found"] == r["pos"] and r["fa"] == 0)
        print(f"detectors with every positive found and no false alarm: {full}/{len(rows)}")

        by_reason: dict[str, int] = {}
        for c in unresolved:
            reason = re.sub(r"name \w+ not declared.*", "name not declared in the file", c.error)
            reason = re.sub(r"(call|selector|composite) \S+", r"\1 …", reason)
            by_reason[reason] = by_reason.get(reason, 0) + 1
        if unresolved:
            print("unresolved by reason: " + ", ".join(f"{k} {v}" for k, v in
                                                      sorted(by_reason.items(), key=lambda kv: -kv[1])))
        if args.unresolved:
            for c in unresolved:
                print(f"  UNRESOLVED {c.detector}/{c.file}:{c.line} {c.name!r}: {c.error}")

        if args.misses or args.false_alarms:
            print()
            print(f"{'detector':36} {'found/pos':>10} {'fa/neg':>8}")
            for det in sorted(rows):
                r = rows[det]
                if r["found"] == r["pos"] and r["fa"] == 0:
                    continue
                if args.false_alarms and not args.misses and r["fa"] == 0:
                    continue
                print(f"{det:36} {r['found']:>4}/{r['pos']:<5} {r['fa']:>3}/{r['neg']:<4}")
                for e in report:
                    if e["detector"] != det or e["ok"]:
                        continue
                    if e["positive"] and not args.misses:
                        continue
                    tag = "MISS" if e["positive"] else ("FALSE" if any(
                        f["rule"] not in context for f in e["findings"]) else "FALSE(context)")
                    loose = f"  [LOOSE: {e['loose']}]" if e["loose"] else ""
                    print(f"    {tag} {e['case']!r} ({e['file']}:{e['line']}){loose}")
                    if e["positive"]:
                        print(f"        want: {[w[:100] for w in e['want']]}")
                        snippet = e["input"].strip().replace("\n", "\\n")
                        print(f"        input: {snippet[:300]}")
                    for f in e["findings"]:
                        print(f"        got {f['rule']}: {f['secret'][:100]!r} in {os.path.basename(f['path'])}")
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"totals": tot, "detectors": rows, "cases": report,
                           "unresolved": [dataclasses.asdict(c) for c in unresolved]}, f, indent=1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
