//! Opt-in live verification: ask a provider whether a found secret still works.
//!
//! Nothing here runs unless the user passes `--verify`. Each distinct secret is checked once (a secret
//! found in ten commits costs one request), by a few worker threads, each request under a timeout and
//! the whole run under a time budget; a request that fails, times out or gets an answer the rule does
//! not recognise yields `unknown`, never a retry. What may be sent where is data: the built-in
//! endpoints are in `rules/verify/endpoints.toml`, one reviewable file, and a config may re-point them only when
//! the user named it (`--config`): a config discovered inside the scanned repository would otherwise
//! send every secret found to its author.

mod aws;
mod http;
mod spec;

pub use spec::{
    builtin_specs, check_url, Endpoint, VerifyError, VerifyKind, VerifySpec, VerifyToml,
};

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the provider said about a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verification {
    /// The provider accepted it: rotate it first.
    Live,
    /// The provider refused it as invalid or revoked.
    Revoked,
    /// Checked, inconclusive: network error, timeout, budget spent, or an answer the rule does not map.
    Unknown,
}

impl Verification {
    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Live => "live",
            Verification::Revoked => "revoked",
            Verification::Unknown => "unknown",
        }
    }
}

/// Limits of one verification run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// One request, connect to last byte.
    pub request_timeout: Duration,
    /// The whole run: what is not checked by then is `unknown`.
    pub budget: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            concurrency: 8,
            request_timeout: Duration::from_secs(10),
            budget: Duration::from_secs(120),
        }
    }
}

/// One question to a provider: a rule's endpoint, the secret, and the ids found beside it (a Twilio
/// account SID for its auth token, an AWS key id for its secret key).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Job {
    pub rule_id: String,
    pub secret: String,
    pub ids: Vec<String>,
}

/// How a run went, for the report's notes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunStats {
    pub requests: usize,
    pub live: usize,
    pub revoked: usize,
    pub unknown: usize,
    /// Jobs never sent because the budget ran out.
    pub over_budget: usize,
}

/// At most this many ids are tried for one paired secret (a file with many SIDs must not fan out).
pub const MAX_IDS_PER_SECRET: usize = 4;

/// Checks every job once, within `limits`, and answers for each. `specs` maps rule ids to endpoints;
/// a job whose rule has none is not asked (callers leave such findings unverified).
pub fn run(
    jobs: Vec<Job>,
    specs: &BTreeMap<String, VerifySpec>,
    limits: Limits,
) -> (BTreeMap<Job, Verification>, RunStats) {
    let deadline = Instant::now() + limits.budget;
    let queue: Mutex<VecDeque<Job>> = Mutex::new(jobs.into_iter().collect());
    let results: Mutex<BTreeMap<Job, Verification>> = Mutex::new(BTreeMap::new());
    let stats = Mutex::new(RunStats::default());
    let agent = http::agent(limits.request_timeout);
    let workers = limits.concurrency.max(1);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let Some(job) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let Some(spec) = specs.get(&job.rule_id) else {
                    continue;
                };
                let now = Instant::now();
                let verdict = if now >= deadline {
                    stats.lock().unwrap().over_budget += 1;
                    Verification::Unknown
                } else {
                    let left = deadline - now;
                    let (verdict, requests) = check(&agent, spec, &job, left);
                    stats.lock().unwrap().requests += requests;
                    verdict
                };
                {
                    let mut st = stats.lock().unwrap();
                    match verdict {
                        Verification::Live => st.live += 1,
                        Verification::Revoked => st.revoked += 1,
                        Verification::Unknown => st.unknown += 1,
                    }
                }
                results.lock().unwrap().insert(job, verdict);
            });
        }
    });
    (results.into_inner().unwrap(), stats.into_inner().unwrap())
}

/// One job: a paired rule tries each id beside the secret (live wins, then revoked); an unpaired rule
/// asks once. Returns the verdict and the number of requests sent.
fn check(
    agent: &ureq::Agent,
    spec: &VerifySpec,
    job: &Job,
    time_left: Duration,
) -> (Verification, usize) {
    let started = Instant::now();
    if spec.pair.is_some() {
        if job.ids.is_empty() {
            // A token without its account id cannot be asked about.
            return (Verification::Unknown, 0);
        }
        let mut best = Verification::Unknown;
        let mut sent = 0;
        for id in job.ids.iter().take(MAX_IDS_PER_SECRET) {
            if started.elapsed() >= time_left {
                break;
            }
            sent += 1;
            let v = ask(agent, spec, &job.secret, Some(id));
            if v == Verification::Live {
                return (v, sent);
            }
            if v == Verification::Revoked {
                best = v;
            }
        }
        (best, sent)
    } else {
        (ask(agent, spec, &job.secret, None), 1)
    }
}

fn ask(agent: &ureq::Agent, spec: &VerifySpec, secret: &str, id: Option<&str>) -> Verification {
    let reply = match spec.kind {
        VerifyKind::Http => http::send(agent, &spec.endpoint, secret, id),
        VerifyKind::AwsSts => aws::send(agent, &spec.endpoint, secret, id),
    };
    match reply {
        Some(r) => spec.endpoint.judge(r.status, &r.body),
        None => Verification::Unknown,
    }
}

/// A provider's answer, as much as judging it needs.
pub struct Reply {
    pub status: u16,
    pub body: String,
}
