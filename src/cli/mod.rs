pub mod baseline;
pub mod common;
pub mod history;
pub mod hook;
pub mod report_cmd;
pub mod rules_cmd;
pub mod scan;
pub mod staged;
