import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** Passes a file through, hashing its bytes on the way (strings, as the graph passes them, as UTF-8). */
export class ContentHash extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, done: () => void): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.hash.update(buffer);
    this.bytes += buffer.length;
    this.push(buffer);
    done();
  }

  digest(): { sha256: string; bytes: number } {
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}
