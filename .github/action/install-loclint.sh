#!/usr/bin/env bash
# The install steps of the composite action (action.yml), in a file so that
# tests/install/run can run them outside GitHub.
#
#   install-loclint.sh resolve   which release and archive fit this runner:
#                                writes tag, target, dir and cache-key to
#                                $GITHUB_OUTPUT (empty when no release applies)
#   install-loclint.sh install   puts loclint on $GITHUB_PATH, by the first
#                                that works: the cached binary in TOOL_DIR; the
#                                release archive (install.sh or install.ps1,
#                                checksum verified); `cargo install` of the
#                                revision when no archive exists for it
#
# Environment: VERSION (the action's `version` input), ACTION_REPOSITORY and
# ACTION_REF (`github.action_repository` and `github.action_ref`), and GitHub's
# GITHUB_ACTION_PATH, GITHUB_SERVER_URL, RUNNER_OS, RUNNER_ARCH,
# RUNNER_TOOL_CACHE, RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT. `install` also reads TAG, TARGET and TOOL_DIR
# (resolve's outputs). LOCLINT_DOWNLOAD_URL replaces the release's URL (tests).
set -euo pipefail

action_repository=${ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}
action_ref=${ACTION_REF:-${GITHUB_ACTION_REF:-}}
# Both can be empty in a composite action's steps (actions/runner#2473); the
# action's checkout, …/_actions/OWNER/NAME/REF, tells them too. Used as
# `uses: ./`, the action has neither: it builds its own checkout.
if [[ -z $action_repository && ${GITHUB_ACTION_PATH:-} =~ [/\\]_actions[/\\]([^/\\]+)[/\\]([^/\\]+)[/\\]([^/\\]+)$ ]]; then
    action_repository=${BASH_REMATCH[1]}/${BASH_REMATCH[2]}
    action_ref=${BASH_REMATCH[3]}
fi

# A version tag names a release; a branch or a commit has none.
is_release_tag() { [[ $1 =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; }

resolve() {
    local rev=${VERSION:-} tag='' target='' dir='' key=''
    if [[ -z $rev && -n $action_repository ]]; then
        rev=$action_ref
    fi
    if [[ -n $action_repository ]] && is_release_tag "$rev"; then
        tag=$rev
    fi
    case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ;;
    macOS/X64) target=x86_64-apple-darwin ;;
    macOS/ARM64) target=aarch64-apple-darwin ;;
    # Windows on ARM64 runs the x64 binary under emulation.
    Windows/X64 | Windows/ARM64) target=x86_64-pc-windows-msvc ;;
    esac
    if [[ -n $tag && -n $target ]]; then
        dir=$RUNNER_TOOL_CACHE/loclint/$tag/$target
        key=loclint-$tag-$target
    fi
    {
        echo "tag=$tag"
        echo "target=$target"
        echo "dir=$dir"
        echo "cache-key=$key"
    } >>"$GITHUB_OUTPUT"
    echo "loclint: release ${tag:-none} for ${target:-no prebuilt target} (${RUNNER_OS:-}/${RUNNER_ARCH:-})"
}

# Sets $bin_dir and $method, or fails the step.
install() {
    local exe=loclint code=0
    [[ ${RUNNER_OS:-} == Windows ]] && exe=loclint.exe
    if [[ -n ${TAG:-} && -n ${TARGET:-} && -n ${TOOL_DIR:-} ]]; then
        if [[ -x $TOOL_DIR/$exe ]]; then
            bin_dir=$TOOL_DIR method=cache
            echo "loclint $TAG: cached binary in $TOOL_DIR"
            return
        fi
        echo "loclint $TAG: downloading the $TARGET release archive"
        export LOCLINT_VERSION=$TAG LOCLINT_INSTALL_DIR=$TOOL_DIR
        export LOCLINT_DOWNLOAD_URL=${LOCLINT_DOWNLOAD_URL:-$GITHUB_SERVER_URL/$action_repository/releases/download/$TAG}
        if [[ ${RUNNER_OS:-} == Windows ]]; then
            pwsh -NoProfile -NonInteractive -File "$GITHUB_ACTION_PATH/install.ps1" || code=$?
        else
            sh "$GITHUB_ACTION_PATH/install.sh" || code=$?
        fi
        if [[ $code == 0 ]]; then
            bin_dir=$TOOL_DIR method=download
            return
        elif [[ $code != 3 ]]; then
            echo "::error title=loclint::could not install the $TAG release archive (exit $code)"
            exit 2
        fi
        echo "loclint $TAG: no release archive for $TARGET; building from source"
    fi
    build
}

# `version:` names what to build; without it the action's own checkout is
# what `uses:` named (a branch, a commit, or a tag with no archive).
build() {
    local root=$RUNNER_TEMP/loclint rev=${VERSION:-}
    if ! command -v cargo >/dev/null; then
        echo "::error title=loclint::no release archive for this revision or runner, and cargo is not found: install a Rust toolchain first (e.g. dtolnay/rust-toolchain@stable)"
        exit 2
    fi
    if [[ -n $rev ]]; then
        if [[ -z $action_repository ]]; then
            echo "::error title=loclint::\`version\` needs the action used from a repository (owner/loclint@ref), not a local path"
            exit 2
        fi
        cargo install --locked --root "$root" --target-dir "$RUNNER_TEMP/loclint-target" \
            --git "$GITHUB_SERVER_URL/$action_repository" --rev "$rev" loclint
    else
        cargo install --locked --root "$root" --target-dir "$RUNNER_TEMP/loclint-target" \
            --path "$GITHUB_ACTION_PATH"
    fi
    bin_dir=$root/bin method=build
}

case ${1:-} in
resolve) resolve ;;
install)
    install
    echo "$bin_dir" >>"$GITHUB_PATH"
    echo "method=$method" >>"$GITHUB_OUTPUT"
    "$bin_dir/loclint" --version
    ;;
*)
    echo "usage: $0 resolve|install" >&2
    exit 2
    ;;
esac
