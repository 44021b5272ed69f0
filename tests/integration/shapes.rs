//! The shape matrix, fixtures/shapes/ (written by its generate.py): the mission's families (sk- keys
//! of OpenAI and OpenAI-compatible providers, Anthropic, Twilio auth tokens and SID + token pairs,
//! Fernet keys, session/JWT secrets, database URLs and connection strings, env files) crossed with
//! the shapes real code writes them in across languages and formats, naming, quoting and spacing
//! varied, with decoys (placeholders, references, lookups, hashes) in the same shapes. Built apart
//! from the rules' examples and from fixtures/quality*. Held to recall >= 0.97 and at most one false
//! alarm; scored as fixtures/quality is (see quality.rs).

use crate::quality::{check_generator, check_suite, Floors};

#[test]
fn shape_matrix_meets_recall_with_at_most_one_false_alarm() {
    check_suite(
        "fixtures/shapes",
        Floors {
            recall: 0.97,
            precision: 0.0,
            family_recall: 0.90,
            max_false_alarms: Some(1),
        },
    );
}

#[test]
fn shape_matrix_matches_its_generator() {
    check_generator("fixtures/shapes");
}
