// main only calls enforce!(): the release binary is also the runtime-check
// subject (stable target: the check must compile away).
fn main() {
    platform_guard::enforce!();
}
