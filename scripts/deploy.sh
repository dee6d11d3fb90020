#!/usr/bin/env bash
# Deploys one stack with the Pulumi CLI: `npm run deploy -- dev` (or prod).
#
# State backend: a local folder (.pulumi-state/) unless PULUMI_BACKEND_URL is set
# (s3://..., azblob://..., https://api.pulumi.com, ...), so no Pulumi Cloud account is needed.
# Secrets: the local backend encrypts them with a passphrase. Export
# PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to avoid the prompt; keep it
# safe, it is needed for every later update of the stack.
set -euo pipefail
cd "$(dirname "$0")/.."

stack="${1:-dev}"
shift || true
action="${PULUMI_ACTION:-up}"

if ! command -v pulumi >/dev/null 2>&1; then
  echo "The Pulumi CLI is not installed: https://www.pulumi.com/docs/install/" >&2
  exit 1
fi

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
mkdir -p .pulumi-state
echo "State backend: $PULUMI_BACKEND_URL"

# Compile first: Pulumi runs bin/index.js, never stale sources.
npm run --silent build

pulumi stack select --create "$stack" --non-interactive 2>/dev/null || pulumi stack select --create "$stack"
pulumi "$action" --stack "$stack" "$@"
