#!/usr/bin/env bash
# Checks the crate boundaries that DESIGN.md and ARCHITECTURE.md promise:
# - vn, domain and edxml depend, even indirectly, on no database, HTTP,
#   async or I/O crate (`cargo tree`, the way LemmyNet/lemmy's CI does); render
#   (which reads only font files), textract (bytes in, text out), pki
#   (which loads only a PKCS #11 module) and pdf (bytes in, bytes out) on no
#   database, HTTP or async crate either;
# - among the workspace crates, only store names a database crate, and only
#   web (and the test kit) names an HTTP server crate.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
forbidden='^(sea-orm|sea-query|sqlx|sqlx-core|libsqlite3-sys|tokio|mio|async-std|futures|hyper|axum|reqwest|object_store|rusqlite|postgres)$'
for crate in vn domain edxml render textract pki pdf; do
  found=$(cargo tree -p "$crate" -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u | grep -E "$forbidden" || true)
  if [ -n "$found" ]; then
    echo "LỖI: $crate phụ thuộc vào: $(echo $found)"
    fail=1
  fi
done
cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
allowed = {
    "sea-orm": {"store"}, "sqlx": {"store"},
    "axum": {"web", "testkit"}, "tower-http": {"web"}, "askama": {"web"},
    "utoipa": {"web"}, "utoipa-axum": {"web"},
}
bad = 0
for package in json.load(sys.stdin)["packages"]:
    for dep in package["dependencies"]:
        if dep["kind"] is None and dep["name"] in allowed and package["name"] not in allowed[dep["name"]]:
            user, name = package["name"], dep["name"]
            print(f"LỖI: {user} phụ thuộc trực tiếp vào {name} (chỉ cho phép: {sorted(allowed[name])})")
            bad = 1
sys.exit(bad)
' || fail=1
[ $fail -eq 0 ] && echo "Kiến trúc: các crate giữ đúng ranh giới."
exit $fail
