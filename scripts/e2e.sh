#!/usr/bin/env bash
# End-to-end browser tests (e2e/*.test.mjs): the staff UI, the public
# services, records, mail and the news portal.
#
# Installs what it needs when missing (Debian's chromium through apt, the
# e2e/ npm packages through `npm ci`), builds egov unless EGOV_BIN is given,
# and runs the test with Node's built-in runner. Exits non-zero on failure.
#
# Environment:
#   EGOV_BIN         egov binary to test (default: build and use target/debug/egov)
#   CHROMIUM_BIN     browser (default: /usr/bin/chromium)
#   E2E_SCREENSHOTS  folder for the screenshots (default: a new temp folder)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "e2e: node and npm are needed (Node 20 or later)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "e2e: Node 20 or later is needed, found $(node --version)" >&2
  exit 1
fi

chromium_bin="${CHROMIUM_BIN:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  echo "e2e: installing chromium (Debian package)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
fi

if [ ! -f e2e/node_modules/playwright-core/package.json ]; then
  echo "e2e: npm ci"
  (cd e2e && npm ci --no-audit --no-fund)
fi

if [ -n "${EGOV_BIN:-}" ]; then
  export EGOV_BIN="$(realpath "$EGOV_BIN")"
else
  echo "e2e: cargo build -p egov"
  cargo build -q -p egov
  export EGOV_BIN="$root/target/debug/egov"
fi

cd e2e
# Each test file bounds itself (about 60 s) and they run one after the
# other on two cores; this is only the last resort.
exec timeout --kill-after=10 360 node --test
