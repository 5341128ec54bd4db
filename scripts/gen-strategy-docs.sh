#!/bin/sh
# gen-strategy-docs.sh - regenerates the vocabulary table of
# docs/strategy-language.md from the registry (libs/strategy/src/vocabulary.c):
# the output of `stom strategy vocabulary --markdown` replaces whatever is
# between the <!-- vocabulary:begin --> and <!-- vocabulary:end --> lines.
# The CLI test cli_test_strategy fails while the two differ.
#
# Usage: scripts/gen-strategy-docs.sh [STOM_BINARY]
#   STOM_BINARY defaults to $STOM, then build/bin/stom under the repository.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
stom=${1:-${STOM:-$root/build/bin/stom}}
doc=$root/docs/strategy-language.md

if [ ! -x "$stom" ]; then
    echo "gen-strategy-docs: no stom binary at $stom (build first, or pass its path)" >&2
    exit 2
fi

table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT

"$stom" strategy vocabulary --markdown >"$table"
awk -v table="$table" '
    $0 == "<!-- vocabulary:begin -->" {
        print
        while ((getline line < table) > 0)
            print line
        inside = 1
        begins++
        next
    }
    $0 == "<!-- vocabulary:end -->" { inside = 0; ends++ }
    !inside { print }
    END { if (begins != 1 || ends != 1 || inside) exit 3 }
' "$doc" >"$out" || {
    echo "gen-strategy-docs: $doc needs exactly one begin and one end marker" >&2
    exit 3
}
cat "$out" >"$doc"
echo "gen-strategy-docs: updated $doc"
