"""The verdict on real applications (interop/<app>.sh, run three ways by interop/run.sh, and a
fourth, anywhere, by interop/run-anywhere.sh: on sctpd through the shim).

For each app and mode (asis, preload, inplace, anywhere):
  - the script exits 0 and prints exactly interop/expected/<app>.out (the app did its job);
  - LD_DEBUG=bindings: every sctp_* symbol the app and its libraries bind goes to Debian's
    libsctp.so.1 (asis, anywhere), to build/libsctp_rs.so (preload) or to build/libsctp.so.1
    (inplace);
  - SCTP_RS_TRACE=1: the functions traced are exactly the script's "# calls:" line (preload and
    inplace: the calls really went through sctp_rs), and nothing is traced as is or anywhere.
"""
import glob
import os
import re
from results import read as _read

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RES = os.path.join(TOP, "build", "results", "interop")
BUILD = os.path.join(TOP, "build")
TARGET = {
    "asis": "/libsctp.so.1",
    "preload": os.path.join(BUILD, "libsctp_rs.so"),
    "inplace": os.path.join(BUILD, "libsctp.so.1"),
    "anywhere": "/libsctp.so.1",
}
MODES = ("asis", "preload", "inplace")
BIND_RE = re.compile(r"binding file (\S+) \[\d+\] to (\S+) \[\d+\]: normal symbol `(sctp_\w+)'")
# "sctp_rs: sctp_bindx(" or "sctp_rs: sctp_connectx@VERS_1(": the function, without version.
TRACE_RE = re.compile(r"^sctp_rs: (sctp_\w+)(?:@\w+)?\(", re.M)


def declared_calls(app):
    text = _read(os.path.join(TOP, "interop", f"{app}.sh")) or ""
    m = re.search(r"^# calls:(.*)$", text, re.M)
    return None if m is None else sorted(m.group(1).split())


def _bound_ok(mode, lib):
    if mode in ("asis", "anywhere"):
        return (os.path.basename(lib) == "libsctp.so.1"
                and not os.path.realpath(lib).startswith(BUILD + os.sep))
    return os.path.realpath(lib) == os.path.realpath(TARGET[mode])


def run(apps, check, modes=MODES):
    for app in apps:
        calls = declared_calls(app)
        check(f"interop {app}: interop/{app}.sh declares its libsctp calls", calls is not None)
        calls = calls or []
        expected = _read(os.path.join(TOP, "interop", "expected", f"{app}.out"))
        check(f"interop {app}: interop/expected/{app}.out exists", expected is not None)
        for mode in modes:
            d = os.path.join(RES, f"{app}.{mode}")
            rc = (_read(os.path.join(d, "rc")) or "missing").strip()
            out = _read(os.path.join(d, "out")) or ""
            errs = "".join(_read(p) or "" for p in sorted(glob.glob(os.path.join(d, "*.err"))))
            tail = "\n".join(l for l in errs.splitlines() if not l.startswith("sctp_rs: "))[-1200:]
            check(f"interop {app} [{mode}]: exits 0", rc == "0", f"exit {rc}\n{tail}")
            if expected is not None:
                check(f"interop {app} [{mode}]: does its job (output as expected)",
                      out == expected, f"got:\n{out}\nwant:\n{expected}")
            binds = []
            for p in glob.glob(os.path.join(d, "ld.*")):
                binds += BIND_RE.findall(_read(p) or "")
            bound = sorted({fn for _, _, fn in binds})
            wrong = sorted({f"{fn} from {src} -> {lib}" for src, lib, fn in binds
                            if not _bound_ok(mode, lib)})
            missing = [fn for fn in calls if fn not in bound]
            check(f"interop {app} [{mode}]: every sctp_* binding goes to {TARGET[mode]}"
                  f" ({len(bound)} symbols bound)",
                  not wrong and not missing,
                  "\n".join(wrong + [f"{fn}: no binding at all" for fn in missing]))
            traced = sorted(set(TRACE_RE.findall(errs)))
            if mode in ("asis", "anywhere"):
                check(f"interop {app} [{mode}]: nothing traced (sctp_rs not loaded)", not traced,
                      " ".join(traced))
            else:
                check(f"interop {app} [{mode}]: calls traced through sctp_rs = "
                      f"{' '.join(calls) or 'none'}", traced == calls,
                      f"traced: {' '.join(traced) or 'none'}")
