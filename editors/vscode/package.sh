#!/usr/bin/env bash
# Builds editors/vscode/gwlint.vsix from a clean checkout, and with
#   --target TARGET --binary PATH   (e.g. --target linux-x64 --binary target/release/gwlint)
# also the platform-specific gwlint-TARGET.vsix with that gwlint binary inside (bin/), for
# people without any other gwlint: the extension falls back to it (src/find.ts).
# Needs Node.js >= 20 and the npm registry; no GitHub access, no display.
set -euo pipefail
target=""
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --binary) binary="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    *) echo "usage: package.sh [--target TARGET --binary PATH]" >&2; exit 2 ;;
  esac
done
if [ -n "$target" ] && [ ! -x "$binary" ]; then
  echo "error: --target $target needs --binary PATH of an executable gwlint" >&2
  exit 2
fi
cd "$(dirname "${BASH_SOURCE[0]}")"

rm -rf node_modules out bin gwlint.vsix gwlint-*.vsix
npm ci
npm run compile
# the finder's order (setting, Python environment, PATH, bundled): node's test runner
npm test

# Sanity check: the package must contain the compiled entry point and manifest.
check_listing() {
  local vsix="$1"
  shift
  local listing
  listing="$(unzip -l "$vsix")"
  for f in extension/out/extension.js extension/out/find.js extension/package.json \
           extension/node_modules/vscode-languageclient/package.json "$@"; do
    if ! grep -qE "[[:space:]]${f}\$" <<<"$listing"; then
      echo "error: $vsix does not contain ${f}" >&2
      exit 1
    fi
  done
  if grep -qE "[[:space:]]extension/out/find\.test\.js\$" <<<"$listing"; then
    echo "error: $vsix contains the test file" >&2
    exit 1
  fi
  echo "OK: $(pwd)/$vsix ($(stat -c %s "$vsix" 2>/dev/null || wc -c <"$vsix") bytes)"
}

# No --no-dependencies: vsce must copy vscode-languageclient (the runtime
# dependency) from node_modules into the package, since we do not bundle.
# --allow-missing-repository: package.json has no "repository" yet; without the
# flag vsce asks y/N when run from a terminal.
npx vsce package --allow-missing-repository -o gwlint.vsix
check_listing gwlint.vsix

if [ -n "$target" ]; then
  mkdir -p bin
  name=gwlint
  case "$target" in win32-*) name=gwlint.exe ;; esac
  cp "$binary" "bin/$name"
  chmod 755 "bin/$name"
  npx vsce package --allow-missing-repository --target "$target" -o "gwlint-$target.vsix"
  rm -rf bin
  check_listing "gwlint-$target.vsix" "extension/bin/$name"
fi
