#!/usr/bin/env bash
# Installs Debian's chromium for make browser-test, when it is not on PATH and CHROMIUM does
# not name another Chromium. apt-get needs root: run as root (as CI does) or with
# passwordless sudo; otherwise this says so and fails, and the browser test is not run.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null; then
	exit 0
fi
if ! command -v apt-get >/dev/null; then
	echo "browser-test needs Debian's chromium, and this machine has no apt-get: install Chromium and set CHROMIUM to its binary" >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo="sudo -n"
	else
		echo "browser-test needs Debian's chromium: run 'apt-get install chromium' as root (or give passwordless sudo), or set CHROMIUM to a Chromium binary" >&2
		exit 1
	fi
fi
echo "browser-test: installing Debian's chromium (apt-get install chromium)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
chromium --version
