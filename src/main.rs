// Rule scripts make many small allocations; mimalloc serves them faster than the system
// allocator (see Cargo.toml). Only the binary sets it: embedders choose their own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(eligo::cli::main());
}
