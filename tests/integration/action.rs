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
    env: Vec<(&'a str, String)>,
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
            env: Vec::new(),
        }
    }

    fn env(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.env.push((name, value.into()));
        self
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
        for (name, value) in &self.env {
            c.env(name, value);
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

fn output(o: &Outcome, name: &str) -> String {
    o.outputs
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no output {name}: {}", o.outputs))
        .to_string()
}

#[test]
fn sarif_category_follows_the_event_kind_and_the_default_branch_is_audited_whole() {
    let r = Repo::with_test_rules();
    let [c1, _, c3, c4] = four_commits(&r);
    // A push to a feature branch: the range, category push-range.
    let mut payload = push(&c3, &c4);
    payload["ref"] = "refs/heads/feature".into();
    let o = Action::new(&r, "push", payload).run();
    assert_eq!(o.run.code, 0, "{}", o.run.all());
    assert_eq!(output(&o, "category"), "leakguard/push-range");
    assert_eq!(output(&o, "range"), format!("{c3}..{c4}"));
    // The same push to the default branch: every ref, whole, category full-history; the key added
    // and removed before this push is still an alert there.
    let mut payload = push(&c3, &c4);
    payload["ref"] = "refs/heads/main".into();
    let o = Action::new(&r, "push", payload).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert_eq!(output(&o, "category"), "leakguard/full-history");
    assert_eq!(output(&o, "range"), "");
    assert_eq!(results(&o).len(), 1);
    // Other events audit everything too.
    let o = Action::new(&r, "schedule", serde_json::json!({})).run();
    assert_eq!(output(&o, "category"), "leakguard/full-history");
    let _ = c1;
}

/// A wrapper that counts how often the action runs leakguard.
fn counting_leakguard(r: &Repo) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = r.home.join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("calls");
    let wrapper = dir.join("leakguard");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            env!("CARGO_BIN_EXE_leakguard")
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    (wrapper, log)
}

#[test]
fn one_history_run_writes_the_log_and_the_sarif_file() {
    let r = Repo::with_test_rules();
    let [c1, _, _, c4] = four_commits(&r);
    let (wrapper, log) = counting_leakguard(&r);
    let o = Action::new(&r, "push", push(&c1, &c4))
        .env("LEAKGUARD", wrapper.to_str().unwrap())
        .run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(calls.lines().count(), 1, "{calls}");
    assert!(calls.contains("--sarif-file"), "{calls}");
    assert!(
        o.run.stdout.contains("::error file=a.txt"),
        "{}",
        o.run.stdout
    );
    assert_eq!(results(&o).len(), 1);
}

#[test]
fn a_fork_pull_request_skips_the_upload_with_a_notice() {
    let r = Repo::with_test_rules();
    let [c1, _, _, c4] = four_commits(&r);
    let pr = |fork: bool, head_repo: &str| {
        serde_json::json!({ "pull_request": {
            "number": 3,
            "base": { "sha": c1, "repo": { "full_name": "org/app" } },
            "head": { "sha": c4, "repo": { "full_name": head_repo, "fork": fork } } } })
    };
    let o = Action::new(&r, "pull_request", pr(true, "someone/app")).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert_eq!(output(&o, "upload"), "false");
    assert!(
        o.run
            .stdout
            .contains("::notice title=leakguard::a pull request from a fork"),
        "{}",
        o.run.stdout
    );
    assert_eq!(results(&o).len(), 1, "the SARIF is still written");
    let o = Action::new(&r, "pull_request", pr(false, "org/app")).run();
    assert_eq!(output(&o, "upload"), "true");
    assert_eq!(output(&o, "category"), "leakguard/push-range");
}

#[test]
fn pull_request_target_fetches_the_head_or_refuses_clearly() {
    let r = Repo::with_test_rules();
    r.write("README", "hello\n");
    let base = r.commit_all("first");
    // The pull request's head lives only on the server, as refs/pull/5/head.
    let origin = r.home.join("origin.git");
    r.git(&["clone", "-q", "--bare", ".", origin.to_str().unwrap()]);
    r.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
    r.git(&["checkout", "-q", "-b", "pr"]);
    r.write("leak.txt", format!("token = \"{}\"\n", fake_pat(50)));
    let head = r.commit_all("pr");
    r.git(&["push", "-q", "origin", "pr:refs/pull/5/head"]);
    r.git(&["checkout", "-q", "main"]);
    r.git(&["branch", "-q", "-D", "pr"]);
    r.git(&["reflog", "expire", "--expire=now", "--all"]);
    r.git(&["gc", "-q", "--prune=now"]);
    assert_ne!(
        r.try_git(&["cat-file", "-e", &head]).code,
        0,
        "the head is not here"
    );
    let payload = serde_json::json!({ "pull_request": { "number": 5,
        "base": { "sha": base }, "head": { "sha": head } } });
    let o = Action::new(&r, "pull_request_target", payload.clone()).run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert!(
        o.run.stderr.contains("fetching the pull request's head"),
        "{}",
        o.run.stderr
    );
    assert_eq!(output(&o, "range"), format!("{base}..{head}"));

    // No way to get the head: a clear refusal, exit 2.
    let lone = Repo::with_test_rules();
    lone.write("README", "x\n");
    let b = lone.commit_all("x");
    let payload = serde_json::json!({ "pull_request": { "number": 5,
        "base": { "sha": b }, "head": { "sha": "1234567890123456789012345678901234567890" } } });
    let o = Action::new(&lone, "pull_request_target", payload).run();
    assert_eq!(o.run.code, 2, "{}", o.run.all());
    assert!(
        o.run.stderr.contains("pull_request_target")
            && o.run.stderr.contains("pull_request.head.sha"),
        "{}",
        o.run.stderr
    );
}

#[test]
fn a_missing_optional_baseline_is_a_notice_not_an_error() {
    let r = Repo::with_test_rules();
    let [_, _, c3, c4] = four_commits(&r);
    let o = Action::new(&r, "push", push(&c3, &c4))
        .input("baseline", ".leakguard-baseline.json")
        .run();
    assert_eq!(o.run.code, 0, "{}", o.run.all());
    assert!(
        o.run
            .stdout
            .contains("::notice title=leakguard::baseline .leakguard-baseline.json not found"),
        "{}",
        o.run.stdout
    );
}

#[test]
fn action_yml_caches_on_failure_and_uploads_per_category_without_failing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg("-c")
        .arg("import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1]))))")
        .arg(root.join("action.yml"))
        .output()
        .expect("python3 with yaml");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = d["runs"]["steps"].as_array().unwrap();
    let pos = |pred: &dyn Fn(&serde_json::Value) -> bool| steps.iter().position(pred);
    let uses =
        |s: &serde_json::Value, what: &str| s["uses"].as_str().is_some_and(|u| u.starts_with(what));
    let restore = pos(&|s| uses(s, "actions/cache/restore@v4")).expect("a restore step");
    let save = pos(&|s| uses(s, "actions/cache/save@v4")).expect("a save step");
    let scan = pos(&|s| s["id"] == "scan").unwrap();
    assert!(
        restore < save && save < scan,
        "the build is saved before the scan can fail"
    );
    assert!(
        !steps.iter().any(|s| uses(s, "actions/cache@")),
        "no save-on-success-only cache"
    );
    let upload =
        &steps[pos(&|s| uses(s, "github/codeql-action/upload-sarif@v4")).expect("upload-sarif v4")];
    assert_eq!(upload["continue-on-error"], true);
    assert_eq!(
        upload["with"]["category"],
        "${{ steps.scan.outputs.category }}"
    );
    assert!(upload["if"]
        .as_str()
        .unwrap()
        .contains("steps.scan.outputs.upload == 'true'"));
    let warn = &steps[pos(&|s| {
        s["if"]
            .as_str()
            .is_some_and(|i| i.contains("steps.upload.outcome == 'failure'"))
    })
    .expect("a warning step")];
    assert!(warn["run"].as_str().unwrap().contains("::warning"));
}

