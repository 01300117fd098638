//! sentir: label buyer messages positive / neutral / negative with transformer models.
//!
//! The pipeline, in module order: [`io`] reads an export into rows, [`tokenize`] turns text
//! into ids, [`batch`] groups rows of similar length, [`model`] runs a rust-bert network,
//! [`pipeline`] runs the stages in parallel, and [`classify`] is the command around it.
//! [`train`], [`eval`], [`bench`] and [`report`] build on the same pieces.

pub mod batch;
pub mod bench;
pub mod calibrate;
pub mod classify;
pub mod error;
pub mod eval;
pub mod io;
pub mod langeval;
pub mod langid;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod prediction;
pub mod progress;
pub mod report;
pub mod resume;
pub mod sentiment;
pub mod signals;
pub mod sysinfo;
pub mod tokenize;
pub mod train;

pub use error::{Result, SentirError};
pub use sentiment::Sentiment;
