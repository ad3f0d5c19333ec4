"""The verdict on the memcheck runs (run-suite.sh: every C program that runs on sctp_rs, each
way it runs, and the demo, again under valgrind; results <name>.vg-<way>.* and demo.vg.*).

Per run: valgrind ran (one log per process, <name>.vglog.<pid>; in_child forks make more), every
log ends with "ERROR SUMMARY: 0 errors" and no "definitely lost" bytes, the exit status is 0
(--error-exitcode=99 turns an error in the main process into 99), and the program printed what
the same build printed without valgrind (so it really ran the checks, not just started), but
for the lines of c-tests/memcheck.tsv (a difference of valgrind's own, each with its reason). The
reports of c-tests/valgrind.supp's rows are counted as used: each suppression must be met.
A process the program killed with SIGKILL on purpose (its pid in <name>.killed) has no summary:
its log must then hold valgrind's opening lines and nothing else (no report before it died).
"""
import glob
import os
import re
from results import read as _read

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RES = os.path.join(TOP, "build", "results")


def suppression_names():
    text = _read(os.path.join(TOP, "c-tests", "valgrind.supp")) or ""
    return re.findall(r"^\{\s*\n\s*(\S[^\n]*)\n", text, re.M)


def load_exceptions():
    rows = []
    with open(os.path.join(TOP, "c-tests", "memcheck.tsv"), encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("#") or not ln.strip():
                continue
            prog, prefix, fields, why = ln.rstrip("\n").split("\t")
            rows.append((prog, prefix, fields, why))
    return rows


def _kept(text, prog, exceptions, hit):
    """The lines of a program's output, less what c-tests/memcheck.tsv's rows leave out: whole
    lines (fields "*"), or the values of the named name=value fields."""
    out = []
    for ln in (text or "").splitlines():
        key = ln.partition(": ")[0]
        row = next((r for r in exceptions if r[0] == prog and
                    (key == r[1] or key.startswith(r[1] + "."))), None)
        if row is None:
            out.append(ln)
            continue
        hit.add(row[:2])
        if row[2] != "*":
            for name in row[2].split(","):
                ln = re.sub(rf"(?<![\w.]){re.escape(name)}=\S+", f"{name}=*", ln)
            out.append(ln)
    return out


PREAMBLE = re.compile(r"(Memcheck, a memory error detector|Copyright \(C\) .*|Using Valgrind-.*"
                      r"|Command: .*|Parent PID: \d+|)$")


def killed_log_clean(text, pid):
    """The log of a process killed on purpose holds valgrind's opening lines only."""
    for ln in text.splitlines():
        m = re.match(rf"=={pid}== ?(.*)$", ln)
        if not m or not PREAMBLE.match(m.group(1)):
            return False
    return True


def one(name, plain, check, used, exceptions=(), hit=None):
    """name: results prefix of the memcheck run; plain: that of the same program without
    valgrind (None: only exit status and logs are held)."""
    logs = sorted(glob.glob(os.path.join(RES, f"{name}.vglog.*")))
    rc = (_read(os.path.join(RES, f"{name}.rc")) or "missing").strip()
    killed = set((_read(os.path.join(RES, f"{name}.killed")) or "").split())
    bad = [f"process {pid}: killed on purpose, but no valgrind log"
           for pid in sorted(killed) if not os.path.exists(os.path.join(RES, f"{name}.vglog.{pid}"))]
    for log in logs:
        text = _read(log) or ""
        pid = log.rsplit(".", 1)[1]
        m = re.findall(r"ERROR SUMMARY: (\d+) errors", text)
        if not m and pid in killed:
            if not killed_log_clean(text, pid):
                bad.append(f"process {pid}: killed on purpose, with reports before it died\n{text[-1500:]}")
        elif not m:
            bad.append(f"process {pid}: no ERROR SUMMARY (killed, or valgrind failed)\n{text[-1500:]}")
        elif m[-1] != "0":
            reports = "\n".join(text.splitlines()[:60])
            bad.append(f"process {pid}: {m[-1]} errors\n{reports}")
        lost = re.findall(r"definitely lost: ([\d,]+) bytes", text)
        if any(v != "0" for v in lost):
            bad.append(f"process {pid}: definitely lost {lost}")
        for used_name in re.findall(r"^--\d+--\s+used_suppression:\s+\d+\s+(.+?)\s+\S+:\d+(?:\s+suppressed: .*)?$",
                                    text, re.M):
            used.add(used_name.strip())
    check(f"memcheck {name}: valgrind ran", bool(logs), "no valgrind log")
    check(f"memcheck {name}: 0 errors, 0 bytes definitely lost", logs and not bad,
          "\n".join(bad))
    check(f"memcheck {name}: exits 0", rc == "0",
          f"exit status {rc}\n{(_read(os.path.join(RES, name + '.err')) or '')[-800:]}")
    if plain is not None:
        prog = name.split(".")[0]
        got_text = _read(os.path.join(RES, f"{name}.out"))
        g = _kept(got_text, prog, exceptions, hit if hit is not None else set())
        w = _kept(_read(os.path.join(RES, f"{plain}.out")), prog, exceptions, set())
        diff = "\n".join(f"  under valgrind: {a}\n  without:        {b}"
                         for a, b in zip(g + [""] * len(w), w + [""] * len(g)) if a != b)
        check(f"memcheck {name}: prints what {plain} printed", got_text is not None and g == w,
              diff[:3000])


def run(diff, ours, static, threeway, counted, check):
    """counted: the programs run under the counting interposer, which cannot count under
    valgrind (malloc binds to valgrind's own): not run under memcheck."""
    used, hit = set(), set()
    exc = load_exceptions()
    ours = [p for p in ours if p not in counted]
    static = [p for p in static if p not in counted]
    for p in diff + ours:
        one(f"{p}.vg-sctp_rs", f"{p}.sctp_rs", check, used, exc, hit)
    for p in static:
        one(f"{p}.vg-static", f"{p}.static", check, used, exc, hit)
    for p in threeway:
        for way in ("preload", "inplace"):
            one(f"{p}.vg-{way}", f"{p}.{way}", check, used, exc, hit)
    for prog, prefix, _, why in exc:
        check(f"memcheck: exception {prog} {prefix} matches lines of a run", (prog, prefix) in hit,
              why)
    one("demo.vg", None, check, used)
    demo = _read(os.path.join(RES, "demo.out")) or ""
    check("demo runs to its graceful shutdown", "graceful shutdown" in demo
          and (_read(os.path.join(RES, "demo.rc")) or "").strip() == "0", demo[-800:])
    for s in suppression_names():
        check(f"memcheck: suppression '{s}' is met (a row hands the kernel a bad pointer)",
              s in used)
