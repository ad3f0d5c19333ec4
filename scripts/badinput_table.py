#!/usr/bin/env python3
"""The README's bad-input tables, made from the rows themselves: c-tests/expected/badinput.out
and badinput_sendx.out (what sctp_rs prints) and the badinput rows of c-tests/divergences.tsv
(what lksctp prints instead). `scripts/badinput_table.py --write` rewrites the part of README.md
between the two markers; scripts/compare.py fails when that part is not what this script makes.
"""
import collections
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- bad-input table: made by scripts/badinput_table.py --write -->"
END = "<!-- end of bad-input table -->"
PROGRAMS = ("badinput", "badinput_sendx")

FUNCS = collections.OrderedDict([
    ("bindx", "sctp_bindx(sd, addrs, addrcnt, flags)"),
    ("connectx", "sctp_connectx(sd, addrs, addrcnt, id)"),
    ("getpaddrs", "sctp_getpaddrs(sd, id, addrs)"),
    ("getladdrs", "sctp_getladdrs(sd, id, addrs)"),
    ("freepaddrs", "sctp_freepaddrs(addrs)"),
    ("freeladdrs", "sctp_freeladdrs(addrs)"),
    ("getaddrlen", "sctp_getaddrlen(family)"),
    ("opt_info", "sctp_opt_info(sd, id, opt, arg, size)"),
    ("peeloff", "sctp_peeloff(sd, assoc_id)"),
    ("peeloff_flags", "sctp_peeloff_flags(sd, assoc_id, flags)"),
    ("send", "sctp_send(sd, msg, len, sinfo, flags)"),
    ("sendx", "sctp_sendx(sd, msg, len, addrs, addrcnt, sinfo, flags) (sctp_rs only)"),
    ("sendmsg", "sctp_sendmsg(s, msg, len, to, tolen, ppid, flags, stream_no, timetolive, "
                "context)"),
    ("recvmsg", "sctp_recvmsg(s, msg, len, from, fromlen, sinfo, msg_flags)"),
    ("sendv", "sctp_sendv(s, iov, iovcnt, addrs, addrcnt, info, infolen, infotype, flags)"),
    ("recvv", "sctp_recvv(s, iov, iovlen, from, fromlen, info, infolen, infotype, flags)"),
])

FDS = {
    "minus1": "-1", "closed": "a closed descriptor", "regular_file": "a regular file",
    "pipe": "a pipe", "epoll": "an epoll descriptor", "tcp4": "a TCP/IPv4 socket",
    "tcp6": "a TCP/IPv6 socket", "udp4": "a UDP/IPv4 socket", "udp6": "a UDP/IPv6 socket",
    "unix": "a unix stream socket",
    "sctp_one_to_one": "a connected one-to-one SCTP socket (the other style)",
    "sctp_listening_one_to_one": "a listening one-to-one SCTP socket",
}
IDS = {
    "0_future": "0 (= SCTP_FUTURE_ASSOC)", "negative": "-5", "unknown": "0x7ffffff0 (none)",
    "other_socket": "one of another socket", "current": "SCTP_CURRENT_ASSOC",
    "all": "SCTP_ALL_ASSOC",
}
ID_ARG = {"send": "sinfo_assoc_id", "sendx": "sinfo_assoc_id", "sendv": "snd_assoc_id",
          "peeloff": "assoc_id", "peeloff_flags": "assoc_id"}
FD_ARG = {"sendmsg": "s", "recvmsg": "s", "sendv": "s", "recvv": "s"}

