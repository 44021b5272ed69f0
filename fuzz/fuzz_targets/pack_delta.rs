//! Delta application over arbitrary base and delta bytes (sizes in a delta's header are untrusted):
//! must never panic or allocate past what the input can produce, and a success must be exactly the
//! size the delta declares.
#![no_main]
use leakguard::source::pack::apply_delta;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte splits the input into base and delta.
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let at = (split as usize).min(rest.len());
    let (base, delta) = rest.split_at(at);
    if let Ok(out) = apply_delta(base, delta) {
        assert!(out.len() <= delta.len().saturating_mul(0x10000));
    }
});
