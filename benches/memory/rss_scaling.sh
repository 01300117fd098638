#!/usr/bin/env bash
# Peak RSS of `sentir classify` as the export grows: the same short buyer messages, 100 000
# and 1 000 000 rows (ROWS overrides), CSV and Parquet output (FORMATS), measured with
# /usr/bin/time -v. Memory must stay flat: the larger run may not exceed the smaller by
# more than 5%. Usage: benches/memory/rss_scaling.sh BIN MODEL [extra classify flags...]
set -euo pipefail
BIN=${1:?usage: rss_scaling.sh BIN MODEL [flags]}
MODEL=${2:?usage: rss_scaling.sh BIN MODEL [flags]}
shift 2
ROWS=${ROWS:-"100000 1000000"}
FORMATS=${FORMATS:-"csv parquet"}
WORK=${WORK:-$(mktemp -d)}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }
lscpu | sed -n 's/^Model name: *//p'
echo "rows format peak_rss_kb seconds"
for n in $ROWS; do
  python3 - "$n" "$WORK/in-$n.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(1)
words = ("el pedido llegó tarde muy bien gracias producto roto quiero devolución excelente "
         "calidad nunca más envío rápido talla color caja").split()
with open(path, "w") as f:
    f.write("id,text\n")
    for i in range(n):
        f.write(f'{i},"{" ".join(rnd.choice(words) for _ in range(rnd.randint(2, 14)))}"\n')
PY
  for fmt in $FORMATS; do
    out="$WORK/out-$n.$fmt"
    /usr/bin/time -f "%M %e" -o "$WORK/time" "$BIN" classify "$WORK/in-$n.csv" -o "$out" \
      --model "$MODEL" -q "$@" || [ $? -eq 3 ]
    read -r rss secs < "$WORK/time"
    echo "$n $fmt $rss $secs"
    rm -f "$out"
  done
  rm -f "$WORK/in-$n.csv"
done
