import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { eventually } from '@commerce/service-kit';
import { NextFrames, nextFrame } from '../src/transports/ws-frames';

/**
 * Frames written straight onto the TCP socket under ws must be what ws itself
 * would send: a real ws client decodes them here, at each of the three
 * length encodings, with text whose UTF-8 length differs from its length.
 */
describe('pre-built graphql-ws next frames', () => {
  let server: WebSocketServer;
  let serverSocket: Duplex;
  let client: WebSocket;
  const received: string[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    await once(server, 'listening');
    const connected = once(server, 'connection');
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on('message', (data) => received.push(String(data)));
    const [, request] = (await connected) as [WebSocket, { socket: Duplex }];
    serverSocket = request.socket;
    await once(client, 'open');
  });

  afterAll(async () => {
    client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['under 126 bytes', 10],
    ['of 126 bytes to 64 KiB (a 16-bit length)', 2_000],
    ['of 64 KiB or more (a 64-bit length)', 70_000],
  ])('are decoded by a ws client as the message they carry, %s', async (_size, filler) => {
    const payload = JSON.stringify({ data: { inventoryChanged: { reason: `réassort 📦 ${'x'.repeat(filler)}` } } });
    const before = received.length;
    serverSocket.write(nextFrame('sub-1', payload));
    const message = await eventually(async () => received[before] ?? Promise.reject(new Error('nothing arrived yet')), 5_000, 10);
    expect(JSON.parse(message)).toEqual({ id: 'sub-1', type: 'next', payload: JSON.parse(payload) });
  });

  it('gives subscribers with the same id one frame per result, and frames another result anew', () => {
    const frames = new NextFrames();
    const first = frames.frame('1', '{"data":{"n":1}}');
    expect(frames.frame('1', '{"data":{"n":1}}')).toBe(first);
    const otherId = frames.frame('2', '{"data":{"n":1}}');
    expect(otherId).not.toBe(first);
    expect(otherId.toString()).toContain('{"id":"2","type":"next","payload":{"data":{"n":1}}}');
    const next = frames.frame('1', '{"data":{"n":2}}');
    expect(next.toString()).toContain('"payload":{"data":{"n":2}}');
  });
});
