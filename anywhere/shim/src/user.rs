//! The program's memory, read and written the way the kernel would touch it: a bad pointer is
//! EFAULT, never a crash of the shim. process_vm_readv/process_vm_writev on this very process
//! copy with the kernel's checks; where they are refused (a seccomp filter), plain copies are
//! used (a bad pointer then faults, as it would in any libc function).

use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, Ordering};

static NO_VM: AtomicBool = AtomicBool::new(false);

fn vm(local: *mut c_void, remote: *mut c_void, len: usize, write: bool) -> Result<usize, i32> {
    if NO_VM.load(Ordering::Relaxed) {
        return Err(libc::ENOSYS);
    }
    let l = libc::iovec {
        iov_base: local,
        iov_len: len,
    };
    let r = libc::iovec {
        iov_base: remote,
        iov_len: len,
    };
    // SAFETY: both iovecs describe `len` bytes; the kernel checks the remote (the program's)
    // range and the local one is ours.
    let n = unsafe {
        let pid = libc::getpid();
        if write {
            libc::process_vm_writev(pid, &l, 1, &r, 1, 0)
        } else {
            libc::process_vm_readv(pid, &l, 1, &r, 1, 0)
        }
    };
    if n < 0 {
        // SAFETY: errno of this thread.
        let e = unsafe { *libc::__errno_location() };
        if e == libc::ENOSYS || e == libc::EPERM {
            NO_VM.store(true, Ordering::Relaxed);
        }
        return Err(e);
    }
    Ok(n as usize)
}

/// Up to `len` bytes at `p`: as many as are readable from the start (EFAULT if not even the
/// first is, unless `len` is 0).
pub fn read_prefix(p: *const c_void, len: usize) -> Result<Vec<u8>, i32> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(libc::EFAULT);
    }
    let mut v = vec![0u8; len];
    match vm(v.as_mut_ptr().cast(), p as *mut c_void, len, false) {
        Ok(0) => Err(libc::EFAULT),
        Ok(n) => {
            v.truncate(n);
            Ok(v)
        }
        Err(libc::EFAULT) => {
            // A range that starts readable but crosses into unmapped memory fails whole: read
            // what the first page holds.
            let first = page_rest(p as usize).min(len);
            if first < len
                && let Ok(n) = vm(v.as_mut_ptr().cast(), p as *mut c_void, first, false)
                && n > 0
            {
                v.truncate(n);
                return Ok(v);
            }
            Err(libc::EFAULT)
        }
        Err(_) => {
            // SAFETY: no checked copy here: the caller's pointer is trusted for `len` bytes,
            // as libc trusts it.
            unsafe { core::ptr::copy_nonoverlapping(p.cast::<u8>(), v.as_mut_ptr(), len) };
            Ok(v)
        }
    }
}

fn page_rest(addr: usize) -> usize {
    4096 - (addr & 4095)
}

/// Exactly `len` bytes at `p`, or EFAULT.
pub fn read(p: *const c_void, len: usize) -> Result<Vec<u8>, i32> {
    let v = read_prefix(p, len)?;
    if v.len() < len {
        Err(libc::EFAULT)
    } else {
        Ok(v)
    }
}

/// A plain value at `p`, or EFAULT.
pub fn read_val<T: Copy + Default>(p: *const T) -> Result<T, i32> {
    let b = read(p.cast(), core::mem::size_of::<T>())?;
    let mut v = T::default();
    // SAFETY: b holds size_of::<T>() bytes and T is plain data (Copy + Default ints).
    unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), (&raw mut v).cast::<u8>(), b.len()) };
    Ok(v)
}

/// Writes `src` at `p`, or EFAULT.
pub fn write(p: *mut c_void, src: &[u8]) -> Result<(), i32> {
    if src.is_empty() {
        return Ok(());
    }
    if p.is_null() {
        return Err(libc::EFAULT);
    }
    match vm(src.as_ptr() as *mut c_void, p, src.len(), true) {
        Ok(n) if n == src.len() => Ok(()),
        Ok(_) => Err(libc::EFAULT),
        Err(libc::EFAULT) => Err(libc::EFAULT),
        Err(_) => {
            // SAFETY: as in read_prefix: the pointer is trusted for the length.
            unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), p.cast::<u8>(), src.len()) };
            Ok(())
        }
    }
}

/// Writes a plain value at `p`, or EFAULT.
pub fn write_val<T: Copy>(p: *mut T, v: T) -> Result<(), i32> {
    // SAFETY: viewing a plain value's bytes.
    let b = unsafe {
        core::slice::from_raw_parts((&raw const v).cast::<u8>(), core::mem::size_of::<T>())
    };
    write(p.cast(), b)
}
