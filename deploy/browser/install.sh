#!/usr/bin/env bash
# The browser the dashboard's browser test drives: Debian's chromium (/usr/bin/chromium).
# Quiet when it is there already; otherwise apt-get installs it, non-interactively, through
# sudo when not run as root. Playwright (from PyPI, in shared[test]) drives it with
# executable_path, so no browser is ever downloaded by Playwright itself.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install.sh: chromium is missing and neither root nor sudo is available" >&2; exit 1; }
  sudo="sudo -n"
fi
echo "install.sh: installing chromium (Debian) for the browser test..." >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
[ -x /usr/bin/chromium ] || { echo "install.sh: /usr/bin/chromium still missing" >&2; exit 1; }
