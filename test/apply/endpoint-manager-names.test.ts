/** The names `npm run apply` quotes when an environment stays PENDING are the ones the owner stack creates. */
import { loadPlatformConfig } from '../../model/load';
import {
  ENDPOINT_MANAGER_ALARMS,
  endpointManagerAlarmName,
  endpointManagerDeadLetterQueueName,
  endpointManagerLogGroupName,
} from '../../contracts/endpoint-manager';
import { FIXTURE_CONFIG } from '../support/config-fixture';
import { resourcesOf, synthOwner } from '../support/synth';

let tf: any;
beforeAll(() => {
  tf = synthOwner(loadPlatformConfig(FIXTURE_CONFIG)).tf;
});
const names = (type: string, attr: string) => Object.values(resourcesOf(tf, type)).map((r: any) => r[attr]);

it('log group, dead-letter queue and alarms of the endpoint manager exist under the contract names', () => {
  expect(endpointManagerLogGroupName('acme-data')).toBe('/aws/lambda/acme-data-endpoint-manager');
  expect(names('aws_cloudwatch_log_group', 'name')).toContain(endpointManagerLogGroupName('acme-data'));
  expect(endpointManagerDeadLetterQueueName('acme-data')).toBe('acme-data-endpoint-manager-dlq');
  expect(names('aws_sqs_queue', 'name')).toContain(endpointManagerDeadLetterQueueName('acme-data'));
  expect(ENDPOINT_MANAGER_ALARMS.map((k) => endpointManagerAlarmName('acme-data', k))).toEqual([
    'acme-data-endpoint-manager-dlq-depth',
    'acme-data-endpoint-manager-errors',
    'acme-data-endpoint-manager-throttles',
  ]);
  expect(names('aws_cloudwatch_metric_alarm', 'alarm_name').sort()).toEqual(
    ENDPOINT_MANAGER_ALARMS.map((k) => endpointManagerAlarmName('acme-data', k)).sort(),
  );
});
