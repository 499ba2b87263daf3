import { first, isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

/** CKV_AWS_242/243/244 differ only in which logging_configuration module they read. */
export function mwaaLogRule(id: string, module: string, label: string): Rule {
  return {
    id,
    service: 'mwaa',
    checkovId: id,
    title: `MWAA environment has ${label.toLowerCase()} logs enabled`,
    details: `\`logging_configuration.${module}.enabled\` is true`,
    severity: 'MEDIUM',
    appliesTo: ['aws_mwaa_environment'],
    check(r) {
      const enabled = first(first(r.props.logging_configuration)?.[module])?.enabled;
      return isTrue(enabled) || isToken(enabled) ? [] : [`logging_configuration.${module}.enabled is not true`];
    },
  };
}
