import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOWED_DRIFT, changedAttributes, driftLines, unexpectedDrift } from '../../../tools/emulated/drift';
import { deployedFunction } from '../../../tools/emulated/endpoint-manager-runner';

describe('emulator drift allow-list', () => {
  // A list of this test's own: the shipped one is empty (the emulator echoes what moto dropped).
  const allowList = { aws_lambda_function: { dead_letter_config: 'why', logging_config: 'why' } };

  test('an update of only allowed attributes of an allowed type is expected drift', () => {
    expect(unexpectedDrift('drift owner aws_lambda_function.fn update: dead_letter_config, logging_config', allowList)).toEqual([]);
  });

  test('with the shipped list, every drift line is unexpected', () => {
    expect(ALLOWED_DRIFT).toEqual({});
    expect(unexpectedDrift('drift owner aws_lambda_function.fn update: dead_letter_config')).toEqual([
      'drift owner aws_lambda_function.fn update: dead_letter_config',
    ]);
  });

  test('any other attribute, type or action is reported', () => {
    const lines = [
      'drift owner aws_lambda_function.fn update: dead_letter_config, memory_size',
      'drift owner aws_sqs_queue.q update: policy',
      'drift owner aws_lambda_function.fn replace: dead_letter_config',
      'drift owner aws_vpc_security_group_ingress_rule.r create: ',
      'owner: no changes',
    ];
    expect(unexpectedDrift(lines.join('\n'), allowList)).toEqual(lines.slice(0, 4).map((l) => l.trim()));
  });

  test('changed attributes compare values, treat absent as null and leave tags_all out', () => {
    expect(changedAttributes({ a: 1, b: [1], c: null, tags_all: { x: '1' } }, { a: 1, b: [2], d: null, tags_all: {} })).toEqual(['b']);
  });

  test('drift lines name the stack, address, action and attributes; no-op and read are not drift', () => {
    const plan = {
      resource_changes: [
        { address: 'aws_lambda_function.fn', change: { actions: ['update'], before: { x: 1, y: 1 }, after: { x: 2, y: 1 } } },
        { address: 'aws_vpc.v', change: { actions: ['no-op'], before: {}, after: {} } },
        { address: 'data.aws_iam_policy_document.d', change: { actions: ['read'], before: null, after: {} } },
        { address: 'aws_sqs_queue.q', change: { actions: ['delete', 'create'], before: { n: 'a' }, after: { n: 'b' } } },
      ],
    };
    expect(driftLines('owner', plan)).toEqual(['drift owner aws_lambda_function.fn update: x', 'drift owner aws_sqs_queue.q replace: n']);
  });
});

describe('the endpoint manager as Terraform applied it', () => {
  const state = (resources: unknown[]) => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'terraform.owner.tfstate');
    writeFileSync(file, JSON.stringify({ resources }));
    return file;
  };
  const fn = (name: string) => ({
    type: 'aws_lambda_function',
    mode: 'managed',
    instances: [
      {
        attributes: {
          function_name: name,
          arn: `arn:aws:lambda:eu-west-1:111111111111:function:${name}`,
          role: 'arn:aws:iam::111111111111:role/r',
          environment: [{ variables: { SHARED_VPC_ID: 'vpc-1' } }],
          dead_letter_config: [{ target_arn: 'arn:aws:sqs:eu-west-1:111111111111:dlq' }],
          source_code_hash: 'h',
        },
      },
    ],
  });

  test('reads variables, role and dead-letter target of the named function', () => {
    expect(deployedFunction(state([fn('other'), fn('acme-data-endpoint-manager')]), 'acme-data-endpoint-manager')).toEqual({
      arn: 'arn:aws:lambda:eu-west-1:111111111111:function:acme-data-endpoint-manager',
      role: 'arn:aws:iam::111111111111:role/r',
      variables: { SHARED_VPC_ID: 'vpc-1' },
      deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:111111111111:dlq',
      sourceCodeHash: 'h',
    });
  });

  test('nothing before the owner is applied, or when the function is not in the state', () => {
    expect(deployedFunction('/nonexistent/terraform.owner.tfstate', 'x')).toBeUndefined();
    expect(deployedFunction(state([fn('other')]), 'acme-data-endpoint-manager')).toBeUndefined();
  });
});
