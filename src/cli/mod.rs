//! The command line: the flag definitions ([`flags`], with the option groups several
//! commands share in [`options`]) apart from the commands that run them ([`commands`]).

pub mod commands;
pub mod flags;
pub mod options;
