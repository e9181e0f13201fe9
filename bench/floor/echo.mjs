// The floor for any single-process Node DNS server on this machine: a UDP
// "server" that does no DNS work at all, answering each datagram with a copy
// of it with QR set. bench/run.mjs measures it with the same load as Hops.
//
//   node bench/floor/echo.mjs ADDRESS PORT [plain|sync-lookup]
//
// plain: socket.send(buf, port, address), as Hops does. sync-lookup: the same
// with a `lookup` that returns the (already numeric) address at once, instead
// of dgram's default dns.lookup + process.nextTick before every send.

import dgram from 'node:dgram';

const [address, port, mode = 'plain'] = process.argv.slice(2);
if (!address?.startsWith('127.')) {
  process.stderr.write('echo: loopback addresses only\n');
  process.exit(2);
}
const options = { type: 'udp4' };
if (mode === 'sync-lookup') options.lookup = (host, _opts, callback) => callback(null, host, 4);
const socket = dgram.createSocket(options);
socket.on('message', (message, remote) => {
  if (message.length < 12) return;
  const reply = Buffer.from(message);
  reply[2] |= 0x80;
  socket.send(reply, remote.port, remote.address);
});
socket.on('error', () => {});
socket.bind(Number(port), address);
process.on('SIGTERM', () => process.exit(0));
