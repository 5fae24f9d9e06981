#!/usr/bin/env bash
# The sweep in local mode on this machine, through the launcher: `submit/local.sh [ftl sweep options]`.
# Same as `submit/ftl sweep …`; uses every core unless --set spark.master=local[N] says otherwise.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/ftl" sweep --set "spark.master=local[*]" "$@"
