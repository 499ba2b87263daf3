import { setup } from './global-tmpdir';
export default setup;
