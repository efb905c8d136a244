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

# Wall and processor seconds (user + system) a command takes, its output
# dropped: "WALL CPU".
timed() {
  local TIMEFORMAT='%R %U %S' t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -n 1)
  set -- $t
  echo "$1 $(echo "$2 + $3" | bc)"
}
