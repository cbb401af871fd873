#!/usr/bin/env bash
# Load benchmark: the release server on SQLite, then on PostgreSQL, each loaded with the scale
# data (`seedbed demo --scale N`), driven by wrk (Debian's package) at 32 connections.
# For each page: requests/s, p50, p99 and the server's peak RSS while that page ran; a static
# file from the same server is the baseline. Then the same at one tenth of the data, the
# hydrate wasm size and the bytes of the bid task list page.
#
#   scripts/bench-load.sh                 # N = 1 and N = 0.1, 10 s a page, release build
#   scripts/bench-load.sh --scale 2       # another size (and its tenth)
#   scripts/bench-load.sh --quick         # CI: N = 0.1 only, 2 s a page, the debug build
#   scripts/bench-load.sh --instances 2 --backends postgres
#                                         # two instances behind Debian's nginx (docs/deploy.md)
#                                         # (SEEDBED_BENCH_KEEPALIVE=1: upstream keepalive)
#   options: --duration S  --backends "sqlite postgres"  --debug  --no-tenth
#            --no-build (use the binary and site already built)
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=1 DURATION=10 PROFILE=release TENTH=yes BACKENDS="sqlite postgres" BUILD=yes INSTANCES=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --backends) BACKENDS="$2"; shift 2 ;;
    --debug) PROFILE=debug; shift ;;
    --no-tenth) TENTH=no; shift ;;
    --no-build) BUILD=no; shift ;;
    --instances) INSTANCES="$2"; shift 2 ;;
    --quick) SCALE=0.1 DURATION=2 PROFILE=debug TENTH=no; shift ;;
    *) echo "unknown option $1 (see the top of $0)"; exit 2 ;;
  esac
done
CONNECTIONS=32
case "$INSTANCES" in 1|2) ;; *) echo "--instances takes 1 or 2"; exit 2 ;; esac
if [ "$INSTANCES" = 2 ] && [[ "$BACKENDS" == *sqlite* ]]; then
  echo "--instances 2 needs --backends postgres (instances share one PostgreSQL database)"; exit 2
