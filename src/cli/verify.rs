//! `--verify`: the flags, which endpoints a run may use, and asking them about the findings.

use anyhow::Result;
use leakguard::finding::Finding;
use leakguard::rules::Rule;
use leakguard::verify::{self, Job, Limits, Verification, VerifySpec};
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// Ask each finding's provider whether the secret still works (sends the secret to that provider's
    /// own API, once per distinct secret). Without this flag nothing is sent anywhere.
    #[arg(long)]
    pub verify: bool,
    /// Report only secrets the provider confirmed live (implies --verify); exit 1 only when one is.
    #[arg(long)]
    pub only_verified: bool,
    /// Seconds one verification request may take.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub verify_timeout: u64,
    /// Seconds all verification may take; a secret not checked by then is "unknown".
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub verify_budget: u64,
    /// Verification requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub verify_concurrency: usize,
}

impl VerifyArgs {
    pub fn wanted(&self) -> bool {
        self.verify || self.only_verified
    }
}

/// The endpoints for this run: the built-in catalog, with a named config's `[rules.verify]` sections
/// laid over it; a discovered config's are ignored with a note.
///
/// `config_named`: the config in effect was named by the user (`--config`, `LEAKGUARD_CONFIG`)
/// rather than discovered in the scanned tree. Only a named config may add or re-point a verify
/// endpoint: a discovered one is written by whoever wrote the scanned commits, and an endpoint of
/// theirs would receive every secret found.
pub fn specs(
    rules: &[Rule],
    config_named: bool,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<String, VerifySpec>> {
    let mut specs = verify::builtin_specs();
    let mut ignored = Vec::new();
    for rule in rules {
        let Some(over) = &rule.verify else { continue };
        if !config_named {
            ignored.push(rule.id.to_string());
            continue;
        }
        let spec = VerifySpec::build(specs.get(&*rule.id), over)
            .map_err(|e| anyhow::anyhow!("{}: rule '{}': {e}", rule.origin, rule.id))?;
        specs.insert(rule.id.to_string(), spec);
    }
    if !ignored.is_empty() {
        notes.push(format!(
            "verify sections of a config found in the scanned tree were ignored (rules {}): only a config named with --config may say where secrets are sent",
            ignored.join(", ")
        ));
    }
    // Rules the run does not have (disabled, replaced) are not asked about.
    specs.retain(|id, _| rules.iter().any(|r| &*r.id == id));
    Ok(specs)
}

/// The secrets of each pair rule by path, taken before a baseline drops any: an accepted SID still
/// identifies its account for the token beside it.
pub type PairIds = BTreeMap<(String, String), Vec<String>>;

pub fn pair_ids(findings: &[Finding], specs: &BTreeMap<String, VerifySpec>) -> PairIds {
    let pair_rules: Vec<&str> = specs.values().filter_map(|s| s.pair.as_deref()).collect();
    let mut ids: PairIds = BTreeMap::new();
    for f in findings {
        if pair_rules.contains(&&*f.rule_id) {
            let v = ids
                .entry((f.rule_id.to_string(), f.path.clone()))
                .or_default();
            let s = f.secret.expose().to_string();
            if !v.contains(&s) {
                v.push(s);
            }
        }
    }
    for v in ids.values_mut() {
        v.sort();
    }
    ids
}

/// Asks about every finding whose rule has an endpoint, sets `verification`, and with
/// `--only-verified` keeps only the live ones. Says in `notes` what it did.
pub fn apply(
    args: &VerifyArgs,
    specs: &BTreeMap<String, VerifySpec>,
    ids: &PairIds,
    findings: &mut Vec<Finding>,
    notes: &mut Vec<String>,
) {
    let job_of = |f: &Finding| -> Option<Job> {
        let spec = specs.get(&*f.rule_id)?;
        let ids = match &spec.pair {
            Some(p) => ids
                .get(&(p.clone(), f.path.clone()))
                .cloned()
                .unwrap_or_default(),
            None => Vec::new(),
        };
        Some(Job {
            rule_id: f.rule_id.to_string(),
            secret: f.secret.expose().to_string(),
            ids,
        })
    };
    let mut jobs: Vec<Job> = findings.iter().filter_map(job_of).collect();
    jobs.sort();
    jobs.dedup();
    let limits = Limits {
        concurrency: args.verify_concurrency.max(1),
        request_timeout: Duration::from_secs(args.verify_timeout.max(1)),
        budget: Duration::from_secs(args.verify_budget),
    };
    let asked = jobs.len();
    let (answers, stats) = verify::run(jobs, specs, limits);
    for f in findings.iter_mut() {
        if let Some(job) = job_of(f) {
            f.verification = Some(answers.get(&job).copied().unwrap_or(Verification::Unknown));
        }
    }
    let unchecked = findings.iter().filter(|f| f.verification.is_none()).count();
    let mut note = format!(
        "verified {asked} distinct secret{} with {} request{}: {} live, {} revoked, {} unknown",
        plural(asked),
        stats.requests,
        plural(stats.requests),
        stats.live,
        stats.revoked,
        stats.unknown
    );
    if stats.over_budget > 0 {
        note.push_str(&format!(
            " ({} not sent: the {} s budget ran out)",
            stats.over_budget, args.verify_budget
        ));
    }
    if unchecked > 0 {
        note.push_str(&format!(
            "; {unchecked} finding{} of rules without a verify endpoint not checked",
            plural(unchecked)
        ));
    }
    notes.push(note);
    if args.only_verified {
        let before = findings.len();
        findings.retain(|f| f.verification == Some(Verification::Live));
        let dropped = before - findings.len();
        if dropped > 0 {
            notes.push(format!(
                "--only-verified: {dropped} finding{} not confirmed live not reported",
                plural(dropped)
            ));
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
