//! A build script's environment, crafted: `TargetCfg::from_cargo_env` never
//! panics, errors are one bounded line, and whatever it accepts is
//! classified and written as directives that Cargo reads as exactly the
//! lines the guard meant: one directive a line, nothing smuggled in.
//!
//! Input: records separated by NUL (which no environment can hold); the
//! first byte of a record picks the variable, the rest is its value (any
//! bytes: line breaks, invalid UTF-8). A selector past the list takes the
//! name from the value, up to its first `=`.
#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use libfuzzer_sys::fuzz_target;
use platform_guard::{Dialect, Emitter, Policy, TargetCfg, Verdict};

#[path = "common.rs"]
mod common;

const KEYS: &[&str] = &[
    "TARGET",
    "CARGO_CFG_TARGET_ARCH",
    "CARGO_CFG_TARGET_OS",
    "CARGO_CFG_TARGET_FAMILY",
    "CARGO_CFG_TARGET_ENV",
    "CARGO_CFG_TARGET_ABI",
    "CARGO_CFG_TARGET_POINTER_WIDTH",
    "CARGO_CFG_TARGET_ENDIAN",
    "CARGO_CFG_TARGET_VENDOR",
    "CARGO_CFG_TARGET_FEATURE",
    "CARGO_CFG_TARGET_HAS_ATOMIC",
    "CARGO_CFG_UNIX",
    "CARGO_CFG_WINDOWS",
    "CARGO_CFG_PANIC",
    "CARGO_CFG_DEBUG_ASSERTIONS",
    "PATH",
];

fn env(data: &[u8]) -> Vec<(OsString, OsString)> {
    data.split(|&b| b == 0)
        .filter(|r| !r.is_empty())
        .map(|record| {
            let (selector, rest) = (record[0] as usize, &record[1..]);
            match KEYS.get(selector % 32) {
                Some(key) => (OsString::from(key), OsString::from_vec(rest.to_vec())),
                None => {
                    let eq = rest.iter().position(|&b| b == b'=').unwrap_or(rest.len());
                    let value = rest.get(eq + 1..).unwrap_or(&[]);
                    (
                        OsString::from_vec(rest[..eq].to_vec()),
                        OsString::from_vec(value.to_vec()),
                    )
                }
            }
        })
        .collect()
}

/// The lines the emitter writes for `verdict` in `dialect`: as many as it
/// meant to write, each one directive.
fn check_directives(verdict: &Verdict, dialect: Dialect, expected_lines: usize) {
    let mut out = Vec::new();
    let mut emitter = Emitter::new(&mut out, dialect);
    match emitter.emit_verdict(verdict) {
        Ok(()) => {
            let text = String::from_utf8(out).expect("directives are UTF-8");
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), expected_lines, "{:?}", text);
            assert!(!text.contains('\r'), "{:?}", text);
            let cfgs: Vec<&&str> = lines.iter().filter(|l| l.contains("rustc-cfg=")).collect();
            assert_eq!(cfgs.len(), 1, "{:?}", text);
            assert!(cfgs[0].ends_with(&format!(
                "rustc-cfg=platform_support=\"{}\"",
                verdict.level()
            )));
            for l in &lines {
                assert!(l.starts_with("cargo:"), "{:?}", l);
            }
        }
        // Refusing is fine (a control character in a value); it must say so
        // in one line.
        Err(e) => common::check_error(&e, verdict.target()),
    }
}

fuzz_target!(|data: &[u8]| {
    let vars = env(data);
    match TargetCfg::from_cargo_env(vars.iter().map(|(k, v)| (k, v))) {
        Err(e) => common::check_error(&e, ""),
        Ok(target) => {
            assert!(!target.triple().is_empty());
            assert!(!target.arch().is_empty());
            for policy in [
                Policy::etcd(),
                Policy::default_policy("FUZZ_UNSUPPORTED_ARCH"),
                Policy::new("FUZZ_ARCH")
                    .unsupported(r#"target_os = "none""#)
                    .stable("unix")
                    .experimental(r#"any(windows, target_feature = "sse2")"#),
            ] {
                let v = policy.classify(&target);
                assert!(!v.override_value().is_empty());
                // rerun-if-env-changed lines are not part of emit_verdict:
                // check-cfg (1.80+), cfg, and six rustc-env.
                check_directives(&v, Dialect::for_toolchain(95, None), 8);
                check_directives(&v, Dialect::for_toolchain(63, None), 7);
            }
        }
    }
});
