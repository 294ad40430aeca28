#!/usr/bin/env bash
# HTTP capacity of `captcha serve` measured by wrk from a second process: 8 connections posting one PNG.
# Usage: scripts/http_wrk.sh MODEL IMAGE.png [ENGINE] [SECONDS]     (needs Debian's wrk)
set -euo pipefail
model="$1"; image="$2"; engine="${3:-auto}"; seconds="${4:-10}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port=18080
lua="$(mktemp --suffix=.lua)"
trap 'rm -f "$lua"; kill "$server" 2>/dev/null || true' EXIT
cat > "$lua" <<LUA
local f = io.open("$image", "rb"); local body = f:read("*all"); f:close()
wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "image/png"
LUA
"$root/bin/captcha" serve -q -m "$model" --engine "$engine" --port "$port" > /dev/null &
server=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.5; done
wrk -t2 -c8 -d3s -s "$lua" "http://127.0.0.1:$port/api/solve" > /dev/null            # warm-up
echo "engine $engine, 8 connections, ${seconds} s:"
wrk -t2 -c8 -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port/api/solve" | grep -E 'Requests/sec|50%|99%|Non-2xx|errors'
