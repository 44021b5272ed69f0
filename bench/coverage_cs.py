#!/usr/bin/env python3
"""leakguard on a labeled corpus another generator wrote: Samsung CredSweeper's samples.

    python3 bench/coverage_cs.py --credsweeper /work/.mirror/Samsung+CredSweeper/repo
        [--detect-secrets /work/.mirror/Yelp+detect-secrets/repo] [--leakguard target/release/leakguard]
        [--misses] [--alarms] [--json out.json]

CredSweeper ships ~229 sample files (tests/samples) and what it expects to find in them:
tests/data/output.json (after its filters and ML model: the credentials it believes real),
no_filters_no_ml.json (before any filter), depth_3_pedantic.json (also inside archives and encodings).
This extracts the samples (`git archive` of the bare mirror) to a temporary directory, scans them with
leakguard (JSON, secrets shown only to this script so values can be compared; nothing is printed but
rule, file and line) and compares line by line:

- recall against output.json, per CredSweeper rule: an expected credential is found when leakguard
  reports a finding on one of its lines (same file, the line inside the finding's span; for a member
  of an archive or a decoded blob, a finding in that file whose secret overlaps the expected value).
  Reported raw, and judged: JUDGED below lists the expected findings we hold are not credentials
  (UUIDs, nonces, placeholders, values only CredSweeper's model likes), each with a reason.
- depth: the findings depth_3_pedantic.json adds inside archives and encodings (same matching).
- candidate false alarms: leakguard findings on lines that CredSweeper's filters drop (in
  no_filters_no_ml.json, not in output.json), and on lines CredSweeper never reports at all. These
  need reading: CredSweeper's filters are not ground truth either (ALARMS_JUDGED lists our verdicts).
- detect-secrets (optional): the files of its test_data/ with the lines its own tests say hold a
  secret (DS_EXPECTED, read from its tests) — recall on those, and what we report elsewhere.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Expected findings (file, line, CredSweeper rule) that are not credentials, or only placeholders.
# file is relative to tests/samples; line is CredSweeper's 1-based line_num. A real credential in a
# shape leakguard misses is never listed here: it stays a miss.
_UUID = "a bare UUID is an identifier; CredSweeper's UUID rule takes any UUID, whatever names it"
_SALT = "a salt is stored beside its hash by design: not a secret"
_NONCE = "a nonce is public by design"
JUDGED = {
    **{(f, ln, "UUID"): _UUID for f, ln in [
        ("cmd_credential", 4), ("doc_credentials_n", 5), ("drawio", 13), ("drawio", 45), ("pretty.html", 10),
        ("pretty.html", 151), ("sample.rtf", 25), ("sample.tm7", 4), ("uuid", 1), ("xml_password.xml", 11)]},
    **{("salt.py", ln, "Salt"): _SALT for ln in (1, 3, 4, 5)},
    ("nonce.py", 1, "Nonce"): _NONCE,
    ("sealed_secrets.yaml", 13, "Nonce"): _NONCE,
    ("aws_multi.json", 3, "AWS Client ID"): "AKIAGIREOGIAWSKEY123: words and a counter, a placeholder",
    ("aws_multi.json", 53, "AWS Client ID"): "AKIAGIREOGIAWSKEY321: words and a counter, a placeholder",
    ("sample.tm7", 3, "AWS Client ID"): "AKIAGIREOGIAWSKEY321==: a placeholder",
    ("aws_multi.md", 7, "AWS Client ID"): "has 0 and 8: AWS key ids are base32 (A-Z, 2-7), not an issued id",
    ("aws_multi.md", 7, "Key"): "the same off-alphabet AWS key id",
    ("aws_mws_key", 1, "AWS MWS Key"): "amzn.mws. and a 'UUID' with letters beyond hex: not an issued token",
    ("aws_client_id", 8, "Amazon Bedrock API Key"): "bedrock-api-key- and 32 characters: short-term keys carry a "
        "base64 presigned URL (hundreds of characters), long-term ones start ABSK",
    ("auth.hs", 3, "Auth"): "an OAuth 1.0a request signature (HMAC-SHA1, sent in the clear with every request): "
        "not the consumer or token secret that makes it",
    ("auth.hs", 4, "Auth"): "not an NTLM message: base64 of 'NTLM@…' without the NTLMSSP signature (a real one "
        "starts TlRMTVNTUAA)",
    ("auth.hs", 4, "Bearer Authorization"): "the same malformed NTLM header (no bearer token on the line)",
    ("aws_s3_bucket", 1, "AWS S3 Bucket"): "a bucket's object URL with only X-Amz-Algorithm in its query: no "
        "credential, signature or key in it",
    ("cloudflare", 2, "CloudFlare API Token"): "checksum not 8 hex (Cloudflare's scannable format; its own FP "
        "lines differ only in the tail)",
    ("cloudflare", 3, "CloudFlare API Token"): "checksum not 8 hex",
    ("cloudflare", 4, "CloudFlare API Token"): "checksum not 8 hex",
    ("discord_bot_token", 1, "Discord Bot Token"): "its user id is base64 of 1234567890123456789: a placeholder",
    ("docker", 2, "Docker Access Token"): "dckr_pat_EXAMPLE-EXAMPLE-EXAMPLE-123, the sample's NEGATIVE line",
    ("facebook_key", 2, "Facebook App Token"): "app id|secret with a 27-character base64url secret: app secrets "
        "are 32 hex",
    ("firebase_domain", 1, "Firebase Domain"): "a host name, public",
    ("firebase_domain", 2, "Firebase Domain"): "a host name, public",
    ("github_app_install_token", 1, "Github App Installation Token"): "ghs_, a date and a JWT: not a format "
        "GitHub issues (ghs_ and 36 base62 characters)",
    ("github_classic_token", 1, "Github Classic Token"): "ghp_ and 33 zeros: a placeholder",
    ("grafana_provisioned_api_key", 1, "Grafana Provisioned API Key"): "decodes to a key of zeros named xxxx",
    ("heroku", 1, "Heroku Credentials"): "HRKU- without the AA that issued keys carry (HRKU-AA and 58)",
    ("heroku", 2, "Heroku Credentials"): "HRKU- and a UUID: not an issued shape (legacy keys are bare UUIDs)",
    ("huggingface", 6, "Hugging Face User Access Token"): "ends 'keyexample', under the sample's negative cases",
    ("newrelic", 3, "NewRelic Credentials"): "NRII- and 25 characters: insert keys are NRII- and 32",
    ("newrelic", 2, "NewRelic Credentials"): "NRBR- is a browser monitoring key: it ships in every page's "
        "JavaScript by design (public)",
    ("newrelic", 6, "NewRelic Credentials"): "eu01x and 31 hex: EU license keys are eu01xx, 30 hex and NRAL",
    ("gitlab_prefix_token", 15, "Gitlab Prefix Token"): "glrtr- and 41 characters without a routing suffix: "
        "GitLab's non-routable tokens are the prefix and 20, routable ones end .NN.<crc>",
    ("gitlab_prefix_token", 16, "Gitlab Prefix Token"): "glwt- and 32 characters, as above",
    ("curl_user_password", 1, "CURL User Password"): "a request to 127.0.0.1: no credential leaves the machine "
        "(curl-user-credentials leaves loopback and documentation hosts out on purpose)",
    ("open_ai_token", 7, "OpenAI Token"): "asdfgasdf… under the sample's FP heading",
    ("posthog", 1, "PostHog Credentials"): "phc_ is PostHog's project key, public by design (sent from browsers)",
    ("salesfoce", 2, "Salesforce Credentials"): "18/15-character org ids (00D…): identifiers",
    ("salesfoce", 4, "Salesforce Credentials"): "3MVG… is a connected app's consumer key, the OAuth client id",
    ("sendgrid_api_key", 1, "SendGrid API Key"): "SG.gireogigireogigi.gireogigireogigi: a repeated word, and not "
        "SG. 22 . 43",
    ("sentry", 1, "Sentry Organization Auth Token"): "no _ between the claims and the secret: not the issued shape",
    ("stripe_credentials", 3, "Stripe Credentials"): "pk_test_: a publishable key, public by design",
    ("stripe_credentials", 6, "Stripe Credentials"): "pk_live_: a publishable key, public by design",
    ("twilio_credentials_p", 1, "Twilio Credentials"): "SK…: an API key SID, an identifier (and SIDs are lower-case hex)",
    **{("wechat_p", ln, "Tencent WeChat API App ID"): "a WeChat AppID is a public identifier" for ln in (1, 2, 3)},
    ("doc_passwd_pair", 56, "Password"): "'# password: keep empty' under the sample's FALSE heading",
    ("pem_key", 27, "PEM Private Key"): "'LOW ENTROPY' key of digits, the sample's own fake",
    ("cmd_secure_string", 1, "CMD ConvertTo-SecureString"): "no -AsPlainText: the argument would be a DPAPI-"
        "encrypted standard string, not a password (leakguard reports the -AsPlainText form)",
    ("cmd_secure_string", 2, "CMD ConvertTo-SecureString"): "no -AsPlainText, as above",
}

# Lines CredSweeper's filters drop (or never report) that leakguard reports, judged (file, line) ->
# "true: why" or "false: why". A "true" one is a credential CredSweeper's filters or model miss.
_DOC = "true: a password in the sample's own ID/PW notes (the shapes above its FALSE heading)"
ALARMS_JUDGED = {
    **{("doc_id_pair_passwd_pair", ln): _DOC for ln in (9, 24, 54, 71, 84, 88, 92, 93, 94)},
    **{("doc_id_passwd_pair", ln): _DOC for ln in (7, 25, 27)},
    **{("doc_passwd_pair", ln): _DOC for ln in (2, 6, 7, 16, 20, 27, 36, 39, 42, 43, 51)},
    **{("doc_various", ln): _DOC for ln in (11, 28, 70, 93, 96, 99)},
    ("doc_ip_id_password_triple", 5): _DOC,
    ("doc_various", 9): "true: <password>…</password> in the sample's notes",
    ("test.eml", 16): "true: 'PW: …' in the mail's base64 body (leakguard decodes it)",
    ("LS0t_n", 1): "true: an encrypted PEM key still leaks (offline guessing); reported as encrypted-private-key "
        "(the rsa-private-key finding beside it is a duplicate, noted)",
    ("pem_key.n.encrypted.1", 1): "true: an encrypted PKCS#8 key, as above",
    ("pem_key.n.encrypted.2", 1): "true: an encrypted key, as above",
    ("changeit_crt.jks", 1): "true: a Java keystore file in a repository (path rule)",
    ("changeme_key.jks", 1): "true: a Java keystore file (path rule)",
    ("dummy.jks", 1): "true: a Java keystore file (path rule)",
    ("pkcs12.changeme.p12", 1): "true: a PKCS#12 file (path rule)",
    ("jfrog_n", 2): "true: AKCp and 69 characters, the issued Artifactory API key shape",
    ("sample.py", 39): "true: a 92-bit hex literal assigned to TOKEN",
    ("age-secret-key", 2): "false: the sample's FP line, an age key with a bad bech32 checksum (leakguard does not "
        "check the checksum)",
    ("docker", 5): "false: SWMTKN-1- with a leetspeak sentence, the sample's NEGATIVE line",
    ("jfrog_n", 1): "false: a reference token that decodes to a sentence",
    ("sealed_secrets.yaml", 14): "false: a SealedSecret's encryptedData value, safe to commit by design",
    ("test.html", 111): "false: facebook-access-token inside a base64 JPEG data URI",
}

# detect-secrets test_data: the lines its own tests expect a secret on (tests/core/secrets_collection_test.py,
# baseline_test.py, audit_test.py: one per plugin in each_secret.py), with our verdict: "" for a credential
# (a miss counts), else why it is not one. Most are fixtures of its entropy plugins at a lowered limit.
_ENTROPY = "not a credential: an entropy-plugin fixture (digits with a letter) scanned at limit 3.0"
DS_EXPECTED = {
    ("config.ini", 2): _ENTROPY,
    ("config.ini", 10): _ENTROPY,
    ("config.ini", 21): _ENTROPY,
    ("config.ini", 22): _ENTROPY,
    ("config.ini", 32): "",
    ("config.yaml", 3): _ENTROPY,
    ("config.yaml", 5): "AKIATESTTESTTESTTEST: a placeholder",
    ("config.yaml", 13): "its own name says low entropy: base64 of a short phrase",
    ("files/file_with_secrets.py", 3): "base64 of the sentence 'super long string should cause enough entropy'",
    ("files/tmp/file_with_secrets.py", 3): "",
    ("each_secret.py", 4): "",
    ("each_secret.py", 5): "",
    ("each_secret.py", 6): "http://username:whywouldyouusehttpforpasswords@example.com: stand-in words on example.com",
    ("each_secret.py", 8): "AKIAIOSFODNN7EXAMPLE: AWS's documentation key",
    ("each_secret.py", 9): "AWS's documentation secret (…EXAMPLEKEY)",
    ("config.env", 1): "",
    ("config.md", 11): "",
}

PREFIX = "./tests/samples/"


def sh(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, **kw)


def extract(git_dir, sub, dest):
    arch = sh(["git", "--git-dir", git_dir, "archive", "HEAD", sub]).stdout
    subprocess.run(["tar", "-x", "-C", dest], input=arch, check=True)


def read_json(git_dir, path):
    return json.loads(sh(["git", "--git-dir", git_dir, "show", f"HEAD:{path}"]).stdout)


def scan(binary, root):
    out = subprocess.run(
        [binary, "scan", ".", "-f", "json", "--show-secrets", "--exit-zero", "--no-baseline", "-j", "1"],
        cwd=root, capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.exit(f"leakguard failed ({out.returncode}): {out.stderr.strip()[:400]}")
    return json.loads(out.stdout)["findings"]


class Ours:
    """leakguard's findings indexed by file (the outer file for archive members)."""

    def __init__(self, findings):
        self.by_file = collections.defaultdict(list)
        for f in findings:
            path = f["path"][2:] if f["path"].startswith("./") else f["path"]
            # A member of an archive is shown as archive!member: index it under the archive.
            self.by_file[path.split("!", 1)[0]].append(f)
        self.used = set()

    def match(self, path, line, value, deep):
        hits = []
        for i, f in enumerate(self.by_file.get(path, [])):
            member = f.get("archive_member")
            on_line = not member and f["line"] <= line <= max(f["end_line"], f["line"])
            sec = f["secret"] or ""
            overlap = len(value) >= 8 and len(sec) >= 8 and (value in sec or sec in value
                                                            or value[:24] in sec or sec[:24] in value)
            # Deep (a member, a decoded blob): the same value, or a finding at that line of the
            # member or the decoded text (a PEM block's value is its header line, ours its body).
            near = f["line"] - 1 <= line <= max(f["end_line"], f["line"])
            if (on_line and not deep) or (deep and (overlap or near)):
                hits.append(i)
        return hits


