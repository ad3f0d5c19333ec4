//! The socket calls other than send and receive, on sctpd's sockets: each is one request on
//! the thread's channel (the socket named by passing its descriptor), its arguments read from
//! and its results written to the program's memory as the kernel would (a bad pointer is
//! EFAULT). sctpd decides everything Linux decides.

use crate::chan;
use crate::data;
use crate::fds;
use crate::real;
use crate::user;
use core::ffi::c_void;
use sctp_anywhere_proto::bytes::{rd_i32, rd_u32, rd_u64, wr_i32};
use sctp_anywhere_proto::linux as lx;
use sctp_anywhere_proto::{info, op, qflags, yflags};

type R<T> = Result<T, i32>;

fn blocking(fd: i32) -> u32 {
    if fds::nonblocking(fd) {
        0
    } else {
        qflags::BLOCKING
    }
}

fn ret(a: &chan::Answer) -> R<i64> {
    if a.reply.ret < 0 {
        Err((-a.reply.ret) as i32)
    } else {
        Ok(a.reply.ret)
    }
}

/// Largest socket address the kernel takes from a program.
const SS: usize = core::mem::size_of::<libc::sockaddr_storage>();

/// socket(): a new SCTP socket of sctpd.
pub fn socket(domain: i32, ty: i32, protocol: i32) -> R<i32> {
    let cloexec = ty & libc::SOCK_CLOEXEC != 0;
    let a = chan::call(
        op::SOCKET,
        0,
        [i64::from(domain), i64::from(ty), i64::from(protocol), 0],
        &[],
        None,
        0,
        cloexec,
    )?;
    ret(&a)?;
    let fd =
        a.fd.ok_or(if a.fd_lost { libc::EMFILE } else { libc::EIO })?;
    fds::set_ours(fd, ty & libc::SOCK_NONBLOCK != 0);
    fds::set_one_to_one(fd, ty & 0xf == libc::SOCK_STREAM);
    Ok(fd)
}

fn addr_in(addr: *const c_void, len: u32) -> R<Vec<u8>> {
    let len = len as usize;
    if len > SS {
        return Err(libc::EINVAL);
    }
    user::read(addr, len)
}

/// bind().
pub fn bind(fd: i32, addr: *const c_void, len: u32) -> R<i32> {
    let a = addr_in(addr, len)?;
    ret(&chan::call(op::BIND, 0, [0; 4], &[&a], Some(fd), 0, false)?)?;
    Ok(0)
}

/// listen().
pub fn listen(fd: i32, backlog: i32) -> R<i32> {
    let a = chan::call(
        op::LISTEN,
        0,
        [i64::from(backlog), 0, 0, 0],
        &[],
        Some(fd),
        0,
        false,
    )?;
    ret(&a)?;
    if a.reply.aux & info::ONE_TO_ONE != 0 {
        fds::set_listener(fd);
    }
    Ok(0)
}

/// connect().
pub fn connect(fd: i32, addr: *const c_void, len: u32) -> R<i32> {
    let a = addr_in(addr, len)?;
    let r = chan::call(op::CONNECT, blocking(fd), [0; 4], &[&a], Some(fd), 0, false)?;
    if r.reply.flags & yflags::FILLER != 0 {
        data::write_filler(fd);
    }
    ret(&r)?;
    Ok(0)
}

/// Writes a socket address for the program: as much as its `*lenp` holds, and the address's
/// length into `*lenp` (accept, getsockname, getpeername, recvfrom).
pub fn addr_out(addr: *mut c_void, lenp: *mut libc::socklen_t, a: &[u8]) -> R<()> {
    if addr.is_null() {
        return Ok(());
    }
    let len = user::read_val(lenp)? as i32;
    if len < 0 {
        return Err(libc::EINVAL);
    }
    user::write(addr, a.get(..a.len().min(len as usize)).unwrap_or(&[]))?;
    user::write_val(lenp, a.len() as libc::socklen_t)
}

