pub mod common;
pub mod rules_cmd;
pub mod scan;
