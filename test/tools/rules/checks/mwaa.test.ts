import { runCases } from '../harness';
import { cases } from './mwaa';

runCases(cases);
