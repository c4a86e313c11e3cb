#!/usr/bin/env bash
# `make fuzz`: libFuzzer over Herald's parsers and escapers (Sources/HeraldFuzzTargets), one target
# after another, each for FUZZ_SECONDS (default 600). FUZZ_TARGETS picks some (default: all).
#
# Each target starts from its kept corpus (Tests/Fuzz/corpus/<target>) and the hand-written seeds
# (Tests/Fuzz/seeds/<target>) and the inputs that once broke it (Tests/Fuzz/regressions/<target>,
# kept by hand after the fix: a new crash input belongs there), with a dictionary where one helps (Tests/Fuzz/<target>.dict). After
# the run the corpus is merged down to the inputs that reach new code and written back, so that
# committing it keeps what the fuzzer learned; `make test` replays it (FuzzCorpusTests). An input
# that breaks a property stops the run: it is kept in .build/fuzz/ and the script fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$HERALD_ROOT"

SECONDS_EACH=${FUZZ_SECONDS:-600}
FUZZ=Tests/Fuzz
read -r -a TARGETS <<<"${FUZZ_TARGETS:-fastcgi-params urlencoded multipart cookies csv ical html}"
# The toolchain's clang runtime: /opt/swift/usr/bin/swiftc → /opt/swift/usr/lib/clang/<version>/lib/linux.
TOOLCHAIN=$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")
LIBFUZZER=$(ls "$TOOLCHAIN"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | sort -V | tail -n 1)
[ -n "$LIBFUZZER" ] || die "the toolchain has no libFuzzer (libclang_rt.fuzzer_no_main) under $TOOLCHAIN/lib/clang"

# Coverage and AddressSanitizer on every Swift module; libFuzzer's driver without its `main`
# (herald-fuzz's own main starts it: Tests/Fuzz/Sources/herald-fuzz/Fuzz.swift).
log "building the fuzzing binary (coverage + AddressSanitizer, release)"
swift build --package-path "$FUZZ" -c release \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
    -Xswiftc -parse-as-library -Xlinker "$LIBFUZZER" -Xlinker -lstdc++
BIN=$(swift build --package-path "$FUZZ" -c release --show-bin-path)/herald-fuzz

OUT=$HERALD_ROOT/.build/fuzz
mkdir -p "$OUT"
summary=()
failed=0
for target in "${TARGETS[@]}"; do
    corpus=$FUZZ/corpus/$target
    work=$OUT/$target-corpus
    mkdir -p "$corpus" "$work"
    dict=()
    [ -f "$FUZZ/$target.dict" ] && dict=(-dict="$FUZZ/$target.dict")
    log "fuzzing $target for ${SECONDS_EACH}s (corpus: $(ls "$corpus" | wc -l) inputs)"
    status=0
    # The Swift runtime's own crash handler fights AddressSanitizer's: leave crashes to libFuzzer.
    seeds=("$FUZZ/seeds/$target")
    [ -d "$FUZZ/regressions/$target" ] && seeds+=("$FUZZ/regressions/$target")
    SWIFT_BACKTRACE=enable=no HERALD_FUZZ_TARGET=$target "$BIN" "$work" "$corpus" "${seeds[@]}" "${dict[@]}" \
        -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$OUT/$target-" >"$OUT/$target.log" 2>&1 || status=$?
    runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$OUT/$target.log")
    speed=$(awk '/stat::average_exec_per_sec/ { print $2 }' "$OUT/$target.log")
    coverage=$(grep -o 'cov: [0-9]*' "$OUT/$target.log" | tail -n 1 | awk '{ print $2 }')
    if [ $status -ne 0 ]; then
        failed=1
        grep -E 'Fatal error|ERROR:|Test unit written' "$OUT/$target.log" >&2 || tail -n 20 "$OUT/$target.log" >&2
        summary+=("$target: FAILED after ${runs:-?} runs (log: $OUT/$target.log)")
        continue
    fi
    # Keep only the inputs that reach new code: merge everything into a fresh folder and replace the corpus.
    rm -rf "$OUT/$target-merged"
    mkdir -p "$OUT/$target-merged"
    SWIFT_BACKTRACE=enable=no HERALD_FUZZ_TARGET=$target "$BIN" -merge=1 -max_len=4096 "$OUT/$target-merged" "$corpus" "$work" \
        >"$OUT/$target-merge.log" 2>&1
    rm -rf "$corpus"
    mv "$OUT/$target-merged" "$corpus"
    summary+=("$target: ${SECONDS_EACH}s, ${runs:-?} runs (${speed:-?}/s), coverage ${coverage:-?} edges, 0 crashes, corpus $(ls "$corpus" | wc -l) inputs")
done
log "fuzzing summary"
printf '  %s\n' "${summary[@]}"
[ $failed -eq 0 ] || die "a fuzz target found an input that breaks it (see above; the input is in $OUT)"
