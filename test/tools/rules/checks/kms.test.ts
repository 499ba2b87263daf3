import { runCases } from '../harness';
import { cases } from './kms';

runCases(cases);
