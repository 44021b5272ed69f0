//! `--verify` against a local HTTP server standing in for each provider: a named config re-points the
//! built-in endpoints at it. Nothing here reaches the internet: every rule that could be asked about
//! has its endpoint on 127.0.0.1, and the tests assert what the server received.

use crate::common::{run_in, validate_sarif, write, Fake, Run};
use base64::Engine as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the stand-in answers: raw bytes after an optional delay.
type Answer = Box<dyn Fn(&Seen) -> (Duration, Vec<u8>) + Send + Sync>;

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(answer: Answer) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (log, answer) = (seen.clone(), Arc::new(answer));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, answer) = (log.clone(), answer.clone());
                std::thread::spawn(move || serve(stream, &log, &*answer));
            }
        });
        Server { port, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Seen>>, answer: &dyn Fn(&Seen) -> (Duration, Vec<u8>)) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let seen = Seen {
        method,
        path,
        headers,
    };
    if let Some(n) = seen
        .header("content-length")
        .and_then(|n| n.parse::<usize>().ok())
    {
        let mut body = vec![0; n];
        let _ = reader.read_exact(&mut body);
    }
    log.lock().unwrap().push(seen.clone());
    let (delay, bytes) = answer(&seen);
    std::thread::sleep(delay);
    let mut stream = stream;
    let _ = stream.write_all(&bytes);
}

fn http(status: u16, body: &str) -> (Duration, Vec<u8>) {
    (
        Duration::ZERO,
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// `scan . --config CFG -f json --show-secrets` in `tree`, with `extra` flags.
fn scan_json(tree: &Path, cfg: &str, extra: &[&str]) -> Run {
    let mut args = vec!["scan", ".", "--config", cfg, "-f", "json", "--show-secrets"];
    args.extend_from_slice(extra);
    run_in(tree, &args)
}

/// A config outside the scanned tree, named with --config: the default rules, with the endpoints of
/// the rules under test re-pointed at the server (only `url`: the rest is the built-in endpoint's).
fn named_config(dir: &Path, s: &Server) -> String {
    let cfg = format!(
        r#"[extend]
useDefault = true

[[rules]]
id = "github-pat"
[rules.verify]
url = "{gh}"

[[rules]]
id = "slack-bot-token"
[rules.verify]
url = "{slack}"

[[rules]]
id = "twilio-auth-token"
[rules.verify]
url = "{twilio}"

[[rules]]
id = "aws-secret-access-key"
[rules.verify]
url = "{sts}"
"#,
        gh = s.url("/github/user"),
        slack = s.url("/slack/auth.test"),
        twilio = s.url("/twilio/Accounts/{id}.json"),
        sts = s.url("/sts/"),
    );
    let p = write(dir, "config/leakguard.toml", cfg);
    p.display().to_string()
}

fn verdicts(r: &Run) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<_> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["secret"].as_str().unwrap().to_string(),
                f["verification"].as_str().map(str::to_string),
            )
        })
        .collect();
    v.sort();
    v
}

fn bearer_of(s: &Seen) -> String {
    s.header("authorization")
        .unwrap_or("")
        .trim_start_matches("Bearer ")
        .to_string()
}

