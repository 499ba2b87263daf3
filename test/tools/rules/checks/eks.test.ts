import { runCases } from '../harness';
import { cases } from './eks';

runCases(cases);
