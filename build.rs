// Gives the shared library its soname, so that programs linked with -lsctp_rs record
// "libsctp_rs.so" and find it through the usual search path or an rpath.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsctp_rs.so");
    println!("cargo:rerun-if-changed=build.rs");
}
