// Free loopback ports for the processes the harness starts.
// Asking the kernel for port 0 and closing again races with other processes; callers that
// start a server on the port retry on EADDRINUSE (see registry.ts).
import { createServer } from 'node:net';

/** A TCP port that was free on `host` a moment ago. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`no free port on ${host}`))));
    });
  });
}
