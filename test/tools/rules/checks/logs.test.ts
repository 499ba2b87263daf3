import { runCases } from '../harness';
import { cases } from './logs';

runCases(cases);
