#!/usr/bin/env python3
"""Writes BENCHMARKS.md and bench/ratios.png from what `make bench` measured (build/bench/):

    instr-fail.tsv instr-live.tsv     instructions per call (scripts/instr.py)
    timing-fail.tsv timing-live.tsv   ns per call (build/timing)
    throughput.tsv                    messages/s and MB/s (build/throughput)
    counts.out counts.lksctp.out      syscalls and allocations per call (c-tests/counts.c)
    machine.txt                       what the machine is

    bench_report.py BUILD_BENCH_DIR BENCHMARKS.md PNG
"""
import os
import re
import sys

ORDER = ["sctp_send", "sctp_sendmsg", "sctp_sendv", "sctp_sendx", "sctp_sendx_new",
         "sctp_recvmsg", "sctp_recvv", "sctp_peeloff", "sctp_peeloff_flags", "sctp_bindx",
         "sctp_connectx", "sctp_opt_info", "sctp_getpaddrs", "sctp_getladdrs"]
LABEL = {
    "sctp_send": "`sctp_send`",
    "sctp_sendmsg": "`sctp_sendmsg`",
    "sctp_sendv": "`sctp_sendv` (SNDINFO)",
    "sctp_sendx": "`sctp_sendx`, 3 addresses (existing association)",
    "sctp_sendx_new": "`sctp_sendx`, 3 addresses (implicit setup)",
    "sctp_recvmsg": "`sctp_recvmsg`",
    "sctp_recvv": "`sctp_recvv` (RCVINFO)",
    "sctp_peeloff": "`sctp_peeloff`",
    "sctp_peeloff_flags": "`sctp_peeloff_flags`",
    "sctp_bindx": "`sctp_bindx` (1 address)",
    "sctp_connectx": "`sctp_connectx` (1 address)",
    "sctp_opt_info": "`sctp_opt_info` (SCTP_STATUS)",
    "sctp_getpaddrs": "`sctp_getpaddrs` + free",
    "sctp_getladdrs": "`sctp_getladdrs` + free",
}


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def tsv(path, skip_first=0):
    rows = {}
    for ln in read(path).splitlines():
        f = ln.split("\t")[skip_first:]
        if len(f) >= 5:
            rows[f[0]] = {"lksctp": f[2], "sctp_rs": f[3], "raw": f[4]}
    return rows


def timing(path):
    rows = {}
    for ln in read(path).splitlines():
        f = ln.split("\t")
        if len(f) == 5 and f[0] == "time":
            rows.setdefault(f[1], {})[f[3]] = f[4]
    return rows


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def ratio(a, b):
    a, b = num(a), num(b)
    return f"{a / b:.2f}" if a is not None and b else "-"


def instr_table(fail, live):
    out = ["| function | fail: lksctp | fail: sctp_rs | fail: raw | fail: sctp_rs / lksctp "
           "| live: lksctp | live: sctp_rs | live: raw | live: sctp_rs / lksctp |",
           "|---|---|---|---|---|---|---|---|---|"]
    for fn in ORDER:
        f, l = fail.get(fn, {}), live.get(fn, {})
        if not f and not l:
            continue
        out.append(f"| {LABEL[fn]} | {f.get('lksctp', '-')} | {f.get('sctp_rs', '-')} | "
                   f"{f.get('raw', '-')} | {ratio(f.get('sctp_rs'), f.get('lksctp'))} | "
                   f"{l.get('lksctp', '-')} | {l.get('sctp_rs', '-')} | {l.get('raw', '-')} | "
                   f"{ratio(l.get('sctp_rs'), l.get('lksctp'))} |")
    return "\n".join(out)


def time_table(fail, live):
    out = ["| function | fail: lksctp | fail: sctp_rs | fail: raw | live: lksctp | "
           "live: sctp_rs | live: raw |", "|---|---|---|---|---|---|---|"]
    for fn in ORDER:
        f, l = fail.get(fn, {}), live.get(fn, {})
        if not f and not l:
            continue
        out.append(f"| {LABEL[fn]} | {f.get('lksctp', '-')} | {f.get('sctp_rs', '-')} | "
                   f"{f.get('raw', '-')} | {l.get('lksctp', '-')} | {l.get('sctp_rs', '-')} | "
                   f"{l.get('raw', '-')} |")
    return "\n".join(out)