# Every other input, by "<function>.<input>" or, for inputs several functions share,
# "*.<input>".
INPUTS = {
    "*.ok": "a valid call (the baseline)",
    "*.addrs.null_addrcnt_1": "`addrs` NULL, `addrcnt` 1",
    "*.addrs.null_addrcnt_0": "`addrs` NULL, `addrcnt` 0",
    "*.addrcnt.0": "`addrcnt` 0",
    "*.addrcnt.minus1": "`addrcnt` -1",
    "*.addrcnt.int_min": "`addrcnt` INT_MIN",
    "*.addrcnt.int_max_bad_second": "`addrcnt` INT_MAX, the second address AF_UNIX",
    "*.family.unix": "an AF_UNIX address",
    "*.family.unspec": "an AF_UNSPEC address",
    "*.v4mapped.inet6_socket": "::ffff:127.0.0.1 on an AF_INET6 socket",
    "*.v4mapped.inet_socket": "::ffff:127.0.0.1 on an AF_INET socket",
    "*.msg.null_len_1": "`msg` NULL, `len` 1",
    "*.msg.null_len_0": "`msg` NULL, `len` 0",
    "*.len.0": "`len` 0",
    "*.len.size_max": "`len` SIZE_MAX",
    "*.empty_dontwait": "nothing queued, MSG_DONTWAIT",
    "*.from.null": "`from` NULL",
    "*.fromlen.null": "`fromlen` NULL",
    "bindx.flags.0": "`flags` 0",
    "bindx.flags.add_and_rem": "`flags` ADD_ADDR\\|REM_ADDR",
    "bindx.flags.unknown_bit": "`flags` ADD_ADDR\\|0x100",
    "bindx.flags.minus1": "`flags` -1",
    "connectx.id.null": "`id` NULL",
    "*.unbound_socket_id_0": "`id` 0 on a one-to-many socket with no address yet",
    "getpaddrs.addrs.null": "`addrs` NULL",
    "getpaddrs.addrs.null_fd_minus1": "`addrs` NULL, `sd` -1",
    "getladdrs.addrs.null": "`addrs` NULL",
    "getladdrs.addrs.null_fd_minus1": "`addrs` NULL, `sd` -1",
    "freepaddrs.null": "NULL",
    "freeladdrs.null": "NULL",
    "getaddrlen.family.inet": "AF_INET",
    "getaddrlen.family.inet6": "AF_INET6",
    "getaddrlen.family.unspec": "AF_UNSPEC",
    "getaddrlen.family.unix": "AF_UNIX",
    "getaddrlen.family.packet": "AF_PACKET",
    "getaddrlen.family.ffff": "0xffff",
    "opt_info.arg.null": "`arg` NULL",
    "opt_info.arg.null_unknown_opt": "`arg` NULL, option 9999",
    "opt_info.size.null": "`size` NULL",
    "opt_info.arg_and_size.null": "`arg` and `size` NULL",
    "opt_info.size.0": "`*size` 0",
    "opt_info.size.max": "`*size` 0xffffffff",
    "opt_info.size.long": "`*size` 256 (a 256-byte `arg`)",
    "opt_info.opt.unknown": "option 9999",
    "opt_info.opt.minus1": "option -1",
    "peeloff_flags.flags.unknown_bit_fd_minus1": "`flags` 0x1, `sd` -1",
    "peeloff_flags.flags.unknown_bit_unknown_id": "`flags` 0x1, an unknown id",
    "peeloff_flags.flags.high_bit_unknown_id": "`flags` 0x80000000, an unknown id",
    "peeloff_flags.flags.unknown_bit_valid_id": "`flags` 0x1\\|SOCK_CLOEXEC, an existing id",
    "send.sinfo.null_one_to_many": "`sinfo` NULL, one-to-many socket",
    "send.sinfo.null_one_to_one": "`sinfo` NULL, one-to-one socket",
    "*.flags.unknown_bit": "`flags` MSG_NOSIGNAL\\|0x400000",
    "*.sinfo_flags.unknown_bit": "`sinfo_flags` 0x1000",
    "*.sinfo_stream.out_of_range": "`sinfo_stream` 999 (of 10)",
    "sendx.sinfo.null": "`sinfo` NULL",
    "sendx.addrs.null_with_assoc_id": "`addrs` NULL, `sinfo_assoc_id` valid",
    "sendmsg.to.null_one_to_many": "`to` NULL, one-to-many socket",
    "sendmsg.to.null_one_to_one": "`to` NULL, one-to-one socket",
    "sendmsg.to.null_tolen_16": "`to` NULL, `tolen` 16",
    "sendmsg.tolen.0": "`tolen` 0",
    "sendmsg.tolen.short": "`tolen` 8",
    "sendmsg.tolen.huge": "`tolen` 1000",
    "sendmsg.to.family_unix": "`to` AF_UNIX",
    "sendmsg.flags.unknown_bit": "`flags` (sinfo_flags) 0x1000",
    "sendmsg.stream.out_of_range": "`stream_no` 999 (of 10)",
    "recvmsg.msg.null_len_64": "`msg` NULL, `len` 64, a message queued",
    "recvmsg.sinfo.null": "`sinfo` NULL",
    "recvmsg.msg_flags.null": "`msg_flags` NULL, a message queued",
    "recvmsg.flags.unknown_bit": "`*msg_flags` MSG_DONTWAIT\\|0x400000",
    "recvv.iov.null_iovlen_1": "`iov` NULL, `iovlen` 1",
    "recvv.iovlen.0": "`iovlen` 0",
    "recvv.iovlen.minus1": "`iovlen` -1",
    "recvv.iovlen.iov_max_plus_1": "`iovlen` IOV_MAX + 1",
    "recvv.info.null": "`info` NULL",
    "recvv.infolen.null": "`infolen` NULL",
    "recvv.infotype.null": "`infotype` NULL",
    "recvv.flags.null": "`flags` NULL, a message queued",
    "recvv.infolen.short": "`*infolen` 4",
    "recvv.infolen.long": "`*infolen` 256",
    "recvv.flags.unknown_bit": "`*flags` MSG_DONTWAIT\\|0x400000",
    "sendv.iov.null_iovcnt_1": "`iov` NULL, `iovcnt` 1",
    "sendv.iovcnt.0": "`iovcnt` 0",
    "sendv.iovcnt.minus1": "`iovcnt` -1",
    "sendv.iovcnt.iov_max_plus_1": "`iovcnt` IOV_MAX + 1",
    "sendv.addrcnt.0": "`addrcnt` 0 with an `addrs`",
    "sendv.info.null_sndinfo": "SCTP_SENDV_SNDINFO, `info` NULL",
    "sendv.infolen.short": "`infolen` 15 (< sizeof(struct sctp_sndinfo))",
    "sendv.infolen.long": "`infolen` 64",
    "sendv.infotype.unknown": "`infotype` 99",
    "sendv.infotype.noinfo_with_info": "SCTP_SENDV_NOINFO with an `info`",
    "sendv.info.spa_all_three": "SCTP_SENDV_SPA with all three parts",
}

