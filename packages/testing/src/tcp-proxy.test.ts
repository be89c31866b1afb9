import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy } from './tcp-proxy.js';

/** An echo server: what the proxy forwards comes back. */
let echo: net.Server;
let echoPort = 0;

beforeAll(async () => {
  echo = net.createServer((s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function roundTrip(socket: net.Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const onData = (chunk: Buffer) => {
      got += chunk.toString();
      if (got.length >= text.length) {
        socket.off('data', onData);
        resolve(got);
      }
    };
    socket.on('data', onData);
    socket.write(text);
  });
}

describe('startTcpProxy', () => {
  it('forwards, counts bytes toward the target, stops at a threshold and restarts on the same port', async () => {
    const proxy = await startTcpProxy({ targetPort: echoPort });
    const client = await connect(proxy.port);
    expect(await roundTrip(client, 'hello')).toBe('hello');
    expect(proxy.bytesToTarget).toBe(5);

    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    client.on('error', () => undefined);
    let fired = 0;
    proxy.onBytesToTarget(10, () => {
      fired += 1;
      void proxy.stop();
    });
    client.write('0123456789');
    await closed;
    expect(fired).toBe(1);
    expect(proxy.running).toBe(false);
    await expect(connect(proxy.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await proxy.restart();
    const again = await connect(proxy.port);
    expect(await roundTrip(again, 'back')).toBe('back');
    again.destroy();
    await proxy.stop();
  });
});