def expected(entries, samples_only=True):
    """[(rule, [(file, line, value, info)])] from a CredSweeper report."""
    out = []
    for e in entries:
        lines = []
        for ld in e["line_data_list"]:
            p = ld["path"]
            if not p.startswith(PREFIX):
                continue
            lines.append((p[len(PREFIX):], ld["line_num"], ld.get("value") or "", ld.get("info") or ""))
        if lines:
            out.append((e["rule"], lines))
    return out


def cred_key(rule, lines):
    return (lines[0][0], lines[0][1], rule)


def is_deep(info):
    parts = info.split("|")[1:]
    return any(p not in ("RAW", "LEXER") for p in parts)


ARCHIVES = {"ZIP", "TAR", "GZIP", "BZIP2", "LZMA", "ZSTD", "DEB", "RPM", "CRX", "CPIO", "HSQS", "PATCH"}
ENCODINGS = {"BASE64", "STRUCT", "LEXER", "HTML", "XML", "JSON", "YAML", "CSV"}


def container(info):
    """The kind of the outermost container a deep finding sits in: archive, encoding or format."""
    for part in info.split("|")[1:]:
        name = part.split(":", 1)[0]
        if name in ("RAW", "KEYWORD"):
            continue
        if name in ARCHIVES:
            return "archive"
        if name in ENCODINGS:
            return "encoding"
        return "format"
    return "encoding"


