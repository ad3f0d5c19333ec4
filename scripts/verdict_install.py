"""The verdict on scripts/install-test.sh (build/results/install/): the library's file names and
sonames, make install's files (exactly packaging/install-files.txt), what pkg-config prints,
programs built with only that and run on the SCTP stack, the Debian packages installed with
dpkg beside Debian's libsctp-dev, used (the installed sctp-anywhere running a program on the
installed sctpd, natively), removed, and the system left as it was, and make uninstall
removing exactly what install put there."""
import os
import pwd
import re
import subprocess
from results import read as _read

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
BUILD = os.path.join(TOP, "build")
RES = os.path.join(BUILD, "results", "install")
DEBS = ["libsctp-rs1", "libsctp-rs-dev", "sctp-rs-tools", "sctp-anywhere"]


def _res(name):
    return _read(os.path.join(RES, name))


def _rc(name):
    return (_res(f"{name}.rc") or "missing").strip()


def _soname(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    m = re.search(r"\(SONAME\)\s+Library soname: \[(.*)\]", out)
    return m.group(1) if m else None


def _makefile(var):
    with open(os.path.join(TOP, "Makefile"), encoding="utf-8") as f:
        return re.search(rf"^{var} := (\S+)$", f.read(), re.M).group(1)


def _norm(text):
    """A program's output with the numbers that change from run to run (ports, ids) masked."""
    return re.sub(r"\d+", "N", text or "")


def _demo_shape(text):
    """The demo's output as _norm masks it, with the kernel release of its first line masked too
    (the suite's run is on User-Mode Linux's kernel, the SCTP-anywhere run on the host's)."""
    return _norm(re.sub(r"^(sctp_rs demo on Linux )\S+,", r"\1R,", text or "", count=1, flags=re.M))


def _bindings(err, want):
    """Where each sctp_* reference bound, from LD_DEBUG=bindings: (bound, wrong) lists."""
    lines = [ln for ln in (err or "").splitlines() if "binding file" in ln and "`sctp_" in ln]
    wrong = [ln.strip() for ln in lines if f" to {want} " not in ln]
    return lines, wrong


def _launcher(check, what, res, sbindir, shim, version):
    """The sctp-anywhere launcher an install put in place: the paths and version it carries
    (<res>-lines.txt) and what --version says (<res>-version.txt)."""
    lines = _res(f"{res}-lines.txt") or ""
    want = f"installed_sbindir='{sbindir}'\ninstalled_shim='{shim}'\ninstalled_version='{version}'\n"
    check(f"{what}: sctp-anywhere carries the sbindir ({sbindir}), the shim's path and the version",
          lines == want, f"got:\n{lines}want:\n{want}")
    got = (_res(f"{res}-version.txt") or "").strip()
    check(f"{what}: sctp-anywhere --version", got == f"sctp-anywhere (sctp_rs) {version}", got)


def _ran(check, name, expect_out, want_lib=None, mask=False):
    rc = _rc(name)
    out = _res(f"{name}.out")
    err = _res(f"{name}.err") or ""
    tail = "\n".join(ln for ln in err.splitlines() if "binding file" not in ln)[-800:]
    check(f"install: {name} runs on the SCTP stack, exit 0", rc == "0", f"exit {rc}\n{tail}")
    got, want = (_norm(out), _norm(expect_out)) if mask else (out, expect_out)
    check(f"install: {name} prints what the suite's run printed", out and got == want,
          f"got:\n{(out or '')[:600]}\nwant:\n{(expect_out or '')[:600]}")
    if want_lib:
        lines, wrong = _bindings(err, want_lib)
        check(f"install: {name}: every sctp_* call binds to {want_lib}", lines and not wrong,
              "\n".join(wrong[:5]) or "no LD_DEBUG binding lines")


def build_files(check):
    version, major = _makefile("VERSION"), _makefile("VERSION").split(".")[0]
    real = os.path.join(BUILD, f"libsctp_rs.so.{version}")
    check(f"build/libsctp_rs.so.{version} has soname libsctp_rs.so.{major}",
          _soname(real) == f"libsctp_rs.so.{major}", str(_soname(real)))
    for link, target in ((f"libsctp_rs.so.{major}", f"libsctp_rs.so.{version}"),
                         ("libsctp_rs.so", f"libsctp_rs.so.{major}")):
        path = os.path.join(BUILD, link)
        got = os.readlink(path) if os.path.islink(path) else None
        check(f"build/{link} is a symlink to {target}", got == target, str(got))
    standin = os.path.join(BUILD, "libsctp.so.1")
    check("build/libsctp.so.1 (the stand-in) keeps lksctp's soname libsctp.so.1",
          _soname(standin) == "libsctp.so.1", str(_soname(standin)))


def staged(check, ma, results):
    expected = _read(os.path.join(TOP, "packaging", "install-files.txt")) or ""
    expected = "".join(ln + "\n" for ln in expected.splitlines() if ln and not ln.startswith("#"))
    check("make install DESTDIR=... exits 0", _rc("install") == "0", _res("install.log") or "")
    got = _res("installed-files.txt") or ""
    check("make install puts exactly the files of packaging/install-files.txt there",
          got == expected, "\n".join(
              [f"+ {ln}" for ln in got.splitlines() if ln not in expected.splitlines()]
              + [f"- {ln}" for ln in expected.splitlines() if ln not in got.splitlines()]))
    st = os.path.join(BUILD, "stage")
    lib = f"{st}/usr/local/lib/{ma}"
    inc = f"{st}/usr/local/include/sctp_rs"
    version = _makefile("VERSION")
    for name, want in (
            ("pc-sctp_rs.txt", f"-I{inc} -L{lib} -lsctp_rs"),
            ("pc-sctp_rs-static.txt", f"-I{inc} -L{lib} -lsctp_rs -lutil -lrt -lpthread -lm -ldl"),
            ("pc-sctp_rs-version.txt", version),
            ("pc-libsctp.txt", f"-I{inc} -L{lib}/sctp_rs -lsctp"),
            ("pc-libsctp-version.txt", _makefile("LKSCTP_VERSION"))):
        got = (_res(name) or "").strip()
        check(f"pkg-config (staged, PKG_CONFIG_SYSROOT_DIR): {name[:-4]} is `{want}`", got == want,
              got)
    for prog, want in (("demo-shared", "NEEDED libsctp_rs.so.1\nNEEDED libc.so.6\n"),
                       ("demo-static", ""),
                       ("allfuncs-libsctp", "NEEDED libsctp.so.1\nNEEDED libc.so.6\n")):
        check(f"install: {prog} built with only pkg-config's flags", _rc(f"build-{prog}") == "0",
              _res(f"build-{prog}.log") or "")
        got = _res(f"{prog}.dynamic")
        needs = " ".join(want.split()[1::2]) or "no shared library"
        check(f"install: {prog} needs {needs}, no rpath",
              got == want, got or "")
    demo = _read(os.path.join(results, "demo.out"))
    _ran(check, "demo-shared", demo, mask=True)
    _ran(check, "demo-static", demo, mask=True)
    _ran(check, "allfuncs-libsctp", _read(os.path.join(results, "allfuncs.sctp_rs.out")),
         f"{lib}/sctp_rs/libsctp.so.1")
    lines = _res("wrapper-lines.txt") or ""
    check("install: the wrapper carries the installed libdir and version",
          lines == f"installed_libdir='/usr/local/lib/{ma}'\ninstalled_version='{version}'\n", lines)
    check("install: with-sctp-rs --version", (_res("wrapper-version.txt") or "").strip()
          == f"with-sctp-rs (sctp_rs) {version}", _res("wrapper-version.txt") or "")
    _ran(check, "wrapper-staged", _read(os.path.join(results, "allfuncs.preload.out")),
         f"{lib}/libsctp_rs.so.1")
    _launcher(check, "install", "anywhere", "/usr/local/sbin",
              f"/usr/local/lib/{ma}/sctp_rs/libsctp_anywhere.so", version)
    got = (_res("sctpd-version.txt") or "").strip()
    check("install: the staged sctpd runs (sctpd --version)", _rc("sctpd-version") == "0"
          and re.fullmatch(r"sctpd \S+ \(protocol \d+, usrsctp\)", got) is not None,
          f"exit {_rc('sctpd-version')}\n{got}")
    pages = (_res("man-staged-anywhere.txt") or "").splitlines()
    for name, want in (("sctpd", "usr/local/share/man/man8/sctpd.8"),
                       ("sctp-anywhere", "usr/local/share/man/man1/sctp-anywhere.1")):
        ln = next((x for x in pages if x.split(" ")[0] == name), "missing")
        check(f"install: man {name} finds and renders the staged page without a warning",
              ln.partition(" ")[2].strip() == want, ln)
    for ln in (_res("man-staged.txt") or "missing").splitlines():
        fn, _, rest = ln.partition(" ")
        check(f"install: man 3rs {fn} finds and renders our page without a warning",
              re.fullmatch(r"usr/local/share/man/man3/sctp_\w+\.3rs", rest.strip()) is not None, ln)
    after = _res("after-uninstall.txt")
    before = _res("before-install.txt")
    check("make uninstall exits 0", _rc("uninstall") == "0", _res("uninstall.log") or "")
    check("make uninstall leaves exactly the files that were there before install",
          after is not None and after == before, f"after:\n{after}\nbefore:\n{before}")
    dirs = (_res("dirs-after-uninstall.txt") or "").strip()
    check("make uninstall removes our directories (include/sctp_rs, lib/<triplet>/sctp_rs)",
          dirs == "", dirs)


def packages(check, ma, results):
    rc = (_read(os.path.join(BUILD, "deb.rc")) or "missing").strip()
    log = _read(os.path.join(BUILD, "deb.log")) or ""
    check("make deb exits 0 (build/deb.log)", rc == "0", f"exit {rc}\n{log[-1500:]}")
    debs = (_res("debs.txt") or "").split()
    for p in DEBS:
        check(f"make deb built {p}", any(os.path.basename(d).startswith(f"{p}_") for d in debs),
              " ".join(debs))
    lint = _read(os.path.join(BUILD, "deb", "lintian.txt"))
    errors = [ln for ln in (lint or "").splitlines() if ln.startswith("E: ")]
    check("lintian reports no error on the packages", lint is not None and not errors,
          "\n".join(errors) or "no build/deb/lintian.txt")
    check("dpkg -i installs the four packages beside Debian's libsctp-dev",
          _rc("dpkg-i") == "0", _res("dpkg-i.log") or "")
    files = {p: (_res(f"deb-{p}.files") or "").splitlines() for p in DEBS}
    need = {"libsctp-rs1": [f"/usr/lib/<triplet>/libsctp_rs.so.1", "/usr/lib/<triplet>/sctp_rs/libsctp.so.1",
                            "/usr/share/doc/libsctp-rs1/copyright"],
            "libsctp-rs-dev": ["/usr/include/sctp_rs/netinet/sctp.h", "/usr/lib/<triplet>/libsctp_rs.so",
                               "/usr/lib/<triplet>/libsctp_rs.a", "/usr/lib/<triplet>/pkgconfig/sctp_rs.pc",
                               "/usr/lib/<triplet>/sctp_rs/pkgconfig/libsctp.pc",
                               "/usr/share/man/man3/sctp_bindx.3rs.gz", "/usr/share/man/man7/sctp_rs.7.gz"],
            "sctp-rs-tools": ["/usr/bin/with-sctp-rs", "/usr/share/man/man1/with-sctp-rs.1.gz"],
            "sctp-anywhere": ["/usr/sbin/sctpd", "/usr/bin/sctp-anywhere",
                              "/usr/lib/<triplet>/sctp_rs/libsctp_anywhere.so",
                              "/usr/share/man/man8/sctpd.8.gz",
                              "/usr/share/man/man1/sctp-anywhere.1.gz",
                              "/usr/share/doc/sctp-anywhere/copyright"]}
    for p, paths in need.items():
        missing = [x for x in paths if x not in files[p]]
        check(f"{p} holds {', '.join(os.path.basename(x) for x in paths)}", not missing,
              "missing: " + " ".join(missing))
    ctl = _res("deb-libsctp-rs-dev.control") or ""
    check("libsctp-rs-dev depends on exactly its libsctp-rs1", re.search(
        r"^Depends: libsctp-rs1 \(= [^)]+\)", ctl, re.M) is not None, ctl)
    ctl = _res("deb-sctp-anywhere.control") or ""
    dep = re.search(r"^Depends: (.*)$", ctl, re.M)
    deps = [d.split()[0] for d in dep.group(1).split(", ")] if dep else []
    check("sctp-anywhere depends on libusrsctp2 (shlibs), not on sctp_rs's libraries",
          "libusrsctp2" in deps and not any(d.startswith("libsctp") for d in deps), ctl)
    check("sctp-anywhere is Package sctp-anywhere, Architecture of the host, no Multi-Arch",
          re.search(r"^Package: sctp-anywhere$", ctl, re.M) is not None
          and re.search(r"^Architecture: (?!all$)\S+$", ctl, re.M) is not None
          and "Multi-Arch:" not in ctl, ctl)
    members = (_res("deb-sctp-anywhere.members") or "").split()
    check("sctp-anywhere has no shlibs, symbols or triggers (the shim is private)",
          "control" in members and not {"shlibs", "symbols", "triggers"} & set(members),
          " ".join(members))
    sym = _res("deb-shlibs-symbols.txt") or ""
    check("libsctp-rs1 declares shlibs for libsctp_rs.so.1 only (never the stand-in's libsctp.so.1)",
          re.search(r"^libsctp_rs 1 libsctp-rs1", sym, re.M) is not None
          and re.search(r"^libsctp 1 ", sym, re.M) is None, sym[:800])
    check("libsctp-rs1's symbols file lists sctp_connectx@VERS_3 and sctp_sendx@SCTP_RS_1",
          " sctp_connectx@VERS_3 " in sym and " sctp_sendx@SCTP_RS_1 " in sym, sym[:800])
    check("a program builds against the installed package with `pkg-config sctp_rs`",
          _rc("build-demo-deb") == "0", _res("build-demo-deb.log") or "")
    check("it needs libsctp_rs.so.1 and no rpath", _res("demo-deb.dynamic")
          == "NEEDED libsctp_rs.so.1\nNEEDED libc.so.6\n", _res("demo-deb.dynamic") or "")
    check("allfuncs.c builds against the installed stand-in with `pkg-config libsctp`",
          _rc("build-allfuncs-deb") == "0", _res("build-allfuncs-deb.log") or "")
    demo = _read(os.path.join(results, "demo.out"))
    _ran(check, "demo-deb", demo, mask=True)
    _ran(check, "allfuncs-deb-inplace", _read(os.path.join(results, "allfuncs.sctp_rs.out")),
         f"/usr/lib/{ma}/sctp_rs/libsctp.so.1")
    _ran(check, "allfuncs-deb-preload", _read(os.path.join(results, "allfuncs.preload.out")),
         f"/usr/lib/{ma}/libsctp_rs.so.1")
    man = (_res("man-deb.txt") or "").split()
    want = ["/usr/share/man/man3/sctp_bindx.3rs.gz", "/usr/share/man/man3/sctp_bindx.3.gz",
            "/usr/share/man/man7/sctp_rs.7.gz", "/usr/share/man/man1/with-sctp-rs.1.gz"]
    check("installed: man 3rs sctp_bindx is ours, man 3 sctp_bindx still lksctp's, sctp_rs(7), "
          "with-sctp-rs(1)", man == want, " ".join(man))
    anywhere(check, ma, results)
    check("dpkg -r removes the four packages", _rc("dpkg-r") == "0", _res("dpkg-r.log") or "")
    diff = _res("system-diff.txt")
    check("after dpkg -r the system is as it was (every file of /usr and /etc, ldconfig -p)",
          diff == "", diff or "no snapshot")
    check("Debian's libsctp1, libsctp-dev and lksctp-tools verify as before",
          _res("verify-after.txt") == _res("verify-before.txt") == "", _res("verify-after.txt") or "")


def anywhere(check, ma, results):
    """The installed sctp-anywhere: its lines, its version, the pages, and the installed demo run
    natively on the installed sctpd, in a fresh network namespace (scripts/anywhere-env.sh)."""
    version = _makefile("VERSION")
    _launcher(check, "installed", "anywhere-deb", "/usr/sbin",
              "/usr/lib/<triplet>/sctp_rs/libsctp_anywhere.so", version)
    man = (_res("man-deb-anywhere.txt") or "").split()
    want = ["/usr/share/man/man8/sctpd.8.gz", "/usr/share/man/man1/sctp-anywhere.1.gz"]
    check("installed: man 8 sctpd, man 1 sctp-anywhere", man == want, " ".join(man))
    mode = (_res("anywhere-mode.txt") or "missing").strip()
    check("installed: the SCTP-anywhere run ran (anywhere-env.sh, a fresh network namespace)",
          _rc("anywhere-env") == "0",
          f"exit {_rc('anywhere-env')}\n{_res('anywhere-env.log') or ''}")
    check("installed: no sctpd served the fresh namespace before sctp-anywhere ran",
          _rc("anywhere-status-before") == "1", _res("anywhere-status-before.txt") or "")
    rc = _rc("anywhere-deb")
    out, err = _res("anywhere-deb.out"), _res("anywhere-deb.err") or ""
    check(f"installed: sctp-anywhere runs the installed demo on sctpd (SCTP_ANYWHERE {mode}), "
          "exit 0", rc == "0", f"exit {rc}\n{err[-800:]}")
    demo = _read(os.path.join(results, "demo.out"))
    check("installed: the demo on sctpd prints what it prints on the kernel (ports, ids and the "
          "kernel release masked)", bool(out) and _demo_shape(out) == _demo_shape(demo),
          f"got:\n{(out or '')[:900]}\nwant:\n{(demo or '')[:900]}")
    check("installed: the demo on sctpd writes nothing on stderr", err == "", err[-800:])
    st = _res("anywhere-sctpd.txt") or ""
    try:
        nobody = pwd.getpwnam("nobody")
        ids = (str(nobody.pw_uid), str(nobody.pw_gid))
    except KeyError:
        ids = ("none", "none")
    fields = {ln.split(":")[0]: ln.split(":", 1)[1].split() for ln in st.splitlines() if ":" in ln}
    check("installed: the sctpd sctp-anywhere started is /usr/sbin/sctpd",
          re.search(r"^exe /usr/sbin/sctpd$", st, re.M) is not None, st)
    check("installed: that sctpd runs as nobody, no groups, no capabilities, no_new_privs",
          fields.get("Uid") == [ids[0]] * 4 and fields.get("Gid") == [ids[1]] * 4
          and fields.get("Groups") == []
          and all(fields.get(c) == ["0000000000000000"]
                  for c in ("CapInh", "CapPrm", "CapEff", "CapAmb"))
          and fields.get("NoNewPrivs") == ["1"], st)
    log = _res("anywhere-sctpd.log") or ""
    opened = re.findall(r"^sctpd\[\d+\] [\d.]+: socket \d+ opened ", log, re.M)
    check("installed: sctpd's log shows the demo's SCTP sockets (server, client, peeled off)",
          len(opened) >= 3, log[-800:] or "no log (SCTPD_ARGS=--log)")
    check("installed: sctpd --stop stops it, exit 0", _rc("anywhere-stop") == "0"
          and re.search(r"^sctpd: pid \d+ stopped$", _res("anywhere-stop.log") or "", re.M)
          is not None, _res("anywhere-stop.log") or "")
    check("installed: after sctpd --stop none serves the namespace (sctpd --status exits 1)",
          _rc("anywhere-status-after") == "1", _res("anywhere-status-after.txt") or "")


def run(check, results):
    ma = subprocess.run(["cc", "-print-multiarch"], capture_output=True, text=True).stdout.strip()
    build_files(check)
    if not os.path.isdir(RES):
        check("scripts/install-test.sh ran", False, RES)
        return
    check("install-test: the programs ran on the SCTP stack (sctp-env.sh)",
          _rc("sctp-env") == "0", _res("sctp-env.log") or "")
    staged(check, ma, results)
    packages(check, ma, results)
