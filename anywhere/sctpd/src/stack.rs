//! A safe face on usrsctp: [`USock`] owns one usrsctp socket and is the only holder of its
//! pointer; its methods return `Result<_, i32>` with the errno usrsctp set. Addresses and
//! option values are byte slices in usrsctp's layout (which for sockaddr_in/sockaddr_in6 is
//! Linux's: usrsctp uses the host's).

use crate::usr;
use core::ffi::{c_int, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

fn errno() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

/// Socket ids whose upcall fired since the event loop last looked, and the eventfd that wakes
/// it. usrsctp calls the upcall from its own threads, and also from inside sctpd's own calls
/// into it: the loop never holds this lock while it calls usrsctp.
static UPCALLS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static WAKE_FD: AtomicI32 = AtomicI32::new(-1);

/// Where upcalls wake the event loop.
pub fn set_wake_fd(fd: i32) {
    WAKE_FD.store(fd, Ordering::SeqCst);
}

/// Takes the ids of the sockets whose upcall fired.
pub fn take_upcalls(into: &mut Vec<u32>) {
    into.clear();
    if let Ok(mut q) = UPCALLS.lock() {
        std::mem::swap(&mut *q, into);
    }
}

unsafe extern "C" fn upcall(_so: *mut usr::socket, arg: *mut c_void, _flags: c_int) {
    let id = arg as usize as u32;
    if let Ok(mut q) = UPCALLS.lock() {
        q.push(id);
    }
    let fd = WAKE_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from `one` to the eventfd; errors are harmless (already due).
        unsafe { libc::write(fd, (&raw const one).cast(), 8) };
    }
}

/// Starts the stack: UDP encapsulation on `udp_port`, never a raw socket that matters (sctpd
/// runs unprivileged; `usrsctp_init` tries raw IPPROTO_SCTP sockets and fails without root).
pub fn init(udp_port: u16, debug: bool) {
    // SAFETY: called once, before any other usrsctp function.
    unsafe {
        usr::usrsctp_init(
            udp_port,
            None,
            if debug { Some(libc::printf) } else { None },
        );
        // Linux's defaults (net.sctp.*): ECN and PR-SCTP on; AUTH, ASCONF (addip) and stream
        // reconfiguration off, so that associations negotiate what the kernel's would.
        usr::usrsctp_sysctl_set_sctp_ecn_enable(1);
        usr::usrsctp_sysctl_set_sctp_pr_enable(1);
        usr::usrsctp_sysctl_set_sctp_auth_enable(0);
        usr::usrsctp_sysctl_set_sctp_asconf_enable(0);
        usr::usrsctp_sysctl_set_sctp_reconfig_enable(0);
        // Linux sends the chunks of several streams in the order they were queued (its
        // default scheduler, FCFS); usrsctp's default takes the streams in turn.
        usr::usrsctp_sysctl_set_sctp_default_ss_module(usr::SCTP_SS_FIRST_COME);
        if debug {
            usr::usrsctp_sysctl_set_sctp_debug_on(0xffff_ffff);
        }
    }
}

/// One usrsctp socket, owned.
pub struct USock {
    so: *mut usr::socket,
}

// SAFETY: usrsctp sockets are used from the event loop thread only; usrsctp's own threads
// synchronise with it internally.
unsafe impl Send for USock {}

impl USock {
    /// A new non-blocking socket whose upcall reports `id`.
    pub fn new(domain: i32, ty: i32, id: u32) -> Result<USock, i32> {
        // SAFETY: plain call; a NULL result is the error.
        let so = unsafe {
            usr::usrsctp_socket(
                domain,
                ty,
                libc::IPPROTO_SCTP,
                None,
                None,
                0,
                core::ptr::null_mut(),
            )
        };
        if so.is_null() {
            return Err(errno());
        }
        let s = USock { so };
        s.setup(id)?;
        Ok(s)
    }

    fn setup(&self, id: u32) -> Result<(), i32> {
        // SAFETY: so is valid (owned by self).
        unsafe {
            if usr::usrsctp_set_non_blocking(self.so, 1) < 0 {
                return Err(errno());
            }
            usr::usrsctp_set_upcall(self.so, Some(upcall), id as usize as *mut c_void);
        }
        Ok(())
    }

    /// Points the upcall of an accepted or peeled-off socket at `id`.
    pub fn adopt(so: *mut usr::socket, id: u32) -> Result<USock, i32> {
        if so.is_null() {
            return Err(libc::EINVAL);
        }
        let s = USock { so };
        s.setup(id)?;
        Ok(s)
    }

    /// usrsctp_get_events: SCTP_EVENT_READ / WRITE / ERROR bits.
    pub fn events(&self) -> i32 {
        // SAFETY: so is valid.
        unsafe { usr::usrsctp_get_events(self.so) }
    }

    /// setsockopt.
    pub fn setsockopt(&self, level: i32, name: i32, val: &[u8]) -> Result<(), i32> {
        // SAFETY: val is valid for its length.
        let r = unsafe {
            usr::usrsctp_setsockopt(
                self.so,
                level,
                name,
                val.as_ptr().cast(),
                val.len() as libc::socklen_t,
            )
        };
        if r < 0 { Err(errno()) } else { Ok(()) }
    }

