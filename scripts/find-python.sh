#!/usr/bin/env bash
# Print the path of a Python interpreter of the version asked (e.g. 3.10),
# found as a user's machine has it: on PATH, then in pyenv's versions, then in
# the usual system places. Exit 1 with what to install when there is none.
set -euo pipefail
want="${1:?usage: find-python.sh 3.10}"

works() { "$1" -c "import sys, venv; assert sys.version.startswith('$want.')" >/dev/null 2>&1; }

candidates=("python$want")
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
for dir in $(ls -d "$pyenv_root/versions/$want".* 2>/dev/null | sort -V -r); do
  candidates+=("$dir/bin/python$want")
done
candidates+=("/usr/local/bin/python$want" "/usr/bin/python$want")

for candidate in "${candidates[@]}"; do
  path="$(command -v "$candidate" 2>/dev/null || true)"
  if [ -n "$path" ] && works "$path"; then
    # A pyenv shim may resolve to another version at run time: return the real binary.
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done

cat >&2 <<MSG
Python $want is needed and was not found (looked on PATH and in $pyenv_root/versions).
Install it, for example:
  - with pyenv:   pyenv install $want
  - on Debian/Ubuntu: sudo apt-get install python$want python$want-venv (deadsnakes PPA on Ubuntu)
then run the command again.
MSG
exit 1
