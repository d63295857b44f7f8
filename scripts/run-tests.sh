#!/usr/bin/env bash
# Install the test dependencies (and Debian's chromium for the browser test, when root) and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: chromium could not be installed; the browser check of the view will be skipped"
fi
python3 -m pip install -q -e '.[test]'
set +e
python3 -m pytest -q "$@"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure of the suite, not a pass
if [ "$status" -eq 5 ]; then echo "no tests were collected"; exit 1; fi
exit "$status"
