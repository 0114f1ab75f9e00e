// Serves a test TUF repository on loopback, counting connections and requests, and able to
// stop answering (a network that hangs) without closing the port.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestTufRepository } from './repository';

export interface TestTufServer {
  readonly url: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Request paths in order, e.g. `/2.root.json` (tests may empty it). */
  readonly requests: string[];
  /** `serve` answers from the repository (404 for unknown paths); `hang` accepts and never answers. */
  mode: 'serve' | 'hang';
  close(): Promise<void>;
}

export async function startTufServer(repository: TestTufRepository): Promise<TestTufServer> {
  let connections = 0;
  const requests: string[] = [];
  const hanging: ServerResponse[] = [];
  const state = { mode: 'serve' as 'serve' | 'hang' };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (state.mode === 'hang') {
      hanging.push(res);
      return;
    }
    const body = repository.files.get(path.slice(1));
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    requests,
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
