// (b) The two crates platform-guard is built on, used directly: the build
// script learns the compiler version (one `$RUSTC -vV`).
fn main() {
    let v = rustc_version::version().expect("rustc -vV");
    if v.minor >= 80 {
        println!("cargo:rustc-check-cfg=cfg(bench_new_rustc)");
    }
}
