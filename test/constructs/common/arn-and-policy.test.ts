/** ARNs and policy documents are built in one place: formatArn / PlatformStack.arn and the policy-document builder. */
import { Testing } from 'cdktf';
import { accountRootArn, awsManagedPolicyArn, formatArn, iamRoleArn } from '../../../contracts/aws';
import { policyDocument, policyJson } from '../../../constructs/common/policy-document';
import { TestPlatformStack } from '../../support/synth';

describe('formatArn', () => {
  it('joins the parts with `/` by default, `:` when asked, and leaves out what is empty', () => {
    const base = { partition: 'aws', service: 'iam', region: '', account: '111111111111' };
    expect(formatArn({ ...base, resource: 'role', resourceName: 'path/name' })).toBe('arn:aws:iam::111111111111:role/path/name');
    expect(formatArn({ ...base, resource: 'root' })).toBe('arn:aws:iam::111111111111:root');
    expect(
      formatArn({
        partition: 'aws-cn',
        service: 'logs',
        region: 'cn-north-1',
        account: '1',
        resource: 'log-group',
        separator: ':',
        resourceName: 'x*',
      }),
    ).toBe('arn:aws-cn:logs:cn-north-1:1:log-group:x*');
    expect(formatArn({ partition: 'aws', service: 's3', region: '', account: '', resource: 'bucket' })).toBe('arn:aws:s3:::bucket');
    expect(iamRoleArn('aws-us-gov', '2', 'r')).toBe('arn:aws-us-gov:iam::2:role/r');
    expect(accountRootArn('aws', '3')).toBe('arn:aws:iam::3:root');
    expect(awsManagedPolicyArn('aws', 'AdministratorAccess')).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
  });
});

describe('PlatformStack.arn', () => {
  it("uses the stack's partition, region and account unless told otherwise ('' for global services)", () => {
    const stack = new TestPlatformStack(Testing.app(), { accountId: '444455556666', region: 'us-gov-west-1' });
    expect(stack.arn({ service: 'airflow', resource: 'environment', resourceName: 'e' })).toBe(
      'arn:aws-us-gov:airflow:us-gov-west-1:444455556666:environment/e',
    );
    expect(stack.arn({ service: 'iam', region: '', account: 'aws', resource: 'policy', resourceName: 'P' })).toBe(
      'arn:aws-us-gov:iam::aws:policy/P',
    );
    expect(stack.arn({ service: 'sqs', account: '*', resource: 'q-*' })).toBe('arn:aws-us-gov:sqs:us-gov-west-1:*:q-*');
  });
});

describe('policyDocument', () => {
  it('writes Version then Statement, leaving out statements that do not apply', () => {
    const allow = { Sid: 'A', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: '*' };
    expect(policyDocument([allow, false, undefined])).toEqual({ Version: '2012-10-17', Statement: [allow] });
    expect(policyJson([allow])).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    );
  });
});
