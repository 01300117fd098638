#!/usr/bin/env bash
# Every figure of the model card for MODEL (default models/default), written to out/eval/.
# Sentiment, reason and mixed on the corpus test split (overall, per language, per kind),
# long texts, int8 agreement, UMSAB val, buyer val, chunk vs truncate on the corpus val split.
set -euo pipefail
MODEL=${1:-models/default}
BIN=${BIN:-target/release/sentir}
mkdir -p out/eval
E="$BIN eval --model $MODEL"
$E --data data/corpus/test.csv --group-column language --json > out/eval/test-language.json
$E --data data/corpus/test.csv --group-column kind --json > out/eval/test-kind.json
$E --data data/corpus/test.csv --group-column language > out/eval/test-language.txt
$E --data out/umsab-val.csv --group-column language --json > out/eval/umsab-val.json
$E --data data/buyer_messages/val.csv --group-column language --json > out/eval/buyer-val.json
$BIN classify data/corpus/test.csv -o out/eval/test-fp32.csv --model "$MODEL" -q
$BIN classify data/corpus/test.csv -o out/eval/test-int8.csv --model "$MODEL" --precision int8 -q
$BIN classify data/corpus/val.csv -o out/eval/val-chunk.csv --model "$MODEL" -q
$BIN classify data/corpus/val.csv -o out/eval/val-truncate.csv --model "$MODEL" --long truncate -q
$BIN classify data/corpus/val.csv -o out/eval/val-512.csv --model "$MODEL" --max-length 512 -q
echo done > out/eval/DONE
