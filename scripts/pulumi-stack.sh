#!/usr/bin/env bash
# Sourced by scripts/pulumi.sh and scripts/deploy.sh: the project's rules for which stack and
# which state backend a Pulumi command uses. After `use_stack <stack> [--creating]`:
# the working directory is the project root, PULUMI_BACKEND_URL is exported, $stack is set.
#
# - Backend: PULUMI_BACKEND_URL when set (s3://..., azblob://..., https://api.pulumi.com),
#   else the local folder .pulumi-state/. A plain `pulumi` in your shell would use your stored
#   `pulumi login` instead.
# - A stack without a Pulumi.<stack>.yaml is a typo and is refused, listing the stacks that
#   exist; only `stack init` (--creating) may create a stack file, deliberately.
# - A prod stack (named prod, or `environment: prod` in its file) needs an explicit
#   PULUMI_BACKEND_URL: the local default would hold a second, empty prod state.
project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

stack_refused() { echo "$*" >&2; exit 2; }

# Prints a script's header comment (its usage) and exits 0: `npm run deploy -- --help`.
usage_of() {
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$1"
  exit 0
}

existing_stacks() {
  local f names=()
  for f in "$project_root"/Pulumi.*.yaml; do
    [ -e "$f" ] && names+=("$(basename "$f" .yaml | cut -d. -f2-)")
  done
  echo "${names[*]:-none}"
}

use_stack() {
  stack="$1"
  local creating="${2:-}" file
  cd "$project_root"
  [[ "$stack" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || stack_refused "'$stack' is not a stack name (stacks: $(existing_stacks))"
  file="Pulumi.$stack.yaml"
  if [ ! -f "$file" ] && [ "$creating" != "--creating" ]; then
    stack_refused "No stack '$stack' in this project: there is no $file (stacks: $(existing_stacks)); a new stack is created deliberately: npm run pulumi -- stack init --stack $stack"
  fi
  if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
    if [ "$stack" = "prod" ] || grep -Eq '^[[:space:]]*grafana-k8s:environment:[[:space:]]*"?prod"?[[:space:]]*$' "$file" 2>/dev/null; then
      stack_refused "Stack '$stack' is a prod stack: set PULUMI_BACKEND_URL to the team's state backend first (the local default, .pulumi-state/, would hold a second, empty prod state)."
    fi
    mkdir -p .pulumi-state
    export PULUMI_BACKEND_URL="file://$project_root/.pulumi-state"
  fi
  echo "Stack $stack on $PULUMI_BACKEND_URL" >&2
}

require_cli() {
  command -v pulumi >/dev/null 2>&1 || stack_refused "The Pulumi CLI is not installed: https://www.pulumi.com/docs/install/"
}

# Pulumi runs the compiled bin/index.js and the compiled policy pack: bring the build targets
# they need up to date (build/run.js skips each one whose inputs did not change).
build_for_pulumi() {
  node "$project_root/build/run.js" build program policy record
}
