// (a2) Baseline with a build script: like (a), plus a trivial build.rs.
fn main() {
    println!("hello");
}
