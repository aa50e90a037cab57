#!/usr/bin/env bash
# Browser tests (Datasette pages, the Dagster UI) drive Debian's headless Chromium. Install it when it is
# missing and we may (root with apt); otherwise say so — the browser tests then skip with that reason.
set -u
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans devanagari"; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped"
else
  echo "note: chromium not found and cannot be installed here; browser tests will be skipped"
fi
exit 0
