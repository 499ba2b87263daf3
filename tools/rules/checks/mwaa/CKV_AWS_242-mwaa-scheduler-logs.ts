import { mwaaLogRule } from './log-rule';

export const rule = mwaaLogRule('CKV_AWS_242', 'scheduler_logs', 'Scheduler');
