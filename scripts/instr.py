#!/usr/bin/env python3
"""Instructions per call (bench/instr.c under callgrind): runs one path and prints a TSV of
rows "function path lksctp sctp_rs raw" (a dash where a column has no function).

    instr.py BINARY fail|live LIB OUT_DIR [--valgrind VALGRIND]

Each measured call is one callgrind dump named "<function> <path> <column>"; its "summary:"
line is the instruction count of that one call (glibc's syscall wrapper included, the kernel
not: the same on every run)."""
import glob
import os
import re
import subprocess
import sys


def measure(binary, path, lib, out_dir, valgrind="valgrind"):
    os.makedirs(out_dir, exist_ok=True)
    prefix = os.path.join(out_dir, f"callgrind.{path}")
    for f in glob.glob(prefix + "*"):
        os.remove(f)
    r = subprocess.run([valgrind, "--tool=callgrind", "--collect-atstart=no",
                        f"--callgrind-out-file={prefix}.out", binary, path, lib],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"instr: {binary} {path} exited {r.returncode}:\n{r.stderr[-2000:]}")
    counts = {}
    for f in glob.glob(prefix + ".out.*"):
        text = open(f, encoding="utf-8", errors="replace").read()
        name = re.search(r"^desc: Trigger: Client Request: (.+)$", text, re.M)
        total = re.search(r"^summary: (\d+)$", text, re.M)
        if name and total:
            fn, p, col = name.group(1).split()
            counts.setdefault((fn, p), {})[col] = int(total.group(1))
    return counts


def main():
    args = sys.argv[1:]
    valgrind = "valgrind"
    if "--valgrind" in args:
        i = args.index("--valgrind")
        valgrind = args[i + 1]
        del args[i:i + 2]
    binary, path, lib, out_dir = args
    counts = measure(binary, path, lib, out_dir, valgrind)
    order = []
    for (fn, p) in counts:
        if (fn, p) not in order:
            order.append((fn, p))
    for fn, p in order:
        c = counts[(fn, p)]
        print("\t".join([fn, p] + [str(c.get(k, "-")) for k in ("lksctp", "sctp_rs", "raw")]))


if __name__ == "__main__":
    main()
