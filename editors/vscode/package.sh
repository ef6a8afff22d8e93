#!/usr/bin/env bash
# Builds editors/vscode/gwlint.vsix from a clean checkout.
# Needs Node.js >= 20 and the npm registry; no GitHub access, no display.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

rm -rf node_modules out gwlint.vsix
npm ci
npm run compile
# No --no-dependencies: vsce must copy vscode-languageclient (the runtime
# dependency) from node_modules into the package, since we do not bundle.
# --allow-missing-repository: package.json has no "repository" yet; without the
# flag vsce asks y/N when run from a terminal.
npx vsce package --allow-missing-repository -o gwlint.vsix

# Sanity check: the package must contain the compiled entry point and manifest.
listing="$(unzip -l gwlint.vsix)"
for f in extension/out/extension.js extension/package.json \
         extension/node_modules/vscode-languageclient/package.json; do
  if ! grep -qE "[[:space:]]${f}\$" <<<"$listing"; then
    echo "error: gwlint.vsix does not contain ${f}" >&2
    exit 1
  fi
done
echo "OK: $(pwd)/gwlint.vsix ($(stat -c %s gwlint.vsix 2>/dev/null || wc -c <gwlint.vsix) bytes)"