/// accept() / accept4().
pub fn accept(fd: i32, addr: *mut c_void, lenp: *mut libc::socklen_t, flags: i32) -> R<i32> {
    if flags & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC) != 0 {
        return Err(libc::EINVAL);
    }
    let i = chan::call(op::INFO, 0, [0; 4], &[], Some(fd), 0, false)?;
    let bits = i.reply.aux;
    if bits & info::ONE_TO_ONE == 0 || bits & info::PEELED != 0 {
        return Err(libc::EOPNOTSUPP);
    }
    if bits & info::LISTENING == 0 {
        return Err(libc::EINVAL);
    }
    let (nfd, peer) = data::accept(fd, flags)?;
    if let Err(e) = addr_out(addr, lenp, &peer) {
        fds::forget(nfd);
        // SAFETY: the descriptor we just received.
        unsafe { real::close(nfd) };
        return Err(e);
    }
    Ok(nfd)
}

/// getsockname() / getpeername().
pub fn name(fd: i32, addr: *mut c_void, lenp: *mut libc::socklen_t, peer: bool) -> R<i32> {
    let o = if peer {
        op::GETPEERNAME
    } else {
        op::GETSOCKNAME
    };
    let a = chan::call(o, 0, [0; 4], &[], Some(fd), SS as u32, false)?;
    ret(&a)?;
    if addr.is_null() {
        return Err(libc::EFAULT);
    }
    addr_out(addr, lenp, &a.out)?;
    Ok(0)
}

/// shutdown().
pub fn shutdown(fd: i32, how: i32) -> R<i32> {
    ret(&chan::call(
        op::SHUTDOWN,
        0,
        [i64::from(how), 0, 0, 0],
        &[],
        Some(fd),
        0,
        false,
    )?)?;
    Ok(0)
}

/// Largest option value handed over (Linux's SCTP options are far smaller, but address lists
/// can be long).
const OPT_MAX: usize = 192 * 1024;

/// setsockopt().
pub fn setsockopt(fd: i32, level: i32, name: i32, val: *const c_void, len: u32) -> R<i32> {
    if (len as i32) < 0 {
        return Err(libc::EINVAL);
    }
    let v = user::read(val, (len as usize).min(OPT_MAX))?;
    if level == libc::SOL_SOCKET && name == libc::SO_RCVTIMEO {
        // A blocking receive is a receive on the pair: it times out by the pair's own option.
        // SAFETY: the value just read, with its length.
        let r = unsafe { real::setsockopt(fd, level, name, v.as_ptr().cast(), v.len() as u32) };
        if r < 0 {
            // SAFETY: errno of this thread.
            return Err(unsafe { *libc::__errno_location() });
        }
    }
    if level == lx::SOL_SCTP && sctp_anywhere_proto::RESTAMP_OPTS.contains(&name) {
        // The records queued follow the option as it will be (sctpd restamps them).
        take_back(fd)?;
    }
    let a = chan::call(
        op::SETSOCKOPT,
        blocking(fd),
        [i64::from(level), i64::from(name), 0, 0],
        &[&v],
        Some(fd),
        0,
        false,
    )?;
    if a.reply.flags & yflags::FILLER != 0 {
        // A non-blocking sctp_connectx (SCTP_SOCKOPT_CONNECTX) of a one-to-one socket: not
        // writable until the association is up, as connect().
        data::write_filler(fd);
    }
    ret(&a)?;
    if level == lx::SOL_SCTP && name == lx::SCTP_SOCKOPT_CONNECTX {
        // Linux returns the new association's id as setsockopt's value.
        return Ok(rd_i32(&a.out, 0));
    }
    Ok(0)
}

