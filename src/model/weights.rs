//! Streaming safetensors loader: each tensor is read from disk in chunks straight into its
//! variable, so loading needs no second copy of the model in memory (tch's
//! `VarStore::load` holds the whole file, then copies).
//!
//! Names may carry the architecture prefix or not (`bert.encoder…` vs `encoder…`), so a
//! base-model checkpoint loads into a classifier, as in transformers.

use super::error::{Context, ModelError};
use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::Path;
use tch::{nn::VarStore, Kind, Tensor};

/// One tensor's place in a safetensors file.
#[derive(Clone, Debug)]
pub struct TensorInfo {
    /// Element type.
    pub kind: Kind,
    /// Shape.
    pub shape: Vec<i64>,
    /// Absolute byte range in the file.
    pub start: u64,
    /// End of the byte range.
    pub end: u64,
}

/// A safetensors header: each tensor's place in the file, by name.
pub type Header = HashMap<String, TensorInfo>;

/// Reads the header of a safetensors file.
pub fn read_header(path: &Path) -> Result<Header, ModelError> {
    let bad = |reason: String| ModelError::Format(format!("{}: {reason}", path.display()));
    let mut f = File::open(path).map_err(|e| ModelError::io(path, e))?;
    let mut len = [0u8; 8];
    f.read_exact(&mut len)
        .map_err(|e| bad(format!("not a safetensors file: {e}")))?;
    let n = u64::from_le_bytes(len);
    if n > 100_000_000 {
        return Err(bad(format!("not a safetensors file (header size {n})")));
    }
    let mut header = vec![0u8; n as usize];
    f.read_exact(&mut header)
        .map_err(|e| bad(format!("truncated header: {e}")))?;
    let json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&header).map_err(|e| bad(format!("bad header: {e}")))?;
    let base = 8 + n;
    let mut out = HashMap::new();
    for (name, v) in json {
        if name == "__metadata__" {
            continue;
        }
        let info = tensor_info(&v, base).context(&name)?;
        out.insert(name, info);
    }
    Ok(out)
}

/// One header entry (`dtype`, `shape`, `data_offsets` relative to `base`).
fn tensor_info(v: &serde_json::Value, base: u64) -> Result<TensorInfo, ModelError> {
    let bad = ModelError::Format;
    let kind = match v["dtype"].as_str() {
        Some("F32") => Kind::Float,
        Some("F16") => Kind::Half,
        Some("BF16") => Kind::BFloat16,
        Some("F64") => Kind::Double,
        Some("I64") => Kind::Int64,
        Some("I8") => Kind::Int8,
        other => return Err(bad(format!("unsupported dtype {other:?}"))),
    };
    let shape: Vec<i64> = v["shape"]
        .as_array()
        .ok_or_else(|| bad("no shape".into()))?
        .iter()
        .map(|d| d.as_i64().unwrap_or(-1))
        .collect();
    let offset = |i: usize| v["data_offsets"][i].as_u64();
    let (Some(s), Some(e)) = (offset(0), offset(1)) else {
        return Err(bad("no offsets".into()));
    };
    Ok(TensorInfo {
        kind,
        shape,
        start: base + s,
        end: base + e,
    })
}

const CHUNK_BYTES: u64 = 8 << 20;

/// Copies the file's tensors (`header`, as [`read_header`] gives it) into the variables of
/// `vs`. A variable `p.x` is filled from `p.x`, or from `x` when `prefix` is `p`. Returns the
/// variables not in the file; fails on missing variables and shape mismatches unless
/// `allow_missing`, which leaves both as initialised and lists a mismatch as
/// `name (shape [..] in the file)` (fine-tuning a 5-star or 2-class model into 3 classes).
pub fn load(
    vs: &VarStore,
    path: &Path,
    header: &Header,
    prefix: &str,
    allow_missing: bool,
) -> Result<Vec<String>, ModelError> {
    load_vars(
        vs.variables().into_iter().collect(),
        path,
        header,
        prefix,
        allow_missing,
    )
}

