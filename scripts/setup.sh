#!/usr/bin/env bash
# Installs what egov needs on a Debian machine (run as root, or with sudo).
#
#   scripts/setup.sh          what building and running egov needs
#   scripts/setup.sh --test   also what the test suite needs: PostgreSQL,
#                             Chromium and Node.js for the browser test,
#                             Python for schemathesis, a second Vietnamese
#                             serif (Tinos), poppler and LibreOffice for
#                             the render crate's tests, SoftHSM for the
#                             pki and pdf crates' PKCS #11 tests, NSS's
#                             certutil (pdfsig trusts a CA only through an
#                             NSS database), pyHanko, in target/pyhanko,
#                             for the pdf crate's interoperability tests,
#                             feedparser, in target/feedparser, which reads
#                             the portal's Atom feed in the domain tests,
#                             and Dovecot and Postfix, which the mail tests
#                             start on loopback ports (scripts/mail-server.sh)
#
# Rust itself comes from rustup (https://rustup.rs); egov needs 1.94 or newer.
set -euo pipefail
want_tests=false
[ "${1:-}" = "--test" ] && want_tests=true

# Fonts: documents are rendered (crates/render) with a Times New Roman
# metric-compatible serif and a Khmer font found at run time. OpenSSL:
# `egov bench pki` measures the machine's signing rate with it (and the
# pki tests judge the CA with it).
packages=(ca-certificates curl build-essential pkg-config openssl fonts-liberation2 fonts-khmeros)
if $want_tests; then
  packages+=(postgresql python3 python3-venv nodejs npm chromium fonts-croscore
    poppler-utils libreoffice-writer-nogui softhsm2 libnss3-tools
    dovecot-imapd dovecot-lmtpd postfix)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Machines that ship their own Node.js or Python (not from Debian) keep them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
if command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}"); missing=("${missing[@]/python3}")
fi
if command -v psql >/dev/null && command -v pg_ctlcluster >/dev/null; then
  missing=("${missing[@]/postgresql}")
fi
to_install=()
for p in "${missing[@]}"; do [ -n "$p" ] && to_install+=("$p"); done

if [ ${#to_install[@]} -gt 0 ]; then
  echo "Cài đặt gói hệ thống: ${to_install[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${to_install[@]}"
fi
# pyHanko (PyPI), the PDF signature validator and signer the pdf crate's
# tests hold egov to, in a virtual environment of its own under target/.
if $want_tests; then
  venv="$(cd "$(dirname "$0")/.." && pwd)/target/pyhanko"
  if [ ! -x "$venv/bin/pyhanko" ]; then
    echo "Cài pyHanko vào $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'pyhanko>=0.38,<0.39' 'pyhanko-cli>=0.6,<0.7'
  fi
  # feedparser (PyPI), the feed reader the portal's Atom feed is held to.
  venv="$(cd "$(dirname "$0")/.." && pwd)/target/feedparser"
  if ! "$venv/bin/python" -c 'import feedparser' 2>/dev/null; then
    echo "Cài feedparser vào $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'feedparser==6.0.14'
  fi
fi
command -v cargo >/dev/null || { echo "Thiếu Rust: cài rustup (https://rustup.rs) rồi chạy lại." >&2; exit 1; }
echo "Đã đủ gói hệ thống."
