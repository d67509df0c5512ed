#!/usr/bin/env bash
# bench/registry_import.sh - time a 100,000-row client import and client list pages.
#
# Usage: AEDESK_CONF=... bench/registry_import.sh [ROWS] [AEDESK_BIN]
#   Needs a running registry (deploy/up or by hand) and a login with the right to
#   import (admin); staff "bench.ae" (an AE) is added if missing. Not a CI test.
# Prints: the import time, then the time of list pages (first page, --ae, --industry,
# --name, --sort name, --code) against the clients now in the store.
set -euo pipefail
rows=${1:-100000}
bin=${2:-$(dirname "$0")/../build/bin/aedesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" staff add bench.ae --name 压测AE --role ae >/dev/null 2>&1 || true
tag=$(date +%s)
awk -v n="$rows" -v tag="$tag" 'BEGIN {
  print "名称,分类,AE,行业"
  split("食品,饮料,家电,汽车,地产,医药,金融,教育", ind, ",")
  split("A,B,C,D", cls, ",")
  for (i = 1; i <= n; i++)
    printf "华夏%s第%06d号有限公司,%s,%s,%s\n", tag, i, cls[i % 4 + 1], (i % 10 == 0 ? "bench.ae" : ""), ind[i % 8 + 1]
}' > "$tmp/clients.csv"
printf 'rows: %d, file: %d bytes\n' "$rows" "$(stat -c %s "$tmp/clients.csv")"
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; return 1; }; e=$(date +%s.%N); printf '%8.3f s  %s\n' "$(echo "$e - $s" | bc)" "${*:2}"; }
t "$bin" client import "$tmp/clients.csv"
t "$bin" client list --limit 100
t "$bin" client list --limit 100 --after C050000
t "$bin" client list --limit 100 --ae bench.ae
t "$bin" client list --limit 100 --industry 医药
t "$bin" client list --limit 100 --class A --industry 医药
t "$bin" client list --limit 100 --name "第099999号"
t "$bin" client list --limit 100 --sort name
t "$bin" client list --code C099999
t "$bin" client list --limit 100 --name "没有这个名字"
