//! Test helpers shared by the unit tests: the real compiler's view of
//! targets (`rustc --print cfg --target T`), asked once per test process.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::target::TargetCfg;

#[allow(clippy::disallowed_methods)]
fn rustc() -> std::ffi::OsString {
    std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())
}

fn print(args: &[&str]) -> String {
    let out = Command::new(rustc())
        .args(args)
        .output()
        .expect("rustc runs");
    assert!(out.status.success(), "rustc {:?}", args);
    String::from_utf8(out.stdout).unwrap()
}

/// The compiler's minor version (`1.<minor>.<patch>`).
pub(crate) fn rustc_minor() -> u64 {
    print(&["-V"])
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse().ok())
        .expect("rustc -V prints rustc 1.<minor>.<patch>")
}

/// `rustc --print cfg --target <triple>`, read by the library.
pub(crate) fn rustc_target(triple: &str) -> TargetCfg {
    TargetCfg::from_rustc_cfg(triple, &print(&["--print", "cfg", "--target", triple])).unwrap()
}

/// Every target this rustc knows and can describe, with its `--print cfg`
/// output, in the order of `--print target-list`; asked once, eight
/// compilers at a time. A distribution's rustc may list a target its LLVM
/// was built without (Debian's lacks csky): such a target is left out, and
/// at most a few may be.
pub(crate) fn every_target() -> Vec<(String, String)> {
    static CACHE: Mutex<Option<Vec<(String, String)>>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(all) = &*cache {
        return all.clone();
    }
    let targets: Vec<String> = print(&["--print", "target-list"])
        .lines()
        .map(str::to_string)
        .collect();
    assert!(targets.len() > 100, "{} targets", targets.len());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Option<String>>>> = Mutex::new(vec![None; targets.len()]);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let triple = match targets.get(i) {
                    Some(t) => t,
                    None => break,
                };
                let out = Command::new(rustc())
                    .args(["--print", "cfg", "--target", triple])
                    .output()
                    .expect("rustc runs");
                let text = String::from_utf8(out.stdout).unwrap();
                results.lock().unwrap()[i] = Some(out.status.success().then_some(text));
            });
        }
    });
    let listed = targets.len();
    let all: Vec<(String, String)> = targets
        .into_iter()
        .zip(results.into_inner().unwrap())
        .filter_map(|(t, text)| text.expect("every target asked").map(|text| (t, text)))
        .collect();
    assert!(
        listed - all.len() <= 5,
        "rustc cannot describe {} of its {} targets",
        listed - all.len(),
        listed
    );
    *cache = Some(all.clone());
    all
}

/// The `CARGO_CFG_*` variables Cargo sets for a build script compiled for
/// `triple` (no rustflags, no features, a profile with `debug_assertions`
/// off), from the real compiler's answer to Cargo's own target query, as
/// Cargo's `build_work` writes them: a name's values joined with `,`,
/// `debug_assertions` and `proc_macro` left out, `CARGO_CFG_FEATURE` empty.
#[cfg(feature = "build")]
pub(crate) fn cargo_cfg_env(triple: &str) -> Vec<(String, String)> {
    let args = TargetCfg::cargo_query_args(Some(triple), &[]);
    let out = Command::new(rustc())
        .args(&args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("rustc runs");
    assert!(out.status.success(), "rustc {:?}", args);
    let cfg = TargetCfg::from_cargo_query(
        triple,
        &String::from_utf8(out.stdout).unwrap(),
        &String::from_utf8_lossy(&out.stderr),
    )
    .unwrap();
    let mut vars: Vec<(String, String)> = vec![("CARGO_CFG_FEATURE".into(), String::new())];
    for (name, value) in cfg.iter() {
        if name == "debug_assertions" {
            continue;
        }
        let key = crate::build::this_compile::cfg_var(name);
        match vars.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => {
                v.push(',');
                v.push_str(value.unwrap_or(""));
            }
            None => vars.push((key, value.unwrap_or("").to_string())),
        }
    }
    vars
}
