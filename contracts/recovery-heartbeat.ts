/** MWAA's scheduler heartbeat metric as MWAA publishes it: the alarm (constructs) and `npm run failover` (tools) read the same. */
export const SCHEDULER_HEARTBEAT = { namespace: 'AmazonMWAA', metricName: 'SchedulerHeartbeat', function: 'Scheduler' } as const;
