// Memory for large response frames (fetch answers), which a reader that copies what it keeps
// gives back for the next answers. Every fresh frame counts towards V8's external-memory limit:
// at a million records, ~300 MB of answers in fresh frames made the collector mark the whole
// heap every ~64 MB (a tenth of the CPU of `dpx tail --json` went to it). A frame that is never
// given back is collected as before, so a reader that keeps records needs to do nothing.

/** Frames are made at least this big (and in powers of two), so one fits the next answers. */
const MIN_FRAME = 1 << 20;
/** Frames kept for reuse: the answer being read and one read ahead. */
const MAX_SPARE = 2;

export class FramePool {
  private readonly spare: ArrayBuffer[] = [];
  /** The frame lent out of each buffer: only that very view is taken back (see giveBack). */
  private readonly lent = new WeakMap<ArrayBuffer, Buffer>();

  /** A frame of `size` bytes, reused when one was given back. */
  take(size: number): Buffer {
    const i = this.spare.findIndex((b) => b.byteLength >= size);
    const memory = i >= 0 ? this.spare.splice(i, 1)[0]! : new ArrayBuffer(Math.max(MIN_FRAME, 2 ** Math.ceil(Math.log2(size))));
    const frame = Buffer.from(memory, 0, size);
    this.lent.set(memory, frame);
    return frame;
  }

  /**
   * The caller is done with this frame and every view of it. Anything else — a frame not from
   * here, one already given back, or an older loan of memory that has been lent again — is
   * ignored, so a stale call can never hand out memory that is in use.
   */
  giveBack(frame: Buffer): void {
    const memory = frame.buffer as ArrayBuffer;
    if (this.lent.get(memory) !== frame) return;
    this.lent.delete(memory);
    if (this.spare.length < MAX_SPARE) this.spare.push(memory);
  }
}
