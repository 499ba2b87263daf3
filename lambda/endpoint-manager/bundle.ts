import { buildSync } from 'esbuild';
import * as path from 'node:path';
import { ENDPOINT_MANAGER_NODE_TARGET } from '../../contracts/endpoint-manager';

/**
 * Bundles the endpoint manager into `<outDir>/index.js` for a cdktf TerraformAsset (archive).
 * The AWS SDK v3 is left to the Lambda Node.js runtime (ENDPOINT_MANAGER_RUNTIME); Powertools is bundled. No minification,
 * no source map, no metafile and a fixed banner-free output keep the bytes (and the asset hash)
 * identical between synths, so Terraform sees no change unless the code changed.
 */
export function bundleEndpointManager(outDir: string): string {
  buildSync({
    entryPoints: [path.join(__dirname, 'src', 'index.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: ENDPOINT_MANAGER_NODE_TARGET,
    format: 'cjs',
    external: ['@aws-sdk/*'],
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    // Relative paths in comments, so the output does not depend on where the repo is checked out.
    absWorkingDir: __dirname,
    logLevel: 'silent',
  });
  return outDir;
}
