//! `cli-secret-store-value` counts its lines (`lines = "16"`, speed46b): commands continued over
//! up to 15 lines with `\` are still found through a long file, and pulumi's with 5 flags on each
//! side of `--secret` (seen to fail with 4); `rules --check` holds the count above what the regex
//! can span. (Continued shell lines are also scanned joined, `joined.rs`: the continuation bound
//! is not what the first test guards.)

use crate::common::{run_in, scan_files_json, Fake};
use crate::speed38::of_rule;

#[test]
fn continued_secret_store_commands_are_read_to_their_last_line() {
    let mut fake = Fake::new(46);
    let mut value = || format!("{}4{}", fake.alnum(9), fake.alnum(9));
    let mut sh = vec!["#!/bin/sh".to_string(), "set -eu".to_string()];
    let mut want = Vec::new();
    let flags = [
        "--region eu-west-1",
        "--profile ops",
        "--tier Standard",
        "--overwrite",
        "--description db",
        "--key-id alias/app",
    ];
    for i in 0..12 {
        // Forty lines of other commands between the ones that store a secret.
        for j in 0..40 {
            sh.push(format!("echo \"step {i}.{j}\" >> deploy.log"));
        }
        let v = value();
        match i % 3 {
            // put-parameter, SecureString and the value on the command's first and last of 15
            // lines: 7 continued lines in each gap.
            0 => {
                sh.push(format!("aws ssm put-parameter --name /app/{i}/password \\"));
                for f in &flags {
                    sh.push(format!("  {f} \\"));
                }
                sh.push("  --type SecureString \\".to_string());
                for f in &flags {
                    sh.push(format!("  {f} \\"));
                }
                sh.push(format!("  --value \"{v}\""));
            }
            // keyvault's value 7 continued lines on.
            1 => {
                sh.push(format!("az keyvault secret set --name app-{i}-token \\"));
                for f in &flags[..5] {
                    sh.push(format!("  {f} \\"));
                }
                sh.push("  --vault-name kv-prod \\".to_string());
                sh.push(format!("  --value '{v}'"));
            }
            // pulumi with five flags on each side of --secret.
            _ => sh.push(format!(
                "pulumi config set --stack prod --cwd infra --path --non-interactive \
                 --logflow --secret --plaintext=false --color never -v 3 --emoji=false \
                 --yes dbPassword{i} {v}"
            )),
        }
        want.push((sh.len() as u64, v));
    }
    let v = scan_files_json(&[("ops/rotate.sh", sh.join("\n") + "\n")]);
    assert_eq!(want.len(), 12);
    assert_eq!(of_rule(&v, "cli-secret-store-value"), want);
}

#[test]
fn the_rules_line_count_holds_its_regex() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["rules", "--check"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        !r.stdout.contains("FAIL cli-secret-store-value"),
        "{}",
        r.stdout
    );
}
