#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, and a ppbench fleet on
# it: two instance types x two launches of `ppbench run -short -count 1
# -bench FMAPeak`, submitted with `ppbench fleet -submit`, followed with
# `ppbench fleet wait`, and every collected file read by `ppbench report`.
#
# munged, slurmctld and slurmd are started here, from Debian's munge and
# slurm-wlm packages (installed when missing), with every file they write
# under one temporary directory, on free ports, and stopped on exit. The
# node is not really the instance types it advertises, so the fleet runs
# with -no-type-check, the stated override of the job's type check.
#
# Usage: bench/fleet/testdata/slurm-test.sh   (from the repository root,
# as root; `make test-slurm` runs it). Exit 0 also when Slurm cannot be
# installed here, after saying so: the test is then skipped, not passed.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo=$PWD
go=${GO:-go}

skip() { echo "test-slurm: SKIPPED: $*" >&2; exit 0; }
fail() { echo "test-slurm: FAIL: $*" >&2; exit 1; }

# Install what is missing.
need=""
for c in slurmctld:slurm-wlm slurmd:slurm-wlm sbatch:slurm-wlm munged:munge; do
  command -v "${c%%:*}" >/dev/null || PATH=$PATH:/usr/sbin command -v "${c%%:*}" >/dev/null || need="$need ${c#*:}"
done
export PATH=$PATH:/usr/sbin
if [ -n "$need" ]; then
  need=$(echo $need | tr ' ' '\n' | sort -u | tr '\n' ' ')
  [ "$(id -u)" = 0 ] || skip "needs$need and is not root to install them"
  command -v apt-get >/dev/null || skip "needs$need and there is no apt-get"
  echo "test-slurm: installing $need" >&2
  apt-get update -qq || skip "apt-get update failed; cannot install $need"
  for p in $need; do
    cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [ -n "$cand" ] && [ "$cand" != "(none)" ] || skip "no installation candidate for $p (apt-cache policy $p)"
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null || skip "apt-get install $need failed"
fi
[ "$(id -u)" = 0 ] || skip "slurmd must run as root to start jobs"

