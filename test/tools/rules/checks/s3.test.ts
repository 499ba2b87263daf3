import { runCases } from '../harness';
import { cases } from './s3';

runCases(cases);
