//! bind() and sctp_bindx() as Linux does them (net/sctp/socket.c: sctp_do_bind,
//! sctp_bindx_add, sctp_bindx_rem): each address checked in turn (family, port, already bound),
//! the call undone as a whole when one fails, the last address never removed (EBUSY), and the
//! bound addresses kept in the order they were bound (usrsctp lists its own newest first).

use crate::log;
use crate::ops::linux_errno;
use crate::sendpath::{addr_len, verify_addr};
use crate::server::Server;
use crate::usr;
use sctp_anywhere_proto::bytes::{rd_bytes, rd_u16, wr_u16};

/// An address without its port (the key of the bound set). On an IPv6 socket an IPv4
/// address is kept v4-mapped, so that both spellings of one address are one address.
pub(crate) fn host(domain: i32, a: &[u8]) -> Vec<u8> {
    let mut h = a.to_vec();
    wr_u16(&mut h, 2, 0);
    if domain == libc::AF_INET6 && i32::from(rd_u16(a, 0)) == libc::AF_INET {
        let mut m = vec![0u8; core::mem::size_of::<libc::sockaddr_in6>()];
        wr_u16(&mut m, 0, libc::AF_INET6 as u16);
        m[18] = 0xff;
        m[19] = 0xff;
        m[20..24].copy_from_slice(rd_bytes(a, 4, 4));
        return m;
    }
    h
}

/// Whether `a` and `b` are one address and port (an IPv4 address and its v4-mapped spelling
/// are one; flow label and scope do not count).
pub(crate) fn same_endpoint(a: &[u8], b: &[u8]) -> bool {
    let key = |x: &[u8]| {
        let h = host(libc::AF_INET6, x);
        (rd_u16(x, 2), rd_bytes(&h, 8, 16).to_vec())
    };
    key(a) == key(b)
}

/// Whether `a` is an IPv4 address (plain or v4-mapped).
fn is_v4(a: &[u8]) -> bool {
    match i32::from(rd_u16(a, 0)) {
        libc::AF_INET => true,
        libc::AF_INET6 => rd_bytes(a, 8, 12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff],
        _ => false,
    }
}

/// The wildcard address of `a`'s family.
fn is_any(a: &[u8]) -> bool {
    match i32::from(rd_u16(a, 0)) {
        libc::AF_INET => rd_bytes(a, 4, 4).iter().all(|b| *b == 0),
        libc::AF_INET6 => rd_bytes(a, 8, 16).iter().all(|b| *b == 0),
        _ => false,
    }
}

/// The addresses of a packed array (Linux's walk: a family it knows and room for it, or EINVAL).
pub fn split(bytes: &[u8]) -> Result<Vec<Vec<u8>>, i32> {
    if bytes.is_empty() {
        return Err(libc::EINVAL);
    }
    let (mut off, mut out) = (0usize, Vec::new());
    while off < bytes.len() {
        if off + 2 > bytes.len() {
            return Err(libc::EINVAL);
        }
        let len = addr_len(rd_u16(bytes, off));
        if len == 0 || off + len > bytes.len() {
            return Err(libc::EINVAL);
        }
        out.push(rd_bytes(bytes, off, len).to_vec());
        off += len;
    }
    Ok(out)
}

/// Whether the socket has an association (up or starting).
fn has_associations(s: &crate::sock::Sock) -> bool {
    if s.one_to_one {
        return s.connected || s.connecting;
    }
    let mut b = [0u8; 8];
    match s
        .us
        .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_GET_ASSOC_ID_LIST, &mut b)
    {
        Ok(_) => sctp_anywhere_proto::bytes::rd_u32(&b, 0) > 0,
        // No room for one id: there is at least one.
        Err(_) => true,
    }
}

impl Server {
    /// The port the socket is bound to (0: unbound).
    fn bound_port(&self, id: u32) -> u16 {
        self.socks.get(&id).map_or(0, |s| s.port)
    }

