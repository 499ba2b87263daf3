import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleEndpointManager } from '../../../lambda/endpoint-manager/bundle';
import { ENV_VARS } from './src/fixtures';

describe('bundleEndpointManager', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'endpoint-manager-bundle-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('writes <outDir>/index.js, returns outDir, and keeps the AWS SDK external while bundling Powertools', () => {
    const outDir = fresh();
    expect(bundleEndpointManager(outDir)).toBe(outDir);
    const code = readFileSync(path.join(outDir, 'index.js'), 'utf8');
    expect(code).toMatch(/require\("@aws-sdk\/client-ec2"\)/);
    expect(code).toMatch(/require\("@aws-sdk\/client-mwaa"\)/);
    expect(code).toMatch(/require\("@aws-sdk\/client-sts"\)/);
    expect(code).not.toMatch(/node_modules\/@aws-sdk\//); // no SDK source inlined
    expect(code).not.toMatch(/require\("@aws-lambda-powertools/); // Powertools is inside the bundle
    expect(code).toContain('AllowRegisteredCeleryQueues');
    expect(code).not.toContain('sourceMappingURL');
  });

  it('is deterministic: two builds are byte-identical and free of absolute paths', () => {
    const first = readFileSync(path.join(bundleEndpointManager(fresh()), 'index.js'));
    const second = readFileSync(path.join(bundleEndpointManager(fresh()), 'index.js'));
    expect(createHash('sha256').update(first).digest('hex')).toBe(createHash('sha256').update(second).digest('hex'));
    expect(first.toString('utf8')).not.toContain(path.resolve(__dirname, '..', '..', '..'));
  });

  it('the bundle can be required and exports handler; it fails at cold start with a clear message when misconfigured', () => {
    const entry = path.join(bundleEndpointManager(fresh()), 'index.js');
    // A separate node process is a real cold start; NODE_PATH plays the Lambda runtime's role of
    // providing the AWS SDK that the bundle leaves external.
    const load = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(entry)}); console.log('handler:' + typeof m.handler);`], {
        env: { PATH: process.env.PATH ?? '', NODE_PATH: path.resolve(__dirname, '..', '..', '..', 'node_modules'), ...env },
        encoding: 'utf8',
      });

    const ok = load({ ...ENV_VARS });
    expect(ok.stderr).not.toMatch(/Error/);
    expect(ok.stdout).toContain('handler:function');

    const misconfigured = load({ ...ENV_VARS, SHARED_SUBNET_IDS: '' });
    expect(misconfigured.status).not.toBe(0);
    expect(misconfigured.stderr).toContain('endpoint-manager configuration is invalid: SHARED_SUBNET_IDS is required');
  });

  it('is fast enough to run on every synth', () => {
    const started = Date.now();
    bundleEndpointManager(fresh());
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