/// [`load`] for the given variables only (the extra heads live in their own file).
pub fn load_vars(
    mut vars: Vec<(String, Tensor)>,
    path: &Path,
    header: &Header,
    prefix: &str,
    allow_missing: bool,
) -> Result<Vec<String>, ModelError> {
    let file = File::open(path).map_err(|e| ModelError::io(path, e))?;
    let mut missing = Vec::new();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, mut var) in vars {
        let info = lookup(header, &name, prefix);
        let Some(info) = info else {
            missing.push(name);
            continue;
        };
        if info.shape != var.size() {
            if allow_missing {
                missing.push(format!("{name} (shape {:?} in the file)", info.shape));
                continue;
            }
            return Err(ModelError::Shape {
                model: format!("{:?}", var.size()),
                file: info.shape.clone(),
                name,
            });
        }
        copy_into(&file, info, &mut var).context(&name)?;
    }
    if !allow_missing && !missing.is_empty() {
        return Err(ModelError::Missing {
            file: Some(path.to_path_buf()),
            names: missing,
        });
    }
    Ok(missing)
}

/// The file's entry for variable `name` (with or without the `prefix.` the model adds).
pub fn lookup<'a>(header: &'a Header, name: &str, prefix: &str) -> Option<&'a TensorInfo> {
    header.get(name).or_else(|| {
        name.strip_prefix(prefix)
            .and_then(|n| n.strip_prefix('.'))
            .and_then(|n| header.get(n))
    })
}

fn copy_into(file: &File, info: &TensorInfo, var: &mut Tensor) -> Result<(), ModelError> {
    let elem = info.kind.elt_size_in_bytes() as u64;
    let numel: i64 = info.shape.iter().product();
    if info.end.checked_sub(info.start) != Some(numel as u64 * elem) {
        return Err(ModelError::Format("byte range does not match shape".into()));
    }
    if numel == 0 {
        // An empty tensor ([0, n]): nothing to read (and no row size to read it by).
        return Ok(());
    }
    let rows = info.shape.first().copied().unwrap_or(1).max(1) as u64;
    let row_bytes = (info.end - info.start) / rows;
    let rows_per_chunk = (CHUNK_BYTES / row_bytes.max(1)).max(1);
    let mut buf = Vec::new();
    tch::no_grad(|| {
        let mut r = 0;
        while r < rows {
            let k = rows_per_chunk.min(rows - r);
            buf.resize((k * row_bytes) as usize, 0);
            file.read_exact_at(&mut buf, info.start + r * row_bytes)
                .map_err(|e| ModelError::Format(e.to_string()))?;
            let mut shape = info.shape.clone();
            if let Some(first) = shape.first_mut() {
                *first = k as i64;
            }
            let src = Tensor::f_from_data_size(&buf, &shape, info.kind)?;
            let mut dst = if info.shape.is_empty() {
                var.shallow_clone()
            } else {
                var.f_narrow(0, r as i64, k as i64)?
            };
            dst.f_copy_(&src)?;
            r += k;
        }
        Ok(())
    })
}

/// Writes tensors as safetensors, sorted by name (so equal weights give equal bytes), with
/// the `{"format": "pt"}` metadata Python transformers requires to load the file.
pub fn save(tensors: &mut [(String, Tensor)], path: &Path) -> Result<(), ModelError> {
    use safetensors::tensor::TensorView;
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    let mut raw = Vec::with_capacity(tensors.len());
    for (name, t) in tensors.iter() {
        raw.push(tensor_bytes(name, t).context(name)?);
    }
    let mut views = Vec::with_capacity(raw.len());
    for r in &raw {
        let v = TensorView::new(r.dtype, r.shape.clone(), &r.bytes).context(r.name)?;
        views.push((r.name, v));
    }
    let meta = HashMap::from([("format".to_string(), "pt".to_string())]);
    safetensors::tensor::serialize_to_file(views, &Some(meta), path).context(path.display())
}

/// A tensor as safetensors stores it.
struct RawTensor<'a> {
    name: &'a str,
    dtype: safetensors::Dtype,
    shape: Vec<usize>,
    /// Little-endian element bytes.
    bytes: Vec<u8>,
}

