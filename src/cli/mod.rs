pub mod common;
pub mod history;
pub mod rules_cmd;
pub mod scan;
