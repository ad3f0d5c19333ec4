"""The verdict on the C conformance programs run on SCTP-anywhere (scripts/anywhere-suite.sh):
each program's sctp_rs build, with libsctp_anywhere.so preloaded and its SCTP on sctpd, must
exit 0 and print what it prints on the kernel (c-tests/expected/<prog>.out), check by check,
except the rows of c-tests/anywhere-divergences.tsv: there the kernel's expected lines and the
lines printed on sctpd are both written down, with the reason (a limit of the userspace stack
or of the test network, never a bug of ours). Every row must be exercised and listed in
README.md; sctpd's log must show no panic.
"""
import os
from results import read

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RES = os.path.join(TOP, "build", "results", "anywhere")
DIVS = os.path.join(TOP, "c-tests", "anywhere-divergences.tsv")
NO_LINE = "(no line)"


def load_divergences():
    rows = {}
    for ln in (read(DIVS) or "").splitlines():
        if ln.startswith("#") or not ln.strip():
            continue
        ident, prog, chk, kernel, ours, why = ln.split("\t")
        # A check one side does not print at all is written "(no line)".
        absent = lambda v: None if v == NO_LINE else v
        rows[(prog, chk)] = {"id": ident, "kernel": absent(kernel), "anywhere": absent(ours),
                             "why": why}
    return rows


def expected_only(name, groups, check, what):
    """A run of SCTP-anywhere with no kernel counterpart, build/results/anywhere/<name>.out,
    against c-tests/expected-anywhere/<name>.out (and <name>.rc 0 where the run writes one)."""
    rcf = os.path.join(RES, f"{name}.rc")
    if os.path.exists(rcf):
        rc = (read(rcf) or "missing").strip()
        err = read(os.path.join(RES, f"{name}.err")) or ""
        check(f"anywhere {name}: exits 0", rc == "0", f"exit status {rc}\n{err[-800:]}")
    want = groups(read(os.path.join(TOP, "c-tests", "expected-anywhere", f"{name}.out")))
    got = groups(read(os.path.join(RES, f"{name}.out")))
    check(f"anywhere {name} ({what}): c-tests/expected-anywhere/{name}.out exists", bool(want))
    check(f"anywhere {name} ({what}): ran", bool(got))
    for k in dict.fromkeys(list(want) + list(got)):
        check(f"anywhere {name}: {k}", got.get(k) == want.get(k),
              f"sctpd: {got.get(k)}\n  want: {want.get(k)}")


def daemon(groups, check):
    """scripts/anywhere-daemon.sh: sctpd's privileges and sockets, and programs whose sctpd
    stops or dies under them (c-tests/anywhere_restart.c)."""
    expected_only("daemon", groups, check, "sctpd itself, restarts")


def interop(groups, check):
    """scripts/anywhere-interop.sh: a program under the shim and the kernel's SCTP (kernel),
    two hosts' sctpd (hosts), both ways."""
    expected_only("kernel", groups, check, "with the kernel's SCTP over UDP")
    expected_only("hosts", groups, check, "two hosts' sctpd")


def run(progs, groups, check):
    divs = load_divergences()
    check("c-tests/anywhere-divergences.tsv exists", read(DIVS) is not None)
    used = set()
    for p in progs:
        rc = (read(os.path.join(RES, f"{p}.rc")) or "missing").strip()
        err = read(os.path.join(RES, f"{p}.err")) or ""
        check(f"anywhere {p}: exits 0 on sctpd", rc == "0", f"exit status {rc}\n{err[-800:]}")
        expected = read(os.path.join(TOP, "c-tests", "expected", f"{p}.out"))
        if expected is None:
            check(f"anywhere {p}: c-tests/expected/{p}.out exists", False)
            continue
        exp = groups(expected)
        got = groups(read(os.path.join(RES, f"{p}.out")))
        for k in dict.fromkeys(list(exp) + list(got)):
            want, div = exp.get(k), divs.get((p, k))
            problems = []
            if div is not None:
                used.add((p, k))
                if want != div["kernel"]:
                    problems.append(f"divergence row {div['id']}: its kernel column is not "
                                    f"the expected output:\n  {want}")
                want = div["anywhere"]
            # A divergence may list the outputs sctpd may print, " || " between them (two
            # wakeups whose order the userspace stack does not fix).
            alternatives = want.split(" || ") if div is not None and want else [want]
            if got.get(k) not in alternatives:
                problems.append(f"sctpd: {got.get(k)}\n  want: {want}")
            label = f"anywhere {p}: {k}" + (f" (divergence {div['id']})" if div else "")
            check(label, not problems, "\n".join(problems))
    for name in sorted(f for f in os.listdir(RES) if f.startswith("sctpd") and f.endswith(".log")) \
            if os.path.isdir(RES) else []:
        log = read(os.path.join(RES, name)) or ""
        check(f"anywhere: {name}: sctpd never panicked", "panicked" not in log,
              "\n".join(l for l in log.splitlines() if "panick" in l)[:800])
    readme = read(os.path.join(TOP, "README.md")) or ""
    for key, row in divs.items():
        if key[0] in progs:
            check(f"anywhere divergence {row['id']} ({key[0]}: {key[1]}) is exercised",
                  key in used)
    for ident in sorted({r["id"] for r in divs.values()}):
        check(f"anywhere divergence {ident} is listed in README.md", f"`{ident}`" in readme)
