fn main() {
    std::process::exit(eligo::cli::main());
}
