/** Each service's rule cases (a compliant and a non-compliant stack per rule), as tools/rules/checks/<service>/ groups the rules. */
import type { RuleCases } from '../harness';
import { cases as ec2 } from './ec2';
import { cases as eks } from './eks';
import { cases as eventbridge } from './eventbridge';
import { cases as iam } from './iam';
import { cases as kms } from './kms';
import { cases as lambda } from './lambda';
import { cases as logs } from './logs';
import { cases as mwaa } from './mwaa';
import { cases as s3 } from './s3';
import { cases as sqs } from './sqs';

export const CASES_BY_SERVICE: Readonly<Record<string, readonly RuleCases[]>> = {
  ec2,
  eks,
  eventbridge,
  iam,
  kms,
  lambda,
  logs,
  mwaa,
  s3,
  sqs,
};
