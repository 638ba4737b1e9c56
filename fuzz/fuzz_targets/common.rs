#![allow(dead_code)]
//! Shared by the fuzz targets: a few real targets' cfg, and the checks every
//! error message must pass.

use platform_guard::{Error, TargetCfg};

/// `rustc --print cfg` of a few targets (abridged), parsed once.
pub fn targets() -> &'static [TargetCfg] {
    static TARGETS: std::sync::OnceLock<Vec<TargetCfg>> = std::sync::OnceLock::new();
    TARGETS.get_or_init(|| {
        [
            (
                "x86_64-unknown-linux-gnu",
                "panic=\"unwind\"\ntarget_abi=\"\"\ntarget_arch=\"x86_64\"\ntarget_endian=\"little\"\n\
                 target_env=\"gnu\"\ntarget_family=\"unix\"\ntarget_feature=\"sse2\"\n\
                 target_has_atomic=\"64\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"64\"\n\
                 target_vendor=\"unknown\"\nunix\n",
            ),
            (
                "i686-pc-windows-msvc",
                "target_abi=\"\"\ntarget_arch=\"x86\"\ntarget_endian=\"little\"\n\
                 target_env=\"msvc\"\ntarget_family=\"windows\"\ntarget_os=\"windows\"\n\
                 target_pointer_width=\"32\"\ntarget_vendor=\"pc\"\nwindows\n",
            ),
            (
                "aarch64-apple-darwin",
                "target_arch=\"aarch64\"\ntarget_endian=\"little\"\ntarget_env=\"\"\n\
                 target_family=\"unix\"\ntarget_os=\"macos\"\ntarget_pointer_width=\"64\"\n\
                 target_vendor=\"apple\"\nunix\n",
            ),
            (
                "powerpc64le-unknown-linux-gnu",
                "target_arch=\"powerpc64\"\ntarget_endian=\"little\"\ntarget_env=\"gnu\"\n\
                 target_family=\"unix\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"64\"\nunix\n",
            ),
            (
                "wasm32-unknown-unknown",
                "target_arch=\"wasm32\"\ntarget_endian=\"little\"\ntarget_family=\"wasm\"\n\
                 target_os=\"unknown\"\ntarget_pointer_width=\"32\"\n",
            ),
        ]
        .iter()
        .map(|(triple, cfg)| TargetCfg::from_rustc_cfg(triple, cfg).expect("valid target"))
        .collect()
    })
}

/// An error is one line (it ends up in a `cargo::error` directive or a
/// single stderr line), of bounded length, and names its input.
pub fn check_error(e: &Error, input: &str) {
    let m = e.to_string();
    assert!(
        !m.chars().any(|c| c.is_control()),
        "error message holds a control character: {:?}",
        m
    );
    assert!(
        m.len() <= 4096,
        "error message of {} bytes for {} bytes of input",
        m.len(),
        input.len()
    );
    assert!(!m.is_empty());
}
