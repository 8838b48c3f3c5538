import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { keepSocketsAlive } from '../src/transports/ws-keep-alive';

/**
 * One timer keeps every socket alive: a client that answers pings stays
 * connected round after round, one that does not is terminated.
 */
describe('WebSocket keep-alive with one timer', () => {
  let server: WebSocketServer;
  let stop: () => void;
  let url: string;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    await once(server, 'listening');
    // Short rounds, so the test sees several; nothing here is judged by time.
    stop = keepSocketsAlive(server, 20);
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    stop();
    for (const socket of server.clients) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  async function connect(autoPong: boolean): Promise<WebSocket> {
    const client = new WebSocket(url, { autoPong });
    await once(client, 'open');
    return client;
  }

  it('keeps a client that answers pings, and ends one that does not', async () => {
    const answering = await connect(true);
    const silent = await connect(false);
    let pings = 0;
    const pinged = new Promise<void>((resolve) =>
      answering.on('ping', () => {
        if (++pings === 4) resolve();
      }),
    );
    const [code] = (await once(silent, 'close')) as [number];
    // Terminated, not closed: no close frame reaches the client.
    expect(code).toBe(1006);
    await pinged;
    expect(answering.readyState).toBe(WebSocket.OPEN);
    answering.close();
  });
});
