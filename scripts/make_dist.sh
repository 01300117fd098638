#!/usr/bin/env bash
# Writes the relocatable bundle: scripts/make_dist.sh BIN MODEL_DIR OUT.tar.gz
#   <name>/sentir            the release binary (RUNPATH $ORIGIN/lib first)
#   <name>/lib/              the libtorch libraries it loads (found with ldd)
#   <name>/models/default/   the default model (the binary finds it beside itself)
# <name> is OUT's file name without .tar.gz. The archive is written to a temp name and renamed.
set -euo pipefail
bin=$1 model=$2 out=$3
name=$(basename "$out" .tar.gz)
readelf -d "$bin" | grep -q 'RUNPATH.*\$ORIGIN/lib' \
  || { echo "make_dist: $bin has no \$ORIGIN/lib RUNPATH (rebuild: build.rs sets it)" >&2; exit 1; }
stage=$(mktemp -d "${TMPDIR:-/tmp}/sentir-dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/lib" "$root/models/default" "$(dirname "$out")"
cp "$bin" "$root/sentir"
# Every library ldd resolves outside the system directories: libtorch, c10, gomp, cudart...
ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' \
  | grep -vE '^/(usr/)?lib(64)?/' | while read -r lib; do cp -L "$lib" "$root/lib/"; done
[ -e "$root/lib/libtorch_cpu.so" ] || { echo "make_dist: libtorch_cpu.so not found by ldd" >&2; exit 1; }
for f in config.json tokenizer.json model.safetensors heads.safetensors heads.json README.md; do
  [ -e "$model/$f" ] && cp "$model/$f" "$root/models/default/"
done
(cd "$root/models/default" && sha256sum -- * > SHA256SUMS)
cat > "$root/README.txt" <<TXT
$name: sentir, the libtorch libraries it needs (lib/) and its default model (models/default).
Unpack anywhere and run ./sentir classify INPUT -o OUTPUT; no LD_LIBRARY_PATH, no set-up.
TXT
tar -C "$stage" -cf - "$name" | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "make_dist: wrote $out ($(du -h "$out" | cut -f1))"
