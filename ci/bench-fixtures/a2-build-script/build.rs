// (a2) A trivial build script: compiled and run, does nothing else.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}
