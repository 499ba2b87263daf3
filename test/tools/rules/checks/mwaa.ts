import { stack, type RuleCases } from '../harness';

const logging = (over: Record<string, unknown> = {}) => ({
  dag_processing_logs: { enabled: true, log_level: 'INFO' },
  scheduler_logs: { enabled: true, log_level: 'INFO' },
  task_logs: { enabled: true, log_level: 'INFO' },
  webserver_logs: { enabled: true, log_level: 'INFO' },
  worker_logs: { enabled: true, log_level: 'INFO' },
  ...over,
});
const mwaa = (over: Record<string, unknown> = {}) => ({
  aws_mwaa_environment: { env: { name: 'marketing', webserver_access_mode: 'PRIVATE_ONLY', logging_configuration: logging(), ...over } },
});
const M = 'aws_mwaa_environment.env';
const mwaaLog = (rule: string, module: string): RuleCases => ({
  rule,
  compliant: [{ name: `${module} enabled`, stack: stack(mwaa()) }],
  noncompliant: [
    {
      name: `${module} disabled`,
      stack: stack(mwaa({ logging_configuration: logging({ [module]: { enabled: false } }) })),
      resource: M,
      expect: new RegExp(module),
    },
    {
      name: 'no logging_configuration',
      stack: stack(mwaa({ logging_configuration: undefined })),
      resource: M,
      expect: new RegExp(`${module}.enabled is not true`),
    },
  ],
});

export const cases: RuleCases[] = [
  mwaaLog('CKV_AWS_242', 'scheduler_logs'),
  mwaaLog('CKV_AWS_243', 'worker_logs'),
  mwaaLog('CKV_AWS_244', 'webserver_logs'),
  {
    rule: 'MWAA_PRIVATE_WEBSERVER',
    compliant: [
      { name: 'PRIVATE_ONLY', stack: stack(mwaa()) },
      { name: 'mode omitted (service default is private)', stack: stack(mwaa({ webserver_access_mode: undefined })) },
      {
        name: 'PUBLIC_ONLY on a platform that allows it',
        stack: stack(mwaa({ webserver_access_mode: 'PUBLIC_ONLY' })),
        settings: { allowPublicWebserver: true },
      },
    ],
    noncompliant: [
      // Default settings are strict: allowPublicWebserver=false.
      {
        name: 'PUBLIC_ONLY on a platform that does not allow it',
        stack: stack(mwaa({ webserver_access_mode: 'PUBLIC_ONLY' })),
        resource: M,
        expect: /PUBLIC_ONLY but platform\.yaml mwaa\.allowPublicWebserver is false/,
      },
      {
        name: 'a tag cannot approve it',
        stack: stack(mwaa({ webserver_access_mode: 'PUBLIC_ONLY', tags: { WebserverAccess: 'public-approved' } })),
        resource: M,
        expect: /PUBLIC_ONLY/,
      },
    ],
  },
];
