// (d) The documented setup: the etcd policy in the build script.
fn main() {
    platform_guard::Policy::etcd().build();
}