/// Before a peel-off, or an option that changes what comes with queued messages: sctpd holds
/// the socket's records, the shim gives back what is queued in its pair (in requests of at most
/// ~190 KiB), and sctpd requeues it, moving the peeled-off association's records to the new
/// socket (Linux's sctp_sock_migrate) or restamping them.
fn take_back(fd: i32) -> R<()> {
    ret(&chan::call(op::HOLD, 0, [0; 4], &[], Some(fd), 0, false)?)?;
    let recs = data::drain(fd);
    let mut batch: Vec<u8> = Vec::new();
    for r in &recs {
        if !batch.is_empty() && batch.len() + r.len() + 4 > 190 * 1024 {
            ret(&chan::call(
                op::REQUEUE,
                0,
                [0; 4],
                &[&batch],
                Some(fd),
                0,
                false,
            )?)?;
            batch.clear();
        }
        batch.extend_from_slice(&(r.len() as u32).to_ne_bytes());
        batch.extend_from_slice(r);
    }
    if !batch.is_empty() {
        ret(&chan::call(
            op::REQUEUE,
            0,
            [0; 4],
            &[&batch],
            Some(fd),
            0,
            false,
        )?)?;
    }
    Ok(())
}

/// getsockopt().
pub fn getsockopt(
    fd: i32,
    level: i32,
    name: i32,
    val: *mut c_void,
    lenp: *mut libc::socklen_t,
) -> R<i32> {
    let len = user::read_val(lenp)? as i32;
    if len < 0 {
        return Err(libc::EINVAL);
    }
    let mut inb = if len > 0 {
        user::read_prefix(val, (len as usize).min(OPT_MAX))?
    } else {
        Vec::new()
    };
    let sctp = level == lx::SOL_SCTP;
    let mut cloexec = false;
    if sctp && name == lx::SCTP_SOCKOPT_CONNECTX3 && inb.len() >= lx::sctp_getaddrs_old::SIZE {
        // The struct points to the addresses: they go along.
        let n = rd_i32(&inb, lx::sctp_getaddrs_old::addr_num);
        let p = rd_u64(&inb, lx::sctp_getaddrs_old::addrs) as usize as *const c_void;
        inb.truncate(lx::sctp_getaddrs_old::SIZE);
        if n > 0 {
            inb.extend(user::read(p, (n as usize).min(OPT_MAX))?);
        }
    }
    if sctp && name == lx::SCTP_SOCKOPT_PEELOFF_FLAGS {
        cloexec =
            rd_u32(&inb, lx::sctp_peeloff_flags_arg_t::flags) & libc::SOCK_CLOEXEC as u32 != 0;
    }
    if sctp && (name == lx::SCTP_SOCKOPT_PEELOFF || name == lx::SCTP_SOCKOPT_PEELOFF_FLAGS) {
        take_back(fd)?;
    }
    let a = chan::call(
        op::GETSOCKOPT,
        blocking(fd),
        [i64::from(level), i64::from(name), 0, 0],
        &[&inb],
        Some(fd),
        len as u32,
        cloexec,
    )?;
    if a.reply.flags & yflags::FILLER != 0 {
        // A non-blocking sctp_connectx (SCTP_SOCKOPT_CONNECTX3): as connect().
        data::write_filler(fd);
    }
    if a.fd_lost {
        // The process had no room for the new socket's descriptor: the kernel closed it (and
        // sctpd ends the association, as Linux does when peel-off cannot install its file).
        return Err(libc::EMFILE);
    }
    let mut out = a.out.clone();
    if let Some(nfd) = a.fd {
        // A peeled-off association: its descriptor's number goes where Linux writes it.
        let nb = rd_u32(&inb, lx::sctp_peeloff_flags_arg_t::flags) & libc::SOCK_NONBLOCK as u32
            != 0
            && name == lx::SCTP_SOCKOPT_PEELOFF_FLAGS;
        fds::set_ours(nfd, nb);
        fds::set_one_to_one(nfd, true);
        wr_i32(&mut out, lx::sctp_peeloff_arg_t::sd, nfd);
    }
    if !out.is_empty() || a.reply.ret >= 0 {
        let w = user::write(val, &out)
            .and_then(|()| user::write_val(lenp, a.reply.aux as libc::socklen_t));
        if let Err(e) = w {
            if let Some(nfd) = a.fd {
                fds::forget(nfd);
                // SAFETY: the descriptor we just received.
                unsafe { real::close(nfd) };
            }
            return Err(e);
        }
    }
    ret(&a)?;
    Ok(0)
}
