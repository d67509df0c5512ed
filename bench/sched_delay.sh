#!/usr/bin/env bash
# bench/sched_delay.sh - the scheduler's firing delay with 100,000 (and 1,000,000) reminders pending.
#
# Usage: bench/sched_delay.sh [PENDING...]      (default: 100000 1000000)
#   Builds the plain (optimised) build in ./build and runs build/bin/aedesk-sched-delay
#   once per PENDING: the real aedesk-scheduler (with registry, jobs and status) in a
#   temp AEDESK_HOME, PENDING reminders written into its store before it starts, 2,000
#   of them due one after another over 20 s; prints how long it took to start and
#   p50/p99/max of due -> notification written and due -> published (received by a
#   subscriber). See bench/sched_delay.c. bench/run runs the same program for its
#   firing figures and goal. Not a CI test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
cmake -S "$root" -B "$root/build" >/dev/null
cmake --build "$root/build" -j"$(nproc)" --target aedesk-sched-delay aedesk aedesk-registry aedesk-jobs aedesk-scheduler >/dev/null
[[ $# -gt 0 ]] || set -- 100000 1000000
for n in "$@"; do
  echo "== $n pending"
  "$root/build/bin/aedesk-sched-delay" "$n" 2000 20
done
