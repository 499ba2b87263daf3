import { validateEvent, type EventValidation } from '../../../../lambda/endpoint-manager/src/event';
import {
  DB_SERVICE,
  FOREIGN_SUBNET,
  OTHER_PARTICIPANT,
  PARTICIPANT,
  QUEUE_OWNER,
  SUBNET_A,
  SUBNET_B,
  UNKNOWN_ACCOUNT,
  VALIDATION,
  WEB_SERVICE,
  mwaaEvent,
  queueArn,
  scheduledEvent,
  serviceName,
} from './fixtures';

function rejection(result: EventValidation) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result;
}

describe('validateEvent: accepted events', () => {
  it('PENDING with private web server needs both endpoints', () => {
    expect(validateEvent(mwaaEvent('PENDING'), VALIDATION)).toEqual({
      ok: true,
      event: {
        type: 'pending',
        environment: {
          account: PARTICIPANT,
          name: 'team-a',
          status: 'PENDING',
          celeryExecutorQueue: queueArn('1a2b3c4d'),
          subnetIds: [SUBNET_A, SUBNET_B],
          webserverAccessMode: 'PRIVATE_ONLY',
          endpointServices: { database: DB_SERVICE, webserver: WEB_SERVICE },
        },
      },
    });
  });

  it('PENDING with public web server needs only the database endpoint, whatever the webserver field says', () => {
    const result = validateEvent(
      mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY', webserverVpcEndpointService: 'garbage' }),
      VALIDATION,
    );
    expect(result.ok && result.event.type === 'pending' && result.event.environment.endpointServices).toEqual({ database: DB_SERVICE });
  });

  it('accepts a Celery queue owned by an AWS-managed account rather than the participant', () => {
    const result = validateEvent(mwaaEvent('PENDING', { celeryExecutorQueue: queueArn('x', QUEUE_OWNER) }), VALIDATION);
    expect(result.ok).toBe(true);
  });

  it('DELETED keeps the queue and the endpoint services named by the event', () => {
    expect(validateEvent(mwaaEvent('DELETED'), VALIDATION)).toEqual({
      ok: true,
      event: {
        type: 'deleted',
        environment: { account: PARTICIPANT, name: 'team-a' },
        celeryExecutorQueue: queueArn('1a2b3c4d'),
        endpointServices: [DB_SERVICE, WEB_SERVICE],
      },
    });
  });

  it('DELETED needs only the identity', () => {
    const event = mwaaEvent('DELETED');
    (event as { detail: unknown }).detail = { name: 'team-a', status: 'DELETED' };
    expect(validateEvent(event, VALIDATION)).toEqual({
      ok: true,
      event: { type: 'deleted', environment: { account: PARTICIPANT, name: 'team-a' }, endpointServices: [] },
    });
  });

  it.each(['AVAILABLE', 'CREATING', 'UPDATING', 'DELETING', 'CREATE_FAILED'])('%s is another status: no change', (status) => {
    expect(validateEvent(mwaaEvent(status, {}, { account: OTHER_PARTICIPANT }), VALIDATION)).toEqual({
      ok: true,
      event: { type: 'other-status', environment: { account: OTHER_PARTICIPANT, name: 'team-a' }, status },
    });
  });

  it('recognises the scheduled reconcile event', () => {
    expect(validateEvent(scheduledEvent, VALIDATION)).toEqual({ ok: true, event: { type: 'scheduled' } });
  });
});

