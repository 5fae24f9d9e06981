# Sourced by submit/memory.sh and submit/cluster.sh (not run): a memory size as the JVM writes it, in megabytes.
# ftl_megabytes 3g -> 3072, 3072m -> 3072 (either case); anything else prints nothing and fails.
ftl_megabytes() {
  case "$1" in
    *[gG]) [[ "${1%?}" =~ ^[0-9]+$ ]] && echo $(( ${1%?} * 1024 )) && return 0 ;;
    *[mM]) [[ "${1%?}" =~ ^[0-9]+$ ]] && echo "${1%?}" && return 0 ;;
  esac
  return 1
}
