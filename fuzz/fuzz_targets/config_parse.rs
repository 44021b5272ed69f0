//! Config parsing and rule compilation over arbitrary text: errors are fine, panics are not.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let dir = std::env::temp_dir().join(format!("leakguard-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("config.toml");
    if std::fs::write(&path, text).is_ok() {
        if let Ok(rules) = leakguard::RuleSet::from_config_file(&path) {
            let engine = leakguard::Engine::new(rules);
            let _ = engine.scan(text.as_bytes(), leakguard::PathScope::At("config.toml"));
        }
    }
});
