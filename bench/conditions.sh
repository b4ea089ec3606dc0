#!/usr/bin/env bash
# Prints the conditions a benchmark ran under, so that its figures can be read (and retaken) in context: when, which
# commit, the CPU, the cores this process may use, the load, the memory, and the versions of .NET, Open MPI and
# oneDNN.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "date:         $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit:       $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
echo "cpu:          $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc --all) cores, $(lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s) per core"
allowed="$(sed -n 's/^Cpus_allowed_list:\s*//p' /proc/self/status)"
echo "cores usable: $allowed (this process's CPU affinity)"
# nproc also obeys OMP_NUM_THREADS, which the multi-rank scripts set for their ranks: count the affinity alone.
usable="$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)"
if [ "$usable" -lt "$(nproc --all)" ]; then
  echo "WARNING:      only $usable of $(nproc --all) cores may be used by this run (something pinned it): its figures do not describe the machine."
fi
echo "isa:          $(grep -o -w -m1 -E 'avx512f|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
echo "memory:       $(free -g | awk '/^Mem:/ {print $2 " GiB, " $7 " GiB available"}')"
echo "nice:         $(nice)"
echo ".NET:         $(dotnet --version 2>/dev/null || echo missing)"
echo "Open MPI:     $(mpirun --version 2>/dev/null | head -1 || echo missing)"
echo "oneDNN:       $(dpkg-query -W -f='${Version}' libdnnl2 2>/dev/null || echo missing)"
echo "environment:  OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset} OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset} DOTNET_PROCESSOR_COUNT=${DOTNET_PROCESSOR_COUNT:-unset}"
echo
