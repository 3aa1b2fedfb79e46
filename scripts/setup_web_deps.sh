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

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup_web_deps: missing ${missing[*]}, and no apt-get here." >&2
    echo "  Install PostgreSQL (server) and Chromium, then re-run; the tests that need them skip meanwhile." >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo"
    else
        echo "setup_web_deps: missing ${missing[*]} and not running as root." >&2
        echo "  Run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

echo "setup_web_deps: installing ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    # The package lists may be missing or stale on a fresh machine: refresh once and retry.
    $SUDO apt-get update -qq
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

if have_postgres && have_chromium; then
    echo "setup_web_deps: installed ${missing[*]}"
else
    echo "setup_web_deps: installed ${missing[*]}, but initdb or /usr/bin/chromium is still missing." >&2
    exit 1
fi
