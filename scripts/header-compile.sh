#!/usr/bin/env bash
# Compiles the include-order programs of c-tests/header/ as C (gnu11, -Wall -Wextra -Werror) and
# as C++, once with lksctp's <netinet/sctp.h> and once with ours (-Iinclude). Writes
# build/results/header.{lksctp,sctp_rs}.out, one "header.<case>.<lang>: compiles=yes|no" line
# each, for scripts/compare.py. No SCTP stack needed: this is about the header.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results
mkdir -p "$res"
for variant in lksctp sctp_rs; do
  inc=""; [ $variant = sctp_rs ] && inc="-I$top/include"
  out=$res/header.$variant.out
  : > "$out"
  for src in "$top"/c-tests/header/*.c; do
    name=$(basename "$src" .c)
    for lang in c cxx; do
      if [ $lang = c ]; then cmd=(cc -std=gnu11 -Wall -Wextra -Werror -Wno-address); else cmd=(c++ -x c++ -Wall -Werror -Wno-address -Wno-missing-field-initializers); fi
      if "${cmd[@]}" $inc -fsyntax-only "$src" 2> "$res/header.$variant.$name.$lang.err"; then r=yes; else r=no; fi
      echo "header.$name.$lang: compiles=$r" >> "$out"
    done
  done
  echo 0 > "$res/header.$variant.rc"
  : > "$res/header.$variant.err"
done
