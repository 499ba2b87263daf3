import { setup } from './global-tmpdir';

const DISABLE_DEP0044 = '--disable-warning=DEP0044';

export default function globalSetup(): void {
  // The AWS SDK prints a notice on Node < 22 (it will require 22 in 2027); engines still admit Node 20, which the
  // tests cover, and the notice is noise in every run there. Set before the workers start, so they and every
  // process the tests spawn inherit it; `.ci/run` also runs the unit tier on Node 22 and 24, where it never appears.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // cdktf 0.21.0, its last release, calls util.isArray when it writes an output (TerraformOutput.isITerraformAddressable);
  // Node 22 made that a run-time deprecation (DEP0044), printed on stderr by every synthesis the tests start and assert
  // silent. Exactly that warning is switched off, for the workers and every process they spawn; any other still shows.
  // Only from Node 22: Node 20 before 20.11 does not know the option (and never printed the warning).
  if (Number(process.versions.node.split('.')[0]) >= 22 && !(process.env.NODE_OPTIONS ?? '').includes(DISABLE_DEP0044)) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${DISABLE_DEP0044}`.trim();
  }
  setup();
}
