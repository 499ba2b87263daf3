#!/bin/sh
# Runs on every MWAA container (scheduler, worker, webserver) before MWAA installs requirements.txt; the
# variables exported here are kept for the install and for Airflow. It points pip at the platform's CodeArtifact
# PyPI mirror, since the shared VPC has no route to PyPI.
#
# The platform sets the mirror's coordinates as Airflow configuration options (codeartifact.domain,
# codeartifact.domain_owner, codeartifact.repository), which MWAA passes to this script as AIRFLOW__CODEARTIFACT__*
# variables, so nothing here names the owner account. The execution role may get a token for that domain and
# read that repository only. The token lasts 30 minutes: enough for the install (MWAA stops it after 9).

if [ -n "${AIRFLOW__CODEARTIFACT__DOMAIN:-}" ]; then
  CODEARTIFACT_TOKEN=$(aws codeartifact get-authorization-token \
    --domain "${AIRFLOW__CODEARTIFACT__DOMAIN}" --domain-owner "${AIRFLOW__CODEARTIFACT__DOMAIN_OWNER}" \
    --duration-seconds 1800 --query authorizationToken --output text)
  CODEARTIFACT_ENDPOINT=$(aws codeartifact get-repository-endpoint \
    --domain "${AIRFLOW__CODEARTIFACT__DOMAIN}" --domain-owner "${AIRFLOW__CODEARTIFACT__DOMAIN_OWNER}" \
    --repository "${AIRFLOW__CODEARTIFACT__REPOSITORY}" --format pypi --query repositoryEndpoint --output text)
  if [ -n "${CODEARTIFACT_TOKEN}" ] && [ -n "${CODEARTIFACT_ENDPOINT}" ]; then
    # The endpoint is https://<domain>-<owner>.d.codeartifact.<region>.amazonaws.com/pypi/<repository>/.
    # PIP_INDEX_URL, not PIP_EXTRA_INDEX_URL: PyPI itself is unreachable, and one index cannot be confused with another.
    export PIP_INDEX_URL="https://aws:${CODEARTIFACT_TOKEN}@${CODEARTIFACT_ENDPOINT#https://}simple/"
    echo "pip reads packages from the CodeArtifact repository ${AIRFLOW__CODEARTIFACT__REPOSITORY} of domain ${AIRFLOW__CODEARTIFACT__DOMAIN}"
  else
    echo "ERROR: no CodeArtifact token or endpoint for domain ${AIRFLOW__CODEARTIFACT__DOMAIN}; the requirements install will not find its packages" >&2
  fi
  unset CODEARTIFACT_TOKEN CODEARTIFACT_ENDPOINT
else
  echo "WARNING: the platform set no codeartifact.* options on this environment; pip has no package index" >&2
fi
