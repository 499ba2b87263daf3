import { cases } from './cases/network';
import { runCases } from './harness';

runCases(cases);
