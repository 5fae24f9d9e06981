#!/usr/bin/env bash
# The scheduled nightly sweep: `ftl sweep --conf nightly --resume`, one log file per night, the sweep's exit code.
# A night that was killed or crashed is resumed by the next start (only the missing candidates are computed);
# a second start while one runs is refused (exit 2, the lock file named); every finished night adds a row to
# RUNS/history.csv; a winner worse than the previous night's on the same data exits 5 (see README, "Nightly sweeps").
#
#   submit/nightly.sh [ftl sweep options]      e.g. --set data.root=/srv/cracks --set runs.keep=30
#
# Environment:
#   FTL_NIGHTLY_CONF  profile or file (default: nightly, i.e. conf/nightly.conf)
#   FTL_NIGHTLY_LOGS  folder of the nightly logs (default: logs/ beside submit/), one ftl-nightly-YYYYMMDD.log a night
#   FTL_MASTER        a cluster master (spark://host:7077, yarn, k8s://…): run through submit/cluster.sh instead of
#                     the local launcher; FTL_CLUSTER_OPTS adds cluster.sh options (e.g. "--executor-memory 8g")
#   FTL_DATA, FTL_RUNS, FTL_MEMORY, FTL_JAVA_OPTS   as for submit/ftl
#
# Crontab (every night at 02:30, as the user that owns the checkout):
#   30 2 * * * /opt/ftl/submit/nightly.sh >/dev/null 2>&1
# systemd: submit/ftl-nightly.service and submit/ftl-nightly.timer (copy to /etc/systemd/system/, then
#   systemctl enable --now ftl-nightly.timer).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$(cd "$here/.." && pwd)"
conf="${FTL_NIGHTLY_CONF:-nightly}"
logs="${FTL_NIGHTLY_LOGS:-$home/logs}"
mkdir -p "$logs" || { echo "nightly.sh: cannot create the log folder $logs" >&2; exit 2; }
log="$logs/ftl-nightly-$(date -u +%Y%m%d).log"
cd "$home" || exit 2

{
  echo "== ftl nightly sweep, $(date -u +%Y-%m-%dT%H:%M:%SZ), host $(hostname), profile $conf"
} >>"$log"

if [ -n "${FTL_MASTER:-}" ]; then
  read -r -a cluster_opts <<<"${FTL_CLUSTER_OPTS:-}"
  "$here/cluster.sh" --master "$FTL_MASTER" "${cluster_opts[@]}" -- sweep --conf "$conf" --resume "$@" >>"$log" 2>&1
else
  "$here/ftl" sweep --conf "$conf" --resume "$@" >>"$log" 2>&1
fi
code=$?

case "$code" in
  0) what="done" ;;
  2) what="refused: bad settings, or another sweep holds the lock (see the log)" ;;
  3) what="bad input (see the log)" ;;
  4) what="finished, some candidates failed" ;;
  5) what="finished, REGRESSION: the winner is worse than the previous night's (history.csv)" ;;
  130|137|143) what="stopped by a signal; the next start resumes this night's run" ;;
  *) what="failed" ;;
esac
echo "== exit $code: $what, $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$log"
if [ "$code" -ne 0 ]; then
  echo "ftl nightly: exit $code: $what; log: $log" >&2
fi
exit "$code"
