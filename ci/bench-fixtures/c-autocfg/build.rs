// (c) autocfg probing one compiler version.
fn main() {
    let ac = autocfg::new();
    ac.emit_rustc_version(1, 80);
    autocfg::rerun_path("build.rs");
}
