//! Byte-lane arithmetic shared by the hand-written byte scans: a `u64` read as eight byte lanes
//! (SWAR), and on x86-64 a search over sixteen-byte SSE2 blocks.

/// The high bit of each byte lane.
pub const LANE_HI: u64 = 0x8080_8080_8080_8080;
/// The low seven bits of each byte lane.
pub const LANE_LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// The low bit of each byte lane.
pub const LANE_LO: u64 = 0x0101_0101_0101_0101;

/// For lanes `low` of seven bits each: the high bit of a lane set where it is at least `n`
/// (below 0x80; the sum stays under 0x100, so no carry crosses lanes).
#[inline(always)]
pub fn at_least(low: u64, n: u8) -> u64 {
    low.wrapping_add(LANE_LO * u64::from(0x80 - n))
}

/// The first byte at or after `i` in the whole sixteen-byte blocks from `i` on whose bit is set
/// in `hits(block)` (a `movemask`: bit k for byte k): `Ok` with its offset, or `Err` with where
/// the blocks stopped (fewer than sixteen bytes before the end), for the caller's tail loop.
/// SSE2 is part of every x86-64 processor.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn first_in_blocks16(
    b: &[u8],
    mut i: usize,
    hits: impl Fn(std::arch::x86_64::__m128i) -> i32,
) -> Result<usize, usize> {
    while i + 16 <= b.len() {
        // SAFETY: the sixteen bytes at `i` lie in `b` (an unaligned load); SSE2 is part of x86-64.
        let x = unsafe { std::arch::x86_64::_mm_loadu_si128(b.as_ptr().add(i).cast()) };
        let m = hits(x);
        if m != 0 {
            return Ok(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    Err(i)
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    #[test]
    fn blocks_find_the_first_hit_or_stop_before_the_tail() {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8};
        // SAFETY: SSE2 is part of x86-64.
        let hits = |x| unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'x' as i8))) };
        for len in 0..50 {
            for at in (0..len).map(Some).chain([None]) {
                let mut b = vec![b'a'; len];
                if let Some(k) = at {
                    b[k] = b'x';
                }
                for from in 0..=len {
                    let blocks_end = from + (len - from) / 16 * 16;
                    let want = match at {
                        Some(k) if k >= from && k < blocks_end => Ok(k),
                        _ => Err(blocks_end),
                    };
                    assert_eq!(
                        super::first_in_blocks16(&b, from, hits),
                        want,
                        "{len} {at:?} {from}"
                    );
                }
            }
        }
    }
}
