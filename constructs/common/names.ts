export { boundedName } from '../../contracts/names';
