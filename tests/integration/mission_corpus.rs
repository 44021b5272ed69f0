//! The mission families on an independent corpus: fake values generated here from the providers'
//! documented formats (never from the rules or their examples, so a format a rule does not know is
//! a miss, not a blind spot), written into the files and contexts real repositories hold them in —
//! Jupyter notebooks (escaped source lines and outputs), Markdown and reStructuredText, minified JS,
//! logs and tracebacks, CSV, Dockerfiles, CI files, compose, .npmrc/.netrc/.pypirc, settings.py,
//! Spring properties and YAML, C# connection strings, curl/httpie, query strings and URL-encoded
//! values, CRLF files, values split by string concatenation, SDK constructor calls and whole `.env`
//! files — each with negatives (placeholders, redacted doc forms, environment references, hashes and
//! UUIDs). One scan of the whole tree by the real binary.
//!
//! Values come in two kinds: a format value carries its vendor's prefix (`gsk_…`, `sk-ant-api03-…`)
//! and must be found in every context; a named value is only a shape (32 hex, 48 base64) and must be
//! found where its name stands on the value's line (the contexts marked `named`). The test fails on
//! a required pair missed that is not in EXCEPTIONS (each with its reason), on any finding in a
//! negative file, and on an exception that is found now.

use crate::common::*;
use base64::Engine as _;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// The value carries the vendor's prefix: found with or without a name.
    Format,
    /// The value is a bare shape: found where its name is on its line.
    Named,
}

/// One generated value: its variant label, family, the name a project gives it, the value.
struct Val {
    label: &'static str,
    family: &'static str,
    name: &'static str,
    value: String,
    kind: Kind,
}

const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS: &str = "0123456789";
const B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Django's get_random_secret_key() alphabet, without the characters that need quoting in the
/// contexts below (a second variant keeps them where the context can carry them).
const DJANGO_SAFE: &str = "abcdefghijklmnopqrstuvwxyz0123456789!@%^*(-_=+)";

/// Every value of the mission families, from the providers' documented formats (lengths,
/// alphabets, prefixes, old and new formats).
fn values(f: &mut Fake) -> Vec<Val> {
    let mut v = Vec::new();
    let mut push = |label, family, name, value: String, kind| {
        v.push(Val {
            label,
            family,
            name,
            value,
            kind,
        })
    };
    use Kind::*;
    // OpenAI: the legacy user key (T3BlbkFJ, base64 of "OpenAI", in the middle), project, service
    // account and admin keys (long, url-safe base64 with the marker), and the `sk-None-` user keys.
    let k = format!("sk-{}T3BlbkFJ{}", f.alnum(20), f.alnum(20));
    push("openai-legacy", "openai", "OPENAI_API_KEY", k, Format);
    let k = format!(
        "sk-proj-{}T3BlbkFJ{}",
        f.from_alphabet(B64URL, 74),
        f.from_alphabet(B64URL, 74)
    );
    push("openai-project", "openai", "OPENAI_API_KEY", k, Format);
    let k = format!(
        "sk-svcacct-{}T3BlbkFJ{}",
        f.from_alphabet(B64URL, 74),
        f.from_alphabet(B64URL, 74)
    );
    push("openai-svcacct", "openai", "OPENAI_API_KEY", k, Format);
    let k = format!(
        "sk-admin-{}T3BlbkFJ{}",
        f.from_alphabet(B64URL, 58),
        f.from_alphabet(B64URL, 58)
    );
    push("openai-admin", "openai", "OPENAI_ADMIN_KEY", k, Format);
    let k = format!("sk-None-{}T3BlbkFJ{}", f.alnum(36), f.alnum(36));
    push("openai-none", "openai", "OPENAI_API_KEY", k, Format);
    // OpenAI-compatible providers' sk- keys.
    let k = format!("sk-{}", f.hex(32));
    push(
        "deepseek",
        "openai-compatible",
        "DEEPSEEK_API_KEY",
        k,
        Format,
    );
    let k = format!("sk-{}", f.hex(32));
    push(
        "dashscope",
        "openai-compatible",
        "DASHSCOPE_API_KEY",
        k,
        Format,
    );
    let k = format!("sk-{}", f.alnum(48));
    push(
        "moonshot",
        "openai-compatible",
        "MOONSHOT_API_KEY",
        k,
        Format,
    );
    let k = format!("sk-{}", f.from_alphabet(LOWER, 48));
    push(
        "siliconflow",
        "openai-compatible",
        "SILICONFLOW_API_KEY",
        k,
        Format,
    );
    let k = format!("sk-{}", f.hex(32));
    push(
        "baichuan",
        "openai-compatible",
        "BAICHUAN_API_KEY",
        k,
        Format,
    );
    // One-api/new-api style gateways: sk- and 48 alphanumerics, or 48 hex.
    let k = format!("sk-{}", f.alnum(48));
    push("gateway", "openai-compatible", "OPENAI_API_KEY", k, Format);
    let k = format!("sk-{}", f.hex(48));
    push(
        "gateway-hex",
        "openai-compatible",
        "OPENAI_API_KEY",
        k,
        Format,
    );
    let k = format!("sk-or-v1-{}", f.hex(64));
    push(
        "openrouter",
        "openai-compatible",
        "OPENROUTER_API_KEY",
        k,
        Format,
    );
    let k = format!("gsk_{}", f.alnum(52));
    push("groq", "openai-compatible", "GROQ_API_KEY", k, Format);
    let k = format!("tgp_v1_{}", f.from_alphabet(B64URL, 43));
    push(
        "together-v1",
        "openai-compatible",
        "TOGETHER_API_KEY",
        k,
        Format,
    );
    let k = f.hex(64);
    push(
        "together-legacy",
        "openai-compatible",
        "TOGETHER_API_KEY",
        k,
        Named,
    );
    let k = format!("fw_{}", f.alnum(24));
    push(
        "fireworks",
        "openai-compatible",
        "FIREWORKS_API_KEY",
        k,
        Named,
    );
    let k = format!("pplx-{}", f.alnum(48));
    push(
        "perplexity",
        "openai-compatible",
        "PERPLEXITY_API_KEY",
        k,
        Format,
    );
    let k = format!("xai-{}", f.alnum(80));
    push("xai", "openai-compatible", "XAI_API_KEY", k, Format);
    let k = f.alnum(32);
    push("mistral", "openai-compatible", "MISTRAL_API_KEY", k, Named);
    let k = format!("{}.{}", f.hex(32), f.alnum(16));
    push("zhipu", "openai-compatible", "ZHIPUAI_API_KEY", k, Named);
    let k = format!("nvapi-{}", f.from_alphabet(B64URL, 64));
    push("nvidia", "openai-compatible", "NVIDIA_API_KEY", k, Format);
    let k = format!("csk-{}", f.from_alphabet(LOWER_DIGITS, 48));
    push(
        "cerebras",
        "openai-compatible",
        "CEREBRAS_API_KEY",
        k,
        Format,
    );
    // Anthropic: API, admin and OAuth (Claude Code) keys, 93 url-safe characters and AA.
    let k = format!("sk-ant-api03-{}AA", f.from_alphabet(B64URL, 93));
    push("anthropic", "anthropic", "ANTHROPIC_API_KEY", k, Format);
    let k = format!("sk-ant-admin01-{}AA", f.from_alphabet(B64URL, 93));
    push(
        "anthropic-admin",
        "anthropic",
        "ANTHROPIC_ADMIN_KEY",
        k,
        Format,
    );
    let k = format!("sk-ant-oat01-{}AA", f.from_alphabet(B64URL, 93));
    push(
        "anthropic-oauth",
        "anthropic",
        "CLAUDE_CODE_OAUTH_TOKEN",
        k,
        Format,
    );
    // Twilio: account and API key SIDs, the auth token, the API key secret.
    let k = format!("AC{}", f.hex(32));
    push("twilio-sid", "twilio", "TWILIO_ACCOUNT_SID", k, Format);
    let k = format!("SK{}", f.hex(32));
    push("twilio-key-sid", "twilio", "TWILIO_API_KEY", k, Format);
    let k = f.hex(32);
    push("twilio-auth-token", "twilio", "TWILIO_AUTH_TOKEN", k, Named);
    let k = f.alnum(32);
    push("twilio-api-secret", "twilio", "TWILIO_API_SECRET", k, Named);
    // Fernet: 32 bytes, url-safe base64 with its one `=`.
    let k = format!("{}=", fernet_body(f));
    push("fernet", "fernet", "FERNET_KEY", k, Named);
    // Session and token signing secrets.
    let k = f.hex(64);
    push("flask", "session", "SECRET_KEY", k, Named);
    let k = format!("django-insecure-{}", f.from_alphabet(DJANGO_SAFE, 50));
    push("django-insecure", "session", "SECRET_KEY", k, Named);
    let k = f.from_alphabet(DJANGO_SAFE, 50);
    push("django", "session", "DJANGO_SECRET_KEY", k, Named);
    let k = f.hex(128);
    push("rails", "session", "SECRET_KEY_BASE", k, Named);
    let k = f.alnum(32);
    push("express-session", "session", "SESSION_SECRET", k, Named);
    let k = f.from_alphabet(B64URL, 43);
    push("jwt-secret", "session", "JWT_SECRET", k, Named);
    let k = format!("{}=", f.from_alphabet(B64, 43));
    push("nextauth", "session", "NEXTAUTH_SECRET", k, Named);
    // GitHub: every gh?_ kind, fine-grained PATs, the legacy 40-hex token by name.
    for (label, p) in [
        ("github-ghp", "ghp_"),
        ("github-gho", "gho_"),
        ("github-ghu", "ghu_"),
        ("github-ghs", "ghs_"),
    ] {
        let k = format!("{p}{}", f.alnum(36));
        push(label, "github", "GITHUB_TOKEN", k, Format);
    }
    let k = format!("ghr_{}", f.alnum(76));
    push("github-ghr", "github", "GITHUB_REFRESH_TOKEN", k, Format);
    let k = format!("github_pat_11{}_{}", f.alnum(20), f.alnum(59));
    push("github-fine-grained", "github", "GITHUB_TOKEN", k, Format);
    let k = f.hex(40);
    push("github-legacy", "github", "GITHUB_TOKEN", k, Named);
    // Slack bot, user, app-level and rotating tokens.
    let k = format!(
        "xoxb-{}-{}-{}",
        f.from_alphabet(DIGITS, 12),
        f.from_alphabet(DIGITS, 13),
        f.alnum(24)
    );
    push("slack-bot", "slack", "SLACK_BOT_TOKEN", k, Format);
    let k = format!(
        "xoxp-{}-{}-{}-{}",
        f.from_alphabet(DIGITS, 12),
        f.from_alphabet(DIGITS, 12),
        f.from_alphabet(DIGITS, 13),
        f.hex(32)
    );
    push("slack-user", "slack", "SLACK_USER_TOKEN", k, Format);
    let k = format!(
        "xapp-1-A{}-{}-{}",
        f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
        f.from_alphabet(DIGITS, 13),
        f.hex(64)
    );
    push("slack-app", "slack", "SLACK_APP_TOKEN", k, Format);
    let k = format!(
        "xoxe.xoxp-1-{}",
        f.from_alphabet(B64URL.trim_end_matches("_-"), 140)
    );
    push("slack-rotating", "slack", "SLACK_USER_TOKEN", k, Format);
    // AWS: long-term and temporary key ids, the secret by name, session tokens.
    let k = format!("AKIA{}", f.from_alphabet(B32, 16));
    push("aws-akia", "aws", "AWS_ACCESS_KEY_ID", k, Format);
    let k = format!("ASIA{}", f.from_alphabet(B32, 16));
    push("aws-asia", "aws", "AWS_ACCESS_KEY_ID", k, Format);
    let k = f.from_alphabet(B64, 40);
    push("aws-secret", "aws", "AWS_SECRET_ACCESS_KEY", k, Named);
    let k = format!("IQoJb3JpZ2luX2VjE{}", f.from_alphabet(B64, 380));
    push("aws-session", "aws", "AWS_SESSION_TOKEN", k, Named);
    // Facebook: user/page tokens (EAA…), the app secret by name, `appid|secret` app tokens.
    let k = format!("EAAG{}", f.alnum(180));
    push(
        "facebook-token",
        "facebook",
        "FACEBOOK_ACCESS_TOKEN",
        k,
        Format,
    );
    let k = format!("EAAB{}", f.alnum(110));
    push(
        "facebook-token-short",
        "facebook",
        "FB_PAGE_TOKEN",
        k,
        Format,
    );
    let k = f.hex(32);
    push(
        "facebook-secret",
        "facebook",
        "FACEBOOK_APP_SECRET",
        k,
        Named,
    );
    let k = format!(
        "{}{}|{}",
        short(f, "123456789", 1),
        f.from_alphabet(DIGITS, 15),
        f.hex(32)
    );
    // No vendor prefix: a pipe-joined id and hex is any record without the name.
    push(
        "facebook-app-token",
        "facebook",
        "FACEBOOK_APP_TOKEN",
        k,
        Named,
    );
    v
}

