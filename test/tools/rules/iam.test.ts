import { cases } from './cases/iam';
import { runCases } from './harness';

runCases(cases);
