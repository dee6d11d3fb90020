#!/usr/bin/env bash
# Run by the GitHub workflows before `pulumi preview` (pull-request.yml) and `pulumi up`
# (pulumi-up.yml) of one stack. Every input arrives through the step's `env`, never as
# `${{ }}` inside the script:
#   STACK                    the stack
#   PULUMI_BACKEND_URL       secret: the team's state backend (required)
#   PULUMI_CONFIG_PASSPHRASE secret: decrypts the stack's secure: config (required)
#   KUBECONFIG_SECRET        name of the secret holding this stack's kubeconfig, from the
#                            matrix or the caller; empty for a bring-your-own-Grafana stack
#   KUBECONFIG_DATA          that secret's value (required when KUBECONFIG_SECRET is set)
#   GRAFANA_URL_SECRET       name of the secret overriding the stack's grafanaUrl
#   GRAFANA_URL              that secret's value (optional)
# A missing secret fails the job, naming it: there is no fallback to another stack's.
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${STACK:?STACK is not set}"
missing=()
[ -n "${PULUMI_BACKEND_URL:-}" ] || missing+=(PULUMI_BACKEND_URL)
[ -n "${PULUMI_CONFIG_PASSPHRASE:-}" ] || missing+=(PULUMI_CONFIG_PASSPHRASE)
if [ -n "${KUBECONFIG_SECRET:-}" ] && [ -z "${KUBECONFIG_DATA:-}" ]; then missing+=("$KUBECONFIG_SECRET"); fi
if [ ${#missing[@]} -gt 0 ]; then
  for name in "${missing[@]}"; do
    echo "::error title=Missing secret ${name}::stack ${STACK} needs the secret ${name} (docs/ci-first-run.md lists each secret and where it goes)"
  done
  exit 1
fi

# Stacks on a passphrase backend carry their encryption salt in the committed stack file:
# without it the CLI would make a new salt and could not decrypt the stack's secrets.
case "$PULUMI_BACKEND_URL" in
  https://api.pulumi.com* | https://app.pulumi.com*) ;;
  *)
    if ! grep -q '^encryptionsalt:' "Pulumi.$STACK.yaml"; then
      echo "::error title=Stack ${STACK} not initialised::Pulumi.${STACK}.yaml has no encryptionsalt: run the first-run procedure in docs/ci-first-run.md and commit the stack file"
      exit 1
    fi
    ;;
esac

if [ -n "${KUBECONFIG_SECRET:-}" ]; then
  kubeconfig="${RUNNER_TEMP:?}/kubeconfig-$STACK"
  (umask 077 && printf '%s' "$KUBECONFIG_DATA" > "$kubeconfig")
  echo "KUBECONFIG=$kubeconfig" >> "${GITHUB_ENV:?}"
fi

# The stack files' grafanaUrl suits a laptop (dev: http://localhost:3000 through kind); the
# secret says how this runner reaches Grafana. A repository secret: previews and updates of a
# stack read the same one.
if [ -n "${GRAFANA_URL:-}" ]; then
  node bin/scripts/stack-config-set.js "$STACK" grafanaUrl "$GRAFANA_URL"
  echo "grafanaUrl of stack $STACK: $GRAFANA_URL (secret ${GRAFANA_URL_SECRET:-?})"
fi
