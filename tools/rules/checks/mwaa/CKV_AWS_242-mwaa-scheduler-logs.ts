import { mwaaLogRule } from '../../mwaa-logs';

export const rule = mwaaLogRule('CKV_AWS_242', 'scheduler_logs', 'Scheduler');
