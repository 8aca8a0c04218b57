#!/usr/bin/env bash
# Set annotator up on Debian or Ubuntu: the system packages Qt and the fonts need, a
# virtual environment in .venv, and the project installed into it (editable).
#
#   scripts/setup.sh         then  .venv/bin/annotator demo
#   scripts/setup.sh test    then  .venv/bin/pytest        (also installs the test tools
#                                                           and the hub's driver)
#
# Safe to run again: packages already installed are not asked for (dpkg -s), an existing
# .venv is reused. Uses sudo for apt-get when not run as root. On another system, install
# the equivalents of the packages below yourself and run with ANNOTATOR_SKIP_APT=1.
set -euo pipefail

PACKAGES=(
    python3 python3-venv
    # what PySide6 loads, and a Chinese and a Latin font (without a CJK font Chinese shows as boxes)
    libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3
    fonts-wqy-microhei fonts-dejavu-core
    # Qt's X11 platform plugin (a desktop, or xvfb-run); without them: "Could not load the
    # Qt platform plugin xcb"
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0
)

die() {
    echo "setup.sh: $*" >&2
    exit 1
}

case "${1:-}" in
    "") target="." ;;
    # the tests cover the team's hub too (its PostgreSQL driver is the [team] extra)
    test) target=".[test,team]" ;;
    -h | --help)
        sed -n 's/^# \{0,1\}//; 2,11p' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$1' (use no argument, or 'test' to install the test tools too)" ;;
esac
[ $# -le 1 ] || die "one argument at most (use no argument, or 'test')"

cd "$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)"  # the repository: where pyproject.toml is
[ -f pyproject.toml ] || die "pyproject.toml not found in $(pwd)"

installed() {
    # dpkg -s also answers for a package removed with its configuration left behind
    local status
    status=$(dpkg -s "$1" 2>/dev/null) || return 1
    [[ $status == *"Status: install ok installed"* ]]
}

system_packages() {
    if [ "${ANNOTATOR_SKIP_APT:-}" = 1 ]; then
        echo "setup.sh: ANNOTATOR_SKIP_APT=1: not checking system packages"
        return
    fi
    if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
        die "this script sets up Debian and Ubuntu (apt-get and dpkg not found). On another" \
            "system install Python 3 with venv, the OpenGL/EGL, xkbcommon, GLib, fontconfig and" \
            "D-Bus libraries, Qt's xcb libraries and a CJK font (WenQuanYi Micro Hei) yourself," \
            "then run: ANNOTATOR_SKIP_APT=1 scripts/setup.sh ${1:-}"
    fi
    local missing=() pkg
    for pkg in "${PACKAGES[@]}"; do
        installed "$pkg" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "setup.sh: system packages already installed"
        return
    fi
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "not root and sudo not found; as root run: apt-get install -y ${missing[*]}"
        sudo=(sudo)
    fi
    echo "setup.sh: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

system_packages "${1:-}"

command -v python3 >/dev/null 2>&1 || die "python3 not found"
# a .venv from a failed attempt (Debian without python3-venv) has no pip: make it again
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
    echo "setup.sh: creating .venv"
    python3 -m venv .venv || die "python3 -m venv failed (on Debian/Ubuntu: python3-venv)"
fi
echo "setup.sh: installing annotator into .venv (pip install -e '$target')"
.venv/bin/python -m pip install -q "pip>=21.3"  # editable installs from pyproject.toml
.venv/bin/python -m pip install -q -e "$target"

if [ "$target" = . ]; then
    echo "setup.sh: done; run: .venv/bin/annotator demo"
else
    echo "setup.sh: done; run: .venv/bin/pytest"
fi