/// A few random characters: the generator refuses short draws (they look like placeholders), so
/// take them from the end of a long one.
fn short(f: &mut Fake, alphabet: &str, n: usize) -> String {
    let s = f.from_alphabet(alphabet, 24);
    s[s.len() - n..].to_string()
}

/// A Fernet key's 43 characters: 32 bytes in url-safe base64, whose last character carries two
/// padding bits (one of AEIMQUYcgkosw048).
fn fernet_body(f: &mut Fake) -> String {
    format!(
        "{}{}",
        f.from_alphabet(B64URL, 42),
        short(f, "AEIMQUYcgkosw048", 1)
    )
}

/// A context: where a value is written. `named`: the value's name stands on its line.
/// `bad`: characters the context cannot carry as they are (such values skip the context).
struct Ctx {
    id: &'static str,
    named: bool,
    bad: &'static str,
    render: fn(&Names, &str) -> (String, String),
}

/// A value's name in the casings the contexts write.
struct Names {
    upper: String,
    snake: String,
    camel: String,
    dotted: String,
    kebab: String,
    vendor: String,
}

fn names(name: &str) -> Names {
    let words: Vec<String> = name.split('_').map(|w| w.to_lowercase()).collect();
    let camel = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                w.clone()
            } else {
                w[..1].to_uppercase() + &w[1..]
            }
        })
        .collect();
    Names {
        upper: name.to_string(),
        snake: words.join("_"),
        camel,
        dotted: words.join("."),
        kebab: words.join("-"),
        vendor: words[0].clone(),
    }
}

