# Sourced by submit/ftl (not run): turns FTL_MEMORY, the resident memory a local run may take, into the JVM's
# limits, unless FTL_JAVA_OPTS sets a heap of its own (then JavaCPP's defaults follow that heap: maxbytes = -Xmx,
# maxphysicalbytes = 2 x -Xmx).
#   heap (-Xmx)                                half of FTL_MEMORY: Spark, decoded images, features, variants
#   org.bytedeco.javacpp.maxbytes              a quarter: ND4J's arrays (pruning, backbone training, heads)
#   org.bytedeco.javacpp.maxphysicalbytes      FTL_MEMORY: the whole resident set; past it JavaCPP collects
#                                              garbage, then fails with a message naming the setting (exit 6)
# The rest of the native memory (ONNX Runtime's sessions and activations, thread stacks, the JVM's own) fits in
# the quarter left. Measured on the demo (64 px, 2 tasks): heap 1.5 GB -> peak resident set 2.6 GB; heap 2 GB ->
# 2.8-3.2 GB (a larger heap is collected later, so it is filled further).
# shellcheck source=sizes.sh
. "$(dirname "${BASH_SOURCE[0]}")/sizes.sh"
ftl_memory_flags=()
case " ${FTL_JAVA_OPTS:-} " in
  *" -Xmx"*) ;;
  *)
    ftl_total="$(ftl_megabytes "${FTL_MEMORY:-3g}")" || ftl_total=""
    if [ -z "$ftl_total" ] || [ "$ftl_total" -lt 1024 ]; then
      echo "ftl: FTL_MEMORY=${FTL_MEMORY:-}: give a size of at least 1g, such as 3g or 4096m" >&2
      exit 2
    fi
    ftl_memory_flags=("-Xmx$(( ftl_total / 2 ))m"
      "-Dorg.bytedeco.javacpp.maxbytes=$(( ftl_total / 4 ))m"
      "-Dorg.bytedeco.javacpp.maxphysicalbytes=${ftl_total}m")
    unset ftl_total
    ;;
esac
# The heap on transparent huge pages where the kernel offers them: the kernel then zeroes and maps the heap 2 MB at a
# time instead of 4 KB. Measured on the second demo: minor page faults 769,000 -> 283,000 (most were the heap's
# first touch while it grows), peak resident set 2.72 -> 2.64 GB.
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  ftl_memory_flags+=("-XX:+UseTransparentHugePages")
fi
