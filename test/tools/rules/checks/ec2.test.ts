import { runCases } from '../harness';
import { cases } from './ec2';

runCases(cases);
