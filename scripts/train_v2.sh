#!/usr/bin/env bash
# Stage 2 of the default model (v2): from the v1 model (UMSAB + buyer messages), on UMSAB
# train + the corpus train split (twice) + the buyer messages, with the reason and mixed heads.
# One epoch (≈25 min on 2 cores); texts over 128 tokens keep their first quarter and end.
# Usage: scripts/train_v2.sh BASE OUT   (logs progress to stderr)
set -euo pipefail
BASE=${1:?base model dir}
OUT=${2:?output dir}
BIN=${BIN:-target/release/sentir}
"$BIN" train \
  --train out/umsab-train.csv \
  --train data/corpus/train.csv --train data/corpus/train.csv \
  --train data/buyer_messages/train.csv \
  --val out/umsab-val.csv --val data/corpus/val.csv --val data/buyer_messages/val.csv \
  --base "$BASE" --out "$OUT" --epochs 1 --lr 4e-5 --batch-size 32 --max-length 128 \
  --seed 42 --freeze-embeddings --reason-weight "${REASON_WEIGHT:-0.5}" --mixed-weight 0.5 \
  --head-lr-mult "${HEAD_LR_MULT:-10}"
