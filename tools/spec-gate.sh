#!/usr/bin/env bash
# Breaking-change gate for openapi.yaml (run by `make spec-gate`, part of `make test`).
#
# The contract is compared with a base version:
#   - SPEC_BASE, when set (a git revision);
#   - else the latest tag v*;
#   - else the version before the latest change of openapi.yaml: HEAD's when the working tree
#     changes it, else the parent of the last commit that changed it.
# oasdiff's breaking-change errors fail the gate, unless CHANGELOG.md gains, since the base,
# a line holding "BREAKING" that says what broke and why (the change is then intended).
# OASDIFF names the oasdiff binary (the Makefile builds it from tools/go.mod).
set -euo pipefail
oasdiff=${OASDIFF:?set OASDIFF to the oasdiff binary}
spec=openapi.yaml
cd "$(git rev-parse --show-toplevel)"

base=${SPEC_BASE:-}
if [ -z "$base" ]; then
  base=$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || true)
fi
if [ -z "$base" ]; then
  if ! git diff --quiet HEAD -- "$spec" 2>/dev/null; then
    base=HEAD
  else
    last=$(git log -n 1 --format=%H -- "$spec" 2>/dev/null || true)
    if [ -n "$last" ] && git rev-parse -q --verify "$last^" >/dev/null; then
      base="$last^"
    fi
  fi
fi
if [ -z "$base" ] || ! git cat-file -e "$base:$spec" 2>/dev/null; then
  echo "spec-gate: no earlier version of $spec to compare with; nothing to check"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git show "$base:$spec" > "$tmp/base.yaml"
echo "spec-gate: comparing $spec with $(git rev-parse --short "$base") ($base)"
if "$oasdiff" breaking "$tmp/base.yaml" "$spec" --fail-on ERR > "$tmp/report" 2>&1; then
  cat "$tmp/report"
  echo "spec-gate: no breaking change"
  exit 0
fi
cat "$tmp/report"
# grep reads the whole diff (no -q): with pipefail, grep -q leaving early would make
# git diff die of SIGPIPE and the marked break look unmarked.
if git diff "$base" -- CHANGELOG.md 2>/dev/null | grep -E '^\+.*BREAKING' >/dev/null; then
  echo "spec-gate: breaking change marked as intended in CHANGELOG.md"
  exit 0
fi
echo "spec-gate: FAILED: $spec breaks clients generated from $base."
echo "If the break is intended, add a CHANGELOG.md entry under Unreleased with a line holding"
echo "\"BREAKING\" that says what changed and what clients must do."
exit 1
