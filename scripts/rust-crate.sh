#!/usr/bin/env bash
# rust-crate.sh: the Rust crate as its users get it, on the host (part of `make test`): `cargo
# doc` with every rustdoc warning an error, the doctests (those marked no_run only compile; the
# same code runs on the real stack in the unit tests they name), and `cargo package` (the crate
# as crates.io would take it, built from the packaged files alone). Writes
# build/results/{rustdoc,doctest,package}.{out,rc}.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results
mkdir -p "$res"
cd "$top" || exit 1
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --lib --features tokio > "$res/rustdoc.out" 2>&1
echo $? > "$res/rustdoc.rc"
cargo test --locked --doc --features tokio > "$res/doctest.out" 2>&1
echo $? > "$res/doctest.rc"
cargo package --locked --allow-dirty > "$res/package.out" 2>&1
echo $? > "$res/package.rc"
