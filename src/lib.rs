//! leakguard: a secret scanner. Sources (working tree, git history, staged index) produce blobs; one
//! engine matches rules against bytes; reporters format the findings. Data flows one way:
//! source → engine → findings → report.

pub mod ansi;
pub mod baseline;
pub mod changes;
pub mod checksum;
// Shared with build.rs, which precompiles the built-in catalog in this shape.
mod catalog_compiled;
// Used by build.rs; here for the test that checks what it embedded.
#[cfg(test)]
mod catalog_lean;
pub mod config;
pub mod config_change;
pub mod config_schema;
pub mod config_source;
pub mod csvcols;
pub mod dates;
pub mod decode;
pub mod docs;
pub mod engine;
pub mod examples;
pub mod filters;
pub mod finding;
// Used by build.rs (it expands the catalog's fragments); here for its tests.
#[cfg(test)]
mod fragments;
pub mod gitleaks_ids;
pub mod gitleaksignore;
pub mod goregex;
pub mod hook;
pub mod joinlit;
pub mod keypath;
pub mod merge;
// Shared with build.rs, which works out the built-in path regexes' endings.
mod path_endings;
pub mod progress;
pub mod remediation;
pub mod report;
pub mod rules;
pub mod source;
pub mod stats;
pub mod suppress;
#[cfg(test)]
mod testrng;
pub mod unescape;
pub mod verify;

pub use engine::{Engine, Hit, PathScope, Workload};
pub use finding::{CommitInfo, Finding, Secret};
pub use rules::{RuleSet, Severity};
pub use stats::{ScanOutcome, SkipReason, Skipped, Stats};
