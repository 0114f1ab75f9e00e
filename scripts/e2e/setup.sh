#!/usr/bin/env bash
# Installs what the end-to-end tests need, when missing: Debian's Chromium and the build
# dependencies of code-server's native modules (via ensure-system.sh), then code-server
# (VS Code in a browser) from the npm registry into a project-local cache.
# Idempotent: when everything is there it takes well under a second. Safe to run concurrently
# (a lock serializes runs). Prints the code-server entry point on stdout.
#
# Why the dance:
# - 4.100.x is the last code-server line that runs on Node 20 (VS Code 1.100).
# - Its native modules build with node-gyp; npm_config_nodedir points at the local Node headers
#   (node-gyp would download them), npm_config_yes lets node-pty's `npx node-gyp` run unattended,
#   npm_config_unsafe_perm is required as root by code-server's postinstall.
# - @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable; it first looks
#   for $TMPDIR/vscode-ripgrep-cache-<pkgver>/ripgrep-<tag>-<target>.tar.gz, so we put a tarball
#   of Debian's rg there.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=${CODE_SERVER_VERSION:-4.100.3}
DIR=${CODE_SERVER_DIR:-$ROOT/.cache/code-server}
ENTRY=$DIR/node_modules/code-server/out/node/entry.js
MARKER=$DIR/installed-$VERSION

log() { echo "e2e setup: $*" >&2; }

bash "$ROOT/scripts/ensure-system.sh" chromium code-server-deps >&2

mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock 9

if [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then
  echo "$ENTRY"
  exit 0
fi

started=$(date +%s)
log "installing code-server@$VERSION into $DIR (about a minute, once)"
rm -rf "$DIR"
mkdir -p "$DIR/tmp"
cd "$DIR"

npm pack --silent "code-server@$VERSION" >/dev/null
tgz=$DIR/code-server-$VERSION.tgz

# The @vscode/ripgrep version VS Code pins, and the ripgrep release tag that version downloads.
rg_pkg=$(tar -xzf "$tgz" -O package/lib/vscode/npm-shrinkwrap.json |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages["node_modules/@vscode/ripgrep"].version))')
npm pack --silent "@vscode/ripgrep@$rg_pkg" >/dev/null
rg_tag=$(tar -xzf "vscode-ripgrep-$rg_pkg.tgz" -O package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';.*/\1/p")
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) log "unsupported architecture $(uname -m)"; exit 1 ;;
esac
[ -n "$rg_tag" ] || { log "could not read the ripgrep tag of @vscode/ripgrep@$rg_pkg"; exit 1; }
mkdir -p "$DIR/tmp/vscode-ripgrep-cache-$rg_pkg"
tar -czf "$DIR/tmp/vscode-ripgrep-cache-$rg_pkg/ripgrep-$rg_tag-$rg_target.tar.gz" -C "$(dirname "$(command -v rg)")" rg

nodedir=$(dirname "$(dirname "$(command -v node)")")
[ -f "$nodedir/include/node/node.h" ] || { log "no Node headers under $nodedir/include/node"; exit 1; }

echo '{ "private": true }' >package.json
TMPDIR=$DIR/tmp npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=$nodedir \
  npm install --no-audit --no-fund --no-package-lock --omit=dev "$tgz" >"$DIR/install.log" 2>&1 || {
  tail -40 "$DIR/install.log" >&2
  log "npm install failed; full log in $DIR/install.log"
  exit 1
}
[ -x "$DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || { log "ripgrep missing after install"; exit 1; }
rm -f "$tgz" "vscode-ripgrep-$rg_pkg.tgz"
touch "$MARKER"
log "code-server@$VERSION installed in $(($(date +%s) - started)) s"
echo "$ENTRY"
