//! The GitHub Action: action.yml's shape, and its scan step (scripts/action-scan.sh) run here as a
//! runner would run it — event JSON, GITHUB_OUTPUT, inputs as INPUT_* variables — against real
//! repositories with real ranges.

use crate::common;
use crate::gitrepo::{fake_pat, Repo, Run};
use std::path::Path;
use std::process::Command;

const ZERO: &str = "0000000000000000000000000000000000000000";

struct Action<'a> {
    repo: &'a Repo,
    event: &'a str,
    payload: serde_json::Value,
    inputs: Vec<(&'a str, String)>,
}

struct Outcome {
    run: Run,
    outputs: String,
    sarif: Option<serde_json::Value>,
}

impl<'a> Action<'a> {
    fn new(repo: &'a Repo, event: &'a str, payload: serde_json::Value) -> Self {
        Action {
            repo,
            event,
            payload,
            inputs: Vec::new(),
        }
    }

    fn input(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.inputs.push((name, value.into()));
        self
    }

    fn run(self) -> Outcome {
        let work = self.repo.home.join("runner");
        std::fs::create_dir_all(&work).unwrap();
        let event_path = work.join("event.json");
        std::fs::write(&event_path, self.payload.to_string()).unwrap();
        let output_path = work.join("github_output");
        std::fs::write(&output_path, "").unwrap();
        let sarif_path = work.join("leakguard.sarif");
        let _ = std::fs::remove_file(&sarif_path);

        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-scan.sh");
        let mut c = Command::new("bash");
        c.arg(&script)
            .current_dir(&self.repo.root)
            .env("HOME", &self.repo.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env("LEAKGUARD", env!("CARGO_BIN_EXE_leakguard"))
            .env("GITHUB_EVENT_NAME", self.event)
            .env("GITHUB_EVENT_PATH", &event_path)
            .env("GITHUB_OUTPUT", &output_path)
            .env("INPUT_SARIF_FILE", &sarif_path)
            .env_remove("LEAKGUARD_CONFIG")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE");
        for (name, value) in &self.inputs {
            c.env(
                format!("INPUT_{}", name.to_uppercase().replace('-', "_")),
                value,
            );
        }
        let run = common::run_of(c.output().expect("bash"));
        let sarif = std::fs::read_to_string(&sarif_path).ok().map(|s| {
            common::validate_sarif(&sarif_path);
            serde_json::from_str(&s).unwrap()
        });
        Outcome {
            run,
            outputs: std::fs::read_to_string(&output_path).unwrap(),
            sarif,
        }
    }
}

fn push(before: &str, after: &str) -> serde_json::Value {
    serde_json::json!({ "before": before, "after": after, "repository": { "default_branch": "main" } })
}

fn results(o: &Outcome) -> Vec<serde_json::Value> {
    o.sarif.as_ref().expect("a SARIF file")["runs"][0]["results"]
        .as_array()
        .unwrap()
        .clone()
}

/// clean → adds a key in a.txt → removes it → clean. Returns the four commits.
fn four_commits(r: &Repo) -> [String; 4] {
    r.write("README", "hello\n");
    let c1 = r.commit_all("first");
    r.write("a.txt", format!("x = 1\ntoken = \"{}\"\n", fake_pat(7)));
    let c2 = r.commit_all("add a key");
    r.write("a.txt", "x = 1\n");
    let c3 = r.commit_all("remove it");
    r.write("b.txt", "more\n");
    let c4 = r.commit_all("more");
    [c1, c2, c3, c4]
}

#[test]
fn a_push_is_scanned_from_before_to_after() {
    let r = Repo::with_test_rules();
    let [c1, c2, c3, c4] = four_commits(&r);

    // The key was added and removed inside the push: found, attributed, annotated, in SARIF.
    let o = Action::new(&r, "push", push(&c1, &c4)).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert!(
        o.run.stdout.contains("::error file=a.txt,line=2"),
        "{}",
        o.run.stdout
    );
    assert!(!o.run.all().contains(&fake_pat(7)), "redacted");
    let res = results(&o);
    assert_eq!(res.len(), 1);
    assert_eq!(res[0]["properties"]["commit"], c2.as_str());
    assert!(o.outputs.contains("exit-code=1"), "{}", o.outputs);
    assert!(
        o.outputs.contains(&format!("range={c1}..{c4}")),
        "{}",
        o.outputs
    );

    // A later push that does not bring the key: clean, and an empty but valid SARIF.
    let o = Action::new(&r, "push", push(&c3, &c4)).run();
    assert_eq!(o.run.code, 0, "{}", o.run.all());
    assert!(results(&o).is_empty());
    assert!(o.outputs.contains("exit-code=0"));
}

#[test]
fn a_pull_request_is_scanned_from_base_to_head_and_an_explicit_range_wins() {
    let r = Repo::with_test_rules();
    let [c1, _, c3, c4] = four_commits(&r);
    let pr = |base: &str, head: &str| serde_json::json!({ "pull_request": { "base": { "sha": base }, "head": { "sha": head } } });
    let o = Action::new(&r, "pull_request", pr(&c1, &c4)).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    let o = Action::new(&r, "pull_request", pr(&c3, &c4)).run();
    assert_eq!(o.run.code, 0, "{}", o.run.all());
    // The range input overrides the event.
    let o = Action::new(&r, "pull_request", pr(&c3, &c4))
        .input("range", format!("{c1}..{c3}"))
        .run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
}

#[test]
fn a_new_branch_is_scanned_for_what_it_adds_over_the_default_branch() {
    // origin/main already holds a key (an old leak, not this push's business); the new branch adds
    // one commit with a clean file, then one with a new key.
    let r = Repo::with_test_rules();
    r.write("old.txt", format!("token = \"{}\"\n", fake_pat(1)));
    r.commit_all("old leak");
    let origin = r.home.join("origin.git");
    r.git(&["clone", "-q", "--bare", ".", origin.to_str().unwrap()]);
    r.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
    r.git(&["fetch", "-q", "origin"]);
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("clean.txt", "fine\n");
    let clean = r.commit_all("clean");
    let o = Action::new(&r, "push", push(ZERO, &clean)).run();
    assert_eq!(o.run.code, 0, "{}", o.run.all());
    assert!(o.outputs.contains("range=origin/main.."), "{}", o.outputs);

    r.write("new.txt", format!("token = \"{}\"\n", fake_pat(2)));
    let leaky = r.commit_all("leak");
    let o = Action::new(&r, "push", push(ZERO, &leaky)).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    let res = results(&o);
    assert_eq!(res.len(), 1, "{res:?}");
    assert_eq!(
        res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "new.txt"
    );

    // A force-push whose old tip no longer exists falls back the same way.
    let o = Action::new(
        &r,
        "push",
        push("1234567890123456789012345678901234567890", &leaky),
    )
    .run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert_eq!(results(&o).len(), 1);
}

#[test]
fn other_events_audit_every_ref() {
    let r = Repo::with_test_rules();
    four_commits(&r);
    let o = Action::new(&r, "workflow_dispatch", serde_json::json!({})).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert!(o.outputs.contains("range=\n"), "{}", o.outputs);
}

#[test]
fn inputs_fail_on_findings_format_baseline_and_config() {
    let r = Repo::with_test_rules();
    let [c1, _, _, c4] = four_commits(&r);

    let o = Action::new(&r, "push", push(&c1, &c4))
        .input("fail-on-findings", "false")
        .run();
    assert_eq!(o.run.code, 0, "{}", o.run.all());
    assert!(o.outputs.contains("exit-code=1"));
    assert_eq!(results(&o).len(), 1, "the SARIF still has the finding");

    let o = Action::new(&r, "push", push(&c1, &c4))
        .input("format", "json")
        .run();
    assert_eq!(o.run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&o.run.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);

    // A baseline made while the key was in the tree accepts it. It lies outside the repository:
    // a range scan reads files inside it from the base of the range (security_model tests that).
    r.write("a.txt", format!("x = 1\ntoken = \"{}\"\n", fake_pat(7)));
    let base_json = r.home.join("base.json");
    let base_json = base_json.to_str().unwrap();
    let made = r.leakguard(&["baseline", "create", "--output", base_json]);
    assert_eq!(made.code, 0, "{}", made.all());
    r.write("a.txt", "x = 1\n");
    let o = Action::new(&r, "push", push(&c1, &c4))
        .input("baseline", base_json)
        .run();
    assert_eq!(o.run.code, 0, "{}", o.run.all());

    // Errors fail the step whatever fail-on-findings says, and write no SARIF.
    let broken = r.home.join("broken.toml");
    std::fs::write(&broken, "[[rules]\n").unwrap();
    let o = Action::new(&r, "push", push(&c1, &c4))
        .input("config", broken.to_str().unwrap())
        .input("fail-on-findings", "false")
        .run();
    assert_eq!(o.run.code, 2, "{}", o.run.all());
    assert!(o.run.stderr.contains("broken.toml"), "{}", o.run.stderr);
    assert!(o.sarif.is_none());
    assert!(o.outputs.contains("exit-code=2"));

    let o = Action::new(&r, "push", push(&c1, &c4))
        .input("fail-on-findings", "maybe")
        .run();
    assert_eq!(o.run.code, 2);
    assert!(
        o.run.stderr.contains("fail-on-findings"),
        "{}",
        o.run.stderr
    );
}

#[test]
fn action_yml_declares_the_inputs_the_scan_step_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(root.join("scripts/action-scan.sh")).unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys, yaml\n\
             d = yaml.safe_load(open(sys.argv[1]))\n\
             steps = d['runs']['steps']\n\
             scan = [s for s in steps if s.get('id') == 'scan'][0]\n\
             source = [s for s in steps if s.get('id') == 'source'][0]\n\
             print(json.dumps({'using': d['runs']['using'], 'inputs': d['inputs'], 'env': scan['env'], 'hash': source['run'],\n\
                               'run': scan['run'], 'steps': steps}))",
        )
        .arg(root.join("action.yml"))
        .output()
        .expect("python3 with yaml (pip install pyyaml)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["using"], "composite");
    for input in ["config", "baseline", "format", "fail-on-findings", "range"] {
        assert!(
            d["inputs"].get(input).is_some(),
            "input {input} is declared"
        );
    }
    // Every INPUT_* the script reads comes from the input of that name.
    let mut read: Vec<&str> = script
        .match_indices("INPUT_")
        .map(|(i, _)| {
            let rest = &script[i..];
            &rest[..rest
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .unwrap()]
        })
        .collect();
    read.sort();
    read.dedup();
    for var in read {
        let input = var["INPUT_".len()..].to_lowercase().replace('_', "-");
        assert!(d["inputs"].get(&input).is_some(), "{var}: no input {input}");
        assert_eq!(
            d["env"][var],
            format!("${{{{ inputs.{input} }}}}"),
            "{var} is passed from inputs.{input}"
        );
    }
    assert!(d["run"]
        .as_str()
        .unwrap()
        .contains("scripts/action-scan.sh"));
    let install = d["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["run"].as_str().filter(|r| r.contains("cargo install")))
        .expect("an install step");
    // The cache key step runs as is (with the runner's context filled in) and names the source's hash.
    let work = tempfile::tempdir().unwrap();
    let output = work.path().join("out");
    let hash = d["hash"]
        .as_str()
        .unwrap()
        .replace("${{ runner.os }}", "Linux")
        .replace("${{ runner.arch }}", "X64");
    assert!(!hash.contains("${{"), "{hash}");
    let ran = Command::new("bash")
        .args(["-ec", &hash])
        .env("GITHUB_ACTION_PATH", root)
        .env("GITHUB_OUTPUT", &output)
        .status()
        .unwrap();
    assert!(ran.success());
    let key = std::fs::read_to_string(&output).unwrap();
    let key = key
        .trim()
        .strip_prefix("key=leakguard-Linux-X64-")
        .expect("a cache key");
    assert!(
        key.len() == 16 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{key}"
    );
    assert!(
        install.contains("cargo install --locked") && install.contains("$GITHUB_ACTION_PATH"),
        "{install}"
    );
}

#[test]
fn a_pull_request_cannot_change_the_config_that_judges_it() {
    let r = Repo::new();
    r.write("README", "hello\n");
    let base = r.commit_all("base");
    r.write("a.txt", format!("token = \"{}\"\n", fake_pat(9)));
    r.write(".leakguard.toml", "[[allowlists]]\npaths = ['''.*''']\n");
    let head = r.commit_all("a key and a config that allows it");
    let pr =
        serde_json::json!({ "pull_request": { "base": { "sha": base }, "head": { "sha": head } } });
    // The config input names the file the pull request adds: it is read from the base, where it
    // does not exist, so the step fails rather than trusting it.
    let o = Action::new(&r, "pull_request", pr.clone())
        .input("config", ".leakguard.toml")
        .run();
    assert_eq!(o.run.code, 2, "{}", o.run.all());
    // Discovered: the base has none, the built-in rules find the key, and the change is a warning.
    let o = Action::new(&r, "pull_request", pr).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert_eq!(results(&o).len(), 1);
    assert!(
        o.run
            .stdout
            .lines()
            .any(|l| l
                .starts_with("::warning title=leakguard note::this change adds .leakguard.toml")),
        "{}",
        o.run.stdout
    );
    let sarif = o.sarif.unwrap();
    assert!(sarif["runs"][0]["properties"]["notes"][0]
        .as_str()
        .unwrap()
        .contains("adds an allowlist for paths .*"));
}
