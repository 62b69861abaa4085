#!/usr/bin/env bash
# Runs the test suite (or the jest arguments given) as if the machine's clock read DAY, to show that no test
# depends on today being before some fixed day:
#
#   scripts/test-on-day.sh 2027-06-15                 # every test
#   scripts/test-on-day.sh 2028-12-30 test/api        # some of them
#
# Every process runs under libfaketime (Debian's `faketime`, installed when missing): Node, the Postgres cluster the
# test setup starts, Chromium and the Java time-skipping server. The Temporal CLI's dev server is a Go program, which
# reads the clock past libfaketime, so the API and console tests run here against the Java test server in real-time
# mode (no skipping) instead, which keeps one clock for every part. It is slower than the dev server; a test that
# waits a fixed time for a projection may need the machine to itself. Chromium is kept out of libfaketime (it loads no
# page under it; test/support/browser.ts). Known limit: the time-skipping server that the workflow and e2e tests start
# for themselves spins under libfaketime and misses the SDK's 5 s start-up limit, so run those here with care
# (`scripts/test-on-day.sh DAY test/unit test/db test/api` is what runs cleanly).
set -euo pipefail
cd "$(dirname "$0")/.."

day="${1:?usage: scripts/test-on-day.sh YYYY-MM-DD [jest arguments]}"
shift
[[ "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "DAY must be YYYY-MM-DD, got $day" >&2; exit 2; }
command -v faketime >/dev/null || { apt-get update -qq && apt-get install -y -qq faketime; }

server=$(ls -d "${SC_CACHE_DIR:-$HOME/.cache/sc-cases}"/temporal-test-server-*/run.sh 2>/dev/null | tail -1)
[ -n "$server" ] || npx tsx scripts/ci-prepare.ts
server=$(ls -d "${SC_CACHE_DIR:-$HOME/.cache/sc-cases}"/temporal-test-server-*/run.sh | tail -1)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# One offset for every process, so they keep one clock: now is 10:00 Asia/Shanghai on DAY. The monotonic clock is left
# alone (timeouts keep their real length).
export FAKETIME_DONT_FAKE_MONOTONIC=1
offset="$(( $(date -u -d "$day 02:00:00" +%s) - $(date -u +%s) ))"
offset="$( [ "$offset" -ge 0 ] && echo "+${offset}s" || echo "${offset}s" )"
mkdir -p .data
faketime -f "$offset" "$server" "$port" >".data/test-on-day-server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.5
done

echo "::: tests on $day (faketime; Temporal: Java test server on 127.0.0.1:$port)"
TEST_TEMPORAL_ADDRESS="127.0.0.1:$port" faketime -f "$offset" npx jest --runInBand --forceExit "$@"