describe('validateEvent: rejections, each with its message', () => {
  it('unregistered account', () => {
    const result = rejection(validateEvent(mwaaEvent('PENDING', {}, { account: UNKNOWN_ACCOUNT }), VALIDATION));
    expect(result.reasons).toEqual([
      { code: 'unregistered-account', message: `account ${UNKNOWN_ACCOUNT} is not a registered participant` },
    ]);
    expect(result.environment).toEqual({ account: UNKNOWN_ACCOUNT, name: 'team-a' });
  });

  it('unregistered account is rejected for every status, not only PENDING', () => {
    expect(rejection(validateEvent(mwaaEvent('DELETED', {}, { account: UNKNOWN_ACCOUNT }), VALIDATION)).reasons[0]!.code).toBe(
      'unregistered-account',
    );
  });

  it('event from another region', () => {
    expect(rejection(validateEvent(mwaaEvent('PENDING', {}, { region: 'eu-west-1' }), VALIDATION)).reasons).toEqual([
      { code: 'foreign-region', message: "event region eu-west-1 is not the shared VPC's region us-east-1" },
    ]);
  });

  it('subnets outside the shared subnets', () => {
    const result = rejection(
      validateEvent(mwaaEvent('PENDING', { networkConfiguration: { subnetIds: [SUBNET_A, FOREIGN_SUBNET] } }), VALIDATION),
    );
    expect(result.reasons).toEqual([
      { code: 'foreign-subnet', message: `subnets ${FOREIGN_SUBNET} are not shared subnets of the shared VPC` },
    ]);
  });

  it.each([
    ['of another region', queueArn('x', QUEUE_OWNER, 'us-west-2'), 'is not in aws/us-east-1'],
    [
      'not named airflow-celery-',
      `arn:aws:sqs:us-east-1:${QUEUE_OWNER}:my-exfiltration-queue`,
      'is not an MWAA Celery queue (airflow-celery-...)',
    ],
    ['of another partition', `arn:aws-cn:sqs:us-east-1:${QUEUE_OWNER}:airflow-celery-x`, 'is not in aws/us-east-1'],
    ['not an SQS ARN', `arn:aws:sns:us-east-1:${QUEUE_OWNER}:airflow-celery-x`, 'is not an SQS queue ARN'],
    ['with a wildcard', `arn:aws:sqs:us-east-1:${QUEUE_OWNER}:airflow-celery-*`, 'is not an SQS queue ARN'],
  ])('queue ARN %s', (_label, queue, message) => {
    expect(rejection(validateEvent(mwaaEvent('PENDING', { celeryExecutorQueue: queue }), VALIDATION)).reasons).toEqual([
      { code: 'invalid-queue', message: `celeryExecutorQueue "${queue}" ${message}` },
    ]);
  });

  it.each([
    ['of another region', 'databaseVpcEndpointService', serviceName('0123456789abcdef0', 'eu-west-1')],
    ['that is an AWS service, not an endpoint service', 'databaseVpcEndpointService', 'com.amazonaws.us-east-1.sqs'],
    ['of a private web server, malformed', 'webserverVpcEndpointService', 'com.amazonaws.vpce.us-east-1.vpce-svc-XYZ'],
  ])('endpoint service %s', (_label, field, value) => {
    expect(rejection(validateEvent(mwaaEvent('PENDING', { [field]: value }), VALIDATION)).reasons).toEqual([
      {
        code: 'invalid-endpoint-service',
        message: `${field} "${value}" is not a VPC endpoint service of us-east-1 (com.amazonaws.vpce.us-east-1.vpce-svc-...)`,
      },
    ]);
  });

  it('lists every problem of a PENDING event at once', () => {
    const result = rejection(
      validateEvent(
        mwaaEvent('PENDING', {
          celeryExecutorQueue: undefined,
          databaseVpcEndpointService: undefined,
          webserverAccessMode: 'SOMETIMES',
          networkConfiguration: { subnetIds: [] },
        }),
        VALIDATION,
      ),
    );
    expect(result.reasons).toEqual([
      { code: 'malformed-event', message: 'celeryExecutorQueue is missing' },
      { code: 'malformed-event', message: 'networkConfiguration.subnetIds [] is not a non-empty list of subnet ids' },
      { code: 'malformed-event', message: 'webserverAccessMode "SOMETIMES" is not PRIVATE_ONLY or PUBLIC_ONLY' },
      { code: 'malformed-event', message: 'databaseVpcEndpointService is missing' },
    ]);
  });

  it('private web server without its endpoint service', () => {
    expect(rejection(validateEvent(mwaaEvent('PENDING', { webserverVpcEndpointService: undefined }), VALIDATION)).reasons).toEqual([
      { code: 'malformed-event', message: 'webserverVpcEndpointService is missing' },
    ]);
  });

  it.each([
    ['not an object', 'hello', [{ code: 'malformed-event', message: 'event is not a JSON object' }]],
    [
      'of another source',
      { source: 'aws.ec2', 'detail-type': 'x' },
      [{ code: 'unsupported-event', message: 'unsupported event source/detail-type "aws.ec2"/"x"' }],
    ],
    [
      'without detail',
      { ...mwaaEvent('PENDING'), detail: undefined },
      [{ code: 'malformed-event', message: 'detail is missing or not an object' }],
    ],
    [
      'with a bad account and region',
      mwaaEvent('PENDING', {}, { account: '12', region: 42 }),
      [
        { code: 'malformed-event', message: 'account "12" is not a 12-digit account id' },
        { code: 'malformed-event', message: 'region "42" is not an AWS region' },
      ],
    ],
    [
      'with a bad name and status',
      mwaaEvent('PENDING', { name: '../etc', status: 7 }),
      [
        { code: 'malformed-event', message: 'detail.name "../etc" is not an MWAA environment name' },
        { code: 'malformed-event', message: 'detail.status "7" is not an MWAA status' },
      ],
    ],
    [
      'with malformed subnet ids',
      mwaaEvent('PENDING', { networkConfiguration: { subnetIds: ['subnet-XYZ'] } }),
      [{ code: 'malformed-event', message: 'networkConfiguration.subnetIds ["subnet-XYZ"] is not a non-empty list of subnet ids' }],
    ],
    [
      'DELETED with a foreign queue',
      mwaaEvent('DELETED', { celeryExecutorQueue: queueArn('x', QUEUE_OWNER, 'eu-west-1') }),
      [{ code: 'invalid-queue', message: `celeryExecutorQueue "${queueArn('x', QUEUE_OWNER, 'eu-west-1')}" is not in aws/us-east-1` }],
    ],
  ])('malformed event: %s', (_label, event, reasons) => {
    expect(rejection(validateEvent(event, VALIDATION)).reasons).toEqual(reasons);
  });
});

