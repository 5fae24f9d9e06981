# Sourced by submit/ftl and submit/cluster.sh (not run): names the OpenBLAS kernel this CPU can run.
# ND4J's OpenBLAS (0.3.19) does not recognise recent CPUs (Sapphire Rapids and later) and falls back to its
# generic SSE3 kernel ("Prescott"): measured on a 2-core Xeon VM, a 512^3 single-precision product ran at 16
# GFLOP/s instead of 119 (SkylakeX kernel). A kernel is chosen from the CPU's flags only when the user has not
# set OPENBLAS_CORETYPE; it never names instructions the CPU lacks.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  ftl_cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  ftl_has() { for f in "$@"; do case "$ftl_cpu_flags" in *" $f "*) ;; *) return 1 ;; esac; done; }
  if ftl_has avx512f avx512dq avx512cd avx512bw avx512vl; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif ftl_has avx2 fma; then
    export OPENBLAS_CORETYPE=Haswell
  fi
  unset -f ftl_has
  unset ftl_cpu_flags
fi