/// A Jupyter notebook whose cells hold `lines` as source (JSON-escaped, as nbformat writes them)
/// and `output` as a stream output.
fn notebook(source: &[String], output: &[String]) -> String {
    let src: Vec<String> = source
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 < source.len() {
                format!("{l}\n")
            } else {
                l.clone()
            }
        })
        .collect();
    let outputs = if output.is_empty() {
        serde_json::json!([])
    } else {
        serde_json::json!([{"name": "stdout", "output_type": "stream",
            "text": output.iter().map(|l| format!("{l}\n")).collect::<Vec<_>>()}])
    };
    let nb = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Setup\n", "Run the cell below once."]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": outputs, "source": src}
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5
    });
    serde_json::to_string_pretty(&nb).unwrap()
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const CTXS: &[Ctx] = &[
    Ctx {
        id: "ipynb-source",
        named: true,
        bad: "",
        render: |n, v| {
            let nb = notebook(
                &[
                    "import os".into(),
                    format!("os.environ[\"{}\"] = \"{v}\"", n.upper),
                ],
                &[],
            );
            ("nb/setup.ipynb".into(), nb)
        },
    },
    Ctx {
        id: "ipynb-kwarg",
        named: true,
        bad: "",
        render: |n, v| {
            let nb = notebook(
                &[
                    "from client import Client".into(),
                    format!("client = Client({}=\"{v}\")", n.snake),
                ],
                &[],
            );
            ("nb/client.ipynb".into(), nb)
        },
    },
    Ctx {
        id: "ipynb-output",
        named: false,
        bad: "",
        render: |_, v| {
            let nb = notebook(
                &["print(cfg.credentials())".into()],
                &[format!("Loaded credentials: {v}")],
            );
            ("nb/output.ipynb".into(), nb)
        },
    },
    Ctx {
        id: "markdown-fence",
        named: true,
        bad: "\"\\$`",
        render: |n, v| {
            (
                "docs/setup.md".into(),
                format!(
                    "# Setup\n\nExport the key before running:\n\n```bash\nexport {}=\"{v}\"\npython main.py\n```\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "markdown-prose",
        named: false,
        bad: "`",
        render: |_, v| {
            (
                "docs/notes.md".into(),
                format!(
                    "## Deploy notes\n\nThe staging box currently uses `{v}` until we rotate it.\n"
                ),
            )
        },
    },
    Ctx {
        id: "rst-code-block",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                "docs/config.rst".into(),
                format!(
                    "Configuration\n=============\n\n.. code-block:: python\n\n    {} = \"{v}\"\n    client = make_client()\n",
                    n.snake
                ),
            )
        },
    },
    Ctx {
        id: "js-bundle",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                "static/js/main.4f2a9c.js".into(),
                format!(
                    "!function(){{\"use strict\";var e=window.__cfg||{{}},t={{baseURL:\"https://api.example.com/v1\",{}:\"{v}\",timeout:3e4}};function n(r){{return fetch(t.baseURL+r,{{headers:{{\"Content-Type\":\"application/json\"}}}})}}e.client=n}}();\n",
                    n.camel
                ),
            )
        },
    },
    Ctx {
        id: "log-line",
        named: true,
        bad: " ",
        render: |n, v| {
            (
                "logs/app.log".into(),
                format!(
                    "2025-03-14T09:26:53.589Z INFO  worker-3 starting job 8812\n2025-03-14T09:26:53.601Z DEBUG worker-3 config loaded: region=eu-west-1 {}={v} retries=3\n2025-03-14T09:26:54.002Z INFO  worker-3 job 8812 done\n",
                    n.snake
                ),
            )
        },
    },
    Ctx {
        id: "traceback",
        named: false,
        bad: "'",
        render: |_, v| {
            (
                "logs/error.log".into(),
                format!(
                    "Traceback (most recent call last):\n  File \"/app/main.py\", line 42, in <module>\n    resp = client.send(payload)\n  File \"/app/client.py\", line 88, in send\n    raise AuthError(resp.status, key)\nclient.AuthError: (401, '{v}')\n"
                ),
            )
        },
    },
    Ctx {
        id: "csv",
        named: false,
        bad: ",\"",
        render: |n, v| {
            (
                "data/keys.csv".into(),
                format!("service,{},owner\nbilling,{v},ops-team\n", n.snake),
            )
        },
    },
    Ctx {
        id: "dockerfile-env",
        named: true,
        bad: " \"\\$",
        render: |n, v| {
            (
                "Dockerfile".into(),
                format!(
                    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENV {}={v}\nCMD [\"python\", \"main.py\"]\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "dockerfile-env-space",
        named: true,
        bad: " \"\\$",
        render: |n, v| {
            (
                "docker/Dockerfile".into(),
                format!("FROM node:20\nENV {} {v}\nRUN npm ci\n", n.upper),
            )
        },
    },
    Ctx {
        id: "dockerfile-arg",
        named: true,
        bad: " \"\\$",
        render: |n, v| {
            (
                "build/Dockerfile".into(),
                format!(
                    "FROM golang:1.22 AS build\nARG {}={v}\nRUN go build ./...\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "github-actions",
        named: true,
        bad: " #\"\\",
        render: |n, v| {
            (
                ".github/workflows/ci.yml".into(),
                format!(
                    "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      {}: {v}\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "gitlab-ci",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                ".gitlab-ci.yml".into(),
                format!(
                    "stages: [test]\nvariables:\n  {}: \"{v}\"\ntest:\n  stage: test\n  script:\n    - make test\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "compose",
        named: true,
        bad: " #\"\\$",
        render: |n, v| {
            (
                "docker-compose.yml".into(),
                format!(
                    "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    environment:\n      - {}={v}\n    ports:\n      - \"8080:8080\"\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "settings-py",
        named: true,
        bad: "'\\",
        render: |n, v| {
            (
                "project/settings.py".into(),
                format!(
                    "import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nDEBUG = False\n{} = os.getenv('{}', '{v}')\n",
                    n.upper, n.upper
                ),
            )
        },
    },
    Ctx {
        id: "properties",
        named: true,
        bad: " #\\",
        render: |n, v| {
            (
                "src/main/resources/application.properties".into(),
                format!("server.port=8080\napp.{}={v}\n", n.dotted),
            )
        },
    },
    Ctx {
        id: "spring-yaml",
        named: true,
        bad: " #\"\\",
        render: |n, v| {
            (
                "src/main/resources/application.yml".into(),
                format!(
                    "server:\n  port: 8080\napp:\n  {}:\n    {}: {v}\n",
                    n.vendor, n.kebab
                ),
            )
        },
    },
    Ctx {
        id: "appsettings-json",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                "src/Api/appsettings.Production.json".into(),
                format!(
                    "{{\n  \"Logging\": {{ \"LogLevel\": {{ \"Default\": \"Information\" }} }},\n  \"{}\": \"{v}\"\n}}\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "curl-bearer",
        named: false,
        bad: "\"\\$",
        render: |_, v| {
            (
                "scripts/call.sh".into(),
                format!(
                    "#!/bin/sh\ncurl -sS https://api.example.com/v1/chat/completions \\\n  -H \"Content-Type: application/json\" \\\n  -H \"Authorization: Bearer {v}\" \\\n  -d @body.json\n"
                ),
            )
        },
    },
    Ctx {
        id: "httpie",
        named: false,
        bad: "'",
        render: |_, v| {
            (
                "docs/httpie.txt".into(),
                format!("http POST https://api.example.com/v1/embeddings 'Authorization:Bearer {v}' input=hello\n"),
            )
        },
    },
    Ctx {
        id: "query-string",
        named: true,
        bad: "",
        render: |n, v| {
            (
                "client/fetch.js".into(),
                format!(
                    "const url = \"https://api.example.com/v2/items?limit=20&{}={}&page=3\";\n",
                    n.snake,
                    url_encode(v)
                ),
            )
        },
    },
    Ctx {
        id: "crlf-env",
        named: true,
        bad: " #",
        render: |n, v| {
            (
                "config/prod.env".into(),
                format!(
                    "# production\r\nLOG_LEVEL=info\r\n{}={v}\r\nPORT=8080\r\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "env-export-comment",
        named: true,
        bad: "\"\\$`",
        render: |n, v| {
            (
                ".envrc".into(),
                format!(
                    "# {} — rotated 2025-01\nexport {}=\"{v}\"  # prod\n",
                    n.upper, n.upper
                ),
            )
        },
    },
    // Names split from their values over a line break (docs/engine.md, "Key paths in code at a
    // look per line"; "Values on the line below their names"). Required but for those still in
    // ENGINE_CONTEXTS, which are reported per context.
    Ctx {
        id: "split-py-paren",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                "app/settings.py".into(),
                format!("import os\n\n{} = (\n    \"{v}\"\n)\n", n.upper),
            )
        },
    },
    Ctx {
        id: "split-yaml-next-line",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                "config/app.yml".into(),
                format!("app:\n  {}:\n    \"{v}\"\n", n.snake),
            )
        },
    },
    Ctx {
        id: "split-yaml-folded",
        named: true,
        bad: " #",
        render: |n, v| {
            (
                "config/app.yml".into(),
                format!("app:\n  {}: >-\n    {v}\n  debug: false\n", n.snake),
            )
        },
    },
    Ctx {
        id: "split-json-pretty",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                "config/app.json".into(),
                format!("{{\n  \"{}\":\n    \"{v}\"\n}}\n", n.camel),
            )
        },
    },
    Ctx {
        id: "split-go-const",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            (
                "internal/config/keys.go".into(),
                format!("package config\n\nconst {} =\n\t\"{v}\"\n", n.camel),
            )
        },
    },
    Ctx {
        id: "split-shell-continued",
        named: true,
        bad: "\"\\$`",
        render: |n, v| {
            (
                "scripts/env.sh".into(),
                format!("#!/bin/sh\nexport {}=\\\n  \"{v}\"\n", n.upper),
            )
        },
    },
    Ctx {
        id: "vendor-comment-above",
        named: true,
        bad: " #",
        render: |n, v| {
            (
                "config/keys.env".into(),
                format!("# {}\nkey={v}\n", n.vendor),
            )
        },
    },
    Ctx {
        id: "vendor-under-secrets",
        named: true,
        bad: " #",
        render: |n, v| {
            (
                "config/secrets.yml".into(),
                format!("secrets:\n  {}: {v}\n", n.vendor),
            )
        },
    },
    Ctx {
        id: "ansi-ci-log",
        named: true,
        bad: "",
        render: |n, v| {
            (
                "logs/ci.log".into(),
                format!("\x1b[36mstep\x1b[0m env\n{}=\x1b[32m{v}\x1b[0m\n", n.upper),
            )
        },
    },
    Ctx {
        id: "ansi-escape-e",
        named: true,
        bad: "\"\\$`",
        render: |n, v| {
            (
                "scripts/show.sh".into(),
                format!("echo -e \"{}=\\e[32m{v}\\e[0m\"\n", n.upper),
            )
        },
    },
    Ctx {
        id: "env-single-quoted",
        named: true,
        bad: "'",
        render: |n, v| (".env.local".into(), format!("{}='{v}'\nDEBUG=0\n", n.upper)),
    },
    Ctx {
        id: "ipynb-env-magic",
        named: true,
        bad: " ",
        render: |n, v| {
            let nb = notebook(
                &[format!("%env {}={v}", n.upper), "!python train.py".into()],
                &[format!("env: {}={v}", n.upper)],
            );
            ("nb/magic.ipynb".into(), nb)
        },
    },
    Ctx {
        id: "powershell-env",
        named: true,
        bad: "\"`$",
        render: |n, v| {
            (
                "scripts/setup.ps1".into(),
                format!("$env:{} = \"{v}\"\npython .\\main.py\n", n.upper),
            )
        },
    },
    Ctx {
        id: "cmd-set",
        named: true,
        bad: " \"%^&|<>",
        render: |n, v| {
            (
                "scripts/run.bat".into(),
                format!("@echo off\r\nset {}={v}\r\npython main.py\r\n", n.upper),
            )
        },
    },
    Ctx {
        id: "html-inline-script",
        named: true,
        bad: "\"\\<",
        render: |n, v| {
            (
                "public/index.html".into(),
                format!(
                    "<!doctype html>\n<html><head><title>Chat</title>\n<script>window.{} = \"{v}\";</script>\n</head><body><div id=\"root\"></div></body></html>\n",
                    n.upper
                ),
            )
        },
    },
    Ctx {
        id: "postman",
        named: false,
        bad: "\"\\",
        render: |n, v| {
            (
                "postman/collection.json".into(),
                format!(
                    "{{\n  \"info\": {{ \"name\": \"API\" }},\n  \"variable\": [\n    {{ \"key\": \"{}\", \"value\": \"{v}\", \"type\": \"string\" }}\n  ]\n}}\n",
                    n.camel
                ),
            )
        },
    },
    Ctx {
        id: "har-header",
        named: false,
        bad: "\"\\",
        render: |_, v| {
            (
                "captures/session.har".into(),
                format!(
                    "{{\"log\":{{\"entries\":[{{\"request\":{{\"method\":\"POST\",\"url\":\"https://api.example.com/v1/chat\",\"headers\":[{{\"name\":\"Authorization\",\"value\":\"Bearer {v}\"}}]}}}}]}}}}\n"
                ),
            )
        },
    },
    Ctx {
        id: "k8s-secret-base64",
        named: true,
        bad: "",
        render: |n, v| {
            use base64::Engine as _;
            (
                "k8s/secret.yaml".into(),
                format!(
                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ntype: Opaque\ndata:\n  {}: {}\n",
                    n.upper,
                    base64::engine::general_purpose::STANDARD.encode(v)
                ),
            )
        },
    },
    Ctx {
        id: "concat-python",
        named: true,
        bad: "\"\\",
        render: |n, v| {
            let (a, b) = v.split_at(v.len() / 2);
            (
                "app/keys.py".into(),
                format!("{} = (\n    \"{a}\"\n    \"{b}\"\n)\n", n.upper),
            )
        },
    },
    Ctx {
        id: "concat-js",
        named: true,
        bad: "'\\",
        render: |n, v| {
            let (a, b) = v.split_at(v.len() / 2);
            (
                "src/keys.js".into(),
                format!("const {} = '{a}' +\n  '{b}';\n", n.camel),
            )
        },
    },
];

/// Placeholders, redacted forms and references written where the values go: none is a secret.
/// The near-lookalikes at the end (hashes, UUIDs) are negatives by their name only, so they go in
/// the contexts that carry it (a 40-hex value behind `Bearer` is a credential).
fn negatives(f: &mut Fake) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("dots", "OPENAI_API_KEY", "sk-...".into()),
        ("xs", "OPENAI_API_KEY", format!("sk-{}", "x".repeat(48))),
        (
            "angle",
            "DEEPSEEK_API_KEY",
            "<your-deepseek-api-key>".into(),
        ),
        ("env-ref", "OPENAI_API_KEY", "${OPENAI_API_KEY}".into()),
        (
            "your-key",
            "ANTHROPIC_API_KEY",
            "your-anthropic-api-key-here".into(),
        ),
        (
            "redacted-ant",
            "ANTHROPIC_API_KEY",
            "sk-ant-api03-...".into(),
        ),
        (
            "redacted-proj",
            "OPENAI_API_KEY",
            format!("sk-proj-{}", "*".repeat(20)),
        ),
        ("stars", "GITHUB_TOKEN", format!("ghp_{}", "*".repeat(36))),
        ("xoxb-doc", "SLACK_BOT_TOKEN", "xoxb-your-bot-token".into()),
        (
            "sk-words",
            "OPENAI_API_KEY",
            "sk-insert-key-from-dashboard".into(),
        ),
        (
            "upper-ph",
            "TWILIO_AUTH_TOKEN",
            "YOUR_TWILIO_AUTH_TOKEN".into(),
        ),
        // Near-lookalikes under names that are not credentials.
        ("git-sha", "GIT_COMMIT", f.hex(40)),
        ("sha256", "CHECKSUM_SHA256", f.hex(64)),
        (
            "uuid",
            "REQUEST_ID",
            format!(
                "{}-{}-4{}-a{}-{}",
                f.hex(8),
                short(f, "0123456789abcdef", 4),
                short(f, "0123456789abcdef", 3),
                short(f, "0123456789abcdef", 3),
                f.hex(12)
            ),
        ),
    ]
}

/// A connection string's password key, apart so that this file's own templates are not read as one.
const PW: &str = "Password";

/// Contexts of one family's own idioms: SDK constructors, connection strings, credential files,
/// key files. (family, label, path, content, the value that must be reported).
type Special = (&'static str, &'static str, String, String, String);

fn specials(f: &mut Fake) -> Vec<Special> {
    let mut s: Vec<Special> = Vec::new();
    // OpenAI-compatible SDK calls: the key is a positional or keyword argument, the provider only
    // in base_url.
    let k = format!("sk-{}", f.hex(32));
    s.push((
        "openai-compatible",
        "sdk-openai-base-url",
        "app/llm.py".into(),
        format!("from openai import OpenAI\n\nclient = OpenAI(api_key=\"{k}\", base_url=\"https://api.deepseek.com\")\n"),
        k,
    ));
    let k = format!("sk-{}", f.from_alphabet(LOWER, 48));
    s.push((
        "openai-compatible",
        "sdk-openai-js",
        "src/llm.ts".into(),
        format!("import OpenAI from 'openai';\n\nconst client = new OpenAI({{\n  baseURL: 'https://api.siliconflow.cn/v1',\n  apiKey: '{k}',\n}});\n"),
        k,
    ));
    let k = format!("sk-{}", f.alnum(48));
    s.push((
        "openai-compatible",
        "sdk-langchain",
        "chains/chat.py".into(),
        format!("llm = ChatOpenAI(\n    model=\"moonshot-v1-8k\",\n    openai_api_key=\"{k}\",\n    openai_api_base=\"https://api.moonshot.cn/v1\",\n)\n"),
        k,
    ));
    let k = format!("sk-{}", f.hex(32));
    s.push((
        "openai-compatible",
        "sdk-litellm",
        "agents/run.py".into(),
        format!("resp = litellm.completion(model=\"dashscope/qwen-max\", api_key=\"{k}\", messages=msgs)\n"),
        k,
    ));
    let k = f.alnum(32);
    s.push((
        "openai-compatible",
        "sdk-mistral",
        "agents/mistral_agent.py".into(),
        format!("from mistralai import Mistral\n\nclient = Mistral(api_key=\"{k}\")\n"),
        k,
    ));
    let k = format!("{}.{}", f.hex(32), f.alnum(16));
    s.push((
        "openai-compatible",
        "sdk-zhipu",
        "agents/glm.py".into(),
        format!("from zhipuai import ZhipuAI\n\nclient = ZhipuAI(api_key=\"{k}\")\n"),
        k,
    ));
    let k = format!("{}.{}", f.hex(32), f.alnum(16));
    s.push((
        "openai-compatible",
        "zhipu-base-url",
        "config/llm.yaml".into(),
        format!("provider: openai\nbase_url: https://open.bigmodel.cn/api/paas/v4/\napi_key: {k}\nmodel: glm-4\n"),
        k,
    ));
    let k = f.hex(64);
    s.push((
        "openai-compatible",
        "sdk-together-legacy",
        "agents/together_agent.py".into(),
        format!("from together import Together\n\nclient = Together(api_key=\"{k}\")\n"),
        k,
    ));
    let k = format!("fw_{}", f.alnum(24));
    s.push((
        "openai-compatible",
        "sdk-fireworks-base-url",
        "agents/fw.py".into(),
        format!("client = OpenAI(\n    base_url=\"https://api.fireworks.ai/inference/v1\",\n    api_key=\"{k}\",\n)\n"),
        k,
    ));
    let k = format!("sk-ant-api03-{}AA", f.from_alphabet(B64URL, 93));
    s.push((
        "anthropic",
        "sdk-anthropic",
        "agents/claude.py".into(),
        format!("import anthropic\n\nclient = anthropic.Anthropic(api_key=\"{k}\")\n"),
        k,
    ));
    let k = format!("sk-ant-api03-{}AA", f.from_alphabet(B64URL, 93));
    s.push((
        "anthropic",
        "curl-x-api-key",
        "scripts/claude.sh".into(),
        format!("curl https://api.anthropic.com/v1/messages \\\n  --header \"x-api-key: {k}\" \\\n  --header \"anthropic-version: 2023-06-01\"\n"),
        k,
    ));
    // Twilio: the auth token as the positional argument after a SID, in variables, in Basic auth.
    let (sid, tok) = (format!("AC{}", f.hex(32)), f.hex(32));
    s.push((
        "twilio",
        "client-vars",
        "notify/sms.py".into(),
        format!("from twilio.rest import Client\n\naccount_sid = \"{sid}\"\nauth_token = \"{tok}\"\nclient = Client(account_sid, auth_token)\n"),
        tok,
    ));
    let (sid, tok) = (format!("AC{}", f.hex(32)), f.hex(32));
    s.push((
        "twilio",
        "client-positional",
        "notify/send.py".into(),
        format!("client = Client(\"{sid}\", \"{tok}\")\n"),
        tok,
    ));
    let (sid, tok) = (format!("AC{}", f.hex(32)), f.hex(32));
    s.push((
        "twilio",
        "csharp-init",
        "Notify/Program.cs".into(),
        format!("using Twilio;\n\nconst string accountSid = \"{sid}\";\nconst string authToken = \"{tok}\";\nTwilioClient.Init(accountSid, authToken);\n"),
        tok,
    ));
    let (sid, tok) = (format!("AC{}", f.hex(32)), f.hex(32));
    s.push((
        "twilio",
        "java-init",
        "src/main/java/Notify.java".into(),
        format!("public class Notify {{\n    public static final String ACCOUNT_SID = \"{sid}\";\n    public static final String AUTH_TOKEN = \"{tok}\";\n    static {{ Twilio.init(ACCOUNT_SID, AUTH_TOKEN); }}\n}}\n"),
        tok,
    ));
    let (sid, tok) = (format!("AC{}", f.hex(32)), f.hex(32));
    let basic = format!("{sid}:{tok}");
    s.push((
        "twilio",
        "curl-basic",
        "scripts/sms.sh".into(),
        format!("curl -X POST \"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json\" \\\n  --data-urlencode \"Body=hello\" \\\n  -u {basic}\n"),
        tok,
    ));
    let (ksid, ksec) = (format!("SK{}", f.hex(32)), f.alnum(32));
    let sid = format!("AC{}", f.hex(32));
    s.push((
        "twilio",
        "api-key-client",
        "notify/apikey.py".into(),
        format!("from twilio.rest import Client\n\napi_key = \"{ksid}\"\napi_secret = \"{ksec}\"\nclient = Client(api_key, api_secret, \"{sid}\")\n"),
        ksec,
    ));
    let tok = f.hex(32);
    s.push((
        "twilio",
        "ipynb-auth-token",
        "nb/twilio.ipynb".into(),
        notebook(
            &[
                "from twilio.rest import Client".into(),
                format!("auth_token = \"{tok}\""),
            ],
            &[],
        ),
        tok,
    ));
    // Fernet keys in code.
    let k = format!("{}=", fernet_body(f));
    s.push((
        "fernet",
        "fernet-ctor",
        "app/crypto.py".into(),
        format!("from cryptography.fernet import Fernet\n\ncipher = Fernet(b\"{k}\")\n"),
        k,
    ));
    // Session secrets in their frameworks' idioms.
    let k = f.alnum(40);
    s.push((
        "session",
        "flask-config",
        "app/__init__.py".into(),
        format!("app = Flask(__name__)\napp.config[\"SECRET_KEY\"] = \"{k}\"\n"),
        k,
    ));
    let k = f.alnum(40);
    s.push((
        "session",
        "flask-attr",
        "app/factory.py".into(),
        format!("app = Flask(__name__)\napp.secret_key = '{k}'\n"),
        k,
    ));
    let k = format!(
        "django-insecure-{}",
        f.from_alphabet("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)", 50)
    );
    s.push((
        "session",
        "django-settings-full-alphabet",
        "mysite/settings.py".into(),
        format!("# SECURITY WARNING: keep the secret key used in production secret!\nSECRET_KEY = '{k}'\n\nDEBUG = True\n"),
        k,
    ));
    let k = f.alnum(32);
    s.push((
        "session",
        "express-session",
        "server/app.js".into(),
        format!("app.use(session({{\n  secret: '{k}',\n  resave: false,\n  saveUninitialized: true,\n}}));\n"),
        k,
    ));
    let k = f.hex(128);
    s.push((
        "session",
        "rails-credentials",
        "config/secrets.yml".into(),
        format!("production:\n  secret_key_base: {k}\n"),
        k,
    ));
    let k = f.from_alphabet(B64URL, 43);
    s.push((
        "session",
        "jwt-sign",
        "src/auth.js".into(),
        format!("const token = jwt.sign({{ sub: user.id }}, '{k}', {{ expiresIn: '1h' }});\n"),
        k,
    ));
    // Database URLs and connection strings.
    let mut db = |label: &'static str, path: &str, tmpl: &str, f: &mut Fake| {
        let p = f.alnum(20);
        s.push((
            "database",
            label,
            path.to_string(),
            tmpl.replace("{pw}", &p),
            p,
        ));
    };
    db(
        "sqlalchemy-psycopg2",
        "app/db.py",
        "engine = create_engine(\"postgresql+psycopg2://app:{pw}@db.internal:5432/app\")\n",
        f,
    );
    db("sqlalchemy-pymysql", "app/db_mysql.py", "SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://root:{pw}@10.0.3.7:3306/shop?charset=utf8mb4'\n", f);
    db("sqlalchemy-mssql", "app/db_mssql.py", "engine = create_engine(\"mssql+pyodbc://sa:{pw}@sqlhost:1433/erp?driver=ODBC+Driver+18+for+SQL+Server\")\n", f);
    db("mongodb-srv", "server/db.js", "mongoose.connect('mongodb+srv://appuser:{pw}@cluster0.x7k2p.mongodb.net/prod?retryWrites=true&w=majority');\n", f);
    db(
        "redis-password-only",
        "worker/celery.py",
        "broker_url = \"redis://:{pw}@redis.internal:6379/0\"\n",
        f,
    );
    db(
        "rediss-default",
        ".env",
        "REDIS_URL=rediss://default:{pw}@eu1-able-bat-3321.upstash.io:6379\n",
        f,
    );
    db(
        "amqp",
        "worker/settings.py",
        "CELERY_BROKER_URL = 'amqp://celery:{pw}@rabbit.internal:5672/jobs'\n",
        f,
    );
    db("jdbc-query-param", "src/main/resources/application.properties", "spring.datasource.url=jdbc:postgresql://db.internal:5432/app?user=app&password={pw}&sslmode=require\n", f);
    db(
        "jdbc-sqlserver",
        "conf/db.properties",
        "db.url=jdbc:sqlserver://sql01:1433;databaseName=erp;user=sa;password={pw};encrypt=true\n",
        f,
    );
    db("spring-datasource-password", "src/main/resources/application-prod.yml", "spring:\n  datasource:\n    url: jdbc:mysql://db:3306/app\n    username: app\n    password: {pw}\n", f);
    db("ado-net-appsettings", "src/Api/appsettings.json", "{\n  \"ConnectionStrings\": {\n    \"DefaultConnection\": \"Server=tcp:acme.database.windows.net,1433;Initial Catalog=prod;User ID=dbadmin;Password={pw};Encrypt=True;\"\n  }\n}\n", f);
    db("ado-net-csharp", "src/Data/Db.cs", "var conn = new SqlConnection(\"Data Source=sql01;Initial Catalog=erp;User Id=app;Password={pw};\");\n", f);
    db("odbc-pwd", "etl/load.py", "conn = pyodbc.connect(\"Driver={ODBC Driver 18 for SQL Server};Server=sql01;Database=erp;UID=etl;PWD={pw};\")\n", f);
    db("compose-postgres", "docker-compose.yml", "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: {pw}\n", f);
    // A URL inside a notebook's escaped source line.
    let p = f.alnum(20);
    s.push((
        "database",
        "ipynb-database-url",
        "nb/analysis.ipynb".into(),
        notebook(
            &[
                "import pandas as pd".into(),
                format!("engine = create_engine(\"postgresql://analyst:{p}@warehouse.internal:5432/dw\")"),
            ],
            &[],
        ),
        p,
    ));
    let p = format!("{}@{}", f.alnum(10), f.alnum(8));
    s.push((
        "database",
        "url-encoded-password",
        "config/db.env".into(),
        format!(
            "DATABASE_URL=postgres://app:{}@db.internal:5432/app\n",
            url_encode(&p)
        ),
        url_encode(&p),
    ));
    // GitHub tokens in credential files and remotes.
    let k = format!("ghp_{}", f.alnum(36));
    s.push((
        "github",
        "npmrc",
        ".npmrc".into(),
        format!(
            "@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken={k}\n"
        ),
        k,
    ));
    let k = f.hex(40);
    s.push((
        "github",
        "netrc-legacy",
        ".netrc".into(),
        format!("machine github.com\n  login deploy-bot\n  password {k}\n"),
        k,
    ));
    let k = format!("ghs_{}", f.alnum(36));
    s.push((
        "github",
        "remote-url",
        "scripts/push.sh".into(),
        format!("git push https://x-access-token:{k}@github.com/acme/site.git HEAD:gh-pages\n"),
        k,
    ));
    let k = f.hex(40);
    s.push((
        "github",
        "pypirc-style-legacy",
        "config/ci.ini".into(),
        format!("[github]\nuser = deploy-bot\ntoken = {k}\n"),
        k,
    ));
    // AWS: a credentials file.
    let (id, sec) = (
        format!("AKIA{}", f.from_alphabet(B32, 16)),
        f.from_alphabet(B64, 40),
    );
    s.push((
        "aws",
        "credentials-file",
        "home/.aws/credentials".into(),
        format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {sec}\nregion = us-east-1\n"),
        sec,
    ));
    let (id, sec) = (
        format!("AKIA{}", f.from_alphabet(B32, 16)),
        f.from_alphabet(B64, 40),
    );
    s.push((
        "aws",
        "boto3-client",
        "scripts/s3.py".into(),
        format!("s3 = boto3.client(\n    \"s3\",\n    aws_access_key_id=\"{id}\",\n    aws_secret_access_key=\"{sec}\",\n)\n"),
        sec,
    ));
    // Facebook app secret in an SDK config.
    let k = f.hex(32);
    s.push((
        "facebook",
        "js-sdk-config",
        "server/fb.js".into(),
        format!(
            "const fb = new Facebook({{ appId: '{}', appSecret: '{k}' }});\n",
            f.from_alphabet(DIGITS, 15)
        ),
        k,
    ));
    // Private keys: PEM in JSON with escaped newlines, in a notebook, CRLF, PuTTY, PGP, JWK.
    let body: Vec<String> = (0..6).map(|_| f.from_alphabet(B64, 64)).collect();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC{}\n{}\n-----END PRIVATE KEY-----\n",
        f.from_alphabet(B64, 32),
        body.join("\n")
    );
    s.push((
        "private-key",
        "pem-in-json",
        "keys/service-account.json".into(),
        format!(
            "{{\n  \"type\": \"service_account\",\n  \"private_key\": {}\n}}\n",
            serde_json::to_string(&pem).unwrap()
        ),
        body[2].clone(),
    ));
    s.push((
        "private-key",
        "pem-in-notebook",
        "nb/keys.ipynb".into(),
        notebook(&[format!("KEY = \"\"\"{}\"\"\"", pem.trim_end())], &[]),
        body[3].clone(),
    ));
    let body2: Vec<String> = (0..6).map(|_| f.from_alphabet(B64, 64)).collect();
    s.push((
        "private-key",
        "rsa-crlf",
        "certs/server.key".into(),
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\r\nMIIEpAIBAAKCAQEA{}\r\n{}\r\n-----END RSA PRIVATE KEY-----\r\n",
            f.from_alphabet(B64, 48),
            body2.join("\r\n")
        ),
        body2[1].clone(),
    ));
    let body3: Vec<String> = (0..4).map(|_| f.from_alphabet(B64, 70)).collect();
    s.push((
        "private-key",
        "openssh-in-env",
        ".env.deploy".into(),
        format!(
            "DEPLOY_KEY=\"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\n{}\\n-----END OPENSSH PRIVATE KEY-----\"\n",
            body3.join("\\n")
        ),
        body3[1].clone(),
    ));
    let priv_lines: Vec<String> = (0..2).map(|_| f.from_alphabet(B64, 64)).collect();
    s.push((
        "private-key",
        "putty-v3",
        "keys/deploy.ppk".into(),
        format!(
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAI{}\n{}\nPrivate-Lines: 2\n{}\nPrivate-MAC: {}\n",
            f.from_alphabet(B64, 39),
            f.from_alphabet(B64, 20),
            priv_lines.join("\n"),
            f.hex(64)
        ),
        priv_lines[0].clone(),
    ));
    let pgp: Vec<String> = (0..5).map(|_| f.from_alphabet(B64, 64)).collect();
    s.push((
        "private-key",
        "pgp-in-markdown",
        "docs/signing.md".into(),
        format!(
            "Import the release key:\n\n```\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF{}\n{}\n={}\n-----END PGP PRIVATE KEY BLOCK-----\n```\n",
            f.from_alphabet(B64, 58),
            pgp.join("\n"),
            short(f, B64, 4)
        ),
        pgp[2].clone(),
    ));
    let d = f.from_alphabet(B64URL, 43);
    s.push((
        "private-key",
        "jwk-d",
        "keys/signing.jwk.json".into(),
        format!(
            "{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{}\",\"y\":\"{}\",\"d\":\"{d}\",\"kid\":\"sig-2025\"}}\n",
            f.from_alphabet(B64URL, 43),
            f.from_alphabet(B64URL, 43)
        ),
        d,
    ));
    // Members sorted by name, as key tools write them: "d" comes before "kty".
    let d = f.from_alphabet(B64URL, 43);
    s.push((
        "private-key",
        "jwk-d-sorted",
        "keys/ed25519.jwk".into(),
        format!(
            "{{\n  \"crv\": \"Ed25519\",\n  \"d\": \"{d}\",\n  \"kty\": \"OKP\",\n  \"x\": \"{}\"\n}}\n",
            f.from_alphabet(B64URL, 43)
        ),
        d,
    ));
    // AWS: the console's downloaded access key file, the older session token format.
    let (id, sec) = (
        format!("AKIA{}", f.from_alphabet(B32, 16)),
        f.from_alphabet(B64, 40),
    );
    s.push((
        "aws",
        "access-keys-csv",
        "secrets/deploy_accessKeys.csv".into(),
        format!("Access key ID,Secret access key\r\n{id},{sec}\r\n"),
        sec,
    ));
    let tok = format!("FwoGZXIvYXdzE{}", f.from_alphabet(B64, 300));
    s.push((
        "aws",
        "session-token-fwo",
        "config/aws.env".into(),
        format!("AWS_SESSION_TOKEN={tok}\n"),
        tok,
    ));
    // Slack incoming webhooks.
    let hook = format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
        f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
        f.alnum(24)
    );
    s.push((
        "slack",
        "webhook-in-code",
        "ops/alert.py".into(),
        format!("requests.post(\"{hook}\", json={{\"text\": msg}})\n"),
        hook,
    ));
    // More database idioms: Oracle thin URLs, replica-set URLs, web.config, psql, Laravel.
    let p = f.alnum(16);
    s.push((
        "database",
        "jdbc-oracle-thin",
        "conf/oracle.properties".into(),
        format!("db.url=jdbc:oracle:thin:scott/{p}@//ora01.internal:1521/ORCLPDB1\n"),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "mongodb-replica-set",
        "config/mongo.yml".into(),
        format!("uri: mongodb://app:{p}@mongo-0.db:27017,mongo-1.db:27017,mongo-2.db:27017/app?replicaSet=rs0&authSource=admin\n"),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "web-config",
        "Web.config".into(),
        format!("<configuration>\n  <connectionStrings>\n    <add name=\"Default\" connectionString=\"Data Source=sql01;Initial Catalog=erp;User ID=web;{PW}={p}\" providerName=\"System.Data.SqlClient\" />\n  </connectionStrings>\n</configuration>\n"),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "psql-url",
        "scripts/migrate.sh".into(),
        format!("#!/bin/sh\npsql \"postgresql://migrator:{p}@db.internal:5432/app?sslmode=require\" -f schema.sql\n"),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "asyncpg-url",
        "app/database.py".into(),
        format!("engine = create_async_engine(\"postgresql+asyncpg://api:{p}@pg.internal/api\", echo=False)\n"),
        p,
    ));
    // Session secrets: Rails' committed master key file, a Flask bytes literal.
    let k = f.hex(32);
    s.push((
        "session",
        "rails-master-key",
        "config/master.key".into(),
        k.clone(),
        k,
    ));
    let raw: String = (0..24)
        .map(|_| format!("\\x{}", short(f, "0123456789abcdef", 2)))
        .collect();
    s.push((
        "session",
        "flask-bytes",
        "app/config.py".into(),
        format!("SECRET_KEY = b'{raw}'\n"),
        raw,
    ));
    // AWS keys in Terraform's provider block and as a Java SDK constructor's arguments.
    let (id, sec) = (
        format!("AKIA{}", f.from_alphabet(B32, 16)),
        f.from_alphabet(B64, 40),
    );
    s.push((
        "aws",
        "terraform-provider",
        "infra/main.tf".into(),
        format!("provider \"aws\" {{\n  region     = \"us-east-1\"\n  access_key = \"{id}\"\n  secret_key = \"{sec}\"\n}}\n"),
        sec,
    ));
    let (id, sec) = (
        format!("AKIA{}", f.from_alphabet(B32, 16)),
        f.from_alphabet(B64, 40),
    );
    s.push((
        "aws",
        "java-basic-credentials",
        "src/main/java/S3.java".into(),
        format!("AWSCredentials creds = new BasicAWSCredentials(\"{id}\", \"{sec}\");\n"),
        sec,
    ));
    // Database passwords in drivers' own connection forms: PDO and mysqli arguments, libpq
    // keyword DSNs, Go's MySQL DSN, .pgpass lines.
    let p = f.alnum(16);
    s.push((
        "database",
        "php-pdo",
        "src/db.php".into(),
        format!(
            "<?php\n$pdo = new PDO('mysql:host=db;dbname=shop;charset=utf8mb4', 'shop', '{p}');\n"
        ),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "php-mysqli",
        "inc/connect.php".into(),
        format!("<?php\n$conn = mysqli_connect(\"localhost\", \"wp\", \"{p}\", \"wordpress\");\n"),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "libpq-dsn",
        "etl/pg.py".into(),
        format!("conn = psycopg2.connect(\"dbname=app user=etl password={p} host=db.internal port=5432\")\n"),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "go-mysql-dsn",
        "internal/store/db.go".into(),
        format!(
            "db, err := sql.Open(\"mysql\", \"app:{p}@tcp(10.0.0.5:3306)/app?parseTime=true\")\n"
        ),
        p,
    ));
    let p = f.alnum(16);
    s.push((
        "database",
        "pgpass",
        "home/.pgpass".into(),
        format!("db.internal:5432:app:app:{p}\n"),
        p,
    ));
    // Session secrets in framework calls.
    let k = f.alnum(32);
    s.push((
        "session",
        "cookie-parser",
        "server/index.js".into(),
        format!("app.use(cookieParser('{k}'));\n"),
        k,
    ));
    let k = format!("django-insecure-{}", f.from_alphabet(DJANGO_SAFE, 50));
    s.push((
        "session",
        "django-environ-default",
        "config/settings/base.py".into(),
        format!("SECRET_KEY = env(\"DJANGO_SECRET_KEY\", default=\"{k}\")\n"),
        k,
    ));
    // Bare-shape keys in JS SDK constructors: the vendor in the class, the kind in the option.
    let k = f.alnum(32);
    s.push((
        "openai-compatible",
        "sdk-mistral-js",
        "src/mistral.ts".into(),
        format!("import {{ Mistral }} from '@mistralai/mistralai';\n\nconst client = new Mistral({{ apiKey: '{k}' }});\n"),
        k,
    ));
    let k = f.hex(64);
    s.push((
        "openai-compatible",
        "sdk-together-js",
        "src/together.ts".into(),
        format!("import Together from 'together-ai';\n\nconst together = new Together({{ apiKey: \"{k}\" }});\n"),
        k,
    ));
    let (sid, tok) = (format!("AC{}", f.hex(32)), f.hex(32));
    s.push((
        "twilio",
        "node-positional",
        "src/sms.js".into(),
        format!("const client = require('twilio')('{sid}', '{tok}');\n"),
        tok,
    ));
    // Private keys: a PEM in a Kubernetes Secret's base64 data, and in a YAML block scalar.
    let body: Vec<String> = (0..6).map(|_| f.from_alphabet(B64, 64)).collect();
    let pem = format!(
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI{}\n{}\n-----END EC PRIVATE KEY-----\n",
        f.from_alphabet(B64, 55),
        body.join("\n")
    );
    {
        use base64::Engine as _;
        s.push((
            "private-key",
            "pem-k8s-tls-base64",
            "k8s/tls.yaml".into(),
            format!(
                "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n",
                base64::engine::general_purpose::STANDARD.encode("-----BEGIN CERTIFICATE-----\n"),
                base64::engine::general_purpose::STANDARD.encode(&pem)
            ),
            body[2].clone(),
        ));
    }
    let body: Vec<String> = (0..6).map(|_| f.from_alphabet(B64, 64)).collect();
    s.push((
        "private-key",
        "pem-yaml-block",
        "deploy/values.yaml".into(),
        format!(
            "tls:\n  key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIEvgIBADANBgkqhkiG9w0BAQEFAASC{}\n    {}\n    -----END PRIVATE KEY-----\n",
            f.from_alphabet(B64, 32),
            body.join("\n    ")
        ),
        body[3].clone(),
    ));
    s
}

/// A whole `.env` as projects keep them: comments, `export`, quotes, blank values, placeholders
/// beside real values. Returns the file and the values that must be found.
fn whole_env(f: &mut Fake) -> (String, Vec<String>) {
    let openai = format!(
        "sk-proj-{}T3BlbkFJ{}",
        f.from_alphabet(B64URL, 74),
        f.from_alphabet(B64URL, 74)
    );
    let deepseek = format!("sk-{}", f.hex(32));
    let pg = f.alnum(18);
    let secret = f.hex(64);
    let twilio = f.hex(32);
    let nextauth = format!("{}=", f.from_alphabet(B64, 43));
    let text = format!(
        "# --- app ---\nNODE_ENV=production\nexport PORT=3000\n\n# LLM providers\nOPENAI_API_KEY=\"{openai}\"\nANTHROPIC_API_KEY=\nDEEPSEEK_API_KEY='{deepseek}' # used by the summarizer\nGROQ_API_KEY=your-groq-key\n\n# database\nDATABASE_URL=postgresql://app:{pg}@db:5432/app?schema=public\n\n# auth\nNEXTAUTH_URL=http://localhost:3000\nNEXTAUTH_SECRET={nextauth}\nexport SECRET_KEY={secret}\n\n# sms\nTWILIO_ACCOUNT_SID=AC{}\nTWILIO_AUTH_TOKEN={twilio}\n",
        f.hex(32)
    );
    (text, vec![openai, deepseek, pg, nextauth, secret, twilio])
}

/// Negative files of code idioms: the key read from the environment, a prompt, a redacted doc.
fn negative_specials() -> Vec<(&'static str, String)> {
    vec![
        (
            "neg/llm.py",
            "client = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"], base_url=\"https://api.deepseek.com\")\n".into(),
        ),
        (
            "neg/llm.ts",
            "const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: 'https://api.moonshot.cn/v1' });\n".into(),
        ),
        (
            "neg/claude.py",
            "client = anthropic.Anthropic(api_key=getpass.getpass(\"sk-ant-api03-... key: \"))\n".into(),
        ),
        (
            "neg/README.md",
            "Set `OPENAI_API_KEY=sk-...` (keys look like `sk-proj-abc...xyz`).\nFor DeepSeek use `sk-` and 32 hex digits.\n".into(),
        ),
        (
            "neg/notebook.ipynb",
            notebook(
                &[
                    "import os, getpass".into(),
                    "os.environ[\"OPENAI_API_KEY\"] = getpass.getpass(\"OpenAI key: \")".into(),
                ],
                &["OpenAI key: ········".into()],
            ),
        ),
        (
            "neg/db.py",
            "engine = create_engine(f\"postgresql+psycopg2://{user}:{password}@{host}:5432/{db}\")\nURL = \"mongodb+srv://<username>:<password>@cluster0.mongodb.net/\"\n".into(),
        ),
        (
            "neg/appsettings.json",
            "{ \"ConnectionStrings\": { \"Default\": \"Server=localhost;Database=app;User Id=sa;Password=<your-password>;\" } }\n".into(),
        ),
        (
            "neg/twilio.py",
            "client = Client(os.environ[\"TWILIO_ACCOUNT_SID\"], os.environ[\"TWILIO_AUTH_TOKEN\"])\n".into(),
        ),
        (
            "neg/jwks.json",
            "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"k1\",\"e\":\"AQAB\",\"n\":\"uW9vLqHk3dZr0pXyN8sTfA2cJmE5bR7gQ1oV6iK4wY9tU3lD0hS8aF2xC7nM5jP1zB6vG4qT9eW3rL0yI8uO2kH\"}]}\n".into(),
        ),
        (
            "neg/auth.js",
            "const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });\napp.use(cookieParser(process.env.COOKIE_SECRET));\n".into(),
        ),
        (
            "neg/db.go",
            "dsn := fmt.Sprintf(\"%s:%s@tcp(%s:%d)/%s\", cfg.User, cfg.Password, cfg.Host, cfg.Port, cfg.Name)\n".into(),
        ),
        (
            "neg/db.php",
            "<?php\n$pdo = new PDO($dsn, $user, $pass);\n$conn = mysqli_connect($host, $user, getenv('DB_PASSWORD'), $db);\n".into(),
        ),
        (
            "neg/twilio.sh",
            "curl -u \"$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN\" https://api.twilio.com/2010-04-01/Accounts.json\n".into(),
        ),
        (
            "neg/settings.py",
            "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nNEXTAUTH_SECRET = env(\"NEXTAUTH_SECRET\")\n".into(),
        ),
    ]
}

/// Contexts the engine cannot read yet, reported and not required (for the engine's owners): a
/// name and its value split over a line break, the vendor named only on the line above or as a
/// child key under `secrets:` (issue 17's shapes; the test prints found/all and the values missed
/// for each: most are found by generic or format rules already). Values wrapped in ANSI colour
/// codes are read without them (src/ansi.rs) and required. A value split into string literals over lines is
/// joined (src/joinlit.rs) and required like any other context.
const ENGINE_CONTEXTS: &[&str] = &[
    "split-py-paren",
    "split-yaml-next-line",
    "split-yaml-folded",
    "split-json-pretty",
    "vendor-comment-above",
    "vendor-under-secrets",
];

/// (value label or special label, context or "special") pairs that are missed for a stated reason.
/// None now: the last, Flask's `SECRET_KEY = b'\\x..'`, is bytes-escaped-secret-literal's (stop 23).
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// A finding holds the value: the reported secret contains it, or is a long part of it (a value
/// split by concatenation is reported by its parts).
fn holds(secret: &str, value: &str) -> bool {
    secret.contains(value) || (secret.len() >= 16.min(value.len()) && value.contains(secret))
}

#[test]
fn mission_families_in_realistic_contexts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut f = Fake::new(0x6d_69_73_73);
    let vals = values(&mut f);
    // (path, family, label, context, value, required)
    let mut planted: Vec<(String, &str, &str, &str, String, bool)> = Vec::new();
    for v in &vals {
        let n = names(v.name);
        for c in CTXS {
            if v.value.chars().any(|ch| c.bad.contains(ch)) {
                continue;
            }
            let (path, content) = (c.render)(&n, &v.value);
            let path = format!("pos/{}/{}/{path}", v.label, c.id);
            write(d, &path, content);
            let required = (v.kind == Kind::Format || c.named) && !ENGINE_CONTEXTS.contains(&c.id);
            planted.push((path, v.family, v.label, c.id, v.value.clone(), required));
        }
    }
    for (family, label, path, content, value) in specials(&mut f) {
        let path = format!("special/{label}/{path}");
        write(d, &path, content);
        planted.push((path, family, label, "special", value, true));
    }
    let (env, env_values) = whole_env(&mut f);
    write(d, "whole/.env", env);
    for v in env_values {
        planted.push(("whole/.env".into(), "env", "whole-env", "special", v, true));
    }
    let mut negative_paths = Vec::new();
    for (label, name, value) in negatives(&mut f) {
        let n = names(name);
        let by_name_only = ["git-sha", "sha256", "uuid"].contains(&label);
        // Every value of a Secret manifest's data is reported, by design (kubernetes-secret-manifest).
        for c in CTXS {
            if value.chars().any(|ch| c.bad.contains(ch))
                || (by_name_only && !c.named)
                || c.id == "k8s-secret-base64"
                // `key=<40 hex>` in an env file is a generic rule's finding whatever the comment
                // above it says (bare-key-assignment, env-file-secret), as on its own.
                || (by_name_only && c.id == "vendor-comment-above")
                // Nor a child of `secrets:`: the file itself says the value is one.
                || (by_name_only && c.id == "vendor-under-secrets")
            {
                continue;
            }
            let (path, content) = (c.render)(&n, &value);
            let path = format!("neg/{label}/{}/{path}", c.id);
            write(d, &path, content);
            negative_paths.push(path);
        }
    }
    for (path, content) in negative_specials() {
        let path = format!("negspecial/{path}");
        write(d, &path, content);
        negative_paths.push(path);
    }

    let r = run_in(
        d,
        &["scan", ".", "--no-ignore", "-f", "json", "--show-secrets"],
    );
    let by_path = rule_secrets_by_path(&r.json());

    let mut engine: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut engine_missed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut missed: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut excused = BTreeSet::new();
    let (mut required, mut found_required, mut found_optional, mut optional) = (0, 0, 0, 0);
    for (path, family, label, ctx, value, req) in &planted {
        let findings = by_path.get(path).map(Vec::as_slice).unwrap_or(&[]);
        // A base64 value (a Kubernetes Secret's data) is reported as written; a rule without a
        // regex reports the whole file (Rails' config/master.key).
        let encoded = base64::engine::general_purpose::STANDARD.encode(value.as_bytes());
        let found = findings.iter().any(|(_, s)| {
            holds(s, value) || holds(s, &encoded) || (s.is_empty() && *ctx == "special")
        });
        if ENGINE_CONTEXTS.contains(ctx) {
            let e = engine.entry(ctx).or_default();
            e.0 += usize::from(found);
            e.1 += 1;
            if !found {
                engine_missed.entry(ctx).or_default().push(label);
            }
            continue;
        }
        if !req {
            optional += 1;
            found_optional += usize::from(found);
            continue;
        }
        required += 1;
        if found {
            found_required += 1;
            continue;
        }
        if let Some(i) = EXCEPTIONS
            .iter()
            .position(|(l, c, _)| l == label && (c == ctx || *c == "*"))
        {
            excused.insert(i);
            continue;
        }
        let got: Vec<&str> = findings.iter().map(|(id, _)| id.as_str()).collect();
        missed.entry(family).or_default().insert(if got.is_empty() {
            format!("{label} in {ctx}")
        } else {
            format!("{label} in {ctx} (found only {})", got.join(", "))
        });
    }
    let mut false_alarms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in &negative_paths {
        for (id, s) in by_path.get(p).map(Vec::as_slice).unwrap_or(&[]) {
            false_alarms
                .entry(p.clone())
                .or_default()
                .push(format!("{id}: {s}"));
        }
    }
    let stale: Vec<_> = EXCEPTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| !excused.contains(i))
        .map(|(_, e)| e)
        .collect();
    println!(
        "mission corpus: {} values in {} contexts, {} special files, {} negative files; \
         {found_required}/{required} required pairs found, {} missed, {} excused; \
         {found_optional}/{optional} unnamed pairs of named values found (not required); \
         {} false alarms",
        vals.len(),
        CTXS.len(),
        planted.iter().filter(|p| p.3 == "special").count(),
        negative_paths.len(),
        missed.values().map(BTreeSet::len).sum::<usize>(),
        excused.len(),
        false_alarms.values().map(Vec::len).sum::<usize>()
    );
    for (ctx, (found, all)) in &engine {
        let missed = engine_missed
            .get(ctx)
            .map(|m| m.join(" "))
            .unwrap_or_default();
        println!("  {ctx} (engine, not required): {found}/{all} found; missed: {missed}");
    }
    assert!(
        missed.is_empty() && false_alarms.is_empty() && stale.is_empty(),
        "missed by family: {missed:#?}\nfalse alarms: {false_alarms:#?}\nexceptions found now (remove them): {stale:#?}"
    );
}
