//! The `gwlint` binary: everything happens in [`gwlint::cli::run`].

fn main() {
    std::process::exit(gwlint::cli::run());
}
