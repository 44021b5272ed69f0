//! The second labeled suite, fixtures/quality2/ (written by its generate.py): each family's documented
//! format, from a seeded generator, in a list of code idioms across languages, with the look-alikes
//! real code is full of as decoys. It is built apart from fixtures/quality and from the rules' own
//! examples, so that the rules are measured on shapes they were not written beside. Scored the same
//! way as fixtures/quality (see quality.rs).

use crate::quality::{check_generator, check_suite, Floors};

#[test]
fn second_labeled_suite_meets_recall_and_precision_floors() {
    check_suite(
        "fixtures/quality2",
        Floors {
            recall: 0.97,
            precision: 0.97,
            family_recall: 0.90,
            max_false_alarms: None,
        },
    );
}

#[test]
fn second_suite_matches_its_generator() {
    check_generator("fixtures/quality2");
}
