//! The memory an evaluation holds, counted by the allocator, so that the sandbox can stop a
//! rule script that builds too much. Rhai's limits are per value and per scope (a string of
//! 100,000 characters, 500 variables), and every call depth has a scope of its own: a script
//! holding a large string in each of 300 variables at 29 call depths reached 1.7 GB.
//!
//! [`Counting`] wraps the global allocator of the `eligo` command and of the WebAssembly
//! modules; a program embedding the crate can wrap its own allocator the same way. Without
//! it nothing is counted, and only Rhai's limits apply.
//!
//! The allocator also counts every byte an evaluation allocates, freed or not, as a measure
//! of its work: one step of a script can copy a whole list, map or string (`m + #{}` on a
//! 1,400-entry map, `s.to_upper()` on 99,000 characters), so the step limit alone let a
//! loop of such steps run for seconds. Functions that search a value without copying it
//! charge what they read ([`charge`]).
//!
//! Bytes are counted per thread (an evaluation runs on one), from the start of each
//! evaluation ([`start`]); the script is checked now and then ([`over`]), between steps.

use std::alloc::{GlobalAlloc, Layout};

/// The most an evaluation may hold beyond what its thread held when it started. The seed
/// rule sets hold well under a megabyte. Pointers are half the size in WebAssembly, so a
/// script within a few megabytes of this could be stopped natively and not there.
pub const MAX_BYTES: isize = 64 << 20;

/// The most data an evaluation may allocate (or read, where a function charges it) in all.
/// The seed rule sets allocate tens of kilobytes per decision; copying or searching a large
/// value in a loop reaches this within a few tenths of a second.
pub const MAX_WORK_BYTES: u64 = 128 << 20;

/// Which limit an evaluation went over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// It holds more than [`MAX_BYTES`].
    Held,
    /// It allocated or read more than [`MAX_WORK_BYTES`].
    Work,
}

/// A global allocator that counts what each thread holds: `#[global_allocator] static A:
/// eligo::memory::Counting<std::alloc::System> = eligo::memory::Counting(std::alloc::System);`
pub struct Counting<A>(pub A);

// SAFETY: every call is passed to the wrapped allocator unchanged; counting touches only an
// integer of the thread's. `alloc_zeroed` and `realloc` are GlobalAlloc's own, made of these
// two (passing them on inlined a copy of the WebAssembly allocator, dlmalloc, into each, for
// 0.7 KB gzip and no speed that showed), except that a `realloc` to the same size returns
// the block as it is.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count::add(layout.size() as isize);
        count::work(layout.size());
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count::add(-(layout.size() as isize));
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Rhai's strings (smartstring) ask for the capacity they already have on every
        // append: GlobalAlloc's own `realloc` would copy the whole string each time
        // (`s.pad(99000, "x")` copied 6.8 GB).
        if new_size == layout.size() {
            return ptr;
        }
        // GlobalAlloc's own: a new block, the bytes copied, the old one freed.
        // SAFETY: as GlobalAlloc::realloc's contract, which the caller keeps.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new_ptr = self.alloc(new_layout);
            if !new_ptr.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new_ptr, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new_ptr
        }
    }
}

/// An evaluation starts on this thread: count from here.
pub fn start() {
    count::set_base(count::held());
    count::reset_work();
}

/// A function read `bytes` of a value without copying them: count them as work.
pub fn charge(bytes: usize) {
    count::work(bytes);
}

/// Whether this thread's evaluation holds more than [`MAX_BYTES`], or has allocated and
/// read more than [`MAX_WORK_BYTES`], since it started.
pub fn over() -> Option<Limit> {
    if count::held().wrapping_sub(count::base()) > MAX_BYTES {
        Some(Limit::Held)
    } else if count::worked() > MAX_WORK_BYTES {
        Some(Limit::Work)
    } else {
        None
    }
}

/// Bytes allocated less bytes freed on this thread (`held`), what it held when its current
/// evaluation started (`base`), and bytes allocated or charged since then (`work`).
mod count {
    use std::cell::Cell;

    thread_local! {
        // Constant-initialised and without a destructor, so the allocator can use them at
        // any time without allocating; a thread being torn down counts nothing.
        static HELD: Cell<isize> = const { Cell::new(0) };
        static BASE: Cell<isize> = const { Cell::new(0) };
        static WORK: Cell<u64> = const { Cell::new(0) };
    }

    pub fn work(bytes: usize) {
        let _ = WORK.try_with(|work| work.set(work.get().wrapping_add(bytes as u64)));
    }

    pub fn worked() -> u64 {
        WORK.try_with(Cell::get).unwrap_or(0)
    }

    pub fn reset_work() {
        let _ = WORK.try_with(|work| work.set(0));
    }

    pub fn add(bytes: isize) {
        let _ = HELD.try_with(|held| held.set(held.get().wrapping_add(bytes)));
    }

    pub fn held() -> isize {
        HELD.try_with(Cell::get).unwrap_or(0)
    }

    pub fn base() -> isize {
        BASE.try_with(Cell::get).unwrap_or(0)
    }

    pub fn set_base(bytes: isize) {
        let _ = BASE.try_with(|base| base.set(bytes));
    }
}
