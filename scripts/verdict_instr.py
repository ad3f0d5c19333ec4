"""The verdict on instructions per call (run-suite.sh runs bench/instr.c under callgrind in the
boot, both paths: results instr-fail.tsv and instr-live.tsv): every row measured, and on every
row that has both libraries, sctp_rs costs no more instructions than lksctp. callgrind counts do
not vary from run to run, so this is a test, not a timing.

One row has an allowance, in ALLOWANCE: the instructions of checks that fix a listed divergence
(c-tests/divergences.tsv) and that lksctp, having the bug, does not make. The verdict requires
the divergence rows to exist, and the allowance to be needed (without it the row would fail), so
that it can never hide a regression elsewhere or outlive its reason."""
import os

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RES = os.path.join(TOP, "build", "results")
ROWS = {
    "fail": ["sctp_send", "sctp_sendmsg", "sctp_sendv", "sctp_sendx", "sctp_recvmsg",
             "sctp_recvv", "sctp_peeloff", "sctp_peeloff_flags", "sctp_bindx", "sctp_connectx",
             "sctp_opt_info", "sctp_getpaddrs", "sctp_getladdrs"],
}
ROWS["live"] = ROWS["fail"] + ["sctp_sendx_new"]

# function: (instructions, divergence ids, why). sctp_opt_info's fast path is lksctp's (range
# check, bit mask, store of the id, tail call of getsockopt) plus three tests with their
# branches: `arg` NULL (lksctp writes the id through it and crashes), `size` NULL, and *size
# below 4 (lksctp writes 4 bytes of id past a shorter buffer): 6 instructions, less the one
# of lksctp's PLT stub that sctp_rs's direct GOT call does not pay.
ALLOWANCE = {
    "sctp_opt_info": (5, ("opt-info-null-arg", "opt-info-short-size"),
                      "NULL arg, NULL size and short *size checks"),
}


def divergence_ids():
    ids = set()
    with open(os.path.join(TOP, "c-tests", "divergences.tsv"), encoding="utf-8") as f:
        for ln in f:
            if ln.strip() and not ln.startswith("#"):
                ids.add(ln.split("\t")[0])
    return ids


def run(check):
    for path, names in ROWS.items():
        text = None
        try:
            with open(os.path.join(RES, f"instr-{path}.tsv"), encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            pass
        check(f"instructions per call ({path}): measured", bool(text),
              f"build/results/instr-{path}.tsv missing or empty")
        rows = {}
        for ln in (text or "").splitlines():
            f = ln.split("\t")
            if len(f) == 5:
                rows[f[0]] = f[2:]
        for name in names:
            lk, rs, raw = rows.get(name, ["-", "-", "-"])
            check(f"instructions per call ({path}): {name} measured ({rs})",
                  rs.isdigit() and raw.isdigit(), f"lksctp {lk} sctp_rs {rs} raw {raw}")
            if not (lk.isdigit() and rs.isdigit()):
                continue
            if name in ALLOWANCE:
                n, ids, why = ALLOWANCE[name]
                missing = [i for i in ids if i not in divergence_ids()]
                check(f"instructions per call ({path}): {name}: sctp_rs {rs} <= lksctp {lk} "
                      f"+ {n} ({why}: {', '.join(ids)})",
                      int(rs) <= int(lk) + n and int(rs) > int(lk) and not missing,
                      f"sctp_rs {rs}, lksctp {lk}, raw syscall {raw}; "
                      + (f"divergence rows missing: {missing}" if missing else
                         "the allowance is no longer needed: remove it" if int(rs) <= int(lk)
                         else "over the allowance"))
                continue
            check(f"instructions per call ({path}): {name}: sctp_rs {rs} <= lksctp {lk}",
                  int(rs) <= int(lk), f"sctp_rs {rs}, lksctp {lk}, raw syscall {raw}")
