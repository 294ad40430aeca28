#!/usr/bin/env bash
# Loads a real `captcha serve` process on loopback with good clients and, optionally, hostile ones, then stops it
# with SIGTERM while the good clients are still sending. Prints requests/s, latency percentiles, status counts,
# the server's RSS before and after, and how many requests the SIGTERM lost.
#
#   scripts/hostile_load.sh MODEL IMAGE [GOOD_CLIENTS] [HOSTILE_CLIENTS] [SECONDS]
#
# Every request is one curl process, so the rates are those of curl on this machine, not the server's ceiling
# (`captcha bench --only http` measures that in one JVM). Only 127.0.0.1 is ever contacted.
set -euo pipefail
model=$1 image=$2 good=${3:-8} hostile=${4:-8} seconds=${5:-10}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
url="http://127.0.0.1:$port"
"$root/bin/captcha" serve -m "$model" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill -9 $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "$url/health" && break; sleep 0.2; done
rss() { awk "/^$1:/ {print int(\$2 / 1024)}" "/proc/$server/status"; }
echo "server RSS before: $(rss VmRSS) MB"

good_client() { # $1: until (epoch seconds); appends "status seconds" lines
  while [ "$(date +%s)" -lt "$1" ]; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --data-binary @"$image" \
      -H 'Content-Type: image/png' "$url/api/solve" || echo "lost 0"
  done >>"$work/good.$BASHPID"
}
hostile_client() { # $1: kind, $2: until
  while [ "$(date +%s)" -lt "$2" ]; do
    case $1 in
      0) curl -s -o /dev/null -w '%{http_code}\n' --data-binary 'not an image' -H 'Content-Type: image/png' "$url/api/solve" ;;
      1) head -c 4000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}\n' -T - -X POST \
           -H 'Content-Type: image/png' "$url/api/solve" ;;
      2) curl -s -o /dev/null -w '%{http_code}\n' --data-binary @"$image" -H 'Content-Type: multipart/form-data' \
           "$url/api/solve" ;;
      *) curl -s -o /dev/null -w '%{http_code}\n' -d '{"image": ' -H 'Content-Type: application/json' "$url/api/solve" ;;
    esac || echo "closed"
  done >>"$work/hostile.$BASHPID"
}
report() { # $1: label
  cat "$work"/good.* >"$work/good" 2>/dev/null || : >"$work/good"
  local n ok
  n=$(wc -l <"$work/good")
  ok=$(awk '$1 == 200' "$work/good" | wc -l)
  awk '$1 == 200 {print $2 * 1000}' "$work/good" | sort -n >"$work/lat"
  local p50 p99
  p50=$(awk '{a[NR] = $1} END {print a[int(NR * 0.5) + 1]}' "$work/lat")
  p99=$(awk '{a[NR] = $1} END {i = int(NR * 0.99) + 1; if (i > NR) i = NR; print a[i]}' "$work/lat")
  echo "$1: good $n requests, $((n - ok)) not 200, $(awk -v n="$ok" -v s="$seconds" 'BEGIN {printf "%.0f", n / s}') ok/s," \
    "p50 ${p50} ms, p99 ${p99} ms"
  if ls "$work"/hostile.* >/dev/null 2>&1; then
    echo "$1: hostile answers: $(cat "$work"/hostile.* | sort | uniq -c | tr '\n' ' ')"
  fi
  rm -f "$work"/good.* "$work"/hostile.*
}

# `wait` alone would wait for the server too: wait for the clients by their ids.
clients=()
deadline=$(($(date +%s) + seconds))
for _ in $(seq "$good"); do good_client "$deadline" & clients+=($!); done
wait "${clients[@]}"
report "$good good clients"
echo "server RSS after: $(rss VmRSS) MB (peak $(rss VmHWM) MB)"

if [ "$hostile" -gt 0 ]; then
  clients=()
  deadline=$(($(date +%s) + seconds))
  for _ in $(seq "$good"); do good_client "$deadline" & clients+=($!); done
  for k in $(seq 0 $((hostile - 1))); do hostile_client $((k % 4)) "$deadline" & clients+=($!); done
  wait "${clients[@]}"
  report "$good good + $hostile hostile clients"
  echo "server RSS after the hostile run: $(rss VmRSS) MB (peak $(rss VmHWM) MB)"
fi

# SIGTERM under load: every request curl managed to send must be answered; after the stop, connecting fails
# (curl exit 7), which loses nothing.
clients=()
deadline=$(($(date +%s) + 4))
for _ in $(seq "$good"); do
  ( while [ "$(date +%s)" -lt "$deadline" ]; do
      code=0
      status=$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$image" -H 'Content-Type: image/png' \
        "$url/api/solve") || code=$?
      if [ "$code" = 0 ]; then echo "answered $status"; elif [ "$code" = 7 ]; then echo refused; else echo "lost(curl $code)"; fi
    done >>"$work/term.$BASHPID" ) &
  clients+=($!)
done
sleep 2
kill -TERM "$server"
wait "$server" || true
wait "${clients[@]}"
echo "SIGTERM under load: $(cat "$work"/term.* | sort | uniq -c | tr '\n' ' ')"
