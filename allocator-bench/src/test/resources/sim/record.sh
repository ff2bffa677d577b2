#!/bin/sh
# Records a lackey trace of a program and cachegrind's counters for each cache configuration, running
# both tools with the same absolute program path, arguments, working folder, environment and
# redirections (the dynamic loader's reads depend on all of them).
#
#   record.sh NAME I1/D1/LL... -- /ABSOLUTE/PROGRAM ARGS...
#
# writes NAME.lackey.gz and NAME.cachegrind (one line per configuration: I1 D1 LL, then the
# "summary:" line of cachegrind.out: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw) to the current folder.
set -e
name=$1; shift
configs=""
while [ "$1" != "--" ]; do configs="$configs $1"; shift; done
shift
out=$(pwd)
run=/tmp/simrec/run
mkdir -p $run; cd $run
env -i PATH=/usr/bin:/bin LC_ALL=C valgrind --tool=lackey --trace-mem=yes \
    --px-default=sp-at-mem-access --px-file-backed=sp-at-mem-access "$@" > $run/stdout 2> $run/stderr
gzip -9 -n -c $run/stderr > "$out/$name.lackey.gz"
: > "$out/$name.cachegrind"
for c in $configs; do
  i1=$(echo $c | cut -d/ -f1); d1=$(echo $c | cut -d/ -f2); ll=$(echo $c | cut -d/ -f3)
  rm -f cachegrind.out.*
  env -i PATH=/usr/bin:/bin LC_ALL=C valgrind --tool=cachegrind --cache-sim=yes \
      --I1=$i1 --D1=$d1 --LL=$ll "$@" > $run/stdout 2> $run/stderr
  printf '%s %s %s ' "$i1" "$d1" "$ll" >> "$out/$name.cachegrind"
  grep '^summary:' cachegrind.out.* >> "$out/$name.cachegrind"
done