#[test]
fn live_revoked_and_unknown_each_secret_asked_once() {
    let mut fake = Fake::new(9001);
    let (live, revoked, broken) = (fake.github_pat(), fake.github_pat(), fake.github_pat());
    let (l2, r2) = (live.clone(), revoked.clone());
    let server = Server::start(Box::new(move |s| {
        let token = bearer_of(s);
        if token == l2 {
            http(200, r#"{"login":"someone"}"#)
        } else if token == r2 {
            http(401, r#"{"message":"Bad credentials"}"#)
        } else {
            (Duration::ZERO, b"this is not http\r\n\r\n".to_vec())
        }
    }));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = named_config(tmp.path(), &server);
    let tree = tmp.path().join("tree");
    for (i, t) in [&live, &revoked, &broken].iter().enumerate() {
        write(
            &tree,
            &format!("a{i}.py"),
            format!("GITHUB_TOKEN = \"{t}\"\n"),
        );
    }
    // The live token twice more: still one request for it.
    write(&tree, "b.py", format!("token = \"{live}\"\n"));
    write(&tree, "c/d.py", format!("token = \"{live}\"\n"));

    let plain = scan_json(&tree, &cfg, &[]);
    assert_eq!(plain.code, 1, "{}", plain.all());
    assert!(server.seen().is_empty(), "a request left without --verify");
    assert!(verdicts(&plain).iter().all(|(_, _, v)| v.is_none()));

    let r = scan_json(&tree, &cfg, &["--verify"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let got = verdicts(&r);
    let want_for = |s: &str| {
        if s == live {
            "live"
        } else if s == revoked {
            "revoked"
        } else {
            "unknown"
        }
    };
    assert_eq!(got.len(), 5, "{got:?}");
    for (rule, secret, v) in &got {
        assert_eq!(rule, "github-pat");
        assert_eq!(v.as_deref(), Some(want_for(secret)), "{secret}");
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "one request per distinct secret: {seen:?}");
    assert!(seen
        .iter()
        .all(|s| s.method == "GET" && s.path == "/github/user"));
    assert!(seen
        .iter()
        .all(|s| s.header("accept") == Some("application/vnd.github+json")));
    let notes = r.json()["stats"]["notes"].to_string();
    assert!(notes.contains("1 live, 1 revoked, 1 unknown"), "{notes}");

    // Text shows the verdict beside the rule, SARIF carries it and lowers a revoked key to a warning.
    let text = run_in(&tree, &["scan", ".", "--config", &cfg, "--verify"]);
    assert!(text.stdout.contains("verified: live"), "{}", text.stdout);
    assert!(text.stdout.contains("verified: revoked"), "{}", text.stdout);
    let sarif = tmp.path().join("out.sarif");
    let s = run_in(
        &tree,
        &[
            "scan",
            ".",
            "--config",
            &cfg,
            "--verify",
            "-f",
            "sarif",
            "-o",
            sarif.to_str().unwrap(),
        ],
    );
    assert_eq!(s.code, 1, "{}", s.all());
    validate_sarif(&sarif);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["properties"]["verification"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(levels.contains(&("live", "error")), "{levels:?}");
    assert!(levels.contains(&("revoked", "warning")), "{levels:?}");
    assert!(levels.contains(&("unknown", "error")), "{levels:?}");
}

#[test]
fn only_verified_reports_live_ones_and_exits_1_only_then() {
    let mut fake = Fake::new(9002);
    let (live, revoked) = (fake.github_pat(), fake.github_pat());
    let l2 = live.clone();
    let server = Server::start(Box::new(move |s| {
        if bearer_of(s) == l2 {
            http(200, "{}")
        } else {
            http(401, "{}")
        }
    }));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = named_config(tmp.path(), &server);
    let tree = tmp.path().join("tree");
    write(&tree, "live.py", format!("GITHUB_TOKEN = \"{live}\"\n"));
    write(&tree, "old.py", format!("GITHUB_TOKEN = \"{revoked}\"\n"));
    let r = scan_json(&tree, &cfg, &["--only-verified"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let got = verdicts(&r);
    assert_eq!(
        got,
        vec![("github-pat".into(), live.clone(), Some("live".into()))]
    );
    std::fs::remove_file(tree.join("live.py")).unwrap();
    let r = run_in(
        &tree,
        &[
            "scan",
            ".",
            "--config",
            &cfg,
            "-f",
            "json",
            "--only-verified",
        ],
    );
    assert_eq!(
        r.code,
        0,
        "a revoked key alone passes --only-verified: {}",
        r.all()
    );
    assert!(r.json()["findings"].as_array().unwrap().is_empty());
}

#[test]
fn slack_is_judged_by_its_ok_field() {
    let mut fake = Fake::new(9003);
    let (good, bad) = (fake.slack_bot(), fake.slack_bot());
    let g2 = good.clone();
    let server = Server::start(Box::new(move |s| {
        if bearer_of(s) == g2 {
            http(200, r#"{"ok":true,"team":"t"}"#)
        } else {
            http(200, r#"{"ok":false,"error":"invalid_auth"}"#)
        }
    }));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = named_config(tmp.path(), &server);
    let tree = tmp.path().join("tree");
    write(&tree, "a.env", format!("SLACK_BOT_TOKEN={good}\n"));
    write(&tree, "b.yml", format!("slack_token: {bad}\n"));
    let r = scan_json(&tree, &cfg, &["--verify"]);
    let got = verdicts(&r);
    let slack: Vec<_> = got
        .iter()
        .filter(|(rule, _, _)| rule == "slack-bot-token")
        .collect();
    assert_eq!(slack.len(), 2, "{got:?}");
    for (_, secret, v) in slack {
        let want = if *secret == good { "live" } else { "revoked" };
        assert_eq!(v.as_deref(), Some(want));
    }
    assert!(server.seen().iter().all(|s| s.method == "POST"));
}

#[test]
fn paired_secrets_use_the_id_found_beside_them() {
    let mut fake = Fake::new(9004);
    let sid = format!("AC{}", fake.hex(32));
    let token = fake.hex(32);
    let key_id = fake.aws_key_id();
    let aws_secret = fake.from_alphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        40,
    );
    let (sid2, token2, key2) = (sid.clone(), token.clone(), key_id.clone());
    let server = Server::start(Box::new(move |s| {
        if s.path.starts_with("/twilio/") {
            let want_auth = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{sid2}:{token2}"))
            );
            if s.path == format!("/twilio/Accounts/{sid2}.json")
                && s.header("authorization") == Some(want_auth.as_str())
            {
                return http(200, "{}");
            }
            return http(401, "{}");
        }
        if s.path == "/sts/" {
            let auth = s.header("authorization").unwrap_or("");
            let ok = s.method == "POST"
                && auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential={key2}/"))
                && auth.contains("/us-east-1/sts/aws4_request")
                && auth.contains("SignedHeaders=content-type;host;x-amz-date")
                && s.header("x-amz-date").is_some();
            return if ok {
                http(200, "<GetCallerIdentityResponse/>")
            } else {
                http(403, "")
            };
        }
        http(404, "")
    }));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = named_config(tmp.path(), &server);
    let tree = tmp.path().join("tree");
    write(
        &tree,
        "settings.py",
        format!("TWILIO_ACCOUNT_SID = \"{sid}\"\nTWILIO_AUTH_TOKEN = \"{token}\"\n"),
    );
    write(
        &tree,
        "aws.ini",
        format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {aws_secret}\n"),
    );
    let r = scan_json(&tree, &cfg, &["--verify"]);
    let got = verdicts(&r);
    assert!(
        got.contains(&(
            "twilio-auth-token".into(),
            token.clone(),
            Some("live".into())
        )),
        "{got:?}\n{}",
        r.stderr
    );
    assert!(
        got.contains(&(
            "aws-secret-access-key".into(),
            aws_secret.clone(),
            Some("live".into())
        )),
        "{got:?}"
    );
    // A token with no SID beside it cannot be asked about: unknown, and no request for it.
    let before = server.seen().len();
    let lone = tmp.path().join("lone");
    write(
        &lone,
        "settings.py",
        format!("TWILIO_AUTH_TOKEN = \"{token}\"\n"),
    );
    let r = scan_json(&lone, &cfg, &["--verify"]);
    let got = verdicts(&r);
    assert!(
        got.contains(&("twilio-auth-token".into(), token, Some("unknown".into()))),
        "{got:?}"
    );
    assert_eq!(server.seen().len(), before);
}

#[test]
fn a_slow_provider_times_out_as_unknown() {
    let server = Server::start(Box::new(|_| {
        let (_, bytes) = http(200, "{}");
        (Duration::from_secs(8), bytes)
    }));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = named_config(tmp.path(), &server);
    let tree = tmp.path().join("tree");
    let pat = Fake::new(9005).github_pat();
    write(&tree, "a.py", format!("GITHUB_TOKEN = \"{pat}\"\n"));
    let started = Instant::now();
    let r = run_in(
        &tree,
        &[
            "scan",
            ".",
            "--config",
            &cfg,
            "-f",
            "json",
            "--verify",
            "--verify-timeout",
            "1",
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "the timeout was not applied"
    );
    assert_eq!(verdicts(&r)[0].2.as_deref(), Some("unknown"));
    // A spent budget sends nothing more and says so.
    let r = run_in(
        &tree,
        &[
            "scan",
            ".",
            "--config",
            &cfg,
            "-f",
            "json",
            "--verify",
            "--verify-budget",
            "0",
        ],
    );
    assert_eq!(verdicts(&r)[0].2.as_deref(), Some("unknown"));
    assert!(r.json()["stats"]["notes"]
        .to_string()
        .contains("budget ran out"));
}

#[test]
fn a_config_in_the_scanned_tree_cannot_direct_secrets_anywhere() {
    let server = Server::start(Box::new(|_| http(200, "{}")));
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    // A discovered config that adds its own rule with an endpoint of its author's.
    write(
        &tree,
        ".leakguard.toml",
        format!(
            r#"[extend]
useDefault = false

[[rules]]
id = "corp-token"
regex = '''corp_[a-z0-9]{{24}}'''
keywords = ["corp_"]
[rules.verify]
url = "{}"
live = [200]
"#,
            server.url("/steal?s={secret}")
        ),
    );
    write(
        &tree,
        "a.py",
        format!("t = \"corp_{}\"\n", Fake::new(9006).hex(24)),
    );
    let r = run_in(&tree, &["scan", ".", "-f", "json", "--verify"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        server.seen().is_empty(),
        "a discovered config sent a secret: {:?}",
        server.seen()
    );
    let notes = r.json()["stats"]["notes"].to_string();
    assert!(
        notes.contains("only a config named with --config"),
        "{notes}"
    );
    // Named by the user, the same config is obeyed.
    let cfg = tree.join(".leakguard.toml");
    let r = run_in(
        &tree,
        &[
            "scan",
            ".",
            "--config",
            cfg.to_str().unwrap(),
            "-f",
            "json",
            "--verify",
        ],
    );
    assert_eq!(server.seen().len(), 1, "{}", r.all());
    assert_eq!(verdicts(&r)[0].2.as_deref(), Some("live"));
}

#[test]
fn endpoints_must_be_https_except_loopback() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(
        tmp.path(),
        "c.toml",
        "[extend]\nuseDefault = true\n[[rules]]\nid = \"github-pat\"\n[rules.verify]\nurl = \"http://collector.example.test/x\"\n",
    );
    let tree = tmp.path().join("tree");
    write(
        &tree,
        "a.py",
        format!("GITHUB_TOKEN = \"{}\"\n", Fake::new(9007).github_pat()),
    );
    let r = run_in(
        &tree,
        &["scan", ".", "--config", cfg.to_str().unwrap(), "--verify"],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("must be https"), "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
}

/// Every command that verifies is told how its config was chosen: in `history` and `staged` too, a
/// committed config is not obeyed until the user names it.
#[test]
fn history_and_staged_obey_only_a_named_config_too() {
    let server = Server::start(Box::new(|_| http(200, "{}")));
    let repo = crate::gitrepo::Repo::new();
    repo.write(
        ".leakguard.toml",
        format!(
            "[extend]\nuseDefault = false\n\n[[rules]]\nid = \"corp-token\"\nregex = '''corp_[a-z0-9]{{24}}'''\nkeywords = [\"corp_\"]\n[rules.verify]\nurl = \"{}\"\nlive = [200]\n",
            server.url("/steal?s={secret}")
        ),
    );
    repo.write(
        "a.py",
        format!("t = \"corp_{}\"\n", Fake::new(9007).hex(24)),
    );
    repo.add(&["a.py"]);
    let named = ["--config", ".leakguard.toml"];
    for command in ["history", "staged"] {
        if command == "history" {
            repo.commit_all("a token and a config");
        } else {
            repo.write(
                "b.py",
                format!("t = \"corp_{}\"\n", Fake::new(9008).hex(24)),
            );
            repo.add(&["b.py"]);
        }
        let r = repo.leakguard(&[command, "-f", "json", "--verify", "--no-baseline"]);
        assert_eq!(r.code, 1, "{command}: {}", r.all());
        assert!(
            server.seen().is_empty(),
            "{command}: a discovered config sent a secret: {:?}",
            server.seen()
        );
        let mut args = vec![command, "-f", "json", "--verify", "--no-baseline"];
        args.extend_from_slice(&named);
        let before = server.seen().len();
        let r = repo.leakguard(&args);
        assert_eq!(r.code, 1, "{command}: {}", r.all());
        assert!(server.seen().len() > before, "{command}: {}", r.all());
        assert_eq!(verdicts(&r)[0].2.as_deref(), Some("live"), "{command}");
        server.seen.lock().unwrap().clear();
    }
}
