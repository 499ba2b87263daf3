import { mwaaLogRule } from '../../mwaa-logs';

export const rule = mwaaLogRule('CKV_AWS_243', 'worker_logs', 'Worker');
