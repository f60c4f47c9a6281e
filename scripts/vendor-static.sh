#!/usr/bin/env bash
# Re-fetch the vendored front-end files into src/govmedia/static/vendor/ from the npm registry.
# Versions and tarball checksums are pinned: running it again gives the same files byte for byte.
# To upgrade, change a version AND its integrity (`npm view PACKAGE@VERSION dist.integrity`),
# run this script, then update the versions in src/govmedia/static/vendor/README.md.
# Needs: bash, npm, tar, openssl (or sha512sum), base64.
set -euo pipefail

BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_ICONS_VERSION=1.13.2
HTMX_VERSION=2.0.11
ECHARTS_VERSION=5.6.0

# npm's dist.integrity of each tarball (sha512, base64).
declare -A INTEGRITY=(
    [bootstrap]="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
    [bootstrap-icons]="sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A=="
    [htmx.org]="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
    [echarts]="sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA=="
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/govmedia/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

sha512_b64() {
    if command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha512 -binary "$1" | base64 -w0
    else
        sha512sum "$1" | cut -d' ' -f1 | xxd -r -p | base64 -w0
    fi
}

# fetch NAME VERSION -> unpacks into $TMP/NAME/package
fetch() {
    local name="$1" version="$2" tgz actual
    (cd "$TMP" && npm pack --silent "$name@$version" >/dev/null)
    tgz="$TMP/$name-$version.tgz"
    actual="sha512-$(sha512_b64 "$tgz")"
    if [[ "$actual" != "${INTEGRITY[$name]}" ]]; then
        echo "integrity mismatch for $name@$version: got $actual" >&2
        exit 1
    fi
    mkdir -p "$TMP/$name"
    tar -xzf "$tgz" -C "$TMP/$name"
    echo "fetched $name@$version"
}

fetch bootstrap "$BOOTSTRAP_VERSION"
fetch bootstrap-icons "$BOOTSTRAP_ICONS_VERSION"
fetch htmx.org "$HTMX_VERSION"
fetch echarts "$ECHARTS_VERSION"

rm -rf "$DEST/bootstrap" "$DEST/bootstrap-icons" "$DEST/htmx" "$DEST/echarts"
mkdir -p "$DEST/bootstrap" "$DEST/bootstrap-icons/fonts" "$DEST/htmx" "$DEST/echarts"

# Bootstrap: the .map files are kept because the minified files end with a sourceMappingURL
# comment, and collectstatic's manifest storage (DEBUG=0) fails on a reference it cannot find.
P="$TMP/bootstrap/package"
cp "$P/dist/css/bootstrap.min.css" "$P/dist/css/bootstrap.min.css.map" "$DEST/bootstrap/"
cp "$P/dist/js/bootstrap.bundle.min.js" "$P/dist/js/bootstrap.bundle.min.js.map" "$DEST/bootstrap/"
cp "$P/LICENSE" "$DEST/bootstrap/LICENSE"

# Bootstrap Icons: the CSS loads url("fonts/bootstrap-icons.woff2?...") relative to itself.
P="$TMP/bootstrap-icons/package"
cp "$P/font/bootstrap-icons.min.css" "$DEST/bootstrap-icons/"
cp "$P/font/fonts/bootstrap-icons.woff2" "$P/font/fonts/bootstrap-icons.woff" "$DEST/bootstrap-icons/fonts/"
cp "$P/LICENSE" "$DEST/bootstrap-icons/LICENSE"

P="$TMP/htmx.org/package"
cp "$P/dist/htmx.min.js" "$DEST/htmx/"
cp "$P/LICENSE" "$DEST/htmx/LICENSE"

# ECharts is Apache-2.0: its NOTICE must travel with it, and it embeds parts of d3 (BSD-3-Clause).
P="$TMP/echarts/package"
cp "$P/dist/echarts.min.js" "$DEST/echarts/"
cp "$P/LICENSE" "$DEST/echarts/LICENSE"
cp "$P/NOTICE" "$DEST/echarts/NOTICE"
cp "$P/licenses/LICENSE-d3" "$DEST/echarts/LICENSE-d3"

chmod -R u=rwX,go=rX "$DEST"
echo "vendored files written to $DEST"
(cd "$DEST" && find . -type f ! -name README.md | sort | xargs sha256sum)
