#!/usr/bin/env bash
# rust-docs.sh: the Rust API's documentation, on the host (part of `make test`): `cargo doc`
# with every rustdoc warning an error, and the doctests (those marked no_run only compile; the
# same code runs on the real stack in the unit tests they name). Writes
# build/results/rustdoc.{out,rc} and build/results/doctest.{out,rc}.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results
mkdir -p "$res"
cd "$top" || exit 1
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --lib --features tokio > "$res/rustdoc.out" 2>&1
echo $? > "$res/rustdoc.rc"
cargo test --locked --doc --features tokio > "$res/doctest.out" 2>&1
echo $? > "$res/doctest.rc"