def recall(creds, ours, judged, deep=False):
    per_rule = collections.defaultdict(lambda: [0, 0, 0, 0])  # found, total, judged-found, judged-total
    misses = []
    for rule, lines in creds:
        hit = False
        for file, line, value, info in lines:
            h = ours.match(file, line, value, deep or is_deep(info))
            if h:
                hit = True
                ours.used.update((file, i) for i in h)
        k = cred_key(rule, lines)
        r = per_rule[rule]
        r[0] += hit
        r[1] += 1
        if k not in judged:
            r[2] += hit
            r[3] += 1
            if not hit:
                misses.append((rule, lines))
    return per_rule, misses


def line_set(entries):
    s = set()
    for _, lines in expected(entries):
        for file, line, _, _ in lines:
            s.add((file, line))
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--credsweeper", required=True, help="CredSweeper git dir (bare mirror or .git)")
    ap.add_argument("--detect-secrets", help="detect-secrets git dir")
    ap.add_argument("--leakguard", default="target/release/leakguard")
    ap.add_argument("--misses", action="store_true", help="list the expected findings we miss")
    ap.add_argument("--alarms", action="store_true", help="list our findings CredSweeper drops or never reports")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    binary = os.path.abspath(a.leakguard)
    tmp = tempfile.mkdtemp(prefix="lg-cs-")
    figures = {}
    try:
        extract(a.credsweeper, "tests/samples", tmp)
        root = os.path.join(tmp, "tests", "samples")
        ours = Ours(scan(binary, root))
        out = read_json(a.credsweeper, "tests/data/output.json")
        nofilt = read_json(a.credsweeper, "tests/data/no_filters_no_ml.json")
        deep3 = read_json(a.credsweeper, "tests/data/depth_3_pedantic.json")
        # --doc mode: what CredSweeper reports in documentation text (ID/PW pairs in prose).
        doc = read_json(a.credsweeper, "tests/data/doc.json")

        creds = expected(out)
        per_rule, misses = recall(creds, ours, JUDGED)
        tot = [sum(r[i] for r in per_rule.values()) for i in range(4)]
        figures["recall_raw"] = [tot[0], tot[1]]
        figures["recall_judged"] = [tot[2], tot[3]]
        print(f"CredSweeper output.json: {len(creds)} expected credentials, {len(per_rule)} rules")
        print(f"  recall raw     {tot[0]}/{tot[1]} = {tot[0] / tot[1]:.3f}")
        print(f"  recall judged  {tot[2]}/{tot[3]} = {tot[2] / max(tot[3], 1):.3f}"
              f"  ({tot[1] - tot[3]} judged not-a-credential)")
        print("  per rule (found/expected, judged):")
        for rule, r in sorted(per_rule.items(), key=lambda kv: (kv[1][2] - kv[1][3], kv[0])):
            if r[2] < r[3] or a.misses:
                print(f"    {rule:42s} {r[0]:3d}/{r[1]:<3d}  judged {r[2]:3d}/{r[3]:<3d}")

        # Depth: what depth_3_pedantic adds inside archives and encodings.
        out_keys = {cred_key(r, l) for r, l in creds}
        deep_creds = [(r, l) for r, l in expected(deep3) if cred_key(r, l) not in out_keys and is_deep(l[0][3])]
        dper, dmiss = recall(deep_creds, ours, JUDGED, deep=True)
        dt = [sum(r[i] for r in dper.values()) for i in range(4)]
        figures["depth_raw"] = [dt[0], dt[1]]
        figures["depth_judged"] = [dt[2], dt[3]]
        print(f"depth_3_pedantic (inside archives/encodings, beyond output.json): raw {dt[0]}/{dt[1]},"
              f" judged {dt[2]}/{dt[3]}")
        # By the outermost container: archives and compressors leakguard could open, encodings, and
        # document/binary formats (Office, images, PDF, sqlite, class files) it does not parse.
        by_kind = collections.defaultdict(lambda: [0, 0])
        missed_keys = {cred_key(r, l) for r, l in dmiss}
        for r, l in deep_creds:
            if cred_key(r, l) in JUDGED:
                continue
            kind = container(l[0][3])
            by_kind[kind][1] += 1
            by_kind[kind][0] += cred_key(r, l) not in missed_keys
        figures["depth_by_container"] = {k: v for k, v in sorted(by_kind.items())}
        print("  by container: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_kind.items())))

        if a.misses:
            print("misses (judged):")
            for rule, lines in misses + dmiss:
                f, l, v, info = lines[0]
                print(f"  {rule:36s} {f}:{l}  [{len(v)} chars] {info.split('|', 1)[-1][:60]}")

        # Our findings that CredSweeper's filters drop, and that it never reports.
        kept = line_set(out) | line_set(deep3) | line_set(doc)
        dropped = line_set(nofilt) - kept
        alarms_dropped, alarms_unknown = [], []
        for file, fs in sorted(ours.by_file.items()):
            for i, f in enumerate(fs):
                if (file, i) in ours.used:
                    continue
                span = range(f["line"], max(f["end_line"], f["line"]) + 1)
                if f.get("archive_member") or any((file, ln) in kept for ln in span):
                    continue
                key = (file, f["line"])
                row = (file, f["line"], f["rule_id"], ALARMS_JUDGED.get(key, "unjudged"))
                (alarms_dropped if any((file, ln) in dropped for ln in span) else alarms_unknown).append(row)
        judged_false = sum(1 for r in alarms_dropped + alarms_unknown if r[3].startswith("false"))
        judged_true = sum(1 for r in alarms_dropped + alarms_unknown if r[3].startswith("true"))
        figures["alarms_dropped"] = len(alarms_dropped)
        figures["alarms_unreported"] = len(alarms_unknown)
        figures["alarms_judged_false"] = judged_false
        figures["alarms_judged_true"] = judged_true
        print(f"our findings on lines CredSweeper's filters drop: {len(alarms_dropped)};"
              f" on lines it never reports: {len(alarms_unknown)}"
              f" (judged: {judged_true} true, {judged_false} false,"
              f" {len(alarms_dropped) + len(alarms_unknown) - judged_true - judged_false} unjudged)")
        if a.alarms:
            for tag, rows in (("dropped", alarms_dropped), ("never", alarms_unknown)):
                for file, line, rule, verdict in rows:
                    print(f"  {tag:7s} {file}:{line}  {rule}  {verdict}")

        if a.detect_secrets:
            figures["detect_secrets"] = detect_secrets(a.detect_secrets, binary, tmp, a.misses, a.alarms)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(figures, fh, indent=1)


def detect_secrets(git_dir, binary, tmp, show_misses, show_alarms):
    dest = os.path.join(tmp, "ds")
    os.makedirs(dest)
    extract(git_dir, "test_data", dest)
    root = os.path.join(dest, "test_data")
    ours = Ours(scan(binary, root))
    found = total = jfound = jtotal = 0
    missed = []
    for (file, line) in sorted(DS_EXPECTED):
        total += 1
        fs = ours.by_file.get(file, [])
        hit = [i for i, f in enumerate(fs) if f["line"] <= line <= max(f["end_line"], f["line"])]
        ours.used.update((file, i) for i in hit)
        found += bool(hit)
        if not DS_EXPECTED[(file, line)]:
            jtotal += 1
            jfound += bool(hit)
        if not hit:
            missed.append((file, line, DS_EXPECTED[(file, line)] or "a credential"))
    other = [(file, f["line"], f["rule_id"]) for file, fs in sorted(ours.by_file.items())
             for i, f in enumerate(fs) if (file, i) not in ours.used]
    print(f"detect-secrets test_data: recall raw {found}/{total}, judged {jfound}/{jtotal};"
          f" our other findings: {len(other)}")
    if show_misses:
        for m in missed:
            print(f"  miss  {m[0]}:{m[1]}  {m[2]}")
    if show_alarms:
        for o in other:
            print(f"  other {o[0]}:{o[1]}  {o[2]}  {DS_ALARMS.get((o[0], o[1]), 'unjudged')}")
    return {"recall_raw": [found, total], "recall_judged": [jfound, jtotal], "other": len(other)}


DS_ALARMS = {}

if __name__ == "__main__":
    main()
