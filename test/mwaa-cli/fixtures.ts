/** Helpers for the mwaa CLI tests: a throwaway configuration directory and a fake MWAA webserver on loopback. */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { networkFingerprint } from '../../model/contract';
import { platformSchema } from '../../model/schema/platform';

export const PLATFORM_YAML = `platform: acme-data
region: eu-west-1
owner:
  accountId: "111111111111"
network:
  create:
    cidr: 10.40.0.0/16
    availabilityZones: [eu-west-1a, eu-west-1b]
    privateSubnetCidrs: [10.40.0.0/20, 10.40.16.0/20]
mwaa:
  allowPublicWebserver: true
`;

export const TEAMS: Readonly<Record<string, string>> = {
  analytics: `team: analytics
accountId: "222222222222"
access:
  principals: ["arn:aws:iam::222222222222:role/AnalyticsEngineers"]
environments:
  - name: analytics-prod
    webserverAccessMode: PRIVATE_ONLY
    airflowConfigurationOptions:
      core.default_task_retries: "2"
      celery.worker_autoscale: "10,10"
  - name: analytics-dev
`,
  marketing: `team: marketing
accountId: "333333333333"
access:
  principals: ["arn:aws:iam::333333333333:role/MarketingAnalysts"]
  airflowRole: Viewer
environments:
  - name: marketing-campaigns
    webserverAccessMode: PUBLIC_ONLY
`,
};

/**
 * Writes platform.yaml, the given team files and a matching network contract into `config/` of a new temp
 * repository (its parent, where team folders would live); returns the configuration directory.
 */
export function writeConfig(teams: Readonly<Record<string, string>> = TEAMS): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'mwaa-cli-repo-')), 'config');
  mkdirSync(join(dir, 'teams'), { recursive: true });
  writeFileSync(join(dir, 'platform.yaml'), PLATFORM_YAML);
  for (const [name, text] of Object.entries(teams)) writeFileSync(join(dir, 'teams', `${name}.yaml`), text);
  const platform = platformSchema.parse(parse(PLATFORM_YAML));
  const contract = {
    platform: platform.platform,
    region: platform.region,
    ownerAccountId: platform.owner.accountId,
    vpcId: 'vpc-00000000000000001',
    subnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
    endpointSecurityGroupId: 'sg-0000000000000000e',
    s3PrefixListId: 'pl-00000000000000005',
    eventBusArn: 'arn:aws:events:eu-west-1:111111111111:event-bus/acme-data-mwaa-status',
    endpointManagerRoleArn: 'arn:aws:iam::111111111111:role/acme-data-endpoint-manager',
    networkFingerprint: networkFingerprint(platform),
    source: 'example',
  };
  writeFileSync(join(dir, 'network-contract.json'), JSON.stringify(contract, null, 2));
  return dir;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

export interface FakeWebserver {
  /** `http://127.0.0.1:PORT`, for MWAA_ENDPOINT_OVERRIDE. */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  handler: Handler;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with an ephemeral port; tests swap `handler` per case. */
export async function startFakeWebserver(): Promise<FakeWebserver> {
  const requests: RecordedRequest[] = [];
  const fake: { handler: Handler } = { handler: (_req, res) => res.writeHead(500).end() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      fake.handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return fake.handler;
    },
    set handler(h: Handler) {
      fake.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** The `/aws_mwaa/cli` reply format. */
export function cliReply(res: ServerResponse, stdout: string, stderr = '', status = 200): void {
  json(res, status, { stdout: b64(stdout), stderr: b64(stderr) });
}
