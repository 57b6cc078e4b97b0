#!/bin/bash
# The 10 rooms x 200 fan-out at 40,000 deliveries/s with the server's GC counters read from /metrics
# every 0.5 s (the bench's server has Chatter:Metrics:Enabled; loopback only).
#   docs/benchmarks/gc-10x200/run.sh OUT [VAR=value ...]    e.g. run.sh /tmp/gc-big DOTNET_GCgen0size=0x10000000
# Writes OUT/fanout.md, OUT/fanout.json (per-second p99 in data.steps[0].intervals), OUT/bench.log
# (each line with its Unix time) and OUT/gc.log (Unix time, collections per generation, total pause).
out=$1; shift
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
( env "$@" dotnet run -c Release --project ChatterWeb.Bench -- fanout --rooms 10 --members 200 --rate 200 --warmup 20 --duration 10 --out "$out" 2>&1 \
  | while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N | cut -c1-14)" "$line"; done > "$out/bench.log" ) &
bench=$!
url=""
while [ -z "$url" ] && kill -0 $bench 2>/dev/null; do
  url=$(grep -o "ChatterWeb is up at http://[0-9.:]*/" "$out/bench.log" 2>/dev/null | head -1 | sed 's/.*at //'); sleep 0.2
done
: > "$out/gc.log"
while kill -0 $bench 2>/dev/null; do
  m=$(curl -s --max-time 1 "${url}metrics" | grep -E "^dotnet_gc_(pause_time_seconds_total|collections_total)" | tr '\n' ' ')
  [ -n "$m" ] && echo "$(date +%s.%N | cut -c1-14) $m" >> "$out/gc.log"
  sleep 0.5
done
wait $bench
