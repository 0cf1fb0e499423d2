#!/bin/sh
# memory.sh [--lode PATH] [--dir DIR] [SIZE_MB...] : peak memory of the two
# analyst scripts on big inputs (issue 18 item 6), one run each.
#
# For each size (default: 100 1000) it generates, once, under DIR (default
# /tmp/lode-memory; never the source tree) a plain-text file made of the
# corpus/ articles end to end (one huge document) and a JSON-lines dataset
# of the same articles (one document a row), then runs
#   lode run scripts/clean.lua FILE
#   lode run scripts/extract.lua FILE
# under /usr/bin/time -v and prints, per run: wall seconds, peak RSS (MB)
# and peak RSS over the input size. The goals: extraction at most 3x the
# input, the cleaner a small multiple. Run it on a quiet machine, under
# nice: 1 GB takes about 10 minutes of CPU for extract.lua.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lode="$root/build/bin/lode"
dir=/tmp/lode-memory
while [ $# -gt 0 ]; do
  case "$1" in
    --lode) lode=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -*) echo "usage: memory.sh [--lode PATH] [--dir DIR] [SIZE_MB...]" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || set -- 100 1000
mkdir -p "$dir"

# gen SIZE_MB: $dir/plain-SIZE.txt and $dir/rows-SIZE.jsonl, if missing.
gen() {
  python3 - "$root/corpus" "$dir" "$1" <<'EOF'
import glob, json, os, sys
corpus, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
size = mb * 10**6
arts = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(corpus, "*.txt")))]
plain, rows = os.path.join(out, "plain-%d.txt" % mb), os.path.join(out, "rows-%d.jsonl" % mb)
if not os.path.exists(plain):
    with open(plain + ".tmp", "wb") as f:
        n = k = 0
        while n < size:
            a = arts[k % len(arts)] + b"\n\n"
            f.write(a); n += len(a); k += 1
    os.rename(plain + ".tmp", plain)
if not os.path.exists(rows):
    with open(rows + ".tmp", "w") as f:
        n = k = 0
        while n < size:
            line = json.dumps({"id": k, "text": arts[k % len(arts)].decode()}) + "\n"
            f.write(line); n += len(line); k += 1
    os.rename(rows + ".tmp", rows)
EOF
}

printf '%-10s %-12s %9s %9s %8s\n' script input "wall s" "peak MB" "x input"
for mb in "$@"; do
  gen "$mb"
  for file in "$dir/plain-$mb.txt" "$dir/rows-$mb.jsonl"; do
    bytes=$(wc -c < "$file")
    for script in clean extract; do
      log="$dir/time.log"
      nice /usr/bin/time -v "$lode" run "$root/scripts/$script.lua" "$file" 2> "$log" | wc -c > /dev/null
      awk -v s="$script" -v f="$(basename "$file")" -v b="$bytes" '
        /Maximum resident set size/ { kb = $NF }
        /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); w = 0
          for (k = 1; k <= n; k++) w = w * 60 + t[k] }
        END { printf "%-10s %-12s %9.1f %9.0f %8.2f\n", s, f, w, kb / 1024, kb * 1024 / b }' "$log"
    done
  done
done
