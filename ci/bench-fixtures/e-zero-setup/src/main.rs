fn main() {
    platform_guard::enforce!();
}
