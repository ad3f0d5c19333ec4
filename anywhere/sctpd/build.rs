// usrsctp's facts, read off <usrsctp.h> (src/usr.rs includes them), and the link to Debian's
// libusrsctp (never a vendored copy).
include!("../facts.rs");

fn main() {
    generate_facts("facts/usrsctp.c", "usrsctp_facts", &[]);
    println!("cargo:rustc-link-lib=usrsctp");
    // sctpd's sendmsg (src/srcaddr.rs) must come before libc's for libusrsctp too.
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=sendmsg");
    // The stack's lock (src/biglock.rs): usrsctp's receive and timer threads come through these.
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=recvmsg");
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=nanosleep");
    // The marker libsctp_anywhere.so looks for, so that it stays out of sctpd (src/main.rs).
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=sctp_anywhere_daemon");
}
