/**
 * Test helper: a TCP proxy on 127.0.0.1 in front of a served engine that counts the connections
 * open through it (so a test can see that no socket outlives a deadline) and can reset the next
 * connections it accepts (a dropped connection, as a load balancer does).
 */
import { type AddressInfo, connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Client connections open now. */
  readonly open: number;
  /** Client connections accepted so far. */
  readonly accepted: number;
  /** Client connections open now among those accepted after the first `mark` (a past `accepted`). */
  openAfter(mark: number): number;
  /** Resets (closes at once, before any byte) the next `n` connections. */
  resetNext(n: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { readonly port: number }): Promise<TcpProxy> {
  const clients = new Map<Socket, number>();
  const upstreams = new Set<Socket>();
  let accepted = 0;
  let resets = 0;
  const server = createServer((client) => {
    accepted += 1;
    if (resets > 0) {
      resets -= 1;
      client.resetAndDestroy();
      return;
    }
    clients.set(client, accepted);
    const upstream = connect(target.port, "127.0.0.1");
    upstreams.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      clients.delete(client);
      upstreams.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    client.on("error", end);
    upstream.on("close", end);
    upstream.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get open() {
      return clients.size;
    },
    get accepted() {
      return accepted;
    },
    openAfter(mark) {
      return [...clients.values()].filter((seq) => seq > mark).length;
    },
    resetNext(n) {
      resets = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of [...clients.keys(), ...upstreams]) s.destroy();
        server.close(() => resolve());
      }),
  };
}
