//! Embeds libtorch's directory as an rpath, so `sentir` and the test binaries run without
//! `LD_LIBRARY_PATH` (torch-sys exports the directory as `DEP_TCH_LIBTORCH_LIB`).
fn main() {
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
