#!/usr/bin/env python3
"""The verdict of `make test`, read from build/results (written on the SCTP stack by
run-suite.sh), c-tests/expected/ and c-tests/divergences.tsv.

Each check is one named line group a C program prints ("<check>: ..."), plus one check per
Rust test, per sctp_* symbol binding, and per exported symbol rule. A differential program
passes a check when sctp_rs printed the expected lines and lksctp printed them too, or, on a
row of divergences.tsv, exactly that row's lksctp lines. The last line is "N passed, N failed".
"""
import argparse
import collections
import os
import re
import subprocess
import sys

import badinput_table
import verdict_anywhere
import verdict_fuzz
import verdict_instr
import verdict_install
import verdict_interop
import verdict_man
import verdict_memcheck
import verdict_threeway
from results import read

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RES = os.path.join(TOP, "build", "results")
OUR_FUNCS = ["sctp_bindx", "sctp_connectx", "sctp_getpaddrs", "sctp_freepaddrs", "sctp_getladdrs",
             "sctp_freeladdrs", "sctp_getaddrlen", "sctp_opt_info", "sctp_peeloff",
             "sctp_peeloff_flags", "sctp_recvmsg", "sctp_recvv", "sctp_send", "sctp_sendmsg",
             "sctp_sendv", "sctp_sendx"]

passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}")
        for d in detail.splitlines() if detail else []:
            print(f"     {d}")


def groups(text):
    """Ordered {check: "payload | payload"} of a program's output."""
    g = collections.OrderedDict()
    for ln in (text or "").splitlines():
        key, sep, val = ln.partition(": ")
        if not sep:
            key, val = "<unparsable line>", ln
        g[key] = f"{g[key]} | {val}" if key in g else val
    return g


