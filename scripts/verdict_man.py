"""The verdict on the manual pages of man/ (installed by make install and libsctp-rs-dev):
each page renders with groff -ww and with man --warnings without a single warning, names the
library's version, every exported function has a page (its own or an alias) whose NAME line
lists it, an alias page is one .so line that resolves, and every EXAMPLES program of a section
3 page, as a reader sees it, compiles against include/ and links against build/libsctp_rs.so."""
import glob
import os
import re
import subprocess
from results import read as _read

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
MAN = os.path.join(TOP, "man")


def _version():
    with open(os.path.join(TOP, "Makefile"), encoding="utf-8") as f:
        return re.search(r"^VERSION := (\S+)$", f.read(), re.M).group(1)


def _run(cmd, **kw):
    p = subprocess.run(cmd, cwd=MAN, capture_output=True, text=True, **kw)
    return p.returncode, p.stdout, p.stderr


def _example(src):
    """The program between .EX and .EE in the EXAMPLES section, as a reader sees it: those source
    lines rendered by groff alone (plain ASCII, no fill, wide lines), dedented."""
    sect = re.search(r"^\.SH EXAMPLES?\n(.*?)(?=^\.SH |\Z)", src, re.M | re.S)
    block = re.search(r"^\.EX\n(.*?)^\.EE$", sect.group(1), re.M | re.S) if sect else None
    if not block:
        return ""
    doc = ".TH X 3\n.nf\n" + block.group(1)
    env = dict(os.environ, LC_ALL="C")
    p = subprocess.run(["groff", "-man", "-Tascii", "-P-cbou", "-rLL=200n"], input=doc,
                       capture_output=True, text=True, env=env)
    lines = p.stdout.splitlines()
    # man's page header and footer lines: the first and last non-empty lines.
    while lines and not lines[0].strip():
        lines.pop(0)
    lines = lines[1:]
    while lines and not lines[-1].strip():
        lines.pop()
    lines = lines[:-1]
    body = [ln for ln in lines if ln.strip()]
    if not body:
        return ""
    indent = min(len(ln) - len(ln.lstrip(" ")) for ln in body)
    return "\n".join(ln[indent:] for ln in lines).strip("\n") + "\n"


def _compile(page, code, outdir=os.path.join(TOP, "build", "man-examples")):
    out = os.path.join(outdir, os.path.basename(page).split(".")[0])
    os.makedirs(outdir, exist_ok=True)
    build = os.path.join(TOP, "build")
    cmd = ["cc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I" + os.path.join(TOP, "include"),
           "-x", "c", "-", "-x", "none", "-o", out, "-L" + build, "-lsctp_rs",
           "-Wl,-rpath," + build]
    p = subprocess.run(cmd, input=code, capture_output=True, text=True)
    return p.returncode, p.stderr


def section3_pages():
    """The section 3 pages that are not aliases, with their source."""
    for path in sorted(glob.glob(os.path.join(MAN, "man3", "*.3rs"))):
        with open(path, encoding="utf-8") as f:
            src = f.read()
        if not src.startswith(".so "):
            yield os.path.relpath(path, MAN), src


def build_examples(outdir):
    """Compile every EXAMPLES program into outdir/<page> (scripts/install-test.sh runs them on
    the SCTP stack; run() checks their exit status)."""
    for rel, src in section3_pages():
        code = _example(src)
        if code.strip():
            _compile(rel, code, outdir)


def run(functions, check, ran=None):
    """ran: the directory of <page>.rc files of the examples' runs on the SCTP stack."""
    version = _version()
    pages = sorted(glob.glob(os.path.join(MAN, "man*", "*.[0-9]*")))
    for need in ("man7/sctp_rs.7", "man1/with-sctp-rs.1"):
        check(f"man/{need} exists", os.path.isfile(os.path.join(MAN, need)))
    names = {}
    for path in pages:
        rel = os.path.relpath(path, MAN)
        with open(path, encoding="utf-8") as f:
            src = f.read()
        alias = re.fullmatch(r"\.so (man\d/\S+)\n", src)
        if alias:
            target = os.path.join(MAN, alias.group(1))
            check(f"man {rel}: alias of {alias.group(1)}, which exists", os.path.isfile(target))
            with open(target, encoding="utf-8") as f:
                main_src = f.read() if os.path.isfile(target) else ""
        else:
            main_src = src
            th = re.search(r'^\.TH (\S+) (\S+) (\S+) "([^"]*)"', src, re.M)
            sec = rel.split(".", 1)[1]
            check(f"man {rel}: .TH names section {sec} and sctp_rs {version}",
                  th is not None and th.group(2) == sec and th.group(4) == f"sctp_rs {version}",
                  th.group(0) if th else "no .TH line")
        check(f"man {rel}: plain ASCII source", src.isascii())
        rc, out, err = _run(["groff", "-ww", "-z", "-man", "-t", rel])
        check(f"man {rel}: groff -ww -z renders it without a warning", rc == 0 and not out and not err,
              out + err)
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
        rc, _, err = _run(["man", "--warnings", "-l", rel], env=env)
        check(f"man {rel}: man --warnings -l renders it without a warning", rc == 0 and not err, err)
        m = re.search(r'^\.SH NAME\n(.*?) \\- ', main_src, re.M | re.S)
        listed = {n.strip().replace("\\_", "_") for n in m.group(1).split(",")} if m else set()
        names[os.path.basename(path).split(".")[0]] = listed
        if rel.startswith("man3/") and not alias:
            code = _example(src)
            check(f"man {rel}: has an EXAMPLES program", bool(code.strip()))
            if code.strip():
                rc, err = _compile(rel, code)
                check(f"man {rel}: its EXAMPLES program compiles and links", rc == 0, err[-1500:])
            if ran is not None:
                name = os.path.basename(rel).split(".")[0]
                got = (_read(os.path.join(ran, f"example-{name}.rc")) or "missing").strip()
                out = (_read(os.path.join(ran, f"example-{name}.out")) or "")
                err = (_read(os.path.join(ran, f"example-{name}.err")) or "")
                check(f"man {rel}: its EXAMPLES program runs on the SCTP stack, exit 0",
                      got == "0", f"exit {got}\n{out[-600:]}{err[-600:]}")
    for fn in functions:
        check(f"man: {fn} has a page (man 3rs {fn}) whose NAME lists it",
              fn in names.get(fn, set()), f"pages: {sorted(names)}")


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build_examples(sys.argv[2])
    else:
        sys.exit("usage: verdict_man.py --build DIR")
