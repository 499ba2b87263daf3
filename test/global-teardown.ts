import { teardown } from './global-tmpdir';
export default teardown;
