//! The bundle of `make dist` is relocatable: unpacked into a fresh temp directory, with the
//! build tree's libtorch and models hidden (an empty tmpfs mounted over each, in a private
//! mount namespace), its binary loads libtorch from `lib/` beside itself, finds its default
//! model beside itself and classifies. Needs `make dist` (run by `make test`) and
//! `unshare -m` (root, as in CI); `SENTIR_SKIP_DIST=1` skips.

use std::process::Command;

mod common;

use common::root;

#[test]
fn bundle_runs_from_anywhere_without_the_build_tree() {
    let name = format!("sentir-{}-linux-x86_64", env!("CARGO_PKG_VERSION"));
    let bundle = root().join(format!("dist/{name}.tar.gz"));
    if !bundle.exists() && std::env::var("SENTIR_SKIP_DIST").as_deref() == Ok("1") {
        eprintln!("skipped: no {} and SENTIR_SKIP_DIST=1", bundle.display());
        return;
    }
    assert!(bundle.exists(), "no {}: run `make dist`", bundle.display());
    let dir = tempfile::tempdir().unwrap();
    let st = Command::new("tar")
        .arg("-xzf")
        .arg(&bundle)
        .arg("-C")
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(st.success());
    let unpacked = dir.path().join(&name);
    for f in [
        "sentir",
        "lib/libtorch_cpu.so",
        "lib/libc10.so",
        "models/default/model.safetensors",
    ] {
        assert!(unpacked.join(f).exists(), "{f} missing from the bundle");
    }
    std::fs::write(
        dir.path().join("in.csv"),
        "id,text\n1,Me encantó el producto\n2,Nunca llegó mi pedido y nadie responde\n3,\n",
    )
    .unwrap();

    // The build tree's libtorch (the binary's second RUNPATH entry) and models (the built-in
    // fallback model path) are hidden; the bundle must not need them.
    let hide = format!(
        "mount -t tmpfs none {deps} && mount -t tmpfs none {models} && \
         test -z \"$(ls {deps})\" && exec \"$0\" classify in.csv -o out.csv --quiet",
        deps = root().join(".deps").display(),
        models = root().join("models").display(),
    );
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", &hide])
        .arg(unpacked.join("sentir"))
        .current_dir(dir.path())
        .env_remove("SENTIR_MODEL")
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}"); // row 3 is empty: an error row
    let csv = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].starts_with("1,Me encantó el producto,positive,"),
        "{csv}"
    );
    assert!(lines[2].contains(",negative,"), "{csv}");
    assert!(lines[3].contains("is empty"), "{csv}");

    // Without the hiding, ldd resolves libtorch inside the bundle too.
    let ldd = Command::new("ldd")
        .arg(unpacked.join("sentir"))
        .output()
        .unwrap();
    let ldd = String::from_utf8_lossy(&ldd.stdout);
    let torch = ldd.lines().find(|l| l.contains("libtorch_cpu.so")).unwrap();
    assert!(torch.contains(unpacked.to_str().unwrap()), "{torch}");
}
