#!/usr/bin/env bash
# Install the test dependencies and run the tests. Besides the project's own test extra this
# installs, when missing:
#  - Debian's chromium (system-wide, with apt-get, only when run as root) for the browser test of
#    the HTML view; VNREPORT_NO_BROWSER=1 skips both the install and that test;
#  - Label Studio in its own virtual environment, .cache/label-studio-venv (it pins many
#    dependencies, so it stays out of the project's environment), for the round-trip test
#    against a real Label Studio; VNREPORT_LABEL_STUDIO=/path/to/label-studio uses another one.
# In CI (CI=true) the browser, Label Studio and shared-corpus tests fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
LABEL_STUDIO_VERSION="1.23.2"
LABEL_STUDIO_VENV=".cache/label-studio-venv"

if [ "${VNREPORT_NO_BROWSER:-}" = "1" ]; then
  echo "run-tests: VNREPORT_NO_BROWSER=1: no chromium install, the browser test of the HTML view is skipped"
elif command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  echo "run-tests: chromium found: the browser test of the HTML view will use it"
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "run-tests: running as root without chromium: installing Debian's chromium system-wide with apt-get (set VNREPORT_NO_BROWSER=1 to skip it and the browser test)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "run-tests: chromium could not be installed; the browser test will skip (and fail in CI)"
else
  echo "run-tests: no chromium and not root: the browser test of the HTML view will skip (and fail in CI)"
fi

python3 -m pip install -q -e '.[test]'

if [ -z "${VNREPORT_LABEL_STUDIO:-}" ] && [ ! -x "$LABEL_STUDIO_VENV/bin/label-studio" ]; then
  echo "run-tests: installing label-studio==$LABEL_STUDIO_VERSION into $LABEL_STUDIO_VENV (a few minutes, once)"
  rm -rf "$LABEL_STUDIO_VENV"
  (python3 -m venv "$LABEL_STUDIO_VENV" \
    && "$LABEL_STUDIO_VENV/bin/python" -m pip install -q "label-studio==$LABEL_STUDIO_VERSION") \
    || echo "run-tests: label-studio could not be installed; its round-trip test will skip (and fail in CI)"
fi

set +e
python3 -m pytest -q "$@"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure of the suite, not a pass
if [ "$status" -eq 5 ]; then echo "no tests were collected"; exit 1; fi
exit "$status"
