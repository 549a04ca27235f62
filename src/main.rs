//! The `textmend` command line. Thin: argument parsing and output live in `cli/`, the work in the
//! library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
