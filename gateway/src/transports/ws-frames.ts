/**
 * A graphql-ws `next` message as one complete WebSocket text frame (RFC 6455
 * §5.2: FIN set, opcode 1, unmasked as every server frame is), header
 * included, so that a socket takes it in one write.
 */
export function nextFrame(id: string, serialized: string): Buffer {
  const text = `{"id":${JSON.stringify(id)},"type":"next","payload":${serialized}}`;
  const length = Buffer.byteLength(text);
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, headerLength);
  return frame;
}

/** Frames kept per result: more distinct ids than this are framed each on their own. */
const idsPerResult = 256;

/**
 * The frames of the result being fanned out, by subscription id. A shared
 * resolution reaches its subscribers one after another with the same JSON
 * string, and clients mostly number their subscriptions alike ("1"), so
 * thousands of sockets are sent the same Buffer and the gateway encodes each
 * result once per id rather than once per socket. Another result replaces
 * the cache; a cache miss only costs an encoding.
 */
export class NextFrames {
  private serialized: string | null = null;
  private readonly byId = new Map<string, Buffer>();

  frame(id: string, serialized: string): Buffer {
    if (serialized !== this.serialized) {
      this.serialized = serialized;
      this.byId.clear();
    }
    let frame = this.byId.get(id);
    if (!frame) {
      frame = nextFrame(id, serialized);
      if (this.byId.size < idsPerResult) this.byId.set(id, frame);
    }
    return frame;
  }
}
