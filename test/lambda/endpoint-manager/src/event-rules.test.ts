/** Near misses of event validation that event.test.ts leaves open: each is refused with the exact reason an operator reads. */
import { validateEvent, type EventValidation } from '../../../../lambda/endpoint-manager/src/event';
import { FOREIGN_SUBNET, SUBNET_A, VALIDATION, mwaaEvent } from './fixtures';

function reasons(result: EventValidation) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result.reasons;
}

describe('validateEvent near misses', () => {
  it('an MWAA-shaped event from another source is unsupported, not processed', () => {
    expect(reasons(validateEvent(mwaaEvent('PENDING', {}, { source: 'aws.ec2' }), VALIDATION))).toEqual([
      { code: 'unsupported-event', message: 'unsupported event source/detail-type "aws.ec2"/"MWAA Environment Status Change"' },
    ]);
  });

  it('a region that is not an AWS region', () => {
    expect(reasons(validateEvent(mwaaEvent('PENDING', {}, { region: 'Mars' }), VALIDATION))).toEqual([
      { code: 'malformed-event', message: 'region "Mars" is not an AWS region' },
    ]);
  });

  it('a status that only looks like one when turned into text', () => {
    expect(reasons(validateEvent(mwaaEvent(['PENDING'] as never), VALIDATION))).toEqual([
      { code: 'malformed-event', message: 'detail.status "PENDING" is not an MWAA status' },
    ]);
    expect(reasons(validateEvent(mwaaEvent('xPENDING'), VALIDATION))).toEqual([
      { code: 'malformed-event', message: 'detail.status "xPENDING" is not an MWAA status' },
    ]);
  });

  it.each([
    ['a number among the subnet ids', [SUBNET_A, 42], `[${JSON.stringify(SUBNET_A)},42]`],
    ['a subnet id wrapped in a list', [[SUBNET_A]], `[[${JSON.stringify(SUBNET_A)}]]`],
  ])('%s is malformed, not a foreign subnet', (_label, subnetIds, shown) => {
    expect(reasons(validateEvent(mwaaEvent('PENDING', { networkConfiguration: { subnetIds } }), VALIDATION))).toEqual([
      { code: 'malformed-event', message: `networkConfiguration.subnetIds ${shown} is not a non-empty list of subnet ids` },
    ]);
  });

  it('foreign subnets are named, comma-separated', () => {
    const other = 'subnet-0ddddddddddddddd4';
    expect(
      reasons(validateEvent(mwaaEvent('PENDING', { networkConfiguration: { subnetIds: [FOREIGN_SUBNET, other] } }), VALIDATION)),
    ).toEqual([{ code: 'foreign-subnet', message: `subnets ${FOREIGN_SUBNET}, ${other} are not shared subnets of the shared VPC` }]);
  });

  it('an empty endpoint service is reported missing', () => {
    expect(reasons(validateEvent(mwaaEvent('PENDING', { databaseVpcEndpointService: '' }), VALIDATION))).toEqual([
      { code: 'malformed-event', message: 'databaseVpcEndpointService is missing' },
    ]);
  });
});
