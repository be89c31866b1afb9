import net from 'node:net';

export type TcpProxyOptions = {
  /** The loopback port connections are forwarded to. */
  targetPort: number;
  targetHost?: string;
  /** The port to listen on; 0 (default) picks a free one, which restart() then reuses. */
  port?: number;
};

export type TcpProxy = {
  port: number;
  /** Bytes forwarded from clients toward the target since the proxy started. */
  readonly bytesToTarget: number;
  /** Calls `cb` once, synchronously inside the data handler, when bytesToTarget first reaches `threshold`. */
  onBytesToTarget(threshold: number, cb: () => void): void;
  /** The target "goes down": stops listening and destroys every open connection. */
  stop(): Promise<void>;
  /** The target "comes back": listens again on the same port. */
  restart(): Promise<void>;
  readonly running: boolean;
};

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/**
 * A loopback TCP proxy for tests that make a database unreachable at a deterministic point:
 * count the bytes a load sends, stop() in the middle, restart() later on the same port.
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const host = '127.0.0.1';
  const targetHost = options.targetHost ?? host;
  const sockets = new Set<net.Socket>();
  const watchers: { threshold: number; cb: () => void }[] = [];
  let bytesToTarget = 0;
  let running = false;

  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A peer that vanishes is what this proxy is for; its errors must not crash the test.
    socket.on('error', () => socket.destroy());
  };

  const countToTarget = (n: number): void => {
    bytesToTarget += n;
    for (const w of [...watchers]) {
      if (bytesToTarget < w.threshold) continue;
      watchers.splice(watchers.indexOf(w), 1);
      w.cb();
    }
  };

  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect(options.targetPort, targetHost);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      countToTarget(chunk.length);
      // A watcher may have stopped the proxy: nothing more reaches the target.
      if (!upstream.destroyed && !upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.pipe(client);
  });

  const proxy: TcpProxy = {
    port: await listen(server, options.port ?? 0, host),
    get bytesToTarget() {
      return bytesToTarget;
    },
    get running() {
      return running;
    },
    onBytesToTarget(threshold, cb) {
      if (bytesToTarget >= threshold) cb();
      else watchers.push({ threshold, cb });
    },
    async stop() {
      if (!running) return;
      running = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restart() {
      if (running) return;
      await listen(server, proxy.port, host);
      running = true;
    },
  };
  running = true;
  return proxy;
}
