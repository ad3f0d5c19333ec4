//! sctpd: SCTP for a host (or network namespace) whose kernel has none. It runs usrsctp over
//! UDP encapsulation (RFC 6951, port 9899 by default) as an unprivileged process and serves
//! programs, through libsctp_anywhere.so, the Linux SCTP socket API over unix sockets (see the
//! sctp-anywhere-proto crate for the wire format).

#![deny(clippy::undocumented_unsafe_blocks)]

mod biglock;
mod bindx;
mod closing;
mod io;
mod log;
mod notify;
mod ops;
mod procfs;
mod sendparse;
mod sendpath;
mod server;
mod sock;
mod sockopt;
mod srcaddr;
mod stack;
mod unix;
mod usr;

use sctp_anywhere_proto as proto;
use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};

const USAGE: &str = "\
usage: sctpd [OPTION]...
SCTP for a host whose kernel has none: a userspace SCTP stack (usrsctp, over UDP port 9899)
serving programs that run with libsctp_anywhere.so (scripts/sctp-anywhere CMD starts both).

  --socket NAME          the control socket's abstract name (default: $SCTPD_SOCKET, else
                         sctp_rs.sctpd); one sctpd per name and network namespace
  --udp-port N           the UDP port the stack receives SCTP on (default 9899)
  --remote-udp-port N    the UDP port new associations send to (default: --udp-port); a
                         program sets it per peer with SCTP_REMOTE_UDP_ENCAPS_PORT
  --user USER            the user to run as when started as root (default nobody)
  --daemon               detach; exit once the socket and the stack are ready
  --log FILE             log there instead of stderr
  -v, --verbose          log every socket and channel; -q: errors only
  --stack-debug          usrsctp's own debug output
  --status               say whether an sctpd serves this name here (its pid), exit 0 if so
  --stop                 stop the sctpd serving this name here (its associations are aborted)
  --help, --version

Exit status: 0 ready (--daemon) or stopped, 3 another sctpd already serves this name in this
network namespace, 1 any other failure.";

struct Args {
    control: Vec<u8>,
    udp_port: u16,
    remote_udp_port: Option<u16>,
    user: String,
    daemon: bool,
    log: Option<String>,
    level: u8,
    stack_debug: bool,
    command: Option<&'static str>,
}

fn parse_args() -> Result<Args, String> {
    let env = std::env::var_os(proto::CONTROL_ENV);
    let mut a = Args {
        control: proto::control_name(
            env.as_ref()
                .map(|v| std::os::unix::ffi::OsStrExt::as_bytes(v.as_os_str())),
        ),
        udp_port: 9899,
        remote_udp_port: None,
        user: "nobody".into(),
        daemon: false,
        log: None,
        level: 1,
        stack_debug: false,
        command: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--socket" => a.control = proto::control_name(Some(val("--socket")?.as_bytes())),
            "--udp-port" => {
                a.udp_port = val("--udp-port")?.parse().map_err(|_| "bad --udp-port")?
            }
            "--remote-udp-port" => {
                a.remote_udp_port = Some(
                    val("--remote-udp-port")?
                        .parse()
                        .map_err(|_| "bad --remote-udp-port")?,
                )
            }
            "--user" => a.user = val("--user")?,
            "--daemon" => a.daemon = true,
            "--log" => a.log = Some(val("--log")?),
            "-v" | "--verbose" => a.level = a.level.max(1) + 1,
            "-q" | "--quiet" => a.level = 0,
            "--stack-debug" => a.stack_debug = true,
            "--status" => a.command = Some("status"),
            "--stop" => a.command = Some("stop"),
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            "--version" => {
                println!(
                    "sctpd {} (protocol {}, usrsctp)",
                    env!("CARGO_PKG_VERSION"),
                    proto::VERSION
                );
                std::process::exit(0);
            }
            x => return Err(format!("unknown argument {x} (sctpd --help)")),
        }
    }
    Ok(a)
}

/// Gives up root for `user` (and with it every capability, CAP_NET_RAW above all: usrsctp
/// opens raw SCTP sockets whenever it can, and a stack on raw sockets ABORTs the kernel's and
/// other stacks' associations); a non-root process drops whatever capabilities it has.
fn drop_privileges(user: &str) -> Result<(), String> {
    // SAFETY: plain system calls; getpwnam's result is read before any other call that could
    // overwrite its static buffer.
    unsafe {
        if libc::geteuid() == 0 {
            let name = std::ffi::CString::new(user).map_err(|_| "bad user name")?;
            let pw = libc::getpwnam(name.as_ptr());
            if pw.is_null() {
                return Err(format!("no user {user} to run as"));
            }
            let (uid, gid) = ((*pw).pw_uid, (*pw).pw_gid);
            if uid == 0 {
                return Err(format!(
                    "--user {user} is root: sctpd never runs the stack as root"
                ));
            }
            if libc::setgroups(0, core::ptr::null()) != 0
                || libc::setgid(gid) != 0
                || libc::setuid(uid) != 0
            {
                return Err(format!(
                    "could not become {user}: {}",
                    std::io::Error::last_os_error()
                ));
            }
            if libc::setuid(0) == 0 {
                return Err("still able to become root after dropping privileges".into());
            }
        }
        // Clear every capability set (a non-root sctpd may have been given some).
        #[repr(C)]
        struct Hdr {
            version: u32,
            pid: i32,
        }
        #[repr(C)]
        #[derive(Clone, Copy)]
        struct Data {
            effective: u32,
            permitted: u32,
            inheritable: u32,
        }
        let hdr = Hdr {
            version: 0x2008_0522,
            pid: 0,
        };
        let data = [Data {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        }; 2];
        libc::syscall(libc::SYS_capset, &raw const hdr, data.as_ptr());
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL,
            0,
            0,
            0,
        );
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    }
    Ok(())
}

