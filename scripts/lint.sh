#!/usr/bin/env bash
# Checks that every C source and header we own is clang-format clean.
# Generated code (build trees) is not ours and is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -co --exclude-standard '*.c' '*.h' | grep -v '^build')
[ ${#files[@]} -gt 0 ] || { echo "lint: no C files"; exit 0; }
bad=()
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        bad+=("$f")
    fi
done
if [ ${#bad[@]} -gt 0 ]; then
    echo "lint: not clang-format clean (fix with: clang-format -i FILE):"
    printf '  %s\n' "${bad[@]}"
    exit 1
fi
echo "lint: ${#files[@]} files clang-format clean"
