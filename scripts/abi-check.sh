#!/usr/bin/env bash
# The exported ABI, read off the ELF files (no SCTP needed):
# - build/results/symbols.{lksctp,sctp_rs}.out: for every versioned symbol of Debian's
#   libsctp.so.1 or of ours, one line "symbols.<name>@<version>: <type> <bind> [= <other
#   versions of it at the same address>]"
#   ("absent" where a library lacks it), then the version definitions; compared line by line
#   like the C programs (our two SCTP_RS_1 functions are listed divergences).
# - build/results/symbols-preload.txt: libsctp_rs.so's set, which must equal libsctp.so.1's.
# - build/results/abidiff.txt: abidiff of Debian's library against ours.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results
mkdir -p "$res"
deb=$(cc -print-file-name=libsctp.so.1)
[ -f "$deb" ] || deb=/usr/lib/$(cc -print-multiarch)/libsctp.so.1
ours=$top/build/libsctp.so.1

# "name@ver addr type bind" for each defined dynamic symbol (version nodes excluded).
syms() {
  readelf --dyn-syms -W "$1" |
    awk '$1 ~ /^[0-9]+:$/ && $7 != "UND" && $4 == "FUNC" && NF >= 8 {print $8, $2, $4, $5}' | sort
}
verdefs() {
  readelf -V -W "$1" | awk '/Version definition section/ {on=1} /Version needs section/ {on=0}
    on && /Name:/ && !/Flags: BASE/ {n=$NF; if (prev != "") parent[n]=""; names[++k]=n}
    on && /Parent 1:/ {parent[names[k]]=$NF}
    END {for (i=1;i<=k;i++) {printf "%s%s", (i>1?" | ":""), names[i]; if (parent[names[i]]!="") printf "<%s", parent[names[i]]} print ""}'
}
describe() { # lib all-names-file
  local lib=$1 all=$2 t
  t=$(mktemp)
  syms "$lib" > "$t"
  while read -r name; do
    row=$(awk -v n="$name" '$1 == n' "$t" | head -1)
    if [ -z "$row" ]; then echo "symbols.$name: absent"; continue; fi
    addr=$(echo "$row" | cut -d' ' -f2)
    # Other versions of the same function at the same address (sctp_connectx's relations).
    base=${name%%@*}
    aliases=$(awk -v a="$addr" -v n="$name" -v b="$base" \
      '{split($1, p, "@")} $2 == a && $1 != n && p[1] == b {print $1}' "$t" | sort | paste -sd, -)
    echo "symbols.$name: $(echo "$row" | cut -d' ' -f3,4)${aliases:+ = $aliases}"
  done < "$all"
  echo "symbols.verdef: $(verdefs "$lib")"
  rm -f "$t"
}
all=$(mktemp)
{ syms "$deb"; syms "$ours"; } | cut -d' ' -f1 | sort -u > "$all"
describe "$deb" "$all" > "$res/symbols.lksctp.out"
describe "$ours" "$all" > "$res/symbols.sctp_rs.out"
for v in lksctp sctp_rs; do echo 0 > "$res/symbols.$v.rc"; : > "$res/symbols.$v.err"; done
rm -f "$all"

if cmp -s <(syms "$ours" | awk '{print $1}') <(syms "$top/build/libsctp_rs.so" | awk '{print $1}'); then
  echo "same" > "$res/symbols-preload.txt"
else
  diff <(syms "$ours" | awk '{print $1}') <(syms "$top/build/libsctp_rs.so" | awk '{print $1}') > "$res/symbols-preload.txt" || true
fi

abidiff "$deb" "$ours" > "$res/abidiff.txt" 2>&1 || echo "abidiff exit status $?" >> "$res/abidiff.txt"
