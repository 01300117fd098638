#!/usr/bin/env bash
# Rebuilds each vendored crate from its pristine crates.io source plus its patches and fails
# on any difference with vendor/<crate>/:
#   1. fetch <crate>-<version>.crate into the cache (once) and verify its sha256;
#   2. unpack it into a temp dir and delete the files listed below (cargo's packaging files
#      and the upstream files sentir does not vendor; each must exist in the pristine crate);
#   3. apply vendor/<crate>/patches/NNNN-*.diff in order (patch -p1, no fuzz);
#   4. compare with vendor/<crate>/ byte for byte, except its patches/ and PATCHES.md;
#   5. check that PATCHES.md names each patch and lists exactly the files it touches.
# Environment: SENTIR_VENDOR_DIR (default: vendor/ of this repo), SENTIR_CRATE_CACHE (default:
# ~/.cache/sentir/crates). No network when the cache holds the .crate files.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENDOR_DIR=${SENTIR_VENDOR_DIR:-vendor}
CACHE=${SENTIR_CRATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sentir/crates}
# crates.io's download host: its API's /api/v1/crates/<name>/<version>/download redirects
# here (the .crate is the same file either way; the sha256 below is checked).
DL=https://static.crates.io/crates
export LC_ALL=C

# name version sha256 (the `cksum` that the crates.io index gives for the .crate)
CRATES=(
  "rust-bert 0.23.0 d42c5e4175577f25c58a4be357f09fc2aeb701093e861c41b7f60d1cbf7e61a3"
  "tokenizers 0.21.4 a620b996116a59e184c2fa2dfd8251ea34a36d0a514758c6f966386bd2e03476"
  "parquet 60.1.0 806eaa0f1c0436dcb43bee8e6a82bf2efff90521a60172f8281cb9ef577b43a4"
)

# Files `cargo package` adds to every .crate (not upstream sources; .cargo-ok is written by
# cargo when it unpacks a crate and is not in the .crate file).
PACKAGING=(.cargo_vcs_info.json Cargo.toml.orig)

# Upstream files and folders sentir does not vendor (PATCHES.md: "Kept"/"Removed").
removed() {
  case $1 in
    rust-bert) printf '%s\n' \
      .github .gitignore .travis.yml CHANGELOG.md CONTRIBUTING.md Cargo.lock clippy.toml \
      rustfmt.toml build.rs benches examples tests utils \
      src/convert-tensor.rs src/pipelines/onnx ;;
    tokenizers) printf '%s\n' \
      CHANGELOG.md Cargo.lock Makefile README.tpl benches examples tests ;;
    parquet) printf '%s\n' \
      CONTRIBUTING.md Cargo.lock benches examples pytest tests ;;
    *) echo "check-vendor: no list of removed files for $1" >&2; return 1 ;;
  esac
}