/// A tensor's safetensors dtype, shape and bytes (copied to the CPU).
fn tensor_bytes<'a>(name: &'a str, t: &Tensor) -> Result<RawTensor<'a>, ModelError> {
    use safetensors::Dtype;
    let t = t.f_to_device(tch::Device::Cpu)?.f_contiguous()?;
    let dtype = match t.kind() {
        Kind::Float => Dtype::F32,
        Kind::Half => Dtype::F16,
        Kind::BFloat16 => Dtype::BF16,
        Kind::Double => Dtype::F64,
        Kind::Int64 => Dtype::I64,
        Kind::Int8 => Dtype::I8,
        k => return Err(ModelError::Format(format!("cannot save {k:?} tensors"))),
    };
    let numel = t.numel();
    let mut bytes = vec![0u8; numel * t.kind().elt_size_in_bytes()];
    t.f_copy_data_u8(&mut bytes, numel)?;
    let shape = t.size().iter().map(|&d| d as usize).collect();
    Ok(RawTensor {
        name,
        dtype,
        shape,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{nn, Device};

    /// `tensors` saved as `m.safetensors` in a new temporary directory.
    fn saved(mut tensors: Vec<(String, Tensor)>) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.safetensors");
        save(&mut tensors, &p).unwrap();
        (dir, p)
    }

    #[test]
    fn loads_with_or_without_prefix_and_converts_dtype() {
        let w = Tensor::arange(24, (Kind::Float, Device::Cpu)).view([6, 4]);
        let (_dir, p) = saved(vec![
            ("lin.weight".to_string(), w.to_kind(Kind::Half)),
            ("bert.b".to_string(), Tensor::from_slice(&[1f32, 2.0])),
        ]);
        let vs = nn::VarStore::new(Device::Cpu);
        let _a = vs.root().sub("bert").sub("lin").zeros("weight", &[6, 4]);
        let _b = vs.root().sub("bert").zeros("b", &[2]);
        let _c = vs.root().sub("classifier").zeros("weight", &[3, 4]);
        let header = read_header(&p).unwrap();
        let missing = load(&vs, &p, &header, "bert", true).unwrap();
        assert_eq!(missing, vec!["classifier.weight".to_string()]);
        let v = vs.variables();
        assert_eq!(
            f64::try_from(v["bert.lin.weight"].sum(Kind::Double)).unwrap(),
            276.0
        );
        assert!(load(&vs, &p, &header, "bert", false)
            .unwrap_err()
            .to_string()
            .contains("classifier.weight"));
    }

    #[test]
    fn saved_files_carry_the_metadata_transformers_needs() {
        let w = Tensor::arange(6, (Kind::Float, Device::Cpu)).view([2, 3]);
        let (_dir, p) = saved(vec![("w".to_string(), w.to_kind(Kind::Half))]);
        let bytes = std::fs::read(&p).unwrap();
        let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
        assert_eq!(header["__metadata__"]["format"], "pt");
        assert_eq!(header["w"]["dtype"], "F16");
        assert_eq!(header["w"]["shape"], serde_json::json!([2, 3]));
        let back = read_header(&p).unwrap();
        assert_eq!(back["w"].kind, Kind::Half);
    }

    #[test]
    fn empty_tensors_load_as_empty() {
        // A [0, 4] table once made the loader copy a row out of an empty buffer (a crash).
        let (_dir, p) = saved(vec![(
            "w".to_string(),
            Tensor::zeros([0, 4], (Kind::Float, Device::Cpu)),
        )]);
        let vs = nn::VarStore::new(Device::Cpu);
        let _w = vs.root().zeros("w", &[0, 4]);
        let header = read_header(&p).unwrap();
        assert!(load(&vs, &p, &header, "x", false).unwrap().is_empty());
        assert_eq!(vs.variables()["w"].size(), vec![0, 4]);
    }

    #[test]
    fn shape_mismatch_is_an_error() {
        let w = Tensor::zeros([2, 2], (Kind::Float, Device::Cpu));
        let (_dir, p) = saved(vec![("w".to_string(), w)]);
        let vs = nn::VarStore::new(Device::Cpu);
        let _w = vs.root().zeros("w", &[3, 2]);
        let header = read_header(&p).unwrap();
        assert!(load(&vs, &p, &header, "x", false)
            .unwrap_err()
            .to_string()
            .contains("shape"));
    }
}
