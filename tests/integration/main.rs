//! The one integration-test crate: every end-to-end test of the binary and the library, as modules,
//! so the test build compiles and links one binary (ripgrep keeps its tests the same way).

mod action;
mod bad_input;
mod baseline;
mod common;
mod doc_examples;
mod formats;
mod gitleaks_compat;
mod gitrepo;
mod hardening;
mod history;
mod history_audit;
mod history_repos;
mod hook;
mod incremental;
mod long_secrets;
mod quality;
mod rule_examples;
mod scan_cli;
mod security_model;
mod staged;
