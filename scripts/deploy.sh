#!/usr/bin/env bash
# Deploys one stack: `npm run deploy -- <stack> [pulumi up flags]`, or previews it:
# `npm run preview -- <stack> [pulumi preview flags]` (PULUMI_ACTION=preview).
#
# Which stack and backend: scripts/pulumi-stack.sh (unknown stacks and a prod stack without
# PULUMI_BACKEND_URL are refused). The stack must exist in the backend: on the local default
# backend a stack that has its Pulumi.<stack>.yaml is created on first use; on a team backend
# it is created once, deliberately (docs/ci-first-run.md), never by a deploy.
# Secrets are encrypted with a passphrase: export PULUMI_CONFIG_PASSPHRASE (or
# PULUMI_CONFIG_PASSPHRASE_FILE) to avoid the prompt, and keep it.
# Without a terminal, `pulumi up` needs --yes: `npm run deploy -- dev --yes`.
set -euo pipefail
source "$(dirname "$0")/pulumi-stack.sh"

case "${1:-}" in -h | --help) usage_of "$0" ;; esac
[ $# -ge 1 ] || stack_refused "usage: npm run deploy -- <stack> [flags]   (stacks: $(existing_stacks))"
action="${PULUMI_ACTION:-up}"
case "$action" in
  up | preview) ;;
  *) stack_refused "PULUMI_ACTION must be up or preview, not '$action'" ;;
esac
backend_given="${PULUMI_BACKEND_URL:-}"
use_stack "$1"
shift
if [ "$action" = "up" ] && [ ! -t 0 ]; then
  case " $* " in
    *" --yes "* | *" -y "* | *" --skip-preview "* | *" -f "*) ;;
    *) stack_refused "No terminal to confirm the update: pass --yes to apply it without a prompt (npm run deploy -- $stack --yes)" ;;
  esac
fi
require_cli

# `pulumi stack ls` of this project on this backend: its errors (unreachable backend, wrong
# credentials) stop here as the CLI prints them.
listed="$(pulumi stack ls --json)"
if ! printf '%s' "$listed" | node -e '
  const stacks = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const name = process.argv[1];
  process.exit(stacks.some((s) => s.name === name || s.name.endsWith("/" + name)) ? 0 : 1);
' "$stack"; then
  if [ -n "$backend_given" ]; then
    stack_refused "Stack '$stack' does not exist in $PULUMI_BACKEND_URL. Stacks of a team backend are created once, deliberately:
see docs/ci-first-run.md (npm run pulumi -- stack init --stack $stack)."
  fi
  echo "Creating stack '$stack' in the local backend" >&2
  pulumi stack init "$stack"
fi

build_for_pulumi
exec pulumi "$action" --stack "$stack" "$@"
