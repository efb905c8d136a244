# Helpers the benchmark scripts share; `source` it.

# The median of numbers on stdin, one per line (the mean of the middle two
# for an even count).
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Wall seconds a command takes, its output dropped.
seconds() {
  local s
  s=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  echo "$(date +%s.%N) - $s" | bc
}
