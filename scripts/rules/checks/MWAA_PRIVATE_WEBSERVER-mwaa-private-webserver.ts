import { tag } from '../helpers';
import type { Rule } from '../types';

/** Tag the stacks set on an environment whose team config is approved for a public webserver. */
export const PUBLIC_WEBSERVER_TAG = { key: 'WebserverAccess', value: 'public-approved' } as const;

/**
 * The Airflow UI stays private (reachable only through the VPC) unless the platform approved a public one.
 * Approval is visible in the artifact itself: the stack sets tag WebserverAccess=public-approved only when the
 * team's platform config grants it, so the rule needs no config access and the exception shows in every plan
 * and in AWS. A PUBLIC_ONLY webserver still requires IAM (airflow:CreateWebLoginToken) to log in.
 */
export const rule: Rule = {
  id: 'MWAA_PRIVATE_WEBSERVER',
  title: 'MWAA webserver is private unless approved',
  severity: 'HIGH',
  appliesTo: ['aws_mwaa_environment'],
  check(r) {
    const mode = r.props.webserver_access_mode ?? 'PRIVATE_ONLY'; // the service default
    if (mode !== 'PUBLIC_ONLY') return [];
    return tag(r, PUBLIC_WEBSERVER_TAG.key) === PUBLIC_WEBSERVER_TAG.value
      ? []
      : [`webserver_access_mode is PUBLIC_ONLY without tag ${PUBLIC_WEBSERVER_TAG.key}=${PUBLIC_WEBSERVER_TAG.value}`];
  },
};