    /// Binds one address on the stack and records it (sctp_do_bind's checks first).
    fn bind_one(&mut self, id: u32, a: &[u8]) -> Result<(), i32> {
        let Some(s) = self.socks.get(&id) else {
            return Err(libc::EBADF);
        };
        let a = verify_addr(s.domain, a)?;
        // An IPv6 socket that is IPv6-only takes no IPv4 address (Linux: sctp_sockaddr_af).
        if s.domain == libc::AF_INET6 && is_v4(&a) && s.v6only {
            return Err(libc::EINVAL);
        }
        let snum = u16::from_be(rd_u16(&a, 2));
        if s.port == 0 && snum != 0 && !self.may_bind_port(snum) {
            return Err(libc::EACCES);
        }
        let Some(s) = self.socks.get(&id) else {
            return Err(libc::EBADF);
        };
        let mut a = a;
        if s.port != 0 {
            if snum == 0 {
                wr_u16(&mut a, 2, s.port.to_be());
            } else if snum != s.port {
                return Err(libc::EINVAL);
            }
        }
        if s.bound.iter().any(|b| *b == host(s.domain, &a)) || (s.bound_any && !s.bound.is_empty())
        {
            return Err(libc::EINVAL);
        }
        let r = if s.bound.is_empty() && !s.bound_any {
            s.us.bind(&a)
        } else {
            s.us.bindx(&a, 1, usr::SCTP_BINDX_ADD_ADDR)
        };
        r.map_err(linux_errno)?;
        let port =
            s.us.addrs(0, false)
                .ok()
                .and_then(|v| v.first().map(|x| u16::from_be(rd_u16(x, 2))));
        let Some(s) = self.socks.get_mut(&id) else {
            return Err(libc::EBADF);
        };
        if is_any(&a) {
            s.bound_any = true;
        }
        s.bound.push(host(s.domain, &a));
        s.name_addr = Some(host(s.domain, &a));
        if let Some(p) = port.filter(|p| *p != 0) {
            s.port = p;
        }
        let p = s.port;
        self.sync_port(p);
        Ok(())
    }

    /// Linux's rule for a port below net.ipv4.ip_unprivileged_port_start (1024 by default):
    /// the process binding it needs CAP_NET_BIND_SERVICE in its effective set (root has it).
    /// sctpd runs without it, so it checks the program's own rights, as the kernel would.
    pub(crate) fn may_bind_port(&self, port: u16) -> bool {
        let start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(1024);
        if u32::from(port) >= start {
            return true;
        }
        let Some(cred) = self.chans.get(&self.cur_chan).and_then(|c| c.cred) else {
            return false;
        };
        const CAP_NET_BIND_SERVICE: u32 = 10;
        std::fs::read_to_string(format!("/proc/{}/status", cred.pid))
            .ok()
            .and_then(|st| {
                st.lines()
                    .find_map(|l| l.strip_prefix("CapEff:"))
                    .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
            })
            .is_some_and(|caps| caps & (1 << CAP_NET_BIND_SERVICE) != 0)
    }

    /// Tells the stack's packet output (see [`crate::srcaddr`]) how the endpoints on `port` are
    /// bound (the wildcard, their own addresses, or no endpoint at all).
    pub(crate) fn sync_port(&self, port: u16) {
        if port == 0 {
            return;
        }
        let mut used = None;
        for s in self.socks.values().filter(|s| s.port == port) {
            if !s.bound_any && !s.bound.is_empty() {
                used = Some(Some(s.bound.clone()));
                break;
            }
            used = Some(None);
        }
        crate::srcaddr::set_port(port, used);
    }

