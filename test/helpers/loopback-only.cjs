'use strict';
// Preloaded (`node --require`) into a CLI under test: every outgoing TCP connection to a host that
// is not loopback is written to stderr as `NON-LOOPBACK host:port` and refused, so a test can prove
// a command never reached the network (the real VOD included) and a stray attempt fails fast.
const net = require('node:net');
const LOOPBACK = /^(127\.|::1$|localhost$|::ffff:127\.)/;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  // Node passes its normalized `[options, callback]` array; a direct call may pass (port, host).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options =
    typeof first === 'object' && first !== null
      ? first
      : { port: first, host: typeof args[1] === 'string' ? args[1] : 'localhost' };
  const host = options.path ? 'localhost' : String(options.host ?? 'localhost');
  if (!LOOPBACK.test(host)) {
    process.stderr.write(`NON-LOOPBACK ${host}:${options.port}\n`);
    process.nextTick(() => this.destroy(new Error(`connection to ${host} refused by the loopback-only guard`)));
    return this;
  }
  return connect.apply(this, args);
};
