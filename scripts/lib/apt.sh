# Shared by scripts/setup_*.sh: install Debian packages with apt-get, as root or through password-less
# sudo, refreshing the package lists once if the first attempt fails (missing or stale lists on a fresh
# machine). Prints what to run and returns 1 where it cannot install.
# Usage (after `source scripts/lib/apt.sh`): apt_install TAG PACKAGE...

apt_install() {
    local tag="$1"
    shift
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$tag: missing $*, and no apt-get here: install them with the system's package manager, then re-run." >&2
        return 1
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            echo "$tag: missing $* and not running as root." >&2
            echo "  Run as root:  apt-get update && apt-get install -y $*" >&2
            return 1
        fi
    fi
    echo "$tag: installing $* ..."
    export DEBIAN_FRONTEND=noninteractive
    if ! $sudo apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; then
        $sudo apt-get update -qq
        $sudo apt-get install -y --no-install-recommends "$@" >/dev/null
    fi
}
