"""Reading the suite's result files (build/results/...), shared by compare.py and its verdict_*
modules: a file's text, or None when the run did not write it (a missing file is a failed check
for the caller to name, never an exception)."""


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return None
