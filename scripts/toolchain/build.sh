#!/usr/bin/env bash
# The real Pulumi toolchain, built from Go modules (the Go module proxy is the only source),
# into a cache outside the repository keyed by version:
#
#   bash scripts/toolchain/build.sh                 build what is missing (cold: see docs/testing.md)
#   bash scripts/toolchain/build.sh --cached-only   build nothing; exit 3 when the CLI is not cached
#
# Cache: ${GRAFANA_K8S_TOOLCHAIN_CACHE:-~/.cache/grafana-k8s/toolchain}/pulumi-<version>/
#   bin/pulumi        the Pulumi CLI, github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
#   build.log         the go build's output (a failed build names the module and its first error)
#   components.tsv    one line per piece the end-to-end suite needs:
#                     name, module@version, built|refused|served|skipped, the path or the exact answer
# The last line on stdout is the cache folder. Go's own caches (GOMODCACHE, GOCACHE) stay where
# `go env` puts them, so a second run only checks.
#
# The other pieces are attempted on every run (one request each), so the day the proxy serves
# one, components.tsv says `served` and the suite stops treating that part as blocked.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
wrapper="$root/scripts/toolchain/pulumi-cli"
cached_only=false
if [ "${1:-}" = "--cached-only" ]; then cached_only=true; fi

fail() { echo "toolchain: $*" >&2; exit 1; }
command -v go >/dev/null 2>&1 || fail "Go is not installed (the toolchain is built with it): apt-get install golang, or Go >= 1.26"
export GOFLAGS=-buildvcs=false

# One version, pinned in the wrapper's go.mod (a test keeps it equal to package.json's @pulumi/pulumi).
version="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$wrapper/go.mod")"
[ -n "$version" ] || fail "no github.com/pulumi/pulumi/pkg/v3 requirement in $wrapper/go.mod"
dir="${GRAFANA_K8S_TOOLCHAIN_CACHE:-$HOME/.cache/grafana-k8s/toolchain}/pulumi-$version"
mkdir -p "$dir/bin"
status="$dir/components.tsv.tmp"
: > "$status"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$status"; }

# --- the Pulumi CLI -------------------------------------------------------------------------
cli="$dir/bin/pulumi"
cli_module="github.com/pulumi/pulumi/pkg/v3@$version"
if [ ! -x "$cli" ] || [ "$("$cli" version 2>/dev/null)" != "$version" ]; then
  if $cached_only; then
    echo "toolchain: the Pulumi CLI $version is not in $dir; build it with: bash scripts/toolchain/build.sh" >&2
    exit 3
  fi
  echo "toolchain: building the Pulumi CLI from $cli_module (log: $dir/build.log)" >&2
  started=$SECONDS
  # -mod=readonly: go.sum pins every module; the version is stamped as Pulumi's release does.
  if ! (cd "$wrapper" && go build -mod=readonly -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
      -o "$cli.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) > "$dir/build.log" 2>&1; then
    # The first line that is not download progress is Go's first error.
    first="$(grep -v -m1 -e '^go: downloading ' -e '^[[:space:]]*$' "$dir/build.log" || true)"
    fail "building $cli_module failed: $first (full log: $dir/build.log)"
  fi
  mv "$cli.tmp" "$cli"
  echo "toolchain: built $cli in $((SECONDS - started)) s" >&2
fi
record pulumi-cli "$cli_module" built "$cli"

# --- the pieces the Go module proxy does not serve ---------------------------------------------
# `go mod download` of the exact module version: the proxy's answer is recorded word for word.
attempt() {
  local name="$1" module="$2" answer
  if answer="$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "$module" 2>&1)"; then
    record "$name" "$module" served "the proxy now serves it: add its wrapper module to scripts/toolchain/"
  else
    answer="$(printf '%s' "$answer" | sed -n 's/.*"Error": "\(.*\)".*/\1/p' | sed 's/\\n\\t/ /g')"
    record "$name" "$module" refused "${answer:-no answer}"
  fi
}
# The Node.js language host runs `pulumi preview`/`up` of a Node.js project; it is a module of its
# own (sdk/nodejs/cmd/pulumi-language-nodejs has a go.mod), not part of sdk/v3's zip.
attempt pulumi-language-nodejs "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$version"
# The Grafana provider plugin at the @pulumiverse/grafana version package.json pins.
grafana_sdk="$(node -p "require('$root/package.json').dependencies['@pulumiverse/grafana']")"
attempt pulumi-resource-grafana "github.com/pulumiverse/pulumi-grafana/provider/v${grafana_sdk%%.*}@v$grafana_sdk"
# The Grafana server: github.com/grafana/grafana is AGPL-licensed and listed as not to be used
# here, so it is not downloaded; the chart deploys Grafana 13.2.0.
record grafana-server "github.com/grafana/grafana@v13.2.0" skipped "not to be used: AGPL-licensed (the environment's Go package list); the suite needs a running Grafana 13.2.0"

mv "$status" "$dir/components.tsv"
echo "$dir"
