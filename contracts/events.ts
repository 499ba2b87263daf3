/** The MWAA status events participant accounts forward to the owner's bus, and the endpoint manager consumes. */

export const MWAA_EVENT_SOURCE = 'aws.airflow';
export const MWAA_STATUS_DETAIL_TYPE = 'MWAA Environment Status Change';

/** EventBridge pattern of MWAA status changes: the participant's forwarding rule and the owner's rule match it. */
export const MWAA_STATUS_EVENT_PATTERN = JSON.stringify({ source: [MWAA_EVENT_SOURCE], 'detail-type': [MWAA_STATUS_DETAIL_TYPE] });
