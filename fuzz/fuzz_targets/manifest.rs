//! The manifest reader (`[package.metadata.platform-guard]`): no panic on
//! any text; every error is one bounded line; an accepted table gives a
//! policy that validates or says why, and classifies without panicking.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use platform_guard::ManifestPolicy;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ManifestPolicy::parse(text, Path::new("fuzz/Cargo.toml")) {
        Err(e) => common::check_error(&e, text),
        Ok(m) => {
            let policy = m.policy();
            if let Err(e) = policy.validate() {
                common::check_error(&e, text);
            }
            for t in common::targets() {
                let v = policy.classify(t);
                if let Some(rule) = v.rule() {
                    assert!(!rule.chars().any(|c| c.is_control()), "{:?}", rule);
                }
            }
        }
    }
});
