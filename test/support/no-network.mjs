// Loaded with `node --import` into a CLI under test: any attempt to reach the network ends the
// process with exit code 99 and a marker on stderr, so a test can prove a command stayed offline.
import dns from 'node:dns';
import net from 'node:net';

const deny = (what) => {
  process.stderr.write(`NETWORK-ACCESS-ATTEMPTED: ${what}\n`);
  process.exit(99);
};
net.Socket.prototype.connect = function connect() {
  deny('net.Socket.connect');
};
dns.lookup = () => deny('dns.lookup');
globalThis.fetch = () => deny('fetch');
