import { runCases } from '../harness';
import { cases } from './lambda';

runCases(cases);
