// Baseline for the runtime check and for process start-up.
fn main() {}
