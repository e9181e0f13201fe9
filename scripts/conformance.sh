#!/usr/bin/env bash
# npm run conformance: build Hops and run CZ.NIC's Deckard iterator scenarios
# (the 51 non-DNSSEC "core" scenarios, QNAME minimisation on and off: 94 tests)
# against it, judged on the answers only (lenient) and also on every upstream
# query (strict, Deckard's default). Prints the per-topic tables and writes
# them to bench/results/conformance.md.
#
# Needs root, user+network namespaces (each test runs in its own; nothing
# leaves the host) and the Deckard harness kit (run.sh, the pinned Deckard
# source and its local patch), found in HOPS_DECKARD_KIT or, by default, in
# ../shared/conformance/deckard beside the checkout. DECKARD_HOME names the
# Deckard work tree (default /tmp/deckard): when it holds no Deckard and the
# kit has no bundled source, the pinned commit is cloned from GitHub.
#
#   CONFORMANCE_MODES="lenient strict"   which runs (default both)
#   CONFORMANCE_JOBS=2                   parallel tests
# Takes about 3 minutes per mode on 2 cores.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
KIT="${HOPS_DECKARD_KIT:-$REPO/../shared/conformance/deckard}"
PINNED=e51f539
MODES="${CONFORMANCE_MODES:-lenient strict}"
JOBS="${CONFORMANCE_JOBS:-2}"
OUT="$REPO/bench/results/conformance.md"

die() { echo "conformance: $*" >&2; exit 2; }
[ -x "$KIT/run.sh" ] || die "no Deckard harness at $KIT (set HOPS_DECKARD_KIT to the folder holding run.sh)"
[ "$(id -u)" = 0 ] || die "run as root: Deckard creates network namespaces"

export DECKARD_HOME="${DECKARD_HOME:-/tmp/deckard}"
if [ ! -f "$DECKARD_HOME/deckard.py" ] && ! ls "$KIT"/deckard-*.tar.gz >/dev/null 2>&1; then
  echo "conformance: cloning Deckard $PINNED into $DECKARD_HOME" >&2
  git clone -q https://github.com/CZ-NIC/deckard.git "$DECKARD_HOME"
  git -C "$DECKARD_HOME" checkout -q "$PINNED"
fi

(cd "$REPO" && npm run --silent build)
export HOPS_BIN="$REPO/dist/main.js"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
  echo "# Deckard conformance"
  echo
  echo "\`npm run conformance\` on $(date -u +%Y-%m-%d), Hops $(git -C "$REPO" rev-parse --short HEAD), Deckard $PINNED,"
  echo "group \`core\` (51 non-DNSSEC iterator scenarios, each with QNAME minimisation on and off where"
  echo "the scenario does not pin it: 94 tests). Lenient judges only the answers given to the client;"
  echo "strict also fails a test when Hops sends an upstream query the scenario does not script."
} > "$work/report.md"

status=0
for mode in $MODES; do
  flag=""; [ "$mode" = lenient ] && flag="--lenient"
  started=$(date +%s)
  "$KIT/run.sh" -c "$REPO/conformance/deckard/hops.yaml" -g core -j "$JOBS" $flag --list \
    --junit "/tmp/deckard-results/hops-$mode-$(date +%Y%m%d-%H%M%S).xml" > "$work/$mode.txt" 2>&1 || status=1
  took=$(( $(date +%s) - started ))
  cat "$work/$mode.txt"
  {
    echo
    echo "## $mode ($(tail -1 "$work/$mode.txt" | cut -d'(' -f1); ${took} s)"
    echo
    echo '```'
    grep -E '^(ALL|core)' "$work/$mode.txt" || true
    echo
    grep -E '^  failed' "$work/$mode.txt" | cut -c1-160 || true
    echo '```'
  } >> "$work/report.md"
done
mkdir -p "$(dirname "$OUT")"
cp "$work/report.md" "$OUT"
echo "conformance: wrote $OUT" >&2
# A failing scenario is reported, not an error of this command.
exit 0
