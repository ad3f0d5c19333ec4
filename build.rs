// Build-time check that libsctp.map (the version script of the shared libraries) exports every
// extern "C" function of src/ffi: a function missing there would be silently hidden by
// `local: *`. The three sctp_rs_connectx_v* functions are exported through .symver instead.
use std::fs;

fn main() {
    println!("cargo:rerun-if-changed=libsctp.map");
    println!("cargo:rerun-if-changed=src/ffi");
    let map = fs::read_to_string("libsctp.map").expect("read libsctp.map");
    let mut missing = Vec::new();
    let mut entries: Vec<_> = fs::read_dir("src/ffi")
        .expect("read src/ffi")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        let src = fs::read_to_string(&path).expect("read an ffi source");
        for line in src.lines() {
            let Some(rest) = line.trim().strip_prefix("pub unsafe extern \"C\" fn ") else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.starts_with("sctp_rs_connectx_v") {
                continue;
            }
            if !map.lines().any(|l| l.trim() == format!("{name};")) {
                missing.push(name);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "libsctp.map does not export: {}",
        missing.join(", ")
    );
}
