//! The `almanac` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    almanac::cli::main()
}