    /// Removes one address (sctp_bindx_rem's checks first).
    fn unbind_one(&mut self, id: u32, a: &[u8]) -> Result<(), i32> {
        let Some(s) = self.socks.get(&id) else {
            return Err(libc::EBADF);
        };
        if s.bound.len() <= 1 {
            return Err(libc::EBUSY);
        }
        let a = verify_addr(s.domain, a).map_err(|_| libc::EADDRNOTAVAIL)?;
        let snum = u16::from_be(rd_u16(&a, 2));
        if snum != 0 && snum != s.port {
            return Err(libc::EINVAL);
        }
        let key = host(s.domain, &a);
        let Some(pos) = s.bound.iter().position(|b| *b == key) else {
            return Err(libc::EINVAL);
        };
        let mut full = a.clone();
        wr_u16(&mut full, 2, s.port.to_be());
        let associated = has_associations(s);
        if !associated {
            s.us.bindx(&full, 1, usr::SCTP_BINDX_REM_ADDR)
                .map_err(linux_errno)?;
        }
        if let Some(s) = self.socks.get_mut(&id) {
            s.bound.remove(pos);
            if associated {
                s.unbind_later.push(full);
            }
        }
        Ok(())
    }

    /// Drops from the stack the addresses removed while associations used them, once none is
    /// left (see [`crate::sock::Sock::unbind_later`]).
    pub(crate) fn unbind_deferred(&mut self, id: u32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if s.unbind_later.is_empty() || has_associations(s) {
            return;
        }
        for a in std::mem::take(&mut s.unbind_later) {
            let _ = s.us.bindx(&a, 1, usr::SCTP_BINDX_REM_ADDR);
        }
    }

    /// After a call that binds an unbound socket implicitly (connect, listen, a send): Linux
    /// binds the wildcard address and an ephemeral port; so does the stack.
    pub(crate) fn note_autobind(&mut self, id: u32) {
        let Some(s) = self.socks.get(&id) else { return };
        if !s.bound.is_empty() || s.bound_any {
            return;
        }
        let port =
            s.us.addrs(0, false)
                .ok()
                .and_then(|v| v.first().map(|x| u16::from_be(rd_u16(x, 2))));
        if let (Some(p), Some(s)) = (port.filter(|p| *p != 0), self.socks.get_mut(&id)) {
            s.bound_any = true;
            s.port = p;
            self.sync_port(p);
        }
    }

    /// bind(addr).
    pub(crate) fn do_bind(&mut self, id: u32, a: &[u8]) -> Result<(), i32> {
        let Some(s) = self.socks.get(&id) else {
            return Err(libc::EBADF);
        };
        // A second bind() of a bound socket is EINVAL (Linux's inet_bind: already bound).
        if !s.bound.is_empty() || s.bound_any {
            return Err(libc::EINVAL);
        }
        self.bind_one(id, a)
    }

    /// sctp_bindx: SCTP_SOCKOPT_BINDX_ADD / _REM with a packed array.
    pub(crate) fn do_bindx(&mut self, id: u32, bytes: &[u8], add: bool) -> Result<(), i32> {
        let addrs = split(bytes)?;
        let mut done: Vec<Vec<u8>> = Vec::new();
        for a in &addrs {
            let r = if add {
                self.bind_one(id, a)
            } else {
                self.unbind_one(id, a)
            };
            if let Err(e) = r {
                // Undone as a whole: what this call added is removed, what it removed added.
                for d in done.iter().rev() {
                    let _ = if add {
                        self.unbind_one(id, d)
                    } else {
                        self.bind_one(id, d)
                    };
                }
                log!(
                    2,
                    "socket {id}: bindx {} refused: errno {e}",
                    if add { "add" } else { "remove" }
                );
                return Err(e);
            }
            let mut d = a.clone();
            let p = self.bound_port(id);
            if rd_u16(&d, 2) == 0 {
                wr_u16(&mut d, 2, p.to_be());
            }
            done.push(d);
        }
        Ok(())
    }

    /// The socket's bound addresses in the order they were bound, with its port (what Linux's
    /// SCTP_GET_LOCAL_ADDRS lists for association 0), or None to ask the stack (a wildcard).
    pub(crate) fn bound_list(&self, id: u32) -> Option<Vec<Vec<u8>>> {
        let s = self.socks.get(&id)?;
        if s.bound_any {
            return None;
        }
        Some(
            s.bound
                .iter()
                .map(|h| {
                    let mut a = h.clone();
                    wr_u16(&mut a, 2, s.port.to_be());
                    a
                })
                .collect(),
        )
    }
}
