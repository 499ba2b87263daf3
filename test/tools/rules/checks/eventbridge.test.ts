import { runCases } from '../harness';
import { cases } from './eventbridge';

runCases(cases);
