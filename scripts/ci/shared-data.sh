#!/usr/bin/env bash
# Run by the pull-request workflow around the checkout of the team's reference-data repository,
# which the tests read from ../shared next to the project (the upstream chart, Grafana's JSON
# Schemas, the corpus: docs/ci-first-run.md#reference-data-shared). Under CI a test that finds
# no ../shared fails (tests/support/shared-data.ts), so the job provides it first.
#   bash scripts/ci/shared-data.sh check          SHARED_DATA_REPOSITORY and SHARED_DATA_REF
#                                                 (repository variables, through the step's env)
#                                                 are set, or the job fails naming each
#   bash scripts/ci/shared-data.sh place <dir>    moves <dir> (the checkout, a folder inside the
#                                                 workspace, where actions/checkout must write)
#                                                 to $GITHUB_WORKSPACE/../shared
set -euo pipefail

case "${1:-}" in
  check)
    missing=()
    [ -n "${SHARED_DATA_REPOSITORY:-}" ] || missing+=(SHARED_DATA_REPOSITORY)
    [ -n "${SHARED_DATA_REF:-}" ] || missing+=(SHARED_DATA_REF)
    for name in "${missing[@]}"; do
      echo "::error title=Missing repository variable ${name}::the tests read ../shared from the team's reference-data repository: set the variable ${name} (Settings > Secrets and variables > Actions > Variables; docs/ci-first-run.md#reference-data-shared). Pull requests from forks get no variables: a maintainer pushes the branch to this repository."
    done
    [ ${#missing[@]} -eq 0 ] || exit 1
    echo "Reference data: ${SHARED_DATA_REPOSITORY} at ${SHARED_DATA_REF}"
    ;;
  place)
    workspace="${GITHUB_WORKSPACE:?GITHUB_WORKSPACE is not set}"
    checkout="$workspace/${2:?usage: shared-data.sh place <checkout dir inside the workspace>}"
    shared="$(dirname "$workspace")/shared"
    if [ ! -d "$checkout" ] || [ -z "$(ls -A "$checkout")" ]; then
      echo "::error title=No reference data::${2} is missing or empty: the checkout of SHARED_DATA_REPOSITORY did not provide it"
      exit 1
    fi
    # Each run brings its own pinned copy (a self-hosted runner keeps the last run's).
    rm -rf "$shared"
    mv "$checkout" "$shared"
    echo "../shared: $(ls "$shared" | tr '\n' ' ')"
    ;;
  *)
    echo "usage: bash scripts/ci/shared-data.sh check | place <dir>" >&2
    exit 2
    ;;
esac
