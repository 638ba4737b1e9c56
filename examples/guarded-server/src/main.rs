//! A tiny server that refuses to start on a platform the etcd policy does
//! not support, exactly as etcd does with ETCD_UNSUPPORTED_ARCH.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

fn main() {
    platform_guard::enforce!(); // first line: refuse early, like etcd

    let verdict = match platform_guard::check!() {
        Ok(v) => v,
        Err(refusal) => unreachable!("enforce!() already refused: {}", refusal),
    };
    println!(
        "guarded-server: {} is {} under the etcd policy ({}); override: {}={}",
        verdict.target(),
        verdict.level(),
        verdict.rule().map_or("no rule matched".to_string(), |r| format!("rule `{}`", r)),
        verdict.override_var(),
        verdict.override_value()
    );

    // Serve one request on loopback, from ourselves, then stop.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    println!("guarded-server: listening on {}", addr);
    let client = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        let mut reply = String::new();
        s.read_to_string(&mut reply).expect("read reply");
        reply
    });
    let (mut conn, _) = listener.accept().expect("accept");
    conn.write_all(b"hello from a supported platform\n").expect("write");
    drop(conn);
    print!("guarded-server: served one request: {}", client.join().expect("client"));
}
