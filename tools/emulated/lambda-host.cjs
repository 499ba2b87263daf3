/**
 * One warm "Lambda execution environment" for the endpoint manager's deployed bundle: started by
 * endpoint-manager-runner.ts with the function's configured environment variables and its role's credentials,
 * it loads index.js once (settings are read at cold start, as in Lambda) and answers invocations sent over IPC.
 */
'use strict';

const bundle = require(process.argv[2]);

process.on('message', async (message) => {
  try {
    const result = await bundle.handler(message.event, {
      invokedFunctionArn: message.functionArn,
      functionName: message.functionArn.split(':').pop(),
      awsRequestId: message.requestId,
      getRemainingTimeInMillis: () => 300000,
    });
    process.send({ id: message.id, ok: true, result });
  } catch (error) {
    process.send({ id: message.id, ok: false, error: { name: error && error.name, message: String((error && error.message) || error) } });
  }
});
process.send({ ready: true });
