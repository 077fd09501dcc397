#!/usr/bin/env bash
# The X11 libraries Qt's window system plugin needs on Debian/Ubuntu (Qt >= 6.5 also
# needs libxcb-cursor0, which fresh desktops often lack). Installs them when run as
# root with apt-get; otherwise prints the one command that would.
set -euo pipefail
packages=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 libxcb-image0
          libxcb-render-util0 libxcb-randr0 libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1
          libfontconfig1 libdbus-1-3)
command -v dpkg-query >/dev/null && command -v apt-get >/dev/null || exit 0
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
else
    echo "The editor's window needs these system libraries: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
