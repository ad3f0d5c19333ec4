"""The verdict on the three-way runs: each C program built as an existing binary is (lksctp's
header, linked against Debian's libsctp.so.1) and run as is, with LD_PRELOAD=libsctp_rs.so and
with our libsctp.so.1 in place (run-suite.sh; results <prog>.{asis,preload,inplace}.*).

Per check, as is must print what the lksctp build printed and the two sctp_rs modes what the
sctp_rs build printed: the programs are the same, so they differ only on the divergence rows
that compare.py already holds the two builds to. The exceptions are rows of c-tests/threeway.tsv
(program, check prefix, class):
  header     a compile-time fact of the header: all three print the lksctp build's line
  by-handle  dlopen("libsctp.so.1") and lookups by handle, which LD_PRELOAD cannot reach: as is
             and preload print the lksctp build's line, in place the sctp_rs build's
  unbound    sctp_peeloff_flags, which Debian's library does not export (a weak reference): as
             is prints "sctp_peeloff_flags not bound" (or nothing, for the lines that follow a
             call), the sctp_rs modes the sctp_rs build's line
A program only the three-way runs have (oldabi) must print c-tests/expected/<prog>.out in all
three modes. LD_DEBUG=bindings: every sctp_* symbol the program binds goes to Debian's
libsctp.so.1 as is, to build/libsctp_rs.so under LD_PRELOAD, to build/libsctp.so.1 in place.
"""
import os
import re
from results import read as _read

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RES = os.path.join(TOP, "build", "results")
BUILD = os.path.join(TOP, "build")
MODES = ("asis", "preload", "inplace")
# "wrapper": scripts/with-sctp-rs PROGRAM, held to what the preload run must print;
# "wrapper-inplace": scripts/with-sctp-rs --in-place PROGRAM, to what the in-place run must print.
EXTRA = {"wrapper": "preload", "wrapper-inplace": "inplace"}
BIND_RE = re.compile(r"binding file (\S+) \[\d+\] to (\S+) \[\d+\]: normal symbol `(sctp_\w+)'"
                     r"(?: \[(\w+)\])?")
UNBOUND = "sctp_peeloff_flags not bound"


