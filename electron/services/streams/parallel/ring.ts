// Buffers for chunks (input, then output) carved in turn from one SharedArrayBuffer and reused
// once their output is written. A worker sees the same memory, so a chunk's bytes cross to it
// and back with nothing allocated, transferred or collected: at a million records, fresh
// buffers per chunk cost as much garbage collection and page faulting as the copying itself.
//
// Chunks are applied, and their output written, in the order they were prepared: regions are
// taken and released first in, first out. When the ring is full (output waiting on a slow
// pipe), a chunk gets a buffer of its own instead (copied to a worker and back).

/** A region of the ring: [start, end), or null for a buffer of its own. */
type Region = { start: number; end: number } | null;

export class ChunkRing {
  private readonly buf: Buffer;
  /** Regions taken and not released, oldest first. */
  private readonly live: Region[] = [];
  private head = 0;

  constructor(bytes: number) {
    this.buf = Buffer.from(new SharedArrayBuffer(bytes));
  }

  /** A buffer of n bytes, 8-byte aligned (chunk tables are read as Float64Array), to release (in turn) once it is no longer needed. */
  take(n: number): Buffer {
    const start = this.fit(Math.ceil(n / 8) * 8);
    if (start < 0) {
      this.live.push(null);
      return Buffer.allocUnsafeSlow(n);
    }
    const end = start + Math.ceil(n / 8) * 8;
    this.live.push({ start, end });
    this.head = end;
    return this.buf.subarray(start, start + n);
  }

  /** A chunk that needed no buffer from here (built elsewhere) takes its turn in release() too. */
  pass(): void {
    this.live.push(null);
  }

  /** Releases the oldest buffer taken. */
  release(): void {
    this.live.shift();
    if (!this.live.some((r) => r !== null)) this.head = 0;
  }

  /** Where n bytes fit after the head, before the oldest live region (wrapping to 0 once). */
  private fit(n: number): number {
    const oldest = this.live.find((r) => r !== null)?.start ?? null;
    if (oldest === null) return n <= this.buf.length ? 0 : -1;
    if (oldest < this.head) {
      // Live regions run from oldest to head: free space after head, then before oldest.
      if (this.head + n <= this.buf.length) return this.head;
      return n <= oldest ? 0 : -1;
    }
    return this.head + n <= oldest ? this.head : -1;
  }
}
