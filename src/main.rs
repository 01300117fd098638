//! The `sentir` binary: parses the command line ([`cli::flags`]), runs the command
//! ([`cli::commands`]) and turns its error into a message and an exit code.

mod cli;

use clap::Parser;
use sentir::SentirError;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A libtorch error inside rust-bert is a panic that inference catches and reports as an
    // error (exit 1): do not print it as a crash too. Other panics print as usual.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !sentir::model::is_libtorch_panic(info.payload()) {
            default_hook(info);
        }
    }));
    let cli = cli::flags::Cli::parse();
    match cli::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            let sentir = e.downcast_ref::<SentirError>();
            if sentir.is_some_and(SentirError::is_broken_pipe) {
                // `sentir classify big.csv | head`: the reader has what it wanted.
                return ExitCode::SUCCESS;
            }
            let code = sentir.map(SentirError::exit_code).unwrap_or(1);
            eprintln!("sentir: error: {e:#}");
            ExitCode::from(code as u8)
        }
    }
}
