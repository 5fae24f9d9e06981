#!/usr/bin/env bash
# The sweep in local mode on this machine, through the launcher: `submit/local.sh [ftl sweep options]`.
# Same as `submit/ftl sweep …`; uses every core unless --set spark.master=local[N] says otherwise.
# Each running task needs its share of memory: give FTL_MEMORY (default 3g) about 1.5g per core, e.g. FTL_MEMORY=12g on 8.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/ftl" sweep --set "spark.master=local[*]" "$@"