ROW = re.compile(r"ret=(\S+)(?: \(raw (-?\d+)\))? errno=(\S+) sys=(\S+)(?: (.*))?$")


def _read(path):
    with open(os.path.join(TOP, path), encoding="utf-8") as f:
        return f.read()


def _groups(text):
    g = collections.OrderedDict()
    for ln in text.splitlines():
        key, _, val = ln.partition(": ")
        g[key] = f"{g[key]} | {val}" if key in g else val
    return g


def describe(check):
    fn, _, rest = check.partition(".")
    group, _, name = rest.partition(".")
    if group == "fd" and name in FDS:
        return f"`{FD_ARG.get(fn, 'sd')}` {FDS[name]}"
    if group == "id" and name in IDS:
        return f"`{ID_ARG.get(fn, 'id')}` {IDS[name]}"
    for key in (check, "*." + rest):
        if key in INPUTS:
            return INPUTS[key]
    return None


def cells(payload):
    """(ret, errno, calls, written, child) of one row's printed payload."""
    first, _, tail = payload.partition(" | ")
    m = ROW.match(first)
    if not m:
        return None
    ret, raw, err, sys_, extra = m.groups()
    written = extra or ""
    value = re.search(r"\bvalue=(\S+)", written)
    if value:
        ret, written = value.group(1), re.sub(r"\s*\bvalue=\S+", "", written).strip()
    ret = raw or ret
    return ret, err, sys_, written, tail


def lksctp_cell(lk):
    if lk.startswith("child killed by"):
        return lk.replace("child killed by", "killed by")
    c = cells(lk)
    if not c:
        return lk
    ret, err, sys_, written, _ = c
    return ", ".join(x for x in (ret, f"errno {err}", f"calls {sys_.replace(',', ', ')}",
                                 written) if x)


def _esc(s):
    return s.replace("|", "\\|")


def table():
    """(markdown, number of rows, problems)."""
    divs = {}
    for ln in _read("c-tests/divergences.tsv").splitlines():
        if ln.startswith("#") or not ln.strip():
            continue
        ident, prog, chk, lk, _ours, _why = ln.split("\t")
        if prog in PROGRAMS:
            divs[chk] = (ident, lk)
    rows = collections.OrderedDict((f, []) for f in FUNCS)
    problems, per_prog = [], collections.Counter()
    for prog in PROGRAMS:
        for chk, payload in _groups(_read(f"c-tests/expected/{prog}.out")).items():
            if chk == "end":
                continue
            per_prog[prog] += 1
            fn = chk.split(".")[0]
            desc, c = describe(chk), cells(payload)
            if fn not in rows or desc is None or c is None:
                problems.append(f"no description for {chk}: {payload}")
                continue
            rows[fn].append((chk, desc, c))
    out, n = [", ".join(f"{per_prog[p]} rows in `{p}`" for p in PROGRAMS)
                 + f": {sum(per_prog.values())} in all.", ""], 0
    for fn, title in FUNCS.items():
        if not rows[fn]:
            problems.append(f"no rows for {fn}")
            continue
        ours_only = fn == "sendx"
        out += [f"#### `{title}`", "",
                "| input | returns | errno | socket calls | written back |"
                + ("" if ours_only else " lksctp |"),
                "|---|---|---|---|---|" + ("" if ours_only else "---|")]
        for chk, desc, (ret, err, sys_, written, tail) in rows[fn]:
            n += 1
            if ours_only:
                lk = None
            elif chk in divs:
                lk = f"`{divs[chk][0]}`: {_esc(lksctp_cell(divs[chk][1]))}"
            else:
                lk = "same"
            if tail:
                desc += " (in a child)"
            out.append(f"| {desc} | {ret} | {err} | {sys_.replace(',', ', ')} | "
                       f"{_esc(written)} |" + ("" if lk is None else f" {lk} |"))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n", n, problems


def readme_block(text):
    if BEGIN not in text or END not in text:
        return None
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def main():
    md, n, problems = table()
    for p in problems:
        print(f"badinput_table: {p}", file=sys.stderr)
    if "--write" in sys.argv[1:]:
        path = os.path.join(TOP, "README.md")
        text = _read("README.md")
        if readme_block(text) is None:
            print("badinput_table: README.md lacks the markers", file=sys.stderr)
            return 1
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"{head}{BEGIN}\n\n{md}\n{END}{tail}")
        print(f"badinput_table: {n} rows written to README.md")
    else:
        sys.stdout.write(md)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
