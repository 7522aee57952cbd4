#!/usr/bin/env bash
# Fuzz one parser with SharpFuzz + afl++ for a number of minutes (docs/fuzzing.md).
#   fuzz/run.sh snapshot|events|csv|context|policy MINUTES
# Needs: apt-get install afl++ ; the local tool SharpFuzz.CommandLine (restored from fuzz/dotnet-tools.json).
# Publishes the harness to fuzz/findings/<parser>/bin, instruments the CrmGuardrails assemblies there, runs afl-fuzz
# for MINUTES (-V) with fuzz/corpus/<parser> as the seeds and output in fuzz/findings/<parser>/out (not in git), then
# replaces the q-* files of fuzz/corpus/<parser> with afl's queue minimized by afl-cmin (the smallest 200 at most;
# without afl-cmin, the queue's new files are added instead).
# Crashes stay in fuzz/findings/<parser>/out/default/crashes; reproduce one with the build that is not instrumented:
#   dotnet run --project fuzz/CrmGuardrails.Fuzz -c Release -- <parser> <file>
set -euo pipefail

parser="${1:?usage: fuzz/run.sh snapshot|events|csv|context|policy MINUTES}"
minutes="${2:?usage: fuzz/run.sh snapshot|events|csv|context|policy MINUTES}"
case "$parser" in snapshot|events|csv|context|policy) ;; *) echo "unknown parser: $parser" >&2; exit 2 ;; esac
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 2; }

here="$(cd "$(dirname "$0")" && pwd)"
work="$here/findings/$parser"
bin="$work/bin"
out="$work/out"
corpus="$here/corpus/$parser"
mkdir -p "$work"

# Publish and instrument. Two runs at once share obj/: publish one at a time.
(
  flock 9
  cd "$here"
  dotnet tool restore >/dev/null
  rm -rf "$bin"
  dotnet publish CrmGuardrails.Fuzz/CrmGuardrails.Fuzz.csproj -c Release -o "$bin" --nologo -v quiet
  for dll in CrmGuardrails.dll CrmGuardrails.Dataverse.dll crmguard.dll; do
    dotnet tool run sharpfuzz "$bin/$dll"
  done
) 9>"$here/findings/.publish.lock"

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
rm -rf "$out"
afl-fuzz -i "$corpus" -o "$out" -t 5000 -m none -V $((minutes * 60)) -- dotnet "$bin/CrmGuardrails.Fuzz.dll" "$parser" \
  > "$work/afl.log" 2>&1 || { echo "afl-fuzz failed, see $work/afl.log" >&2; tail -20 "$work/afl.log" >&2; exit 1; }

stats="$out/default/fuzzer_stats"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|unique_crashes|unique_hangs) ' "$stats" || true

# Keep what the queue grew: afl-cmin first (best effort), else the queue as is; named by content, at most 200 new files.
queue="$out/default/queue"
min="$work/cmin"
rm -rf "$min"
if ! timeout 600 afl-cmin -i "$queue" -o "$min" -t 5000 -m none -- "$(command -v dotnet)" "$bin/CrmGuardrails.Fuzz.dll" "$parser" > "$work/cmin.log" 2>&1; then
  echo "afl-cmin did not work (see $work/cmin.log); keeping the queue as is" >&2
  cmin_failed=1
  rm -rf "$min"; mkdir -p "$min"
  find "$queue" -maxdepth 1 -type f -name 'id:*' ! -name '*orig:*' -exec cp {} "$min/" \;
fi
# afl-cmin's set covers everything the queue (which began from the whole corpus) reached: it replaces the q-* files.
if [ -z "${cmin_failed:-}" ]; then rm -f "$corpus"/q-*; fi
declare -A have=()
for f in "$corpus"/*; do have[$(sha1sum < "$f" | cut -c1-16)]=1; done
added=0
for f in $(ls -S -r "$min"); do
  [ "$added" -lt 200 ] || break
  h=$(sha1sum < "$min/$f" | cut -c1-16)
  [ -z "${have[$h]:-}" ] || continue
  have[$h]=1
  cp "$min/$f" "$corpus/q-$h"
  added=$((added + 1))
done
echo "corpus/$parser: $added new files, $(ls "$corpus" | wc -l) in all, $(du -sh "$corpus" | cut -f1)"
echo "crashes: $(find "$out/default/crashes" -type f -name 'id:*' | wc -l), hangs: $(find "$out/default/hangs" -type f -name 'id:*' | wc -l)"