fi
PG_ADMIN="${SEEDBED_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_BASE="${PG_ADMIN%/*}"

[ "$BUILD" = no ] || . scripts/bootstrap.sh
if ! command -v wrk >/dev/null; then
  echo "Installing Debian's wrk"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk; else sudo apt-get install -y -qq wrk; fi
fi
if [ "$BUILD" = yes ]; then
  if [ "$PROFILE" = release ]; then scripts/build.sh --release
  else . scripts/debug-env.sh; scripts/build.sh --all-targets; fi
fi
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="${SEEDBED_BIN:-$TARGET/$PROFILE/seedbed}"
SITE_ROOT="${SEEDBED_SITE_ROOT:-$TARGET/site}"
WORK="$(mktemp -d)"
# A free port unless one is given: a server left on a fixed port would answer in ours' place.
PORT="${SEEDBED_BENCH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BASE="http://127.0.0.1:$PORT"
SERVER_PID="" SECOND_PID="" NGINX_PID=""
if [ "$INSTANCES" = 2 ]; then
  read -r PORT2 PROXY_PORT < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
fi
# What wrk drives: the instance itself, or nginx in front of two.
DRIVE_BASE="$BASE"
[ "$INSTANCES" = 1 ] || DRIVE_BASE="http://127.0.0.1:$PROXY_PORT"
# Every step has a time limit, so a fault shows as a failure with its cause, never a hang.
CURL=(curl --connect-timeout 5 --max-time 60)
stop_server() { # SIGTERM; the server gives open connections 10 s, so 30 s means it is stuck
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; fi
  if [ -n "$SECOND_PID" ]; then kill "$SECOND_PID" 2>/dev/null || true; wait "$SECOND_PID" 2>/dev/null || true; SECOND_PID=""; fi
  [ -n "$SERVER_PID" ] || return 0
  local pid="$SERVER_PID"
  SERVER_PID=""
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  echo "The server did not stop within 30 s of SIGTERM; killed. Its log:" >&2
  cat "$WORK/server.log" >&2
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}
cleanup() { stop_server || true; rm -rf "$WORK"; }
trap cleanup EXIT

export LEPTOS_SITE_ROOT="$SITE_ROOT" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=seedbed LEPTOS_ENV=PROD
export SEEDBED_OUTBOX_DIR="$WORK/outbox" SEEDBED_BASE_URL="$BASE" SEEDBED_ADDR="127.0.0.1:$PORT" SEEDBED_LOG=warn

fresh_database() { # backend -> DB_URL, an empty database
  if [ "$1" = sqlite ]; then
    rm -f "$WORK"/bench.db*
    DB_URL="sqlite://$WORK/bench.db?mode=rwc"
  else
    PGCONNECT_TIMEOUT=10 timeout 60 psql -q -v ON_ERROR_STOP=1 "$PG_ADMIN" \
      -c "DROP DATABASE IF EXISTS seedbed_bench WITH (FORCE)" -c "CREATE DATABASE seedbed_bench" >/dev/null
    DB_URL="$PG_BASE/seedbed_bench"
  fi
}

sign_in() { # email -> a Cookie header value
  local jar="$WORK/jar-$1"
  rm -f "$jar"
  "${CURL[@]}" -fsS -o /dev/null -c "$jar" -b "$jar" -H 'Accept: text/html' \
    --data-urlencode "email=$1" --data-urlencode "password=seedbed demo password" \
    "$BASE/api/account/sign_in"
  awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar"
}

to_ms() { # wrk's "1.23ms" / "456.78us" / "1.02s" -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.1f", n }'
}

peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

drive() { # label path [cookie]
  local label="$1" path="$2" cookie="${3:-}" out
  # Check the page answers 200 with this session before timing it.
  local code
  code=$("${CURL[@]}" -s -o "$WORK/page" -w '%{http_code}' ${cookie:+-H "Cookie: $cookie"} "$DRIVE_BASE$path")
  if [ "$code" != 200 ]; then echo "$label: $path answered $code" >&2; exit 1; fi
  local bytes; bytes=$(wc -c < "$WORK/page")
  echo 5 > "/proc/$SERVER_PID/clear_refs" 2>/dev/null || true # reset the peak RSS
  out=$(timeout $((DURATION + 60)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency ${cookie:+-H "Cookie: $cookie"} "$DRIVE_BASE$path")
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out" >&2; echo "$label: errors under load" >&2; exit 1; fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
  printf '| %-34s | %9s | %8s | %8s | %8s | %9s |\n' "$label" "$rps" "$p50" "$p99" "$(peak_rss_mb)" "$bytes"
}

start_second_and_proxy() { # database url: a second instance, and nginx in front of both
  SEEDBED_DATABASE_URL="$1" SEEDBED_ADDR="127.0.0.1:$PORT2" "$BIN" serve > "$WORK/server2.log" 2>&1 &
  SECOND_PID=$!
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || {
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq nginx; else sudo apt-get install -y -qq nginx; fi; }
  mkdir -p "$WORK/nginx/tmp"
  chmod 755 "$WORK" "$WORK/nginx"; chmod 777 "$WORK/nginx/tmp"
  cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  upstream seedbed {
    server 127.0.0.1:$PORT max_fails=1 fail_timeout=3s;
    server 127.0.0.1:$PORT2 max_fails=1 fail_timeout=3s;
    $([ "${SEEDBED_BENCH_KEEPALIVE:-}" = 1 ] && echo "keepalive 32;")
  }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://seedbed;
      $([ "${SEEDBED_BENCH_KEEPALIVE:-}" = 1 ] && echo 'proxy_http_version 1.1; proxy_set_header Connection "";')
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_next_upstream error timeout;
    }
  }
}
CONF
  "$(command -v nginx || echo /usr/sbin/nginx)" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
    -e "$WORK/nginx/error.log" &
  NGINX_PID=$!
  for _ in $(seq 1 60); do
    if "${CURL[@]}" -fsS "http://127.0.0.1:$PORT2/health" >/dev/null 2>&1 \
      && "${CURL[@]}" -fsS "$DRIVE_BASE/health" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "The second instance or nginx did not answer within 60 s" >&2
  cat "$WORK/server2.log" "$WORK/nginx/error.log" >&2
  exit 1
}

run_backend() { # backend scale
  local backend="$1" scale="$2" url
  fresh_database "$backend"
  url="$DB_URL"
  local started=$SECONDS
  if "${CURL[@]}" -fsS "$BASE/health" >/dev/null 2>&1; then
    echo "Something already answers on port $PORT; stop it or set SEEDBED_BENCH_PORT" >&2
    exit 1
  fi
  # Loading takes about two minutes per N on PostgreSQL here; the limit grows with N.
  local limit; limit=$(awk -v s="$scale" 'BEGIN { printf "%d", 600 + 360 * s }')
  SEEDBED_DATABASE_URL="$url" timeout "$limit" "$BIN" demo --scale "$scale" > "$WORK/demo.txt"
  local load_line; load_line=$(grep '^Scale data' "$WORK/demo.txt")
  local moderation; moderation=$(awk '/^Moderation page:/ { print $3 }' "$WORK/demo.txt")
  local round; round=$(awk '/^Open round page:/ { print $4 }' "$WORK/demo.txt")
  SEEDBED_DATABASE_URL="$url" "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  local up=no
  for _ in $(seq 1 60); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    if "${CURL[@]}" -fsS "$BASE/health" >/dev/null 2>&1; then up=yes; break; fi
    sleep 1
  done
  [ "$up" = yes ] || { echo "The server did not answer within 60 s" >&2; cat "$WORK/server.log" >&2; exit 1; }
  if [ "$INSTANCES" = 2 ]; then start_second_and_proxy "$url"; fi
  local commissioner applicant bid
  commissioner=$(sign_in commissioner@seedbed.test)
  applicant=$(sign_in applicant@seedbed.test)
  bid=$("${CURL[@]}" -fsS -H "Cookie: $applicant" "$BASE/bids" | grep -o 'href="/bids/[0-9]*' | head -1 | grep -o '[0-9]*$')
  echo
  echo "### $backend, N = $scale (loaded in $((SECONDS - started)) s)"
  echo "$load_line"
  echo
  printf '| %-34s | %9s | %8s | %8s | %8s | %9s |\n' "Page ($CONNECTIONS connections, ${DURATION} s)" "req/s" "p50 ms" "p99 ms" "RSS MB" "bytes"
  echo "|------------------------------------|-----------|----------|----------|----------|-----------|"
  drive "Static file (baseline)" "/pkg/seedbed.css"
  drive "Public round list" "/"
  drive "A round page" "$round"
  drive "Applicant's bid task list" "/bids/$bid" "$applicant"
  drive "Moderation ($(grep -o '[0-9]* bids' <<<"$load_line" | head -1) in all)" "$moderation" "$commissioner"
  drive "Portfolio (funded schemes)" "/fund/schemes" "$commissioner"
  # A financial year's file: the middle one of those the register lists (a whole year of
  # awards at every N; the newest and oldest years are partly covered by the data).
  local year_file; year_file=$("${CURL[@]}" -fsS "$BASE/awards" | grep -o '/open-data/360giving/[0-9-]*\.json' | awk '{ f[NR] = $0 } END { print f[int((NR + 1) / 2)] }')
  drive "360Giving JSON (one financial year)" "$year_file"
  drive "360Giving JSON (every grant)" "/open-data/360giving.json"
  if [ "$backend" = sqlite ] && [ "$scale" = "$SCALE" ]; then
    "${CURL[@]}" -fsS -H "Cookie: $applicant" "$BASE/bids/$bid" > "$WORK/tasklist.html"
  fi
  stop_server
}

echo "Seedbed load benchmark: $PROFILE build, wrk -t2 -c$CONNECTIONS, $(nproc) cores, $(date -u +%Y-%m-%d)$([ "$INSTANCES" = 1 ] || echo ", two instances behind nginx (RSS: the first instance)")"
for backend in $BACKENDS; do
  run_backend "$backend" "$SCALE"
  if [ "$TENTH" = yes ]; then
    run_backend "$backend" "$(awk -v s="$SCALE" 'BEGIN { print s / 10 }')"
  fi
done

echo
echo "### Sizes"
WASM="$SITE_ROOT/pkg/seedbed.wasm"
echo "Hydrate wasm: $(wc -c < "$WASM") bytes raw, $(gzip -9 -c "$WASM" | wc -c) bytes gzip ($PROFILE build)"
if [ -f "$WORK/tasklist.html" ]; then
  CSS_RAW=$(cat "$SITE_ROOT"/pkg/seedbed.css "$SITE_ROOT"/govuk.css 2>/dev/null | wc -c)
  CSS_GZ=$(cat "$SITE_ROOT"/pkg/seedbed.css "$SITE_ROOT"/govuk.css 2>/dev/null | gzip -9 | wc -c)
  echo "Bid task list: HTML $(wc -c < "$WORK/tasklist.html") bytes ($(gzip -9 -c "$WORK/tasklist.html" | wc -c) gzip), CSS $CSS_RAW bytes ($CSS_GZ gzip)"
fi