def load_classes():
    rows = []
    with open(os.path.join(TOP, "c-tests", "threeway.tsv"), encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("#") or not ln.strip():
                continue
            prog, prefix, cls, why = ln.rstrip("\n").split("\t")
            rows.append((prog, prefix, cls, why))
    return rows


def _class_of(rows, prog, check, used):
    for r in rows:
        if r[0] == prog and (check == r[1] or check.startswith(r[1] + ".")):
            used.add(r[:2])
            return r[2]
    return "runtime"


def _bindings(prog, mode, check, like=None):
    err = _read(os.path.join(RES, f"{prog}.{mode}.err"))
    check(f"three-way {prog} [{mode}]: LD_DEBUG=bindings output exists",
          err is not None and "binding file" in err)
    err = err or ""
    exe = os.path.join(BUILD, "c-tests", "dyn", prog)
    binds = [(f, lib, fn, ver) for f, lib, fn, ver in BIND_RE.findall(err)
             if os.path.realpath(f) == exe]
    kind = like or mode
    want = {"asis": "Debian's libsctp.so.1", "preload": os.path.join(BUILD, "libsctp_rs.so"),
            "inplace": os.path.join(BUILD, "libsctp.so.1")}[kind]

    def ok(lib):
        if kind == "asis":
            return (os.path.basename(lib) == "libsctp.so.1"
                    and not os.path.realpath(lib).startswith(BUILD + os.sep))
        return os.path.realpath(lib) == os.path.realpath(want)

    wrong = sorted({f"{fn}@{ver} -> {lib}" for _, lib, fn, ver in binds if not ok(lib)})
    names = sorted({f"{fn}@{ver}" if ver else fn for _, _, fn, ver in binds})
    by_handle_only = prog in ("abi", "versions")  # they call libsctp through dlsym only
    check(f"three-way {prog} [{mode}]: every sctp_* binding goes to {want} "
          f"({' '.join(names) or 'none: it calls through dlsym only'})",
          not wrong and (bool(binds) or by_handle_only), "\n".join(wrong) or "no binding")
    return names


def run(progs, groups, check, diff_progs, wrappers):
    """progs: the three-way programs; diff_progs: those that also have lksctp and sctp_rs
    builds (the others are held to c-tests/expected/); wrappers: those also run through
    scripts/with-sctp-rs."""
    rows = load_classes()
    used = set()
    for prog in progs:
        outs = {}
        for m in MODES:
            rc = (_read(os.path.join(RES, f"{prog}.{m}.rc")) or "missing").strip()
            check(f"three-way {prog} [{m}]: exits 0", rc == "0", f"exit status {rc}")
            outs[m] = groups(_read(os.path.join(RES, f"{prog}.{m}.out")))
        lk = groups(_read(os.path.join(RES, f"{prog}.lksctp.out")))
        ours = groups(_read(os.path.join(RES, f"{prog}.sctp_rs.out")))
        if prog not in diff_progs:
            exp = groups(_read(os.path.join(TOP, "c-tests", "expected", f"{prog}.out")))
            lk = ours = exp
            check(f"three-way {prog}: c-tests/expected/{prog}.out exists", bool(exp))
        keys = dict.fromkeys(list(lk) + list(ours) + [k for m in MODES for k in outs[m]])
        for k in keys:
            cls = _class_of(rows, prog, k, used)
            want = {
                "runtime": (lk.get(k), ours.get(k), ours.get(k)),
                "header": (lk.get(k), lk.get(k), lk.get(k)),
                "by-handle": (lk.get(k), lk.get(k), ours.get(k)),
                # As is, a call prints UNBOUND; the lines that follow one are not printed.
                "unbound": (UNBOUND if outs["asis"].get(k) is not None else None, ours.get(k),
                            ours.get(k)),
            }.get(cls)
            if want is None:
                check(f"c-tests/threeway.tsv: class {cls} is known", False)
                continue
            bad = [f"{m}: {outs[m].get(k)}\n  want: {w}" for m, w in zip(MODES, want)
                   if outs[m].get(k) != w]
            check(f"three-way {prog}: {k}" + ("" if cls == "runtime" else f" ({cls})"),
                  not bad, "\n".join(bad))
        for m, like in EXTRA.items():
            if prog in wrappers:
                rc = (_read(os.path.join(RES, f"{prog}.{m}.rc")) or "").strip()
                got = groups(_read(os.path.join(RES, f"{prog}.{m}.out")))
                check(f"three-way {prog} [{m}]: exits 0 and prints what [{like}] printed",
                      rc == "0" and got == outs[like], f"exit {rc}")
                _bindings(prog, m, check, like)
        bound = {m: _bindings(prog, m, check) for m in MODES}
        # sctp_peeloff_flags is the one the program may bind only on sctp_rs (unbound as is).
        same = {m: [n for n in v if not n.startswith("sctp_peeloff_flags")]
                for m, v in bound.items()}
        check(f"three-way {prog}: the same sctp_* symbols bound in all three modes",
              same["asis"] == same["preload"] == same["inplace"],
              "\n".join(f"{m}: {' '.join(v)}" for m, v in bound.items()))
        for r in rows:
            if r[0] == prog and r[2] == "unbound":
                n = sum(1 for k, v in outs["asis"].items()
                        if v == UNBOUND and (k == r[1] or k.startswith(r[1] + ".")))
                check(f"three-way {prog}: as is, {r[1]} calls print '{UNBOUND}' ({n})", n > 0)
    for r in rows:
        if r[0] in progs:
            check(f"c-tests/threeway.tsv row {r[0]} {r[1]} ({r[2]}) is exercised", r[:2] in used)
