#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target in fuzz/ for N seconds each (default 60),
# one after the other, one libFuzzer job at a time.
#
#   scripts/fuzz.sh             # 60 s per target
#   scripts/fuzz.sh 180         # 3 minutes per target
#   scripts/fuzz.sh 30 vn_text  # only some targets
#
# Seeds come from fuzz/seeds/<target>/ (committed, read only); what the
# fuzzer learns goes to fuzz/corpus/<target>/ and crashes to
# fuzz/artifacts/<target>/ (both git-ignored). Exits 1 if any target
# crashed (or failed to run), 2 on a usage or build error.
#
# Environment:
#   FUZZ_SANITIZER        address|none|... (default none: the crates are
#                         safe Rust, and ASan costs ~5x the executions)
#   CARGO_TARGET_DIR      honoured as usual (default fuzz/target)
#
# cargo-fuzz needs nightly features; on the stable toolchain the script sets
# RUSTC_BOOTSTRAP=1. cargo-fuzz is installed with `cargo install` if missing.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [SECONDS] [TARGET...]" >&2
    exit 2
fi
shift || true

sanitizer="${FUZZ_SANITIZER:-none}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

echo "== building ${targets[*]} (sanitizer: $sanitizer)"
if ! cargo fuzz build --sanitizer "$sanitizer"; then
    echo "fuzz build failed" >&2
    exit 2
fi

logs=fuzz/artifacts/logs
mkdir -p "$logs"
failed=()
summary=()
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    seeds="fuzz/seeds/$target"
    [ -d "$seeds" ] || seeds=
    log="$logs/$target.log"
    echo "== $target: ${seconds}s, log in $log"
    status=ok
    extra=()
    case "$target" in
        # citations::find costs ~50 us per byte of text: short inputs keep
        # the executions per second up.
        vn_citations) extra=(-max_len=1024) ;;
    esac
    # Corpus first: new inputs are written to the first directory only.
    if ! cargo fuzz run --sanitizer "$sanitizer" "$target" \
        "fuzz/corpus/$target" ${seeds:+"$seeds"} -- \
        -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
        ${extra[@]+"${extra[@]}"} >"$log" 2>&1; then
        status=CRASH
        failed+=("$target")
        grep -E -A6 "panicked at|ERROR: libFuzzer|SUMMARY" "$log" | head -20 >&2 || true
        grep -E "Test unit written to" "$log" >&2 || true
    fi
    stat() { { grep -E "^stat::$1:" "$log" || true; } | tail -1 | awk '{print $2}'; }
    execs="$(stat number_of_executed_units)"
    rate="$(stat average_exec_per_sec)"
    cov="$({ grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" || true; } | tail -1)"
    line="$(printf '%-18s %-6s execs=%-10s exec/s=%-7s %s' \
        "$target" "$status" "${execs:-?}" "${rate:-?}" "${cov:-}")"
    echo "$line"
    summary+=("$line")
done

echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "crashed: ${failed[*]} (inputs in fuzz/artifacts/<target>/)" >&2
    exit 1
fi
