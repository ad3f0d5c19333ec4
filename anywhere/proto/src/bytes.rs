//! Native-endian reads and writes at byte offsets of a buffer: how both ends take structs apart
//! and build them (offsets from the facts modules), with no unsafe code and no panic. A read
//! past the end gives 0 and a write past the end does nothing; callers size their buffers from
//! the same facts, so neither happens in practice.

macro_rules! rw {
    ($rd:ident, $wr:ident, $t:ty) => {
        /// Reads a
        #[doc = stringify!($t)]
        /// at `off` (0 past the end).
        pub fn $rd(b: &[u8], off: usize) -> $t {
            const N: usize = core::mem::size_of::<$t>();
            match off.checked_add(N).and_then(|end| b.get(off..end)) {
                Some(s) => {
                    let mut a = [0u8; N];
                    a.copy_from_slice(s);
                    <$t>::from_ne_bytes(a)
                }
                None => 0,
            }
        }

        /// Writes a
        #[doc = stringify!($t)]
        /// at `off` (nothing past the end).
        pub fn $wr(b: &mut [u8], off: usize, v: $t) {
            const N: usize = core::mem::size_of::<$t>();
            if let Some(s) = off.checked_add(N).and_then(|end| b.get_mut(off..end)) {
                s.copy_from_slice(&v.to_ne_bytes());
            }
        }
    };
}

rw!(rd_u8, wr_u8, u8);
rw!(rd_u16, wr_u16, u16);
rw!(rd_u32, wr_u32, u32);
rw!(rd_i32, wr_i32, i32);
rw!(rd_u64, wr_u64, u64);
rw!(rd_i64, wr_i64, i64);

/// Copies `src` into `b` at `off`, as much as fits.
pub fn wr_bytes(b: &mut [u8], off: usize, src: &[u8]) {
    if let Some(dst) = b.get_mut(off..) {
        let n = dst.len().min(src.len());
        if let (Some(d), Some(s)) = (dst.get_mut(..n), src.get(..n)) {
            d.copy_from_slice(s);
        }
    }
}

/// `len` bytes of `b` at `off` (fewer at the end, none past it).
pub fn rd_bytes(b: &[u8], off: usize, len: usize) -> &[u8] {
    let end = off.saturating_add(len).min(b.len());
    b.get(off..end).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes() {
        let mut b = [0u8; 8];
        wr_u32(&mut b, 2, 0xdead_beef);
        assert_eq!(rd_u32(&b, 2), 0xdead_beef);
        wr_u16(&mut b, 7, 1); // does not fit: nothing written
        assert_eq!(rd_u16(&b, 7), 0);
        assert_eq!(rd_u64(&b, usize::MAX), 0);
        wr_bytes(&mut b, 6, &[1, 2, 3]);
        assert_eq!(&b[6..], &[1, 2]);
        assert_eq!(rd_bytes(&b, 6, 9), &[1, 2]);
        assert_eq!(rd_bytes(&b, 99, 1), &[] as &[u8]);
    }
}
