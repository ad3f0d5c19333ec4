// Shared by proto/build.rs and sctpd/build.rs (include!d): compiles a C program that prints Rust
// constants read off a system header (values, struct sizes, field offsets), runs it, and writes
// its output to $OUT_DIR/<name>.rs. The Rust side then never restates a number the header
// defines, and a header that changes a layout changes the build, not the behaviour.
fn generate_facts(c_file: &str, out_name: &str, extra_args: &[&str]) {
    use std::path::PathBuf;
    use std::process::Command;
    println!("cargo:rerun-if-changed={c_file}");
    println!("cargo:rerun-if-changed=../facts.h");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let exe = out.join(format!("{out_name}-gen"));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let status = Command::new(&cc)
        .args(["-std=gnu11", "-Wall", "-Werror", "-I..", "-o"])
        .arg(&exe)
        .arg(c_file)
        .args(extra_args)
        .status()
        .unwrap_or_else(|e| panic!("running {cc}: {e}"));
    assert!(status.success(), "{cc} {c_file} failed: is the header installed?");
    let output = Command::new(&exe).output().expect("running the facts program");
    assert!(output.status.success(), "{} failed", exe.display());
    std::fs::write(out.join(format!("{out_name}.rs")), output.stdout).expect("writing facts");
}
