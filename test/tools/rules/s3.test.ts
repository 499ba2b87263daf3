import { cases } from './cases/s3';
import { runCases } from './harness';

runCases(cases);
