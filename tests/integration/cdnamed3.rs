//! Named values no rule read before (issue 17, stop 22, env-list-secret): a secret in a key/value
//! list (`{"key": "apiToken", "value": "…"}`: Postman environments, HAR headers, app specs'
//! `envVars`). Generated values of the real shape; the near misses beside them stay silent.

use crate::common::*;

/// A file of a case: its path, its content and the secret expected there ("" for none).
type Case = (String, String, String);

/// What goes wrong in `files` ((path, content, expected secret or "" for none)): a file with a
/// value must hold a finding of `rule` with exactly that secret (of any rule where its path is
/// listed in `others`: a stricter rule that reads the shape reports the value there), the others
/// none of `rule`'s (what other rules make of a near miss is theirs).
fn wrongs(rule: &str, files: &[Case], others: &[&str]) -> Vec<String> {
    let tree: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c, _)| (p.as_str(), c.as_str()))
        .collect();
    let found = scan_files_by_path(&tree);
    let mut wrong = Vec::new();
    for (path, content, want) in files {
        let got = found.get(path).cloned().unwrap_or_default();
        let any = others.contains(&path.as_str());
        if want.is_empty() {
            if got.iter().any(|(r, _)| r == rule) {
                wrong.push(format!("{path}: a near miss is reported: {got:?}"));
            }
        } else if !got.iter().any(|(r, s)| (any || r == rule) && s == want) {
            wrong.push(format!(
                "{path}: {rule} did not report its value (got {got:?}) in:\n{content}"
            ));
        }
    }
    wrong
}

#[test]
fn a_secret_in_a_key_value_list_is_reported() {
    let mut f = Fake::new(0xcd_3a03);
    let shapes = [
        (
            "postman/prod.postman_environment.json",
            "{\n\t\"name\": \"prod\",\n\t\"values\": [\n\t\t{\n\t\t\t\"key\": \"apiToken\",\n\t\t\t\"value\": \"{v}\",\n\t\t\t\"enabled\": true\n\t\t}\n\t]\n}\n",
        ),
        (
            "postman/api.postman_collection.json",
            "{\"variable\": [{\"key\": \"client_secret\", \"value\": \"{v}\", \"type\": \"string\"}]}\n",
        ),
        (
            "render.yaml",
            "services:\n  - type: web\n    envVars:\n      - key: STRIPE_SECRET\n        value: {v}\n",
        ),
        (
            "recordings/session.har",
            "        \"headers\": [\n          {\n            \"name\": \"X-Session-Token\",\n            \"value\": \"{v}\"\n          }\n        ],\n",
        ),
        (
            "ci/variables.json",
            "[{\"variable_type\": \"env_var\", \"key\": \"DEPLOY_TOKEN\", \"value\": \"{v}\", \"protected\": true}]\n",
        ),
    ];
    let mut files: Vec<Case> = Vec::new();
    for (path, template) in shapes {
        let v = f.alnum(28);
        files.push((path.to_string(), template.replace("{v}", &v), v));
    }
    let negatives = [
        (
            "neg/i18n.json",
            "[{ \"key\": \"reset_token_expired\", \"value\": \"Your reset token has expired\" }]\n",
        ),
        (
            "neg/render.yaml",
            "    envVars:\n      - key: API_TOKEN\n        fromSecret: api-token\n",
        ),
        (
            "neg/env.postman_environment.json",
            "{\"values\": [{\"key\": \"apiToken\", \"value\": \"{{apiToken}}\", \"enabled\": true}]}\n",
        ),
        (
            "neg/headers.har",
            "{\"name\": \"Content-Type\", \"value\": \"application/x-www-form-urlencoded\"}\n",
        ),
    ];
    for (path, content) in negatives {
        files.push((path.to_string(), content.to_string(), String::new()));
    }
    let wrong = wrongs("env-list-secret", &files, &[]);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
