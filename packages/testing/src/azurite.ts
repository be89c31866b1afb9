import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The storage account every Azurite instance knows (public constant from the Azurite README). */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Current REST version; azurite runs with --skipApiVersionCheck, so any recent one is accepted. */
const API_VERSION = '2025-11-05';

export type AzuriteFixture = {
  /** `DefaultEndpointsProtocol=http;AccountName=…;AccountKey=…;BlobEndpoint=…;` */
  connectionString: string;
  accountName: typeof AZURITE_ACCOUNT_NAME;
  accountKey: string;
  /** `http://127.0.0.1:<port>/devstoreaccount1`, the blob service URL (path-style account). */
  blobEndpoint: string;
  /** Creates a container (idempotent). */
  createContainer(name: string): Promise<void>;
  containerExists(name: string): Promise<boolean>;
  /** A pass-through proxy whose listeners see each request before it is forwarded (for mid-request tests). */
  tap(): Promise<AzuriteTap>;
  stop(): Promise<void>;
};

export type AzuriteTap = {
  /** Use in place of the fixture's blobEndpoint. */
  blobEndpoint: string;
  /** Calls `listener` with each request's method and URL as it arrives; returns an unsubscribe. */
  onRequest(listener: (method: string, url: string) => void): () => void;
  stop(): Promise<void>;
};

function resolveAzuriteBlobMain(): string {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('azurite/package.json');
  const pkg = require(pkgFile) as { bin?: Record<string, string> };
  const bin = pkg.bin?.['azurite-blob'];
  if (bin === undefined) throw new Error(`azurite at ${pkgFile} has no azurite-blob bin`);
  return path.resolve(path.dirname(pkgFile), bin);
}

/** Shared Key signature for a body-less request (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key). */
function sharedKeyHeaders(method: string, url: URL, accountKey: string): Record<string, string> {
  const headers = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': API_VERSION };
  const canonicalHeaders = Object.entries(headers)
    .map(([k, v]) => `${k}:${v}\n`)
    .join('');
  const params = [...url.searchParams.entries()]
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `\n${k}:${v}`)
    .join('');
  const resource = `/${AZURITE_ACCOUNT_NAME}${url.pathname}${params}`;
  // Verb, then eleven standard headers that are all empty for these requests.
  const toSign = [method, ...Array<string>(11).fill(''), canonicalHeaders + resource].join('\n');
  const signature = createHmac('sha256', Buffer.from(accountKey, 'base64'))
    .update(toSign, 'utf8')
    .digest('base64');
  return { ...headers, authorization: `SharedKey ${AZURITE_ACCOUNT_NAME}:${signature}` };
}

type Started = { match: RegExpMatchArray; stop(): Promise<void> };

/** Resolves once the child prints `ready`; rejects (and kills it) if it exits or stays silent for 30 s. */
function waitUntilReady(child: ChildProcess, ready: RegExp): Promise<Started> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Writing to (or ending) the pipe of a process that has gone raises EPIPE; nothing to do about it.
  child.stdin?.on('error', () => undefined);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Closing its stdin makes it exit at once (see the --import hook); the kill is a backstop.
    child.stdin?.end();
    const backstop = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(backstop);
  };
  return new Promise<Started>((resolve, reject) => {
    let output = '';
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`azurite ${why}; output:\n${output}`)));
    };
    const timer = setTimeout(() => fail('did not start within 30 s'), 30_000);
    // Stays attached after startup so a full pipe never blocks azurite; later output is dropped.
    const onData = (chunk: Buffer) => {
      if (settled) return;
      output += chunk.toString('utf8');
      const match = output.match(ready);
      if (!match) return;
      settled = true;
      clearTimeout(timer);
      resolve({ match, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => fail('exited before it was ready'));
    child.once('error', (err) => fail(`could not start: ${err.message}`));
  });
}

/** An HTTP proxy on a free loopback port that forwards everything to `port`, telling listeners first. */
async function startTap(port: number): Promise<AzuriteTap> {
  const listeners = new Set<(method: string, url: string) => void>();
  const server = createServer((req, res) => {
    for (const listener of listeners) listener(req.method ?? '', req.url ?? '');
    const upstream = httpRequest(
      // No shared keep-alive sockets, so destroying one forwarded request never touches another.
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: tapPort } = server.address() as AddressInfo;
  return {
    blobEndpoint: `http://127.0.0.1:${tapPort}/${AZURITE_ACCOUNT_NAME}`,
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Starts azurite's blob service as a child process on a free loopback port, in memory, and
 * resolves once it accepts connections.
 */
export async function startAzurite(): Promise<AzuriteFixture> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'dxa-azurite-'));
  const args = [
    // A test process that ends without stop() (a failed beforeAll, a crash) must not leave azurite running:
    // its stdin is our pipe, which closes when we go, however we go.
    '--import',
    'data:text/javascript,process.stdin.on("end",()=>process.exit(0)).resume()',
    resolveAzuriteBlobMain(),
    ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
    // In-memory storage cannot be combined with --location; the temp folder is its working directory instead.
    ...['--inMemoryPersistence', '--extentMemoryLimit', '1024'],
    // Telemetry would try to reach the internet; the version check would refuse newer SDKs.
    ...['--skipApiVersionCheck', '--disableTelemetry', '--silent'],
  ];
  let started: Started;
  try {
    started = await waitUntilReady(
      spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] }),
      /successfully listens on (http:\/\/\S+)/,
    );
  } catch (err) {
    await rm(cwd, { recursive: true, force: true });
    throw err;
  }
  const blobEndpoint = `${started.match[1]!.replace(/\/$/, '')}/${AZURITE_ACCOUNT_NAME}`;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    blobEndpoint,
    async createContainer(name) {
      const url = new URL(`${blobEndpoint}/${name}?restype=container`);
      const res = await fetch(url, {
        method: 'PUT',
        headers: sharedKeyHeaders('PUT', url, AZURITE_ACCOUNT_KEY),
      });
      if (res.status !== 201 && res.status !== 409) {
        throw new Error(`azurite: creating container ${name} answered ${res.status}: ${await res.text()}`);
      }
      await res.body?.cancel();
    },
    async containerExists(name) {
      const url = new URL(`${blobEndpoint}/${name}?restype=container`);
      const res = await fetch(url, {
        method: 'HEAD',
        headers: sharedKeyHeaders('HEAD', url, AZURITE_ACCOUNT_KEY),
      });
      if (res.status !== 200 && res.status !== 404)
        throw new Error(`azurite: HEAD container ${name} answered ${res.status}`);
      return res.status === 200;
    },
    tap: () => startTap(Number(new URL(blobEndpoint).port)),
    async stop() {
      try {
        await started.stop();
      } finally {
        await rm(cwd, { recursive: true, force: true });
      }
    },
  };
}
