//! The engine over arbitrary bytes, with the built-in rules: must never panic, and every hit must
//! lie inside the input with sane positions.
#![no_main]
use leakguard::{Engine, PathScope, RuleSet};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(RuleSet::builtin().expect("built-in rules")))
}

fuzz_target!(|data: &[u8]| {
    let e = engine();
    for h in e.scan(data, PathScope::At(".env")) {
        assert!(h.start <= h.end && h.end <= data.len());
        assert!(h.line >= 1 && h.column >= 1);
    }
    // The chunked reader must agree with itself on small chunk sizes too.
    let _ = e.scan_reader(data, PathScope::ContentOnly, 1);
});
