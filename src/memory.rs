//! The memory an evaluation holds, counted by the allocator, so that the sandbox can stop a
//! rule script that builds too much. Rhai's limits are per value and per scope (a string of
//! 100,000 characters, 500 variables), and every call depth has a scope of its own: a script
//! holding a large string in each of 300 variables at 29 call depths reached 1.7 GB.
//!
//! [`Counting`] wraps the global allocator of the `eligo` command and of the WebAssembly
//! modules; a program embedding the crate can wrap its own allocator the same way. Without
//! it nothing is counted, and only Rhai's limits apply.
//!
//! Bytes are counted per thread (an evaluation runs on one), from the start of each
//! evaluation ([`start`]); the script is checked now and then ([`over`]), between steps.

use std::alloc::{GlobalAlloc, Layout};

/// The most an evaluation may hold beyond what its thread held when it started. The seed
/// rule sets hold well under a megabyte. Pointers are half the size in WebAssembly, so a
/// script within a few megabytes of this could be stopped natively and not there.
pub const MAX_BYTES: isize = 64 << 20;

/// A global allocator that counts what each thread holds: `#[global_allocator] static A:
/// eligo::memory::Counting<std::alloc::System> = eligo::memory::Counting(std::alloc::System);`
pub struct Counting<A>(pub A);

// SAFETY: every call is passed to the wrapped allocator unchanged; counting touches only an
// integer of the thread's. `alloc_zeroed` and `realloc` are GlobalAlloc's own, made of these
// two: overriding them inlined a copy of the WebAssembly allocator (dlmalloc) into each, for
// 0.7 KB gzip and no speed that showed (a brief decision in Node, alternating builds).
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count::add(layout.size() as isize);
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count::add(-(layout.size() as isize));
        unsafe { self.0.dealloc(ptr, layout) }
    }
}

/// An evaluation starts on this thread: count from here.
pub fn start() {
    count::set_base(count::held());
}

/// Whether this thread's evaluation holds more than [`MAX_BYTES`] since it started.
pub fn over() -> bool {
    count::held().wrapping_sub(count::base()) > MAX_BYTES
}

/// Bytes allocated less bytes freed on this thread (`held`), and what it held when its
/// current evaluation started (`base`).
mod count {
    use std::cell::Cell;

    thread_local! {
        // Constant-initialised and without a destructor, so the allocator can use them at
        // any time without allocating; a thread being torn down counts nothing.
        static HELD: Cell<isize> = const { Cell::new(0) };
        static BASE: Cell<isize> = const { Cell::new(0) };
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
