import { mwaaLogRule } from './log-rule';

export const rule = mwaaLogRule('CKV_AWS_244', 'webserver_logs', 'Webserver');
