// A test that must prove nothing reaches the network closes the ways out of the process a client
// could take and records every attempt: raw sockets (node:http, make-fetch-happen and undici all
// connect through net.Socket) and DNS lookups.
import dns from 'node:dns';
import net from 'node:net';

/** Makes every socket connection and DNS lookup throw, recorded in `attempts`; returns what opens them again. */
export function refuseNetwork(attempts: string[]): () => void {
  const connect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  net.Socket.prototype.connect = function (...args: unknown[]) {
    attempts.push(`connect ${JSON.stringify(args[0])}`);
    throw new Error('network disabled in this test');
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = (host: string) => {
    attempts.push(`dns ${host}`);
    throw new Error('network disabled in this test');
  };
  return () => {
    net.Socket.prototype.connect = connect;
    (dns as { lookup: unknown }).lookup = lookup;
  };
}
