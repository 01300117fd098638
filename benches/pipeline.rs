//! Criterion benchmarks of the pipeline's pieces: tokenization, batch planning and padding,
//! and one forward pass (fp32, bf16 and int8) of the default model on a batch of buyer messages.
//!
//! `make bench` runs them after `make setup`; without `models/default` (no set-up) they use
//! the tiny BERT fixture, which only checks the code runs. Results are in
//! `target/criterion/`. Threads: all cores, as `sentir classify` uses by default.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sentir::batch::{plan, BatchLimits};
use sentir::load::set_threads;
use sentir::model::{collate, Model, Precision};
use sentir::sysinfo::default_threads;
use sentir::tokenize::TextEncoder;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tch::Device;

fn model_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let default = root.join("models/default");
    if default.join("model.safetensors").is_file() {
        default
    } else {
        root.join("tests/fixtures/models/bert-3class")
    }
}

fn messages() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/buyer_messages/val.csv");
    let mut r = csv::Reader::from_path(&path).expect("data/buyer_messages/val.csv");
    r.records()
        .map(|rec| rec.expect("valid CSV")[0].to_string())
        .collect()
}

fn benches(c: &mut Criterion) {
    set_threads(default_threads());
    let dir = model_dir();
    let texts = messages();
    let encoder = TextEncoder::from_file(&dir.join("tokenizer.json"), 256).expect("tokenizer");

    c.bench_function("tokenize 144 messages", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(encoder.encode(t).expect("encodes"));
            }
        })
    });

    let ids: Vec<Vec<i64>> = texts.iter().map(|t| encoder.encode(t).unwrap()).collect();
    let lengths: Vec<usize> = ids.iter().map(Vec::len).collect();
    let limits = BatchLimits::default();
    c.bench_function("plan + collate 144 messages", |b| {
        b.iter(|| {
            for batch in plan(black_box(&lengths), limits) {
                let seqs: Vec<&[i64]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
                black_box(collate(&seqs, 1, Device::Cpu).unwrap());
            }
        })
    });

    // One batch of 32 messages of similar (median) length, as length sorting makes them.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| lengths[i]);
    let mid = order.len().saturating_sub(32) / 2;
    let seqs: Vec<&[i64]> = order[mid..(mid + 32).min(order.len())]
        .iter()
        .map(|&i| ids[i].as_slice())
        .collect();
    let mut group = c.benchmark_group("forward 32 messages");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for precision in [Precision::Fp32, Precision::Bf16, Precision::Int8] {
        let model = Model::load_with_precision(&dir, Device::Cpu, precision).expect("model");
        let c = collate(&seqs, model.config().pad_token_id, Device::Cpu).unwrap();
        group.bench_function(precision.as_str(), |b| {
            b.iter(|| black_box(model.predict_probs(&c.input_ids, &c.mask).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
