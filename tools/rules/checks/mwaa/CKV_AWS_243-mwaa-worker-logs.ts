import { mwaaLogRule } from './log-rule';

export const rule = mwaaLogRule('CKV_AWS_243', 'worker_logs', 'Worker');
