import type { Rule } from '../../types';

/**
 * The Airflow UI stays private (reachable only through the VPC) unless the platform allows public webservers.
 * The allowance is the platform-wide `mwaa.allowPublicWebserver` of platform.yaml (owned by the platform team,
 * and already enforced per environment by the config validator); `npm run check` passes it in as
 * `settings.allowPublicWebserver`, so this rule re-checks the synthesized artifact against the same single source
 * rather than trusting a marker the stack code could set. Even PUBLIC_ONLY requires IAM
 * (airflow:CreateWebLoginToken) to sign in.
 */
export const rule: Rule = {
  id: 'MWAA_PRIVATE_WEBSERVER',
  service: 'mwaa',
  title: 'MWAA webserver is private unless the platform allows public webservers',
  details: '`PUBLIC_ONLY` only when platform.yaml `mwaa.allowPublicWebserver` is true',
  severity: 'HIGH',
  appliesTo: ['aws_mwaa_environment'],
  check(r, ctx) {
    const mode = r.props.webserver_access_mode ?? 'PRIVATE_ONLY'; // the service default
    if (mode !== 'PUBLIC_ONLY' || ctx.settings.allowPublicWebserver) return [];
    return ['webserver_access_mode is PUBLIC_ONLY but platform.yaml mwaa.allowPublicWebserver is false'];
  },
};
