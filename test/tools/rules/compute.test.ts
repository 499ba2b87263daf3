import { cases } from './cases/compute';
import { runCases } from './harness';

runCases(cases);