fn fail(msg: &str) -> ! {
    eprintln!("sctpd: {msg}");
    std::process::exit(1);
}

/// --status and --stop: the pid of the sctpd serving `name` here, from its control socket.
fn command(cmd: &str, name: &[u8]) -> ! {
    let shown = String::from_utf8_lossy(name).into_owned();
    let Some(pid) = unix::server_pid(name) else {
        println!("sctpd: none serves @{shown} in this network namespace");
        std::process::exit(if cmd == "stop" { 0 } else { 1 });
    };
    if cmd == "status" {
        println!("sctpd: pid {pid} serves @{shown}");
        std::process::exit(0);
    }
    // SAFETY: sends SIGTERM to the pid the control socket reported.
    if unsafe { libc::kill(pid, libc::SIGTERM) } != 0 {
        fail(&format!(
            "could not stop pid {pid}: {}",
            std::io::Error::last_os_error()
        ));
    }
    for _ in 0..100 {
        if unix::server_pid(name).is_none() {
            println!("sctpd: pid {pid} stopped");
            std::process::exit(0);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    fail(&format!("pid {pid} did not stop"));
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| fail(&e));
    if let Some(c) = args.command {
        command(c, &args.control);
    }
    log::set_level(args.level);
    // SAFETY: ignoring SIGPIPE; every send already uses MSG_NOSIGNAL.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let mut ready: Option<OwnedFd> = None;
    if args.daemon {
        let mut p = [0i32; 2];
        // SAFETY: pipe2 fills p with two new descriptors.
        if unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            fail("pipe");
        }
        // SAFETY: both descriptors were just created and are owned here.
        let (r, w) = unsafe { (OwnedFd::from_raw_fd(p[0]), OwnedFd::from_raw_fd(p[1])) };
        // SAFETY: fork in a single-threaded process (the stack has not started).
        match unsafe { libc::fork() } {
            -1 => fail("fork"),
            0 => {
                drop(r);
                ready = Some(w);
                // SAFETY: setsid in the child; /dev/null over stdin and stdout (and stderr
                // unless --log names a file: then the log goes there).
                unsafe {
                    libc::setsid();
                    let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
                    if null >= 0 {
                        libc::dup2(null, 0);
                        libc::dup2(null, 1);
                        if args.log.is_none() {
                            libc::dup2(null, 2);
                        }
                        libc::close(null);
                    }
                }
            }
            _ => {
                drop(w);
                let mut msg = Vec::new();
                let mut f = std::fs::File::from(r);
                let _ = std::io::Read::read_to_end(&mut f, &mut msg);
                match msg.as_slice() {
                    b"ok" => std::process::exit(0),
                    b"busy" => std::process::exit(3),
                    m => fail(&format!("did not start: {}", String::from_utf8_lossy(m))),
                }
            }
        }
    }
    let report = |msg: &str| {
        if let Some(w) = &ready
            && let Ok(c) = w.try_clone()
        {
            let _ = std::fs::File::from(c).write_all(msg.as_bytes());
        }
    };
    // The control socket is bound and listened on by the process that serves it: its pid is
    // what SO_PEERCRED tells a client (--status, --stop).
    let listener = match unix::listen_abstract(&args.control) {
        Ok(l) => l,
        Err(e) if e.raw_os_error() == Some(libc::EADDRINUSE) => {
            report("busy");
            if !args.daemon {
                eprintln!(
                    "sctpd: another sctpd already serves @{} in this network namespace",
                    String::from_utf8_lossy(&args.control)
                );
            }
            std::process::exit(3);
        }
        Err(e) => {
            let m = format!(
                "control socket @{}: {e}",
                String::from_utf8_lossy(&args.control)
            );
            report(&m);
            fail(&m)
        }
    };
    if let Some(path) = &args.log {
        match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            Ok(f) => log::set_file(f),
            Err(e) => fail(&format!("--log {path}: {e}")),
        }
    }
    if let Err(e) = drop_privileges(&args.user) {
        report(&e);
        fail(&e);
    }
    // SIGTERM/SIGINT blocked before the stack's threads start (they inherit the mask): the
    // signal then waits for the event loop's signalfd, which aborts every association before
    // sctpd exits, instead of killing it from one of usrsctp's threads.
    unix::block_stop_signals();
    // The event loop holds the stack's lock from here on, except while it waits.
    biglock::enter();
    stack::init(args.udp_port, args.stack_debug);
    srcaddr::find_stack_sockets(args.udp_port);
    let cfg = server::Config {
        control: args.control.clone(),
        remote_udp_port: args.remote_udp_port.unwrap_or(args.udp_port),
    };
    let mut srv = match server::Server::new(cfg, listener) {
        Ok(s) => s,
        Err(e) => {
            report(&e.to_string());
            fail(&e.to_string())
        }
    };
    log!(
        1,
        "serving @{} on UDP port {} (uid {})",
        String::from_utf8_lossy(&args.control),
        args.udp_port,
        // SAFETY: getuid cannot fail.
        unsafe { libc::getuid() }
    );
    report("ok");
    drop(ready.take());
    let _ = std::io::stdout().flush();
    if let Err(e) = srv.run() {
        fail(&format!("event loop: {e}"));
    }
}

/// Marks this process as sctpd for libsctp_anywhere.so: started from a program that runs under
/// the shim, sctpd inherits LD_PRELOAD, and the shim then leaves it alone.
#[unsafe(no_mangle)]
#[used]
pub static sctp_anywhere_daemon: u8 = 1;
