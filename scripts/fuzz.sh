#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer with AddressSanitizer) of the code that parses what
# clients send. One target per file in Fuzz/, seeds in Fuzz/corpus/TARGET/.
#
#   scripts/fuzz.sh TARGET [SECONDS] [libFuzzer options…]
#   scripts/fuzz.sh all [SECONDS]
#
# TARGET is ClientFrame (WebSocket frame decoder), SearchQuery (query parser, snippets,
# search cursor), Cursor (inbox, resume and search cursors, RFC 3339 times),
# TokenClaims (bearer token header and claims in TokenVerifier, with the real jwt-kit),
# MessageScreening (contact masking, the lexicon's sentiment, the request-for-a-person
# detector: what reads every message's text on the send path), Multipart (the streaming
# multipart/form-data reader of attachment uploads, fed whole and in chunks) or
# ImageCleaner (image uploads: our JPEG/PNG/GIF/WebP parsers and LZW decoder, and the C
# wrappers over libjpeg-turbo, libpng and libwebp; the first byte picks the format).
# SECONDS defaults to 20 (what scripts/test.sh runs); run longer by hand, e.g. 600.
#
# ParleyCore's sources are compiled directly with swiftc, instrumented, so the fuzz build
# does not need the package's dependencies; only TokenClaims links jwt-kit and
# swift-crypto from the debug build (run `swift build` first). Everything goes to
# .build/fuzz/: binaries, the growing corpus (seeds stay untouched), logs, and
# crash-*/timeout-*/oom-* artefacts. Exit status: 0 when no target found anything.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(ClientFrame SearchQuery Cursor TokenClaims MessageScreening Multipart ImageCleaner)
target=${1:-}
seconds=${2:-20}
shift $(($# < 2 ? $# : 2))
if [ -z "$target" ]; then
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
if [ "$target" = all ]; then
    status=0
    for each in "${all_targets[@]}"; do "$0" "$each" "$seconds" "$@" || status=1; done
    exit $status
fi
if [ ! -f "Fuzz/${target}Fuzz.swift" ]; then
    echo "fuzz: no target $target (targets: ${all_targets[*]})" >&2
    exit 2
fi

out=.build/fuzz
mkdir -p "$out/modules" "$out/bin" "$out/corpus/$target" "$out/artifacts" "$out/logs"
# Optimised (the checks for overflow and bounds stay on in -O), with debug info so that
# a crash's stack names our lines.
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)

# ParleyCore, instrumented, rebuilt when any of its sources changed.
core_lib="$out/libParleyCore.a"
core_sources=$(find Sources/ParleyCore -name '*.swift' | sort)
if [ ! -f "$core_lib" ] || [ -n "$(find Sources/ParleyCore -name '*.swift' -newer "$core_lib" | head -1)" ]; then
    echo "fuzz: compiling ParleyCore with libFuzzer instrumentation"
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -module-name ParleyCore -emit-module -emit-module-path "$out/modules/ParleyCore.swiftmodule" \
        -emit-library -static -o "$core_lib" $core_sources >"$out/logs/build-ParleyCore.log" 2>&1 ||
        { cat "$out/logs/build-ParleyCore.log" >&2; exit 1; }
fi

binary="$out/bin/$target"
target_sources=("Fuzz/${target}Fuzz.swift")
extra=()
rebuild_inputs=()
if [ "$target" = TokenClaims ]; then
    # Our TokenVerifier and the types it uses, compiled into the harness; jwt-kit and its dependencies are
    # linked uninstrumented from the debug build (coverage guides through our code only).
    debug=$(swift build --show-bin-path)
    if [ ! -f "$debug/Modules/JWTKit.swiftmodule" ]; then
        echo "fuzz: TokenClaims needs the debug build of jwt-kit; run swift build first" >&2
        exit 2
    fi
    target_sources+=(Sources/ParleyServer/Auth/TokenVerifier.swift Sources/ParleyServer/Auth/VerifiedTokenCache.swift
        Sources/ParleyServer/Auth/TokenPayload.swift Sources/ParleyServer/Auth/ConfigurationError.swift)
    extra+=(-I "$debug/Modules")
    for modulemap in "$debug"/*.build/module.modulemap; do extra+=(-Xcc "-fmodule-map-file=$modulemap"); done
    for include in .build/checkouts/swift-crypto/Sources/*/include; do extra+=(-Xcc -I -Xcc "$include"); done
    for module in JWTKit Crypto CryptoExtras _CryptoExtras CCryptoBoringSSL CCryptoBoringSSLShims CryptoBoringWrapper CXKCP CXKCPShims X509 \
        SwiftASN1 _CertificateInternals Logging ExtrasBase64; do
        [ -d "$debug/$module.build" ] || continue
        while IFS= read -r object; do extra+=("$object"); done < <(find "$debug/$module.build" -name '*.o' | sort)
    done
fi
if [ "$target" = MessageScreening ]; then
    # The masker and the lexicon (ParleyAssist, whose encoder the harness does not need),
    # compiled into the harness with instrumentation.
    while IFS= read -r source; do target_sources+=("$source"); done < <(
        find Sources/ParleyAssist/Masking -name '*.swift' ! -name 'MaskingCorpus.swift' ! -name 'MaskingEvaluation.swift'
        for name in LexiconSentimentScorer LexiconReading LexiconFeature ScoringPass SentimentLexicon SentimentTerm \
            SentimentTokenizer SentimentToken HumanRequestDetector SentimentWordHead SentimentWordHeadWeights SentimentHead \
            EscalationPolicy; do echo "Sources/ParleyAssist/Sentiment/$name.swift"; done
        echo Sources/ParleyAssist/Encoder/SentenceEmbedder.swift
        echo Sources/ParleyAssist/Matching/LanguageGuess.swift
        echo Sources/ParleyAssist/AssistLanguage.swift
    )
fi
if [ "$target" = Multipart ]; then
    # ParleyMedia's multipart reader imports only the standard library, so its files are
    # compiled into the harness, instrumented, without the rest of ParleyMedia.
    while IFS= read -r source; do target_sources+=("$source"); done < <(find Sources/ParleyMedia/Multipart -name '*.swift' | sort)
fi
if [ "$target" = ImageCleaner ]; then
    # ParleyMedia's image code (standard library, Foundation and CParleyImage only) compiled
    # into the harness; CParleyImage's C instrumented the same way, linked against Debian's
    # libjpeg-turbo and libpng (uninstrumented); libwebp is loaded at run time when present.
    while IFS= read -r source; do target_sources+=("$source"); done < <(find Sources/ParleyMedia/Images -name '*.swift' | sort)
    c_object="$out/parley_image.o"
    if [ ! -f "$c_object" ] || [ Sources/CParleyImage/parley_image.c -nt "$c_object" ] ||
        [ Sources/CParleyImage/include/parley_image.h -nt "$c_object" ]; then
        clang -fsanitize=fuzzer-no-link,address -O1 -g -I Sources/CParleyImage/include \
            -c Sources/CParleyImage/parley_image.c -o "$c_object"
    fi
    mkdir -p "$out/modules/CParleyImage"
    printf 'module CParleyImage {\n    header "%s"\n    export *\n}\n' "$PWD/Sources/CParleyImage/include/parley_image.h" \
        >"$out/modules/CParleyImage/module.modulemap"
    extra+=(-Xcc "-fmodule-map-file=$out/modules/CParleyImage/module.modulemap" "$c_object" -ljpeg -lpng -ldl)
    rebuild_inputs+=("$c_object")
fi
if [ ! -f "$binary" ] || [ "$core_lib" -nt "$binary" ] || [ -n "$(find "${target_sources[@]}" "${rebuild_inputs[@]}" -newer "$binary" | head -1)" ]; then
    echo "fuzz: compiling $target"
    # The instrumented ParleyCore module comes first, before the debug build's copy.
    # (The linker's "Cannot export local symbol '__asan_…'" warnings are harmless.)
    swiftc "${flags[@]}" -module-name "${target}Fuzz" -I "$out/modules" "${target_sources[@]}" "$core_lib" "${extra[@]}" \
        -o "$binary" >"$out/logs/build-$target.log" 2>&1 || { grep -v 'Cannot export local symbol' "$out/logs/build-$target.log" >&2; exit 1; }
fi

log="$out/logs/$target.log"
# libFuzzer reports a trap itself (with the Swift runtime's reason and our file:line);
# Swift's own backtracer, reading memory under AddressSanitizer, can hang instead.
export SWIFT_BACKTRACE=enable=no
echo "fuzz: $target for ${seconds}s (log: $log)"
run_status=0
# New inputs go to the first folder only; the seeds in Fuzz/corpus stay as committed.
"$binary" "$out/corpus/$target" "Fuzz/corpus/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/artifacts/$target-" "$@" >"$log" 2>&1 || run_status=$?
summary=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | sed 's/^#\([0-9]*\)[[:space:]]*DONE */\1 runs, /' || true)
if [ $run_status -ne 0 ]; then
    echo "fuzz: $target FAILED (exit $run_status); the end of its log:" >&2
    grep -v '^#[0-9]' "$log" | tail -40 >&2
    ls -1 "$out/artifacts/$target-"* 2>/dev/null | sed 's/^/fuzz: artefact /' >&2 || true
    exit 1
fi
echo "fuzz: $target passed: $summary"
