#!/usr/bin/env bash
# Installs every Debian 12 package stom needs to build and test (Node.js, npm and
# Chromium for the web UI too), and nothing that is already there. Safe to run again. Needs root (or sudo) only when
# something is missing.
set -euo pipefail

packages=(
    cmake build-essential pkg-config clang-format
    libnng-dev nng-utils libprotobuf-c-dev protobuf-c-compiler
    libpq-dev libhiredis-dev libwebsockets-dev libcurl4-openssl-dev libjansson-dev check
    libluajit-5.1-dev libsodium-dev libjwt-dev
    postgresql redis-server
)

# The web UI (web/, built with npm) and its browser tests (Debian's Chromium,
# /usr/bin/chromium). Node.js and npm only when the commands are absent: a newer
# Node from elsewhere (nvm, NodeSource) is left alone and Debian's is not added.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
packages+=(chromium fonts-nanum) # Korean glyphs in the browser tests' screenshots

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
