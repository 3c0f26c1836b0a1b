#!/usr/bin/env bash
# The prefetches the hot aggregates rely on are in the built objects.  gcc 12
# drops the call to an inline function whose only effect is __builtin_prefetch
# (doc/performance.md, thirteenth measurement), and nothing else would notice:
# results stay the same, the reports just get slower.  Counts the prefetch
# instructions of the objects on x86-64 (elsewhere the test is skipped).  Prints TAP.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(uname -m)" != x86_64 ] || ! command -v objdump >/dev/null; then
    echo "1..0 # SKIP needs objdump on x86-64"
    exit 0
fi
# object: the prefetches its source writes (cell_metrics.c: four lookups at
# the queue, the user set's word when a row is placed (two call sites);
# stream_tally.c: both ends of the slot).
checks="cell_metrics.o:6 stream_tally.o:2"
echo "1..2"
n=0
for check in $checks; do
    n=$((n + 1))
    object=$root/src/${check%%:*}
    want=${check##*:}
    if [ ! -f "$object" ]; then
        echo "not ok $n - $object is built"
        continue
    fi
    got=$(objdump -d "$object" | grep -c 'prefetch' || true)
    if [ "$got" -ge "$want" ]; then
        echo "ok $n - ${check%%:*} has $got prefetch instructions (at least $want)"
    else
        echo "not ok $n - ${check%%:*} has $got prefetch instructions, $want written in its source"
    fi
done