die() { echo "check-vendor: $*" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-vendor.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

fetch() { # name version sha256 -> prints the path of the verified .crate
  local name=$1 version=$2 sha=$3 file got from
  file=$CACHE/$name-$version.crate
  from=$file
  if [[ ! -f $file ]]; then
    mkdir -p "$CACHE"
    echo "check-vendor: downloading $name $version" >&2
    from=$file.part
    curl -sSfL --retry 2 "$DL/$name/$name-$version.crate" -o "$from" \
      || { rm -f "$from"; die "$name $version: download failed ($DL/$name/$name-$version.crate)"; }
  fi
  got=$(sha256sum "$from" | cut -d' ' -f1)
  if [[ $got != "$sha" ]]; then
    [[ $from == "$file" ]] || rm -f "$from"
    die "$name $version: sha256 mismatch for $from
  expected $sha
  got      $got
  (a corrupt or different file: delete it to download it again)"
  fi
  [[ $from == "$file" ]] || mv "$from" "$file"
  echo "$file"
}

# Regular files and symlinks under $1 (relative paths, with their type), except the top-level
# patches/ and PATCHES.md. Folders are not compared (git does not keep empty ones).
entries() {
  (cd "$1" && find . -mindepth 1 \( -path ./patches -o -path ./PATCHES.md \) -prune \
    -o ! -type d -printf '%y %P\n') | sort
}

# The files a patch touches: the b/ side of each diff, or the a/ side for a deletion.
patch_files() {
  awk '/^diff /{hdr=1} hdr && /^--- /{old=$2}
       hdr && /^\+\+\+ /{f=($2=="/dev/null")?old:$2; sub(/^[ab]\//,"",f); print f; hdr=0}' "$1" | sort -u
}

# The backquoted paths that PATCHES.md lists for a patch: in the paragraph that names
# `patches/<file>` (from that line to the next blank line), those after "Files:".
listed_files() { # PATCHES.md patch-file-name
  awk -v name="patches/$2" '
    index($0, "`" name "`") { on = 1 }
    on && /^[[:space:]]*$/ { exit }
    on { text = text " " $0 }
    END {
      s = substr(text, index(text, "Files:"))
      if (index(text, "Files:") == 0) exit
      while (match(s, /`[^`]+`/)) { print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) }
    }
  ' "$1" | sort -u
}

status=0
for spec in "${CRATES[@]}"; do
  read -r name version sha <<<"$spec"
  vendored=$VENDOR_DIR/$name
  removed "$name" >/dev/null
  [[ -d $vendored ]] || die "$vendored: no such folder"
  crate=$(fetch "$name" "$version" "$sha")

  work=$TMP/$name
  mkdir -p "$work"
  tar -xzf "$crate" -C "$work"
  tree=$work/$name-$version
  [[ -d $tree ]] || die "$crate: no $name-$version/ folder inside"

  for f in "${PACKAGING[@]}"; do
    # .cargo_vcs_info.json is there only when the crate was packaged from a git checkout.
    [[ -e $tree/$f || $f == .cargo_vcs_info.json ]] \
      || die "$name $version: packaging file $f is not in the .crate (update PACKAGING)"
    rm -f "$tree/$f"
  done
  while read -r f; do
    [[ -e $tree/$f ]] || die "$name $version: $f is listed as removed but is not in the .crate (update removed())"
    rm -rf "${tree:?}/$f"
  done < <(removed "$name")
  [[ ! -e $tree/patches && ! -e $tree/PATCHES.md ]] \
    || die "$name $version: the pristine crate has its own patches/ or PATCHES.md"

  shopt -s nullglob
  patches=("$vendored"/patches/[0-9][0-9][0-9][0-9]-*.diff)
  others=("$vendored"/patches/*)
  shopt -u nullglob
  [[ ${#others[@]} -eq ${#patches[@]} ]] \
    || die "$vendored/patches: files not named NNNN-name.diff: $(printf '%s\n' "${others[@]}" | grep -vE '/[0-9]{4}-[^/]+\.diff$' | tr '\n' ' ')"
  for p in "${patches[@]}"; do
    if ! out=$(patch -d "$tree" -i "$(realpath "$p")" -p1 -F0 -N --batch --no-backup-if-mismatch -r - 2>&1); then
      echo "$out" >&2
      die "$name $version: patch $p does not apply (on top of the pristine crate and the patches before it)"
    fi
    if grep -q 'offset' <<<"$out"; then
      echo "check-vendor: warning: $p applies with an offset; regenerate it:" >&2
      grep 'offset' <<<"$out" >&2
    fi
  done

  # Compare: same files (and types), then same bytes.
  entries "$tree" >"$work/rebuilt.list"
  entries "$vendored" >"$work/vendored.list"
  diffs=$(
    comm -23 "$work/rebuilt.list" "$work/vendored.list" | sed 's/^. /only in the rebuilt tree: /'
    comm -13 "$work/rebuilt.list" "$work/vendored.list" | sed "s|^. |only in $vendored: |"
    comm -12 "$work/rebuilt.list" "$work/vendored.list" | while read -r type f; do
      if [[ $type == l ]]; then
        [[ $(readlink "$tree/$f") == "$(readlink "$vendored/$f")" ]] || echo "differs (symlink): $f"
      else
        cmp -s "$tree/$f" "$vendored/$f" || echo "differs: $f"
      fi
    done
  )
  if [[ -n $diffs ]]; then
    echo "check-vendor: $vendored is not $name $version + its ${#patches[@]} patches:" >&2
    sed 's/^/  /' <<<"$diffs" >&2
    status=1
    continue
  fi

  # PATCHES.md: every patch named, with exactly the files it touches.
  doc=$vendored/PATCHES.md
  [[ -f $doc ]] || die "$doc: missing"
  ok=1
  for p in "${patches[@]}"; do
    base=${p##*/}
    grep -qF "\`patches/$base\`" "$doc" || { echo "check-vendor: $doc does not name \`patches/$base\`" >&2; ok=0; continue; }
    if ! d=$(diff <(patch_files "$p") <(listed_files "$doc" "$base")); then
      echo "check-vendor: $doc: the files listed for $base are not the ones it touches (< in the patch, > listed):" >&2
      sed 's/^/  /' <<<"$d" >&2
      ok=0
    fi
  done
  [[ $ok == 1 ]] || { status=1; continue; }

  echo "check-vendor: $name $version + ${#patches[@]} patches = $vendored"
done
exit $status
