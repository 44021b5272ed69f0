//! The one integration-test crate: every end-to-end test of the binary and the library, as modules,
//! so the test build compiles and links one binary (ripgrep keeps its tests the same way).

mod action;
mod archives;
mod bad_input;
mod baseline;
mod blob;
mod common;
mod decoding;
mod doc_examples;
mod formats;
mod gitleaks_compat;
mod gitrepo;
mod hardening;
mod history;
mod history_audit;
mod history_repos;
mod history_walk;
mod hook;
mod incremental;
mod long_secrets;
mod org_audit;
mod output;
mod pack;
mod quality;
mod quality2;
mod real_noise;
mod rule_examples;
mod rules_check;
mod scan_cli;
mod security_model;
mod severity;
mod shapes;
mod snapshots;
mod staged;
mod typed_output;
mod verify;
