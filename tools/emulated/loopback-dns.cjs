/**
 * Preloaded (NODE_OPTIONS=--require) into the project's Node commands when they talk to the emulated AWS. AWS SDK
 * clients put a host prefix before some endpoints (MWAA's `api.`, `env.`), which turns http://127.0.0.1:port into
 * api.127.0.0.1, a name no resolver knows; here any name ending in `.127.0.0.1` resolves to the loopback address.
 * Nothing else is touched, so a mistaken preload outside the emulator changes nothing.
 */
'use strict';
const dns = require('node:dns');

const LOOPBACK_SUFFIX = '.127.0.0.1';
const original = dns.lookup;

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof hostname === 'string' && hostname.endsWith(LOOPBACK_SUFFIX)) {
    const cb = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all;
    process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
    return {};
  }
  return original.call(dns, hostname, options, callback);
};