def load_divergences():
    rows = {}
    with open(os.path.join(TOP, "c-tests", "divergences.tsv"), encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("#") or not ln.strip():
                continue
            ident, prog, chk, lk, ours, why = ln.rstrip("\n").split("\t")
            rows[(prog, chk)] = {"id": ident, "lksctp": lk, "sctp_rs": ours, "why": why}
    return rows


def exit_status(prog, variant):
    rc = (read(os.path.join(RES, f"{prog}.{variant}.rc")) or "missing").strip()
    err = read(os.path.join(RES, f"{prog}.{variant}.err")) or ""
    tail = "\n".join(l for l in err.splitlines() if "binding file" not in l and l.strip())[-800:]
    check(f"{prog} [{variant}] exits 0", rc == "0", f"exit status {rc}\n{tail}")


def imported_sctp(binary):
    """The sctp_* functions a binary imports (its undefined dynamic symbols, versions dropped)."""
    out = subprocess.run(["nm", "-D", "--undefined-only", binary], capture_output=True,
                         text=True).stdout
    return sorted({ln.split()[-1].split("@")[0] for ln in out.splitlines()
                   if ln.split() and ln.split()[-1].startswith("sctp_")})


def bindings(prog):
    """Every sctp_* function the sctp_rs build imports must show an LD_DEBUG=bindings line to
    libsctp_rs.so (the run has LD_BIND_NOW=1, so every import is bound at start, called or not);
    no binding lines at all is a failure, not a pass."""
    err = read(os.path.join(RES, f"{prog}.sctp_rs.err")) or ""
    exe = f"/c-tests/sctp_rs/{prog} "
    check(f"{prog}: LD_DEBUG=bindings output present", "binding file" in err,
          "no binding lines: the run did not have LD_DEBUG=bindings")
    for fn in imported_sctp(os.path.join(TOP, "build", "c-tests", "sctp_rs", prog)):
        lines = [l for l in err.splitlines() if exe in l and f"normal symbol `{fn}'" in l]
        bad = [l.strip() for l in lines if "/libsctp_rs.so" not in l]
        check(f"{prog}: {fn} binds to libsctp_rs.so (LD_DEBUG=bindings)", lines and not bad,
              "\n".join(bad) or f"no binding line for {fn}")


def compare_program(prog, lksctp, static, divs, used, binary):
    expected = read(os.path.join(TOP, "c-tests", "expected", f"{prog}.out"))
    if expected is None:
        check(f"{prog}: c-tests/expected/{prog}.out exists", False)
        return
    exp = groups(expected)
    variants = ["sctp_rs"] + (["lksctp"] if lksctp else []) + (["static"] if static else [])
    outs = {}
    for v in variants:
        exit_status(prog, v)
        outs[v] = groups(read(os.path.join(RES, f"{prog}.{v}.out")))
    keys = list(exp) + [k for v in variants for k in outs[v] if k not in exp]
    for k in dict.fromkeys(keys):
        want = exp.get(k)
        div = divs.get((prog, k))
        problems = []
        for v in variants:
            got = outs[v].get(k)
            target = want
            if div is not None:
                used.add((prog, k))
                target = div["lksctp"] if v == "lksctp" else div["sctp_rs"]
                if v == "sctp_rs" and div["sctp_rs"] != want:
                    problems.append(f"divergence row {div['id']} disagrees with expected output")
            if got != target:
                problems.append(f"{v}: {got}\n  want: {target}")
        label = f"{prog}: {k}" + (f" (divergence {div['id']})" if div else "")
        check(label, not problems, "\n".join(problems))
    if binary:  # header and symbols are facts of scripts, not C programs
        bindings(prog)


def traced(prog):
    """The sctp_rs build run with SCTP_RS_TRACE=1 prints the rows the untraced run printed: the
    trace reads the (bad) arguments once more and must neither crash nor change a result."""
    exit_status(prog, "traced")
    got = groups(read(os.path.join(RES, f"{prog}.traced.out")))
    want = groups(read(os.path.join(RES, f"{prog}.sctp_rs.out")))
    bad = [f"{k}: {got.get(k)}\n  untraced: {want.get(k)}"
           for k in dict.fromkeys(list(want) + list(got)) if got.get(k) != want.get(k)]
    check(f"{prog} [traced]: SCTP_RS_TRACE=1 prints the same rows ({len(want)})",
          bool(want) and not bad, "\n".join(bad[:20]))
    err = read(os.path.join(RES, f"{prog}.traced.err")) or ""
    n = sum(1 for l in err.splitlines() if l.startswith("sctp_rs: sctp_"))
    check(f"{prog} [traced]: the trace wrote its lines ({n})", n > 0)


def rust_tests():
    out = read(os.path.join(RES, "rust.out")) or ""
    rc = (read(os.path.join(RES, "rust.rc")) or "missing").strip()
    results = re.findall(r"^test (\S+) \.\.\. (ok|FAILED|ignored)$", out, re.M)
    for name, res in results:
        check(f"rust: {name}", res == "ok", f"{res}\n" + "\n".join(
            l for l in out.splitlines() if name in l and "panicked" in l))
    check("rust: test binary exits 0 with tests run", rc == "0" and bool(results),
          f"exit {rc}\n{out[-1500:]}")


def rust_examples():
    """The examples of the Rust API, run with --check on the SCTP stack by run-suite.sh."""
    listed = (read(os.path.join(TOP, "build", "rust-examples")) or "").split()
    check("rust examples: built and listed (build/rust-examples)", bool(listed))
    for path in listed:
        name = os.path.basename(path)
        rc = (read(os.path.join(RES, f"example.{name}.rc")) or "missing").strip()
        out = read(os.path.join(RES, f"example.{name}.out")) or ""
        err = read(os.path.join(RES, f"example.{name}.err")) or ""
        last = out.strip().splitlines()[-1:] or [""]
        check(f"rust example {name} --check: exits 0 and ends with '{name}: ok'",
              rc == "0" and last[0] == f"{name}: ok", f"exit {rc}\n{out[-800:]}{err[-800:]}")


def rust_docs():
    """scripts/rust-crate.sh: cargo doc without a warning, every doctest passing, cargo package."""
    rc = (read(os.path.join(RES, "rustdoc.rc")) or "missing").strip()
    out = read(os.path.join(RES, "rustdoc.out")) or ""
    check("cargo doc: no warning (RUSTDOCFLAGS=-D warnings)", rc == "0", out[-1500:])
    rc = (read(os.path.join(RES, "doctest.rc")) or "missing").strip()
    out = read(os.path.join(RES, "doctest.out")) or ""
    results = re.findall(r"^test (.+) \.\.\. (ok|FAILED|ignored)$", out, re.M)
    for name, res in results:
        check(f"doctest: {name}", res == "ok", res)
    check("doctests: cargo test --doc exits 0 with doctests run", rc == "0" and bool(results),
          out[-1500:])
    rc = (read(os.path.join(RES, "package.rc")) or "missing").strip()
    out = read(os.path.join(RES, "package.out")) or ""
    check("cargo package: the crate packages and builds from its packaged files", rc == "0",
          out[-1500:])


def exports():
    so = os.path.join(TOP, "build", "libsctp_rs.so")
    rows = subprocess.run(["nm", "-D", "--defined-only", so], capture_output=True,
                          text=True).stdout.splitlines()
    # Version nodes (VERS_1 ...) are absolute symbols ("A"); the rest must all be sctp_*.
    names = [r.split()[2].split("@")[0] for r in rows if len(r.split()) == 3 and r.split()[1] != "A"]
    stray = [n for n in names if not n.startswith("sctp_")]
    check("libsctp_rs.so exports only sctp_* symbols", bool(names) and not stray,
          "exported: " + " ".join(stray))
    missing = [f for f in OUR_FUNCS if f not in names]
    check("libsctp_rs.so exports the four functions", not missing, "missing: " + " ".join(missing))


def abi_files():
    """What scripts/abi-check.sh read off the ELF files, beyond the differential symbol list."""
    text = read(os.path.join(RES, "abidiff.txt"))
    if text is None:
        check("abidiff ran against Debian's libsctp.so.1", False)
    else:
        m = re.search(r"Functions changes summary: (\d+) Removed, (\d+) Changed", text)
        sym = re.search(r"Function symbols changes summary: (\d+) Removed", text)
        status = re.search(r"abidiff exit status (\d+)", text)
        ok = (m is not None and m.group(1) == "0" and m.group(2) == "0"
              and (sym is None or sym.group(1) == "0")
              and (status is None or int(status.group(1)) & 8 == 0))
        # Debian's libsctp.so.1 has no DWARF: abidiff compares symbol tables only, so this proves
        # that no function symbol was removed, not that no prototype changed (c-tests/abi.c
        # and the differential builds against both headers check those).
        check("abidiff: no function symbol removed against Debian's libsctp.so.1", ok, text)
    same = (read(os.path.join(RES, "symbols-preload.txt")) or "").strip()
    check("libsctp_rs.so exports the same versioned symbols as libsctp.so.1", same == "same", same)


def anywhere_verdicts(a):
    """SCTP-anywhere's verdicts (sctpd and the shim): with the whole suite's, or alone."""
    if a.anywhere:
        verdict_anywhere.run(a.anywhere.split(), groups, check)
    if a.anywhere_daemon:
        verdict_anywhere.daemon(groups, check)
        verdict_anywhere.interop(groups, check)
    if a.interop_anywhere:
        verdict_interop.run(a.interop_anywhere.split(), check, ("anywhere",))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--diff", default="")
    ap.add_argument("--ours", default="")
    ap.add_argument("--static", default="")
    ap.add_argument("--threeway", default="", help="programs run three ways by run-suite.sh")
    ap.add_argument("--wrapper", default="", help="three-way programs also run by with-sctp-rs")
    ap.add_argument("--traced", default="", help="sctp_rs builds also run with SCTP_RS_TRACE=1")
    ap.add_argument("--interop", default="", help="apps run by interop/run.sh")
    ap.add_argument("--interop-only", action="store_true")
    ap.add_argument("--anywhere-daemon", action="store_true",
                    help="scripts/anywhere-daemon.sh and anywhere-interop.sh ran")
    ap.add_argument("--interop-anywhere", default="",
                    help="apps run on SCTP-anywhere by interop/run-anywhere.sh")
    ap.add_argument("--fuzz", default="", help="cargo-fuzz targets run by scripts/fuzz.sh")
    ap.add_argument("--fuzz-only", action="store_true")
    ap.add_argument("--counts", default="",
                    help="programs run under the counting shim (checked as --ours/--static; "
                         "their lksctp run is only shown)")
    ap.add_argument("--anywhere", default="",
                    help="C programs run on SCTP-anywhere by scripts/anywhere-suite.sh")
    ap.add_argument("--anywhere-only", action="store_true")
    ap.add_argument("--install", action="store_true",
                    help="scripts/install-test.sh ran: make install, pkg-config, the packages")
    a = ap.parse_args()
    if a.fuzz_only:
        verdict_fuzz.run(a.fuzz.split(), check)
        print(f"{passed} passed, {failed} failed")
        return 0 if failed == 0 and passed > 0 else 1
    if a.anywhere_only:
        anywhere_verdicts(a)
        print(f"{passed} passed, {failed} failed")
        return 0 if failed == 0 and passed > 0 else 1
    if a.interop_only:
        verdict_interop.run(a.interop.split(), check)
        print(f"{passed} passed, {failed} failed")
        return 0 if failed == 0 and passed > 0 else 1
    divs = load_divergences()
    used = set()
    if not os.path.isdir(RES):
        check("build/results exists (the suite ran on an SCTP stack)", False)
    else:
        kernel = (read(os.path.join(RES, "kernel")) or "?").strip()
        print(f"compare: results from kernel {kernel}")
        static = set(a.static.split())
        for p in a.diff.split():
            compare_program(p, True, p in static, divs, used, p not in ("header", "symbols"))
        for p in a.ours.split():
            compare_program(p, False, p in static, divs, used, True)
        for p in a.counts.split():
            info = os.path.join(RES, f"{p}.lksctp-info.out")
            if os.path.exists(info):
                print(f"info: {p} on lksctp (not asserted): {os.path.relpath(info, TOP)}")
        for p in a.traced.split():
            traced(p)
        rust_tests()
        rust_examples()
        rust_docs()
        abi_files()
        verdict_threeway.run(a.threeway.split(), groups, check, set(a.diff.split()),
                             set(a.wrapper.split()))
        c_programs = [p for p in a.diff.split() if p not in ("header", "symbols")]
        verdict_memcheck.run(c_programs, a.ours.split(), a.static.split(),
                             a.threeway.split(), set(a.counts.split()), check)
        verdict_interop.run(a.interop.split(), check)
        verdict_fuzz.run(a.fuzz.split(), check)
        verdict_instr.run(check)
        anywhere_verdicts(a)
        if a.install:
            verdict_install.run(check, RES)
    exports()
    verdict_man.run(OUR_FUNCS, check,
                    os.path.join(RES, "install") if a.install else None)
    readme = read(os.path.join(TOP, "README.md")) or ""
    for key, row in divs.items():
        check(f"divergence {row['id']} ({key[0]}: {key[1]}) is exercised", key in used)
    for ident in sorted({r["id"] for r in divs.values()}):
        check(f"divergence {ident} is listed in README.md", f"`{ident}`" in readme)
    if "badinput" in a.diff.split():
        md, n, problems = badinput_table.table()
        check(f"README.md: the bad-input tables ({n} rows) are current "
              "(python3 scripts/badinput_table.py --write)",
              not problems and badinput_table.readme_block(readme) == md, "\n".join(problems))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
