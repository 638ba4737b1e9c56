// (a) Baseline: no dependency and no build script.
fn main() {
    println!("hello");
}
