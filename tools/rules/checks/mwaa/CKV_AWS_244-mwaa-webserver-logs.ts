import { mwaaLogRule } from '../../mwaa-logs';

export const rule = mwaaLogRule('CKV_AWS_244', 'webserver_logs', 'Webserver');
