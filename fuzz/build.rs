//! Embeds libtorch's directory (exported by torch-sys) as an rpath, so the fuzz targets run
//! without `LD_LIBRARY_PATH`, like the root package's binaries.
fn main() {
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
