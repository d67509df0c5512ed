#!/usr/bin/env bash
# bench/scorer_year.sh - time the scorer's rebuild by replay of a year of a 200-staff agency.
#
# Usage: bench/scorer_year.sh [VISITS_PER_CLIENT_WEEK_PCT] [PAR]
#   Starts its own registry + scorer in a temp AEDESK_HOME (deploy/up --detach --no-demo),
#   adds 200 staff (10 AD/AM managers... 20 AMs under 2 ADs, 160 AEs, the rest creative and
#   finance), 1,600 clients by CSV import (10 per AE, classes A-D), and a year of face
#   visits (52 weeks x each client, PCT% of client-weeks get one visit: default 100 ->
#   83,200 VisitLogged) through `aedesk visit log` in PAR parallel CLIs (default 8).
#   Then: stop the scorer, delete data/scorer, start it, and time (from the start of the
#   process) until its cursors reach the registry's and jobs' last seqs, asked of the
#   services directly (aedesk status --direct, every 50 ms). Prints the event count,
#   the seconds and events/s. Needs bc.
#   AEDESK_BUILD_DIR: the build to run (default build/; deploy/up builds it).
#   Not a CI test. Jobs events are not generated (the scorer's jobs facts are a small
#   share of a year's events); say so when quoting the number.
#   The agency is loaded once: run again with the same AEDESK_HOME (printed) to time the
#   rebuild again without loading; rm -r it when done.
set -euo pipefail
pct=${1:-100}
par=${2:-8}
root=$(cd "$(dirname "$0")/.." && pwd -P)
bin=${AEDESK_BUILD_DIR:-$root/build}/bin
export AEDESK_HOME=${AEDESK_HOME:-$(mktemp -d /tmp/aeyear.XXXX)}
trap '"$root/deploy/down" >/dev/null 2>&1 || true' EXIT
"$root/deploy/up" --detach --no-demo >/dev/null
export AEDESK_CONF=$AEDESK_HOME/aedesk.conf AEDESK_TOKEN_FILE=$AEDESK_HOME/token
a() { "$bin/aedesk" "$@"; }
a login admin --password-stdin <"$AEDESK_HOME/admin.password" >/dev/null
echo "AEDESK_HOME=$AEDESK_HOME"
if [[ ! -e $AEDESK_HOME/.year-loaded ]]; then
pw=bench-pass-2026
for d in 1 2; do echo $pw | a staff add ad$d --name "总监$d" --role ad --password-stdin >/dev/null; done
for m in $(seq 1 20); do echo $pw | a staff add am$m --name "经理$m" --role am --manager ad$(((m - 1) / 10 + 1)) --password-stdin >/dev/null; done
for e in $(seq 1 160); do echo $pw | a staff add ae$e --name "客户主任$e" --role ae --manager am$(((e - 1) / 8 + 1)) --password-stdin >/dev/null; done
for o in $(seq 1 18); do echo $pw | a staff add cd$o --name "创意$o" --role cd --password-stdin >/dev/null; done
tmp=$(mktemp -d)
awk 'BEGIN { print "名称,分类,AE,行业"; split("A,B,C,D", c, ",");
  for (i = 1; i <= 1600; i++) printf "年度压测客户%04d有限公司,%s,ae%d,食品\n", i, c[i % 4 + 1], (i - 1) % 160 + 1 }' >"$tmp/c.csv"
a client import "$tmp/c.csv" >/dev/null
# A year of weeks back from today: one face visit per client-week (pct% of them).
start=$(date -d '364 days ago' +%s)
awk -v pct="$pct" -v start="$start" 'BEGIN { srand(1);
  for (w = 0; w < 52; w++) for (i = 1; i <= 1600; i++) if (rand() * 100 < pct) {
    t = start + w * 604800 + 86400 + int(rand() * 4) * 86400 + 3600 * 2;
    printf "C%06d %s\n", i, strftime("%Y-%m-%d %H:%M", t) } }' >"$tmp/v.txt"
echo "visits to log: $(wc -l <"$tmp/v.txt")"
s=$(date +%s.%N)
xargs -P "$par" -L 1 sh -c '"$0" visit log "$1" --kind visit --at "$2 $3" --summary 拜访 >/dev/null' "$bin/aedesk" <"$tmp/v.txt"
echo "logged in $(echo "$(date +%s.%N) - $s" | bc) s"
rm -rf "$tmp"
: >"$AEDESK_HOME/.year-loaded"
fi
# health SERVICE: its Health line, asked directly (not the status service's last heartbeat).
health() { a --json status --direct 2>/dev/null | grep "^{\"service\":\"$1\"" || true; }
reg_seq=$(health registry | grep -o '"last_seq":[0-9]*' | head -1 | tr -dc 0-9)
jobs_seq=$(health jobs | grep -o '"last_seq":[0-9]*' | head -1 | tr -dc 0-9)
echo "registry events: $reg_seq, jobs events: $jobs_seq"
# scorer_cursor SOURCE: the scorer's cursor for it.
scorer_cursor() { health scorer | grep -o "{\"source\":\"$1\",\"seq\":[0-9]*" | tr -dc 0-9; }
until [ "$(scorer_cursor registry)" = "$reg_seq" ]; do sleep 0.5; done
pid=$(cat "$AEDESK_HOME/run/scorer.pid")
kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
du -sh "$AEDESK_HOME/data/scorer"
rm -rf "$AEDESK_HOME/data/scorer"
s=$(date +%s.%N)
"$bin/aedesk-scorer" --conf "$AEDESK_CONF" >>"$AEDESK_HOME/log/scorer.log" 2>&1 &
echo $! >"$AEDESK_HOME/run/scorer.pid"
until [ "$(scorer_cursor registry)" = "$reg_seq" ] && [ "$(scorer_cursor jobs)" = "$jobs_seq" ]; do sleep 0.05; done
secs=$(echo "$(date +%s.%N) - $s" | bc)
n=$((reg_seq + jobs_seq))
echo "scorer rebuilt by replay of $n events (registry $reg_seq, jobs $jobs_seq) in $secs s: $(echo "$n / $secs" | bc) events/s"
du -sh "$AEDESK_HOME/data/scorer"
