//! Embeds two rpaths, so `sentir` and the test binaries run without `LD_LIBRARY_PATH`:
//! `$ORIGIN/lib` first (the relocatable bundle of `make dist` keeps libtorch there, beside
//! the binary), then libtorch's directory in the build tree (torch-sys exports it as
//! `DEP_TCH_LIBTORCH_LIB`).
fn main() {
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN/lib");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
