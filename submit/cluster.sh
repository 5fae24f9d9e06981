#!/usr/bin/env bash
# spark-submit of FTL's application jar (Spark, Scala and Hadoop are the cluster's; everything else is in
# the jar, so workers need no manual step). Options before `--`; everything after it is the ftl command line.
#
#   --master URL           spark://host:7077, yarn, or k8s://https://host:port (required)
#   --deploy-mode MODE     client (default: the driver runs here) or cluster
#   --driver-memory SIZE   default 4g
#   --executor-memory SIZE default 6g: the executor's heap: a task holds a round of variants and one
#                          candidate's features
#   --executor-overhead SIZE  default 2g: the executor's native memory (spark.executor.memoryOverhead), what
#                          ONNX Runtime, ND4J and the JVM itself take beside the heap; JavaCPP is capped to it
#                          (org.bytedeco.javacpp.maxbytes = half of it, maxphysicalbytes = heap + overhead), so
#                          a task that needs more fails with exit 6 naming the setting instead of being killed
#                          by the resource manager. See the README's memory guidance.
#   --executor-cores N     default 2; ND4J uses these cores inside each task
#   --num-executors N      YARN and Kubernetes only
#   --jar FILE             the application jar (default: target/ftl-*-app.jar beside this script)
#   --conf KEY=VALUE       further Spark settings, repeatable
# Environment: SPARK_SUBMIT, the command that submits (default: spark-submit on the PATH). It is split at
#   spaces, so it may carry arguments, e.g. Spark's own class on a plain JVM (how the cluster tests submit):
#   SPARK_SUBMIT="java -Xmx2g <ftl JVM flags> -cp $SPARK_HOME/jars/* org.apache.spark.deploy.SparkSubmit"
#   (no path in it may contain a space). A plain JVM is itself the driver in client mode, so give it the
#   heap and flags there: --driver-memory then has no effect.
#
# OPENBLAS_CORETYPE (set, or chosen from this machine's CPU flags by openblas-core.sh) is passed to the executors
#   as spark.executorEnv.OPENBLAS_CORETYPE: ND4J's OpenBLAS misreads recent CPUs as SSE3-only. On workers of
#   another CPU kind than this machine, set OPENBLAS_CORETYPE to what every worker can run (Haswell: AVX2).
#
# Example:
#   submit/cluster.sh --master spark://head:7077 -- sweep --conf cluster --set data.root=hdfs:///ftl/data
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
master="" mode="client" driver_mem="4g" exec_mem="6g" exec_overhead="2g" exec_cores="2" num_exec="" jar="" extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --deploy-mode) mode="$2"; shift 2 ;;
    --driver-memory) driver_mem="$2"; shift 2 ;;
    --executor-memory) exec_mem="$2"; shift 2 ;;
    --executor-overhead) exec_overhead="$2"; shift 2 ;;
    --executor-cores) exec_cores="$2"; shift 2 ;;
    --num-executors) num_exec="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --conf) extra+=(--conf "$2"); shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster.sh: unknown option $1 (ftl's own options go after --)" >&2; exit 2 ;;
  esac
done
if [ -z "$master" ]; then echo "cluster.sh: --master is required" >&2; exit 2; fi
if [ $# -eq 0 ]; then echo "cluster.sh: give the ftl command after --, e.g. -- sweep --conf cluster" >&2; exit 2; fi
if [ -z "$jar" ]; then
  shopt -s nullglob; jars=("$here"/target/ftl-*-app.jar)
  if [ ${#jars[@]} -eq 0 ]; then echo "cluster.sh: no application jar: run 'mvn -q package -DskipTests' in $here" >&2; exit 2; fi
  jar="${jars[0]}"
fi
# shellcheck source=sizes.sh
. "$here/submit/sizes.sh"
megabytes() { # SIZE OPTION: SIZE in megabytes, or a line naming OPTION
  ftl_megabytes "$1" || { echo "cluster.sh: $2 $1: give a size such as 6g or 2048m" >&2; return 1; }
}
heap_mb="$(megabytes "$exec_mem" --executor-memory)" || exit 2
overhead_mb="$(megabytes "$exec_overhead" --executor-overhead)" || exit 2
# the module openings Java 17 needs, carried inside the jar
flags="$(unzip -p "$jar" ftl-jvm-flags.txt 2>/dev/null || python3 -c "import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read('ftl-jvm-flags.txt').decode())" "$jar")"
opts=(--master "$master" --deploy-mode "$mode" --class org.ftl.cli.Ftl
      --driver-memory "$driver_mem" --executor-memory "$exec_mem" --executor-cores "$exec_cores"
      --conf "spark.executor.memoryOverhead=${overhead_mb}m"
      --conf "spark.driver.extraJavaOptions=$flags"
      --conf "spark.executor.extraJavaOptions=$flags -Dorg.bytedeco.javacpp.maxbytes=$(( overhead_mb / 2 ))m -Dorg.bytedeco.javacpp.maxphysicalbytes=$(( heap_mb + overhead_mb ))m"
      --conf "spark.task.cpus=1")
if [ -n "$num_exec" ]; then opts+=(--num-executors "$num_exec"); fi
# shellcheck source=openblas-core.sh
. "$here/submit/openblas-core.sh"
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  opts+=(--conf "spark.executorEnv.OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE")
fi
read -r -a submit <<< "${SPARK_SUBMIT:-spark-submit}"
exec "${submit[@]}" "${opts[@]}" "${extra[@]}" "$jar" "$@"
