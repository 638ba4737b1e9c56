// main only calls enforce!(), on the refusal path.
fn main() {
    platform_guard::enforce!();
}
