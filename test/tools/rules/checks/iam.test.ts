import { runCases } from '../harness';
import { cases } from './iam';

runCases(cases);
