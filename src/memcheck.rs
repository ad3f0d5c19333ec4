//! Telling valgrind's memcheck, when the program runs under it, that bytes a syscall wrote are
//! defined where its syscall wrappers cannot know it.
//!
//! For SCTP_GET_LOCAL_ADDRS the kernel writes the 8-byte struct sctp_getaddrs header and then
//! the addresses, but reports in optlen the length of the addresses alone (it does not count the
//! header, a long-standing quirk kept for compatibility). memcheck's getsockopt wrapper trusts
//! optlen, so it takes the last 8 bytes the kernel wrote as undefined. The library tells it the
//! truth, for exactly the bytes the kernel wrote: an error of the library reading past them is
//! still reported. (Zeroing the whole 4 KiB block beforehand would do too, at thousands of
//! instructions per call.)
//!
//! This is valgrind's client request, VALGRIND_MAKE_MEM_DEFINED: a sequence of rotations of one
//! register that sum to a full turn, then an exchange of a register with itself. Natively it
//! changes nothing (a handful of instructions); valgrind recognises it. On other architectures
//! it does nothing.

/// memcheck's request number for VALGRIND_MAKE_MEM_DEFINED: its tool base ('M','C') + 2.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
const MAKE_MEM_DEFINED: usize = ((b'M' as usize) << 24 | (b'C' as usize) << 16) + 2;

/// Marks `len` bytes at `p` as defined for memcheck (nothing natively).
#[inline(always)]
pub(crate) fn mark_defined(p: *const u8, len: usize) {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        let args: [usize; 6] = [MAKE_MEM_DEFINED, p as usize, len, 0, 0, 0];
        let mut result: usize = 0;
        // SAFETY: the sequence leaves every register as it was natively (the rotations add up
        // to 128 bits, and the exchange or or-ing is of a register with itself) and only reads
        // `args`; under valgrind it is a request whose answer lands in `result`.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            core::arch::asm!(
                "rol rdi, 3",
                "rol rdi, 13",
                "rol rdi, 61",
                "rol rdi, 51",
                "xchg rbx, rbx",
                inout("rdx") result,
                in("rax") args.as_ptr(),
                out("rdi") _,
                options(nostack, readonly),
            );
        }
        // SAFETY: as above.
        #[cfg(target_arch = "aarch64")]
        unsafe {
            core::arch::asm!(
                "ror x12, x12, #3",
                "ror x12, x12, #13",
                "ror x12, x12, #51",
                "ror x12, x12, #61",
                "orr x10, x10, x10",
                inout("x3") result,
                in("x4") args.as_ptr(),
                out("x12") _,
                options(nostack, readonly),
            );
        }
        let _ = result;
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    let _ = (p, len);
}
