import { setup } from './global-tmpdir';

export default function globalSetup(): void {
  // The AWS SDK prints a notice on Node < 22 (it will require 22 in 2027); engines still admit Node 20, which the
  // tests cover, and the notice is noise in every run there. Set before the workers start, so they and every
  // process the tests spawn inherit it; `.ci/run` also runs the unit tier on Node 22 and 24, where it never appears.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  setup();
}
