#!/bin/sh
# Installs loclint's prebuilt binary from a GitHub release, no Rust needed:
#
#   curl -LsSf https://github.com/OWNER/loclint/releases/latest/download/install.sh | sh
#
# Environment (all optional):
#   LOCLINT_VERSION       release tag to install, e.g. v0.1.0 (default: the latest release)
#   LOCLINT_INSTALL_DIR   where to put `loclint` (default: $HOME/.local/bin)
#   LOCLINT_DOWNLOAD_URL  base URL of the release's files (default: this
#                         repository's GitHub release of LOCLINT_VERSION)
#
# Picks the archive for this machine (Linux: static musl binaries for x86_64
# and aarch64; macOS: x86_64 and arm64), checks it against its published
# SHA-256 before unpacking, and installs the one binary. Exit status: 0
# installed; 3 no archive for this version or platform (nothing installed; the
# GitHub Action then builds from source); 1 any other failure.
set -eu

repository_url=https://github.com/OWNER/loclint
version=${LOCLINT_VERSION:-latest}
install_dir=${LOCLINT_INSTALL_DIR:-${HOME:?}/.local/bin}
if [ -n "${LOCLINT_DOWNLOAD_URL:-}" ]; then
    base_url=$LOCLINT_DOWNLOAD_URL
elif [ "$version" = latest ]; then
    base_url=$repository_url/releases/latest/download
else
    base_url=$repository_url/releases/download/$version
fi

say() { printf 'loclint installer: %s\n' "$*" >&2; }
die() {
    say "$2"
    exit "$1"
}

case "$(uname -s)/$(uname -m)" in
Linux/x86_64 | Linux/amd64) target=x86_64-unknown-linux-musl ;;
Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
Darwin/x86_64) target=x86_64-apple-darwin ;;
Darwin/arm64 | Darwin/aarch64) target=aarch64-apple-darwin ;;
*) die 3 "no prebuilt loclint for $(uname -s) $(uname -m); install it with pip (pip install loclint) or cargo" ;;
esac
archive=loclint-$target.tar.gz

# download URL FILE: 0 fetched, 3 not found (HTTP 404), 1 other failure.
download() {
    if command -v curl >/dev/null 2>&1; then
        status=$(curl --proto '=https,http,file' --silent --show-error --location --retry 3 \
            --output "$2" --write-out '%{http_code}' "$1") || return 1
        case $status in
        2?? | 000) return 0 ;; # 000: a file:// URL
        404) return 3 ;;
        *)
            say "$1: HTTP $status"
            return 1
            ;;
        esac
    elif command -v wget >/dev/null 2>&1; then
        wget --quiet --output-document "$2" "$1" && return 0
        [ $? = 8 ] && return 3 # 8: the server answered with an error
        return 1
    else
        die 1 "needs curl or wget"
    fi
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        die 1 "needs sha256sum or shasum to verify the download"
    fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/loclint-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading $base_url/$archive"
for file in "$archive" "$archive.sha256"; do
    if download "$base_url/$file" "$tmp/$file"; then
        :
    else
        code=$?
        [ "$code" = 3 ] && die 3 "no $file in release $version ($base_url)"
        die 1 "could not download $base_url/$file"
    fi
done

expected=$(cut -d' ' -f1 <"$tmp/$archive.sha256")
actual=$(sha256_of "$tmp/$archive")
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    die 1 "checksum mismatch for $archive: expected '$expected', got '$actual'; nothing installed"
fi

tar -xzf "$tmp/$archive" -C "$tmp"
[ -f "$tmp/loclint-$target/loclint" ] || die 1 "$archive has no loclint-$target/loclint"
mkdir -p "$install_dir"
# Into place by a rename, so a running loclint is never overwritten in place.
cp "$tmp/loclint-$target/loclint" "$install_dir/.loclint.new"
chmod 755 "$install_dir/.loclint.new"
mv -f "$install_dir/.loclint.new" "$install_dir/loclint"
say "installed $("$install_dir/loclint" --version) to $install_dir/loclint"
case ":$PATH:" in
*":$install_dir:"*) ;;
*) say "add $install_dir to your PATH to run it as \`loclint\`" ;;
esac
