#!/usr/bin/env bash
# Install what the web service's tests need from the system: PostgreSQL server binaries (initdb,
# pg_ctl; the tests start a throwaway cluster in a temporary folder on loopback) and Debian's
# Chromium (driven headless by Playwright; no browser is ever downloaded).
#
# Idempotent: exits at once when both are present.
# Debian/Ubuntu only (apt-get). Needs root for the install; prints what to run otherwise.
# Usage: bash scripts/setup_web_deps.sh
set -euo pipefail

have_postgres() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1
}

have_chromium() {
    [ -x /usr/bin/chromium ]
}

missing=()
have_postgres || missing+=(postgresql)
have_chromium || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup_web_deps: PostgreSQL and Chromium present"
    exit 0
fi

# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"
apt_install setup_web_deps "${missing[@]}"

if have_postgres && have_chromium; then
    echo "setup_web_deps: installed ${missing[*]}"
else
    echo "setup_web_deps: installed ${missing[*]}, but initdb or /usr/bin/chromium is still missing." >&2
    exit 1
fi
