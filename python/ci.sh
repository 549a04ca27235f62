#!/usr/bin/env bash
# Builds the textmend wheel (maturin, abi3) and runs the Python tests, Ray Data included.
#
#   bash python/ci.sh            # from anywhere; needs python3 (>= 3.10 for Ray), cargo, PyPI
#
# TEXTMEND_VENV=DIR picks the virtual environment (default python/.venv, created if missing and
# reused after). Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="${TEXTMEND_VENV:-$here/.venv}"
wheels="$root/target/wheels-ci"
start=$SECONDS

if [ ! -x "$venv/bin/python" ]; then
    echo "python/ci.sh: creating $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-ci.txt"
echo "python/ci.sh: tools ready ($((SECONDS - start)) s)"

# The `wheel` profile (top-level Cargo.toml) is release without LTO: a much shorter build.
rm -rf "$wheels"
"$venv/bin/maturin" build --profile wheel --manifest-path "$here/Cargo.toml" \
    --interpreter "$py" --out "$wheels"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/textmend-*.whl
echo "python/ci.sh: wheel built and installed ($((SECONDS - start)) s)"

# Run from the tests folder so `import textmend` finds the installed wheel, not the source folder.
cd "$here/tests"
"$venv/bin/pytest" -p no:cacheprovider -v --timeout=600 .
echo "python/ci.sh: done ($((SECONDS - start)) s)"
