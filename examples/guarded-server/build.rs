// etcd's platform policy: etcd v3.3 "Supported systems".
fn main() {
    platform_guard::Policy::etcd().build();
}
