/**
 * Throttling is handled by the SDK's retry strategy, not by our code. aws-sdk-client-mock replaces
 * `send` and so bypasses the retry middleware; to exercise the real retries this test keeps the
 * real EC2 client and fakes the HTTP layer underneath it (EC2 query protocol XML), with a retry
 * strategy whose delay is a few milliseconds.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { Readable } from 'node:stream';
import { AwsAdapter } from '../../../../lambda/endpoint-manager/src/aws';
import { createHandler } from '../../../../lambda/endpoint-manager/src/handler';
import { initialSqsEndpointPolicy } from '../../../../contracts/sqs-endpoint-policy';
import { DB_SERVICE, REGION, SQS_ENDPOINT_ID, VPC_ID, mwaaEvent, queueArn, testSettings } from './fixtures';
import { LAMBDA_CONTEXT, captureLogs } from './fake-aws';

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

class FakeEc2Http {
  readonly requests: URLSearchParams[] = [];
  private policy = initialSqsEndpointPolicy({ region: REGION, partition: 'aws' });
  private throttlesLeft: number;

  constructor(
    private readonly throttledAction: string,
    private readonly errorCode: string,
    throttles = 1,
  ) {
    this.throttlesLeft = throttles;
  }

  async handle(request: { body?: unknown }) {
    const params = new URLSearchParams(String(request.body));
    this.requests.push(params);
    const action = params.get('Action')!;
    if (action === this.throttledAction && this.throttlesLeft > 0) {
      this.throttlesLeft -= 1;
      return this.reply(
        503,
        `<Response><Errors><Error><Code>${this.errorCode}</Code><Message>Rate exceeded</Message></Error></Errors><RequestID>throttled</RequestID></Response>`,
      );
    }
    const ns = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';
    switch (action) {
      case 'DescribeVpcEndpoints': {
        const item =
          params.get('VpcEndpointId.1') === SQS_ENDPOINT_ID
            ? `<item><vpcEndpointId>${SQS_ENDPOINT_ID}</vpcEndpointId><vpcId>${VPC_ID}</vpcId><policyDocument>${xmlEscape(this.policy)}</policyDocument></item>`
            : '';
        return this.reply(
          200,
          `<DescribeVpcEndpointsResponse ${ns}><requestId>r</requestId><vpcEndpointSet>${item}</vpcEndpointSet></DescribeVpcEndpointsResponse>`,
        );
      }
      case 'ModifyVpcEndpoint':
        this.policy = params.get('PolicyDocument')!;
        return this.reply(
          200,
          `<ModifyVpcEndpointResponse ${ns}><requestId>r</requestId><return>true</return></ModifyVpcEndpointResponse>`,
        );
      case 'CreateVpcEndpoint':
        return this.reply(
          200,
          `<CreateVpcEndpointResponse ${ns}><requestId>r</requestId><vpcEndpoint><vpcEndpointId>vpce-0123456789abcdef1</vpcEndpointId>` +
            `<serviceName>${params.get('ServiceName')}</serviceName><state>pending</state></vpcEndpoint><clientToken>${params.get('ClientToken')}</clientToken></CreateVpcEndpointResponse>`,
        );
      default:
        return this.reply(
          400,
          `<Response><Errors><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></Errors><RequestID>x</RequestID></Response>`,
        );
    }
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs() {
    return {};
  }

  private reply(statusCode: number, xml: string) {
    return Promise.resolve({
      response: { statusCode, reason: '', headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: Readable.from([Buffer.from(xml)]) },
    });
  }
}

function handlerWith(http: FakeEc2Http) {
  const settings = testSettings();
  const aws = new AwsAdapter(settings, {
    ec2: {
      region: REGION,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      requestHandler: http as never,
      retryStrategy: new ConfiguredRetryStrategy(4, () => 5),
    },
  });
  return createHandler({ settings, aws, logger: new Logger({ serviceName: 'mwaa-endpoint-manager' }) });
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('throttling', () => {
  it.each(['ThrottlingException', 'RequestLimitExceeded'])(
    'a %s on CreateVpcEndpoint is retried by the SDK with the same ClientToken',
    async (code) => {
      const http = new FakeEc2Http('CreateVpcEndpoint', code);
      const result = await handlerWith(http)(mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY' }), LAMBDA_CONTEXT);

      const creates = http.requests.filter((p) => p.get('Action') === 'CreateVpcEndpoint');
      expect(creates).toHaveLength(2);
      expect(creates[1]!.get('ClientToken')).toBe(creates[0]!.get('ClientToken'));
      expect(creates[1]!.get('ServiceName')).toBe(DB_SERVICE);
      expect(result).toMatchObject({ outcome: 'applied', createdEndpointIds: ['vpce-0123456789abcdef1'] });
    },
  );

  it('a throttled ModifyVpcEndpoint is retried and the policy is written once it succeeds', async () => {
    const http = new FakeEc2Http('ModifyVpcEndpoint', 'ThrottlingException');
    await handlerWith(http)(mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY' }), LAMBDA_CONTEXT);
    const modifies = http.requests.filter((p) => p.get('Action') === 'ModifyVpcEndpoint');
    expect(modifies).toHaveLength(2);
    expect(JSON.parse(modifies[1]!.get('PolicyDocument')!).Statement[0].Resource).toEqual([queueArn('1a2b3c4d')]);
  });

  it('when throttling outlasts the retries the invocation fails (to be retried by Lambda), after logging', async () => {
    const http = new FakeEc2Http('CreateVpcEndpoint', 'ThrottlingException', 10);
    await expect(handlerWith(http)(mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY' }), LAMBDA_CONTEXT)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(http.requests.filter((p) => p.get('Action') === 'CreateVpcEndpoint')).toHaveLength(4);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Processing failed; the invocation will be retried',
        error: expect.stringContaining('ThrottlingException'),
      }),
    );
  });
});
