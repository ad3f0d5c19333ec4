"""The verdict on `make fuzz-smoke` (scripts/fuzz.sh: each cargo-fuzz target for a bounded time,
results build/results/fuzz/<target>.{log,rc,runs}): each target built, ran, executed inputs and
ended without a finding (a crash, a panic, an AddressSanitizer report, a leak or a timeout
makes libFuzzer exit non-zero and leave the input under build/fuzz/artifacts/<target>)."""
import os
import re
from results import read as _read

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RES = os.path.join(TOP, "build", "results", "fuzz")


def run(targets, check):
    for t in targets:
        rc = (_read(os.path.join(RES, f"{t}.rc")) or "missing").strip()
        runs = (_read(os.path.join(RES, f"{t}.runs")) or "0").strip()
        log = _read(os.path.join(RES, f"{t}.log")) or ""
        finding = "\n".join(log.splitlines()[-40:])
        check(f"fuzz {t}: ends without a finding", rc == "0", f"exit {rc}\n{finding}")
        check(f"fuzz {t}: executed inputs ({runs})", runs.isdigit() and int(runs) > 0,
              "no stat::number_of_executed_units in the log")
        print(f"fuzz: {t}: {runs} executions")
