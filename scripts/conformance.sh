#!/usr/bin/env bash
# npm run conformance: build Hops and run CZ.NIC's Deckard resolver scenarios
# against it: group "core" (the 51 non-DNSSEC iterator scenarios, QNAME
# minimisation on and off: 94 tests) and group "dnssec" (129 validation
# scenarios: 169 tests), judged on the answers only (lenient) and also on
# every upstream query (strict, Deckard's default). Prints the per-topic
# tables and writes them to bench/results/conformance.md.
#
# Needs root, user+network namespaces (each test runs in its own; nothing
# leaves the host) and the Deckard harness kit (run.sh, the pinned Deckard
# source and its local patch), found in HOPS_DECKARD_KIT or, by default, in
# ../shared/conformance/deckard beside the checkout. DECKARD_HOME names the
# Deckard work tree (default /tmp/deckard): when it holds no Deckard and the
# kit has no bundled source, the pinned commit is cloned from GitHub.
#
#   CONFORMANCE_MODES="lenient strict"   which runs (default both)
#   CONFORMANCE_GROUPS="core dnssec"     which scenario groups (default both)
#   CONFORMANCE_JOBS=2                   parallel tests
# Takes about 3 minutes per mode and group on 2 cores.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
KIT="${HOPS_DECKARD_KIT:-$REPO/../shared/conformance/deckard}"
PINNED=e51f539
MODES="${CONFORMANCE_MODES:-lenient strict}"
GROUPS_TO_RUN="${CONFORMANCE_GROUPS:-core dnssec}"
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
  echo "groups: $GROUPS_TO_RUN (\`core\`: 51 non-DNSSEC iterator scenarios, \`dnssec\`: 129 validation"
  echo "scenarios; each with QNAME minimisation on and off where the scenario does not pin it: 94 and 169"
  echo "tests). Lenient judges only the answers given to the client; strict also fails a test when Hops"
  echo "sends an upstream query the scenario does not script."
} > "$work/report.md"

status=0
for group in $GROUPS_TO_RUN; do
for mode in $MODES; do
  flag=""; [ "$mode" = lenient ] && flag="--lenient"
  started=$(date +%s)
  out="$work/$group-$mode.txt"
  "$KIT/run.sh" -c "$REPO/conformance/deckard/hops.yaml" -g "$group" -j "$JOBS" $flag --list \
    --junit "/tmp/deckard-results/hops-$group-$mode-$(date +%Y%m%d-%H%M%S).xml" > "$out" 2>&1 || status=1
  took=$(( $(date +%s) - started ))
  cat "$out"
  {
    echo
    echo "## $group, $mode ($(tail -1 "$out" | cut -d'(' -f1); ${took} s)"
    echo
    echo '```'
    grep -E '^(ALL|core|dnssec)' "$out" || true
    echo
    grep -E '^  failed' "$out" | cut -c1-160 || true
    echo '```'
  } >> "$work/report.md"
done
done
mkdir -p "$(dirname "$OUT")"
cp "$work/report.md" "$OUT"
echo "conformance: wrote $OUT" >&2
# A failing scenario is reported, not an error of this command.
exit 0