def throughput_table(path):
    rows = {}
    for ln in read(path).splitlines():
        f = ln.split("\t")
        if len(f) == 9 and f[0] == "throughput":
            rows[(int(f[2]), int(f[3]), f[1])] = (f[4], f[5], f[6], f[7], f[8])
    out = ["| message | streams | lksctp msgs/s | lksctp MB/s | sctp_rs msgs/s | sctp_rs MB/s | "
           "sctp_rs / lksctp | verified |", "|---|---|---|---|---|---|---|---|"]
    for (size, streams) in sorted({(k[0], k[1]) for k in rows}):
        lk = rows.get((size, streams, "lksctp"))
        rs = rows.get((size, streams, "sctp_rs"))
        if not lk or not rs:
            continue
        ok = all(r[0] == r[1] and r[2] == "0" for r in (lk, rs))
        out.append(f"| {size} B | {streams} | {lk[3]} | {lk[4]} | {rs[3]} | {rs[4]} | "
                   f"{ratio(rs[3], lk[3])} | {'every message, every round' if ok else 'NO'} |")
    return "\n".join(out)


def counts_summary(path):
    text = read(path)
    lines = [ln for ln in text.splitlines() if ln.startswith("counts.")]
    return "\n".join(lines)


def chart(fail, live, png):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench_report: matplotlib missing: no chart (pip install matplotlib)")
        return False
    names, series = [], {"fail: sctp_rs / lksctp": [], "live: sctp_rs / lksctp": [],
                         "fail: raw / lksctp": [], "live: raw / lksctp": []}
    for fn in ORDER:
        f, l = fail.get(fn, {}), live.get(fn, {})
        if num(f.get("lksctp")) is None and num(l.get("lksctp")) is None:
            continue
        names.append(fn.replace("sctp_", ""))
        for key, d, col in (("fail: sctp_rs / lksctp", f, "sctp_rs"),
                            ("live: sctp_rs / lksctp", l, "sctp_rs"),
                            ("fail: raw / lksctp", f, "raw"), ("live: raw / lksctp", l, "raw")):
            a, b = num(d.get(col)), num(d.get("lksctp"))
            series[key].append(a / b if a is not None and b else 0)
    fig, ax = plt.subplots(figsize=(11, 5))
    width = 0.2
    for i, (key, vals) in enumerate(series.items()):
        ax.bar([x + (i - 1.5) * width for x in range(len(names))], vals, width, label=key)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_ylabel("instructions per call, relative to lksctp")
    ax.set_title("sctp_rs and the raw syscall against lksctp (callgrind; lower is cheaper)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    return True


def anywhere_tables(path):
    """SCTP-anywhere (scripts/bench-anywhere.sh): one table per environment, a column per
    stack, a row per case."""
    rows = [l.split("\t") for l in (read(path) or "").splitlines() if l.count("\t") == 4]
    if not rows:
        return "(not measured: build/bench/anywhere.tsv is missing)"
    out = []
    titles = {"uml": "In User-Mode Linux (Linux 6.1 with kernel SCTP, one virtual "
                     "CPU)", "host": "Natively on the host (no kernel SCTP)"}
    for env in dict.fromkeys(r[0] for r in rows):
        stacks = list(dict.fromkeys(r[1] for r in rows if r[0] == env))
        cases = list(dict.fromkeys((r[2], r[4]) for r in rows if r[0] == env))
        val = {(r[1], r[2], r[4]): r[3] for r in rows if r[0] == env}
        out.append(f"{titles.get(env, env)}:\n")
        out.append("| case | unit | " + " | ".join(stacks) + " |")
        out.append("|---|---|" + "---|" * len(stacks))
        for c, u in cases:
            out.append(f"| {c} | {u} | " + " | ".join(val.get((s, c, u), "-") for s in stacks) + " |")
        out.append("")
    return "\n".join(out)


def main():
    d, md, png = sys.argv[1:4]
    fail = tsv(os.path.join(d, "instr-fail.tsv"))
    live = tsv(os.path.join(d, "instr-live.tsv"))
    tf = timing(os.path.join(d, "timing-fail.tsv"))
    tl = timing(os.path.join(d, "timing-live.tsv"))
    machine = read(os.path.join(d, "machine.txt")).strip()
    have_chart = chart(fail, live, png)
    with open(md, "w", encoding="utf-8") as f:
        f.write(f"""# Benchmarks

Everything here is measured by `make bench` and this file is written by it
(`scripts/bench_report.py`); the chart is `{os.path.relpath(png, os.path.dirname(md))}`.

## Method

- **Both libraries are loaded the same way**: `dlopen` of Debian's `libsctp.so.1` (lksctp
  1.0.19) and of `build/libsctp_rs.so`, called through function pointers, so neither pays a call
  path the other does not. The **raw** column is glibc's wrapper of the same syscall with
  arguments prepared beforehand: the floor. Functions lksctp's shared library lacks
  (`sctp_sendx`; `sctp_peeloff_flags`, which its version script hides) compare with the raw
  syscall only.
- **Paths**: *fail* is a bad descriptor (EBADF: the library's own work and the cheapest
  syscall); *live* is a real one-to-many association on kernel SCTP (Linux 6.1 in User-Mode
  Linux): sends on it, receives of a queued message (`sctp_recvmsg` with SCTP_SNDRCV from
  data_io, `sctp_recvv` with SCTP_RCVINFO), a peel-off, a bindx, a connectx of a fresh socket.
- **Instructions per call** (`bench/instr.c` under `valgrind --tool=callgrind`,
  `scripts/instr.py`): one call between two callgrind client requests, after two unmeasured
  calls; user space only (glibc's syscall wrapper included, the kernel not), so the numbers are
  the same on every run. They include the ~10 instructions of the client requests and the call
  through the pointer. `make test` asserts sctp_rs <= lksctp on every row that has both, on
  both paths, with one allowance: `sctp_opt_info` may cost up to 5 more, the three checks
  (2 instructions each, less lksctp's PLT stub) that fix the divergences `opt-info-null-arg`
  and `opt-info-short-size` (lksctp writes the id through a NULL `arg` and past a `*size`
  below 4); the verdict also fails if the allowance is no longer needed
  (`scripts/verdict_instr.py`).
- **Nanoseconds per call** (the same program built with `-DTIMING`): each call timed on its own
  (a call's setup, such as a fresh association for a peel-off, outside its time), 7 rounds
  interleaved across the columns, the best round kept, the clock's own cost taken off. On the
  host only the fail path can run (no kernel SCTP); in User-Mode Linux the syscalls cost tens of
  microseconds, so there only the columns' relation means anything. Timings vary from run to
  run; instruction counts do not.
- **Syscalls and allocations per call**: `c-tests/counts.c` under the counting interposer
  (`build/c-tests/libcount.so`), the same program `make test` holds to
  `c-tests/expected/counts.out`.
- **Throughput** (`bench/throughput.c`): one association on loopback, a sender thread
  (`sctp_sendmsg`) and a receiver thread (`sctp_recvmsg`) of the library under test, 64 B, 1 KiB
  and 16 KiB messages on 1 and 10 streams, SCTP_NODELAY on the sender (as signalling stacks
  run), 1 s per case, 3 rounds with the libraries interleaved, the best round kept; every
  message of every round is checked at the receiver (length, stream, order within its
  stream, every byte). In User-Mode Linux each syscall costs tens of microseconds, so the
  rates are the boot's, and only the ratio of the two libraries means anything.
- **SCTP-anywhere** (`bench/anywhere.c` through the socket API, `bench/usrsctp.c` with usrsctp
  in-process, `scripts/bench-anywhere.sh`): one one-to-one association on 127.0.0.1, 4 MiB
  buffers, no Nagle delay; latency is 2000 round trips of a 64-byte message echoed one at a
  time (median and 99th percentile), throughput a sender thread and a receiver thread for 2 s
  per size, every message checked (length, sequence, pattern). The same program runs on the
  kernel's SCTP and, under the shim, on sctpd; usrsctp in-process is the floor sctpd's cost
  adds to (the same stack, no daemon, no socket pair). In User-Mode Linux the kernel's SCTP
  runs inside the emulated kernel while usrsctp's timers and UDP go through it as an ordinary
  process, which costs it far more than on the host: compare the columns of one table, and
  read the host's table for what sctpd costs on real hardware.

## The machine

```
{machine}
```

## Instructions per call

{instr_table(fail, live)}

{"![ratios](" + os.path.relpath(png, os.path.dirname(md)) + ")" if have_chart else ""}

## Nanoseconds per call

{time_table(tf, tl)}

## Throughput (User-Mode Linux, loopback)

{throughput_table(os.path.join(d, "throughput.tsv"))}

## SCTP-anywhere: throughput and latency

{anywhere_tables(os.path.join(d, "anywhere.tsv"))}

## Syscalls and allocations per call

sctp_rs (every line is asserted by `make test`):

```
{counts_summary(os.path.join(d, "counts.out"))}
```

lksctp, for comparison (not asserted):

```
{counts_summary(os.path.join(d, "counts.lksctp.out"))}
```
""")
    print(f"bench_report: wrote {md}" + (f" and {png}" if have_chart else ""))


if __name__ == "__main__":
    main()