describe('validateEvent: near misses', () => {
  it('an MWAA source with another detail-type, or the scheduler source with another one, is unsupported', () => {
    const mwaa = mwaaEvent('PENDING');
    expect(rejection(validateEvent({ ...mwaa, 'detail-type': 'MWAA Something Else' }, VALIDATION)).reasons[0]!.code).toBe(
      'unsupported-event',
    );
    expect(rejection(validateEvent({ ...scheduledEvent, 'detail-type': 'Other' }, VALIDATION)).reasons).toEqual([
      { code: 'unsupported-event', message: `unsupported event source/detail-type "aws.events"/"Other"` },
    ]);
    expect(rejection(validateEvent({ ...scheduledEvent, source: 'aws.airflow' }, VALIDATION)).reasons[0]!.code).toBe('unsupported-event');
  });

  it('a status must be upper-case letters and underscores', () => {
    for (const status of ['pending', 'PENDING!', '', 'PENDING 2']) {
      expect(rejection(validateEvent(mwaaEvent(status), VALIDATION)).reasons).toEqual([
        { code: 'malformed-event', message: `detail.status "${status}" is not an MWAA status` },
      ]);
    }
  });

  it('a rejection names only what is known of the environment', () => {
    expect(rejection(validateEvent(mwaaEvent('PENDING', {}, { account: 7 }), VALIDATION)).environment).toEqual({ name: 'team-a' });
    expect(rejection(validateEvent(mwaaEvent('PENDING', { name: 3 }), VALIDATION)).environment).toEqual({ account: PARTICIPANT });
    expect(rejection(validateEvent({ ...mwaaEvent('PENDING'), detail: ['x'] }, VALIDATION))).toMatchObject({
      reasons: [{ code: 'malformed-event', message: 'detail is missing or not an object' }],
      environment: { account: PARTICIPANT },
    });
    expect(rejection(validateEvent([mwaaEvent('PENDING')], VALIDATION)).reasons[0]!.message).toBe('event is not a JSON object');
    expect(rejection(validateEvent(null, VALIDATION)).environment).toEqual({});
  });

  it('subnet ids are listed once, sorted', () => {
    const result = validateEvent(mwaaEvent('PENDING', { networkConfiguration: { subnetIds: [SUBNET_B, SUBNET_A, SUBNET_B] } }), VALIDATION);
    expect(result.ok && result.event.type === 'pending' && result.event.environment.subnetIds).toEqual([SUBNET_A, SUBNET_B].sort());
  });

  it.each([
    ['no network configuration', { networkConfiguration: undefined }, 'null'],
    ['a network configuration that is not an object', { networkConfiguration: 'subnets' }, 'null'],
    ['subnet ids that are not strings', { networkConfiguration: { subnetIds: [42] } }, '[42]'],
    ['subnet ids that are not a list', { networkConfiguration: { subnetIds: SUBNET_A } }, JSON.stringify(SUBNET_A)],
  ])('%s is malformed', (_label, detail, shown) => {
    expect(rejection(validateEvent(mwaaEvent('PENDING', detail), VALIDATION)).reasons).toEqual([
      { code: 'malformed-event', message: `networkConfiguration.subnetIds ${shown} is not a non-empty list of subnet ids` },
    ]);
  });

  it('an empty queue is missing, not a queue ARN', () => {
    expect(rejection(validateEvent(mwaaEvent('PENDING', { celeryExecutorQueue: '' }), VALIDATION)).reasons).toEqual([
      { code: 'malformed-event', message: 'celeryExecutorQueue is missing' },
    ]);
  });

  it('DELETED: a malformed endpoint service is refused, an absent or null one skipped', () => {
    const bad = 'com.amazonaws.us-east-1.sqs';
    expect(rejection(validateEvent(mwaaEvent('DELETED', { webserverVpcEndpointService: bad }), VALIDATION)).reasons).toEqual([
      {
        code: 'invalid-endpoint-service',
        message: `webserverVpcEndpointService "${bad}" is not a VPC endpoint service of us-east-1 (com.amazonaws.vpce.us-east-1.vpce-svc-...)`,
      },
    ]);
    const result = validateEvent(mwaaEvent('DELETED', { webserverVpcEndpointService: null, celeryExecutorQueue: undefined }), VALIDATION);
    expect(result).toEqual({
      ok: true,
      event: { type: 'deleted', environment: { account: PARTICIPANT, name: 'team-a' }, endpointServices: [DB_SERVICE] },
    });
  });

  it('DELETED with an empty queue is refused rather than taken as none', () => {
    expect(rejection(validateEvent(mwaaEvent('DELETED', { celeryExecutorQueue: '' }), VALIDATION)).reasons).toEqual([
      { code: 'malformed-event', message: 'celeryExecutorQueue is missing' },
    ]);
  });
});