    /// getsockopt into `val` (its length in, the written length out).
    pub fn getsockopt(&self, level: i32, name: i32, val: &mut [u8]) -> Result<usize, i32> {
        let mut len = val.len() as libc::socklen_t;
        // SAFETY: val is writable for len bytes; len is a valid in/out pointer.
        let r = unsafe {
            usr::usrsctp_getsockopt(self.so, level, name, val.as_mut_ptr().cast(), &mut len)
        };
        if r < 0 {
            Err(errno())
        } else {
            Ok(len as usize)
        }
    }

    /// An integer option.
    pub fn set_int(&self, level: i32, name: i32, v: i32) -> Result<(), i32> {
        self.setsockopt(level, name, &v.to_ne_bytes())
    }

    /// An integer option's value.
    pub fn get_int(&self, level: i32, name: i32) -> Result<i32, i32> {
        let mut b = [0u8; 4];
        self.getsockopt(level, name, &mut b)?;
        Ok(i32::from_ne_bytes(b))
    }

    /// bind.
    pub fn bind(&self, addr: &[u8]) -> Result<(), i32> {
        let mut a = addr.to_vec();
        // SAFETY: a is a private copy of the address, valid for its length.
        let r = unsafe {
            usr::usrsctp_bind(self.so, a.as_mut_ptr().cast(), a.len() as libc::socklen_t)
        };
        if r < 0 { Err(errno()) } else { Ok(()) }
    }

    /// bindx with packed addresses (count `cnt`).
    pub fn bindx(&self, packed: &[u8], cnt: i32, flags: i32) -> Result<(), i32> {
        let mut a = packed.to_vec();
        // SAFETY: a holds cnt packed addresses, checked by the caller.
        let r = unsafe { usr::usrsctp_bindx(self.so, a.as_mut_ptr().cast(), cnt, flags) };
        if r < 0 { Err(errno()) } else { Ok(()) }
    }

    /// listen.
    pub fn listen(&self, backlog: i32) -> Result<(), i32> {
        // SAFETY: so is valid.
        let r = unsafe { usr::usrsctp_listen(self.so, backlog) };
        if r < 0 { Err(errno()) } else { Ok(()) }
    }

    /// accept: a new socket (raw: the caller adopts it) and the peer's address.
    pub fn accept(&self) -> Result<(*mut usr::socket, Vec<u8>), i32> {
        let mut a = [0u8; 128];
        let mut len = a.len() as libc::socklen_t;
        // SAFETY: a is writable for len bytes.
        let so = unsafe { usr::usrsctp_accept(self.so, a.as_mut_ptr().cast(), &mut len) };
        if so.is_null() {
            return Err(errno());
        }
        Ok((
            so,
            a.get(..(len as usize).min(a.len())).unwrap_or(&[]).to_vec(),
        ))
    }

    /// peeloff of association `id`: a new socket (raw: the caller adopts it).
    pub fn peeloff(&self, id: u32) -> Result<*mut usr::socket, i32> {
        // SAFETY: so is valid.
        let so = unsafe { usr::usrsctp_peeloff(self.so, id) };
        if so.is_null() { Err(errno()) } else { Ok(so) }
    }

    /// connectx with packed addresses; the new association's id.
    pub fn connectx(&self, packed: &[u8], cnt: i32) -> Result<u32, (i32, u32)> {
        let mut id: u32 = 0;
        // SAFETY: packed holds cnt addresses (checked by the caller); id is a valid out-pointer.
        let r = unsafe { usr::usrsctp_connectx(self.so, packed.as_ptr().cast(), cnt, &mut id) };
        if r < 0 { Err((errno(), id)) } else { Ok(id) }
    }

    /// shutdown.
    pub fn shutdown(&self, how: i32) -> Result<(), i32> {
        // SAFETY: so is valid.
        let r = unsafe { usr::usrsctp_shutdown(self.so, how) };
        if r < 0 { Err(errno()) } else { Ok(()) }
    }

