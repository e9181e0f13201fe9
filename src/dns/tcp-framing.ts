// RFC 1035 §4.2.2 / RFC 7766 §8: over TCP every message is preceded by its
// length as a 16-bit big-endian integer.

export function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(message.length + 2);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}

/**
 * Reassembles length-prefixed messages from a TCP byte stream. Buffered data
 * never exceeds one message plus one chunk, since a message is at most
 * 65,535 bytes by construction of the 16-bit prefix.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns every complete message it finished. */
  push(chunk: Buffer): Buffer[] {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: Buffer[] = [];
    let offset = 0;
    while (data.length - offset >= 2) {
      const length = data.readUInt16BE(offset);
      if (data.length - offset - 2 < length) break;
      messages.push(data.subarray(offset + 2, offset + 2 + length));
      offset += 2 + length;
    }
    this.pending = offset === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(offset));
    return messages;
  }

  /** Bytes received but not yet forming a whole message. */
  get buffered(): number {
    return this.pending.length;
  }
}