dir=$(mktemp -d /tmp/ppbench-slurm.XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
  status=$?
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$status" != 0 ]; then
    for f in "$dir"/log/* "$dir"/work/results/*.log; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
    done
  fi
  [ -n "${KEEP:-}" ] && echo "test-slurm: kept $dir" >&2 || rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$dir"/{munge,munge-key,state,spool,log,run,bin,work}

# A port nothing listens on (by /proc/net/tcp{,6}), different from $1.
free_port() {
  local p h
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    [ "$p" = "${1:-}" ] && continue
    h=$(printf ':%04X$' "$p")
    awk '{print $2}' /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -qi "$h" || { echo "$p"; return; }
  done
  fail "no free port found"
}
ctldport=$(free_port)
slurmdport=$(free_port "$ctldport")
host=$(hostname -s)

# The instance types must have this machine's architecture, so that the
# fleet picks the binary that runs here (arm64 for Graviton, amd64 else).
case $(uname -m) in
  aarch64|arm64) arch=arm64 types=c7g.xlarge,c8g.xlarge ;;
  *)             arch=amd64 types=c7i.xlarge,c7a.xlarge ;;
esac
"$go" build -trimpath -o "$dir/bin/ppbench-linux-$arch" ./cmd/ppbench
ppbench=$dir/bin/ppbench-linux-$arch

# munged, as root (--force), on its own socket and key.
key=$dir/munge-key/munge.key
mungekey -c -f -k "$key" 2>/dev/null || dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
chmod 700 "$dir/munge-key"; chmod 400 "$key"; chmod 755 "$dir/munge"
munged --force -F --key-file="$key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
  --seed-file="$dir/munge-key/munged.seed" 2>"$dir/log/munged.stderr" &
pids+=($!)
for _ in $(seq 1 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$dir/munge/munge.socket" ] || fail "munged did not start"

# slurm.conf: the node as slurmd -C sees it (CPUs, sockets, RealMemory),
# with both types as features.
node=$(slurmd -C | head -n 1)
case $node in NodeName=*) ;; *) fail "slurmd -C printed no node line: $node" ;; esac
node="NodeName=$host ${node#NodeName=* }"
sed -e "s|@DIR@|$dir|g" -e "s|@HOST@|$host|g" -e "s|@CTLDPORT@|$ctldport|g" \
  -e "s|@SLURMDPORT@|$slurmdport|g" -e "s|@NODE@|$node|g" -e "s|@FEATURES@|$types|g" \
  bench/fleet/testdata/slurm.conf.in > "$dir/slurm.conf"
export SLURM_CONF=$dir/slurm.conf

mkdir -p "$dir/spool/slurmd-$host"
slurmctld -D -i -f "$SLURM_CONF" 2>"$dir/log/slurmctld.stderr" &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" 2>"$dir/log/slurmd.stderr" &
pids+=($!)
state=""
for _ in $(seq 1 60); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || fail "node $host not idle after 60s (state '$state')"
echo "test-slurm: cluster up: node $host ($node) features $types, slurmctld port $ctldport, slurmd port $slurmdport" >&2

# The fleet: two types x two launches.
cd "$dir/work"
set -x
jobs=$("$ppbench" fleet -engine slurm -types "$types" -launches 2 \
  -binary "$dir/bin/ppbench-linux-{arch}" -no-type-check -submit \
  -short -count 1 -bench FMAPeak)
"$ppbench" fleet wait -timeout 5m $jobs
set +x
ls -l results
n=$(ls results/*.txt | wc -l)
[ "$n" = 4 ] || fail "want 4 results files, have $n"
for t in ${types//,/ }; do
  m=$(ls results/"$t"-*_*.txt | wc -l)
  [ "$m" = 2 ] || fail "want 2 results files for $t, have $m"
  for f in results/"$t"-*_*.txt; do
    grep -q "^instance: $t\$" "$f" || fail "$f is not labelled instance: $t"
    grep -q '^instance-check: off$' "$f" || fail "$f does not record the override of the type check"
    grep -q '^BenchmarkFMAPeak/' "$f" || fail "$f has no FMAPeak result"
  done
done
set -x
"$ppbench" report -o REPORT.md results/*.txt
set +x
head -n 40 REPORT.md
# The report's method section names every file it pooled, per type.
for f in results/*.txt; do
  grep -qF "$f" REPORT.md || fail "REPORT.md does not name $f: the report did not read it"
done
for t in ${types//,/ }; do
  grep -q "^- $t: 2 launches" REPORT.md || fail "REPORT.md does not pool 2 launches of $t"
done

type1=${types%%,*}
other=c7i.2xlarge; [ "$arch" = arm64 ] && other=c7g.2xlarge

# By partition instead of feature: one launch, into its own directory.
set -x
jobs=$("$ppbench" fleet -types "$type1" -launches 1 -partition fleet -results by-partition \
  -binary "$dir/bin/ppbench-linux-{arch}" -no-type-check -submit -bench 'FMAPeak/threads=1$' -count 1 -benchtime 10x)
"$ppbench" fleet wait -timeout 2m -results by-partition $jobs
set +x
ls by-partition/"$type1"-*_1.txt >/dev/null || fail "no results file from the fleet by partition"

# Without the override the type check refuses (this host is not $type1),
# the task fails, and wait names it on one line, exit status 1.
set -x
jobs=$("$ppbench" fleet -types "$type1" -launches 1 -results refused \
  -binary "$dir/bin/ppbench-linux-{arch}" -submit -bench 'FMAPeak/threads=1$' -count 1 -benchtime 10x)
set +x
if "$ppbench" fleet wait -timeout 2m -results refused $jobs 2> refused.err; then
  cat refused.err >&2; fail "fleet wait succeeded on a task the type check should have refused"
fi
cat refused.err >&2
grep -q "^ppbench fleet wait: $type1 task 1 (job ${jobs}_1): FAILED" refused.err || fail "fleet wait did not name the refused task"
cat refused/*.log >&2
grep -q "refusing to label results $type1" refused/*.log || fail "the task's log does not say why it refused"
! ls refused/*.txt 2>/dev/null || fail "the refused task left a results file"

# A type no node has: sbatch refuses it at once, and the error names the
# type and its tasks.
if "$ppbench" fleet -types "$other" -launches 2 -results none -binary "$dir/bin/ppbench-linux-{arch}" -submit 2> none.err; then
  fail "sbatch took a type no node has"
fi
cat none.err >&2
grep -q "^ppbench fleet: $other task 1-2: not submitted: sbatch: " none.err || fail "no one-line error naming $other and its tasks"

# A node that never comes up: with the only node drained the task stays
# pending, and wait names it at its -timeout.
scontrol update NodeName="$host" State=DRAIN Reason=ppbench-test
jobs=$("$ppbench" fleet -types "$type1" -launches 1 -results drained \
  -binary "$dir/bin/ppbench-linux-{arch}" -no-type-check -submit -bench 'FMAPeak/threads=1$' -count 1 -benchtime 10x)
if "$ppbench" fleet wait -timeout 5s -interval 1s -results drained $jobs 2> drained.err; then
  cat drained.err >&2; fail "fleet wait succeeded with the only node drained"
fi
cat drained.err >&2
grep -q "^ppbench fleet wait: $type1 task 1 (job ${jobs}_1): still PENDING after 5s" drained.err || fail "fleet wait did not name the task left pending"
scancel "$jobs"

echo "test-slurm: PASS: $n results files from $types x 2 launches, all read by ppbench report; by partition; refused by the type check; a type no node has; a node that never comes up" >&2
