pub(crate) mod activations;
pub mod config;
pub(crate) mod dropout;
pub(crate) mod embeddings;
pub mod error;
pub(crate) mod kind;
pub(crate) mod linear;
pub mod kernels;
pub mod qlinear;
pub mod resources;
pub(crate) mod summary;

pub use activations::Activation;
pub use config::Config;
