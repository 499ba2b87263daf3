import { runCases } from '../harness';
import { cases } from './sqs';

runCases(cases);