    /// The ids of the socket's associations (a one-to-many socket's).
    pub fn assoc_ids(&self) -> Vec<u32> {
        let mut b = vec![0u8; 4 + 4 * 1024];
        if self
            .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_GET_ASSOC_ID_LIST, &mut b)
            .is_err()
        {
            return Vec::new();
        }
        let n = (sctp_anywhere_proto::bytes::rd_u32(&b, 0) as usize).min(1024);
        (0..n)
            .map(|i| sctp_anywhere_proto::bytes::rd_u32(&b, 4 + 4 * i))
            .collect()
    }

    /// The addresses of association `id` (peer or local), packed.
    pub fn addrs(&self, id: u32, peer: bool) -> Result<Vec<Vec<u8>>, i32> {
        let mut p: *mut libc::sockaddr = core::ptr::null_mut();
        // SAFETY: p is a valid out-pointer; usrsctp allocates the list.
        let n = unsafe {
            if peer {
                usr::usrsctp_getpaddrs(self.so, id, &mut p)
            } else {
                usr::usrsctp_getladdrs(self.so, id, &mut p)
            }
        };
        if n < 0 {
            return Err(errno());
        }
        let mut out = Vec::new();
        let mut off = 0usize;
        for _ in 0..n {
            // SAFETY: usrsctp returned n packed sockaddrs at p; each's family says its size.
            let fam = unsafe {
                core::ptr::read_unaligned(p.cast::<u8>().add(off).cast::<libc::sa_family_t>())
            };
            let len = match i32::from(fam) {
                libc::AF_INET => core::mem::size_of::<libc::sockaddr_in>(),
                libc::AF_INET6 => core::mem::size_of::<libc::sockaddr_in6>(),
                usr::AF_CONN => usr::sockaddr_conn::SIZE,
                _ => break,
            };
            // SAFETY: the bytes [off, off+len) are one address inside usrsctp's list.
            let s = unsafe { core::slice::from_raw_parts(p.cast::<u8>().add(off), len) };
            out.push(s.to_vec());
            off += len;
        }
        if !p.is_null() {
            // SAFETY: p came from usrsctp_getpaddrs/getladdrs of the same kind.
            unsafe {
                if peer {
                    usr::usrsctp_freepaddrs(p)
                } else {
                    usr::usrsctp_freeladdrs(p)
                }
            }
        }
        Ok(out)
    }

    /// Sends one message: `info` of `infotype` (usrsctp's layouts), to the packed `to`
    /// addresses (`cnt`), never blocking.
    pub fn sendv(
        &self,
        data: &[u8],
        to: &mut [u8],
        cnt: i32,
        info: &mut [u8],
        infotype: u32,
        flags: i32,
    ) -> Result<usize, i32> {
        let (to_p, info_p) = (
            if cnt > 0 {
                to.as_mut_ptr().cast()
            } else {
                core::ptr::null_mut()
            },
            if info.is_empty() {
                core::ptr::null_mut()
            } else {
                info.as_mut_ptr().cast()
            },
        );
        // SAFETY: data, to and info are valid for their lengths (to for cnt addresses, checked
        // by the caller).
        let r = unsafe {
            usr::usrsctp_sendv(
                self.so,
                data.as_ptr().cast(),
                data.len(),
                to_p,
                cnt,
                info_p,
                info.len() as libc::socklen_t,
                infotype,
                flags,
            )
        };
        if r < 0 { Err(errno()) } else { Ok(r as usize) }
    }

    /// Receives into `buf`: (bytes, sender address, the rcvinfo/nxtinfo bytes with their
    /// infotype, msg_flags). Ok(None) when nothing is there.
    pub fn recvv(&self, buf: &mut [u8]) -> Result<Received, i32> {
        let mut from = [0u8; 128];
        let mut fromlen = from.len() as libc::socklen_t;
        let mut info = [0u8; usr::sctp_recvv_rn::SIZE];
        let mut infolen = info.len() as libc::socklen_t;
        let mut infotype: u32 = 0;
        let mut flags: c_int = 0;
        // SAFETY: every buffer is writable for the length passed with it.
        let r = unsafe {
            usr::usrsctp_recvv(
                self.so,
                buf.as_mut_ptr().cast(),
                buf.len(),
                from.as_mut_ptr().cast(),
                &mut fromlen,
                info.as_mut_ptr().cast(),
                &mut infolen,
                &mut infotype,
                &mut flags,
            )
        };
        if r < 0 {
            return Err(errno());
        }
        Ok(Received {
            len: r as usize,
            from: from
                .get(..(fromlen as usize).min(from.len()))
                .unwrap_or(&[])
                .to_vec(),
            info,
            infotype,
            flags,
        })
    }
}

/// What [`USock::recvv`] got.
pub struct Received {
    /// Bytes received (0 at end of file on a one-to-one socket).
    pub len: usize,
    /// The sender's address.
    pub from: Vec<u8>,
    /// struct sctp_recvv_rn in usrsctp's layout (what infotype says is valid).
    pub info: [u8; usr::sctp_recvv_rn::SIZE],
    /// SCTP_RECVV_*.
    pub infotype: u32,
    /// MSG_EOR, MSG_NOTIFICATION (usrsctp's values).
    pub flags: i32,
}

/// The upcall of a socket being closed: usrsctp's threads may still wake it (its association
/// ends after the close). Never NULL: usrsctp calls the upcall whenever its flag is set, and
/// usrsctp_set_upcall sets the flag whatever the function (a NULL one crashes its thread).
unsafe extern "C" fn closed_upcall(_so: *mut usr::socket, _arg: *mut c_void, _flags: c_int) {}

impl Drop for USock {
    fn drop(&mut self) {
        // SAFETY: so is valid and dropped once; the upcall is replaced first so that no
        // notification of the closed socket reaches the loop.
        unsafe {
            usr::usrsctp_set_upcall(self.so, Some(closed_upcall), core::ptr::null_mut());
            usr::usrsctp_close(self.so);
        }
    }
}
