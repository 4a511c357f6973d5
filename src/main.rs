// Rule scripts make many small allocations; mimalloc serves them faster than the system
// allocator (see Cargo.toml). Counted, so that the sandbox can stop a script holding too
// much memory (eligo::memory). Only the binary sets it: embedders choose their own.
#[global_allocator]
static ALLOCATOR: eligo::memory::Counting<mimalloc::MiMalloc> = eligo::memory::Counting(mimalloc::MiMalloc);

fn main() {
    // Output piped into `head` and the like: stop quietly when the reader goes, as Unix
    // tools do, rather than panic at the next write (Rust's runtime ignores SIGPIPE).
    #[cfg(unix)]
    {
        unsafe extern "C" {
            fn signal(signum: i32, handler: usize) -> usize;
        }
        const SIGPIPE: i32 = 13;
        const SIG_DFL: usize = 0;
        // SAFETY: restoring the default action for one signal, before any thread starts.
        unsafe {
            signal(SIGPIPE, SIG_DFL);
        }
    }
    std::process::exit(eligo::cli::main());
}