/// Every YAML block of the README parses, and the Action's workflow asks the permissions it needs.
#[test]
fn readme_yaml_blocks_are_valid_and_the_workflow_has_its_permissions() {
    let readme = include_str!("../../README.md");
    let mut blocks = Vec::new();
    let mut rest = readme;
    while let Some(i) = rest.find("```yaml\n") {
        let body = &rest[i + 8..];
        let end = body.find("\n```").unwrap();
        blocks.push(body[..end + 1].to_string());
        rest = &body[end..];
    }
    assert!(blocks.len() >= 3, "{}", blocks.len());
    let script = "import json, sys, yaml\nprint(json.dumps([yaml.safe_load(b) for b in json.load(sys.stdin)], default=str))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&blocks).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "a README YAML block does not parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let workflow = docs
        .iter()
        .find(|d| d["jobs"]["leakguard"].is_object())
        .expect("the Action's workflow");
    assert_eq!(workflow["permissions"]["security-events"], "write");
    assert_eq!(workflow["permissions"]["actions"], "read");
    assert_eq!(workflow["permissions"]["contents"], "read");
    let step = workflow["jobs"]["leakguard"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("leakguard@")))
        .expect("the action step");
    // Every input the README's example sets is one the action declares.
    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    for key in step["with"]
        .as_object()
        .map(|o| o.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        assert!(
            action.contains(&format!("\n  {key}:\n")),
            "input {key} is not declared"
        );
    }
    assert!(
        docs.iter().any(|d| d["jobs"]["audit"]["uses"]
            .as_str()
            .is_some_and(|u| u.contains("org-audit.yml"))),
        "the org audit is shown"
    );
}

/// The `baseline` input under the base-tree rule: a pull request that adds the baseline it names,
/// accepting its own key, gets a notice (the base has none) and its key reported, not an error.
#[test]
fn a_baseline_input_the_pull_request_adds_is_not_trusted() {
    let r = Repo::new();
    r.write("README", "hello\n");
    let base = r.commit_all("base");
    r.write("a.txt", format!("token = \"{}\"\n", fake_pat(11)));
    let made = r.leakguard(&["baseline", "create", "--output", "accepted.json"]);
    assert_eq!(made.code, 0, "{}", made.all());
    let head = r.commit_all("a key and a baseline that accepts it");
    let pr =
        serde_json::json!({ "pull_request": { "base": { "sha": base }, "head": { "sha": head } } });
    let o = Action::new(&r, "pull_request", pr)
        .input("baseline", "accepted.json")
        .run();
    assert_eq!(o.run.code, 1, "{}", o.run.all());
    assert_eq!(results(&o).len(), 1);
    assert!(
        o.run.stdout.contains(
            "::notice title=leakguard::baseline accepted.json not found at the base of the range"
        ),
        "{}",
        o.run.stdout
    );
}
