//! The binary's allocator: mimalloc, called the way its C interface is fastest.
//!
//! A build allocates millions of small strings across threads; glibc's allocator spent about
//! 40% of a 1,000-article build in malloc and free, and mimalloc cut that build's time by about
//! half. The `mimalloc` crate's wrapper asks for every block through `mi_malloc_aligned`, whose
//! extra checks were a quarter of the allocator's instructions (callgrind, 1,000 articles: 159 M
//! -> 114 M, the whole build 2,080.8 M -> 2,052.0 M). Blocks that need no more than word
//! alignment, which is nearly all of them, go through plain `mi_malloc`.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// Every mimalloc block is aligned to a word at least; 16 bytes only from some sizes on (its
/// 24-byte blocks are 8-aligned), so larger alignments take the aligned calls.
const WORD: usize = std::mem::size_of::<usize>();

pub struct MiMalloc;

// SAFETY: each method hands the request to the mimalloc function for it, which returns null or
// a block of at least `size` bytes aligned to `align` (plain calls only when `align` <= WORD,
// which every mimalloc block meets); blocks are freed and resized only through mimalloc.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from one of the calls above (the GlobalAlloc contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from one of the calls above with `layout`'s alignment, which the
        // resized block keeps.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

/// Tells mimalloc to keep the memory a build frees rather than hand it back to the system.
///
/// By default it returns pages left empty for a second, and a build frees the loaded content
/// while it renders: the rendering threads then fault those pages back in and the kernel zeroes
/// them again. Measured (`/usr/bin/time`, 50,000 articles, tmpfs): 21,888 page faults and
/// 11.2 s of system time without, 2,388 and 7.2 s with; the build 20.3 s -> 18.4 s. `gloss
/// serve` keeps the default, so that a long session gives memory back between edits.
pub fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h (v3, the version libmimalloc-sys builds by
    // default); the crate leaves it out of its constants.
    const PURGE_DELAY: mi::mi_option_t = 15;
    // SAFETY: mi_option_set stores a number in mimalloc's option table (an atomic write); it
    // may be called at any time from any thread, and -1 is a documented value ("no purging").
    unsafe { mi::mi_option_set(PURGE_DELAY, -1) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every size and alignment come back aligned, keep their bytes when resized,
    /// and zeroed ones are zero.
    #[test]
    fn blocks_are_aligned_and_keep_their_contents() {
        let a = MiMalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 12, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; every block is freed once, through the allocator.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    p.write_bytes(0xab, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "resized: size {size} align {align}");
                    assert!(
                        std::slice::from_raw_parts(q, size)
                            .iter()
                            .all(|&b| b == 0xab)
                    );
                    a.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
