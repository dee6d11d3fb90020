#!/usr/bin/env bash
# The one way to run a Pulumi CLI command on one of this project's stacks: the command as the
# CLI spells it, after `npm run pulumi --`, with the stack always named.
#
#   npm run pulumi -- config set --secret alertSlackWebhookUrl https://hooks.slack.com/... --stack prod
#   npm run --silent pulumi -- stack output adminPassword --show-secrets --stack dev
#
# It uses the project's backend and refuses unknown stacks and a prod stack without an
# explicit PULUMI_BACKEND_URL (scripts/pulumi-stack.sh). A command without --stack is refused:
# the CLI would otherwise act on whichever stack was selected last. `preview` and `up` build
# first (the program is bin/index.js).
set -euo pipefail
source "$(dirname "$0")/pulumi-stack.sh"

# --help: this usage alone; with a command, the CLI's own help for it (it reads no stack).
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      [ $# -eq 1 ] && usage_of "$0"
      require_cli
      exec pulumi "$@"
      ;;
  esac
done

named=""
previous=""
for arg in "$@"; do
  case "$arg" in
    --stack=* | -s=*) named="${arg#*=}" ;;
    *) if [ "$previous" = "--stack" ] || [ "$previous" = "-s" ]; then named="$arg"; fi ;;
  esac
  previous="$arg"
done
if [ -z "$named" ]; then
  stack_refused "Name the stack: npm run pulumi -- <pulumi command> --stack <stack>   (stacks: $(existing_stacks))"
fi
creating=""
if [ "${1:-}" = "stack" ] && [ "${2:-}" = "init" ]; then creating="--creating"; fi
use_stack "$named" $creating
require_cli

case "${1:-}" in
  preview | up | update) build_for_pulumi ;;
esac
exec pulumi "$@"
