#!/usr/bin/env bash
# Checks that each code block README.md marks with `<!-- example: PATH -->` (the line right above its
# opening fence) holds exactly the text of the file PATH, so the README's examples are code that builds.
# With --update, rewrites those blocks from the files instead.
set -euo pipefail
cd "$(dirname "$0")/.."

readme=README.md
update=false
case "${1:-}" in
    --update) update=true ;;
    "") ;;
    *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

# The marked paths, in order.
mapfile -t paths < <(sed -n 's/^<!-- example: \(.*[^ ]\) *-->$/\1/p' "$readme")
if [ "${#paths[@]}" -eq 0 ]; then
    echo "check-readme-example: $readme has no '<!-- example: PATH -->' marker" >&2
    exit 1
fi

# Prints the lines between the opening fence right after the marker for $1 and its closing fence; exits
# 3 when the marker is not followed by a fence, 4 when the block is never closed.
extract() {
    awk -v marker="<!-- example: $1 -->" '
        state == 0 && $0 == marker { state = 1; next }
        state == 1 { if ($0 !~ /^```/) exit 3; state = 2; next }
        state == 2 && $0 == "```" { state = 3; exit }
        state == 2 { print }
        END { if (state == 1) exit 3; if (state == 2) exit 4 }
    ' "$readme"
}

block=$(mktemp)
trap 'rm -f "$block"' EXIT
failed=0
for path in "${paths[@]}"; do
    if [ ! -f "$path" ]; then
        echo "check-readme-example: $readme marks an example from $path, which does not exist" >&2
        failed=1
        continue
    fi
    status=0
    extract "$path" >"$block" || status=$?
    case $status in
        0) ;;
        3) echo "check-readme-example: in $readme, the marker for $path is not followed by a \`\`\` fence" >&2; failed=1; continue ;;
        4) echo "check-readme-example: in $readme, the code block after the marker for $path is never closed" >&2; failed=1; continue ;;
        *) echo "check-readme-example: reading $readme failed (awk exit $status)" >&2; exit 1 ;;
    esac
    if $update; then
        # Replace the block's lines with the file's.
        tmp=$(mktemp)
        awk -v marker="<!-- example: $path -->" -v source="$path" '
            state == 0 && $0 == marker { print; state = 1; next }
            state == 1 { print; while ((getline line < source) > 0) print line; state = 2; next }
            state == 2 && $0 == "```" { print; state = 3; next }
            state == 2 { next }
            { print }
        ' "$readme" >"$tmp"
        cat "$tmp" >"$readme"
        rm -f "$tmp"
        echo "check-readme-example: updated the block for $path in $readme"
    elif ! diff_output=$(diff -u --label "$readme (block after the marker)" --label "$path" "$block" "$path"); then
        echo "check-readme-example: the code block in $readme differs from $path:" >&2
        echo "$diff_output" >&2
        echo "check-readme-example: copy $path into the block (scripts/check-readme-example.sh --update does)" >&2
        failed=1
    fi
done
if [ "$failed" -ne 0 ]; then exit 1; fi
if ! $update; then echo "check-readme-example: ${#paths[@]} README example(s) match their files"; fi
