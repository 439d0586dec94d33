// Memory for large response frames (fetch answers), which a reader gives back once it holds no
// view of them any more, for the next answers. Every fresh frame counts towards V8's
// external-memory limit: at a million records, ~300 MB of answers in fresh frames made the
// collector mark the whole heap every ~64 MB. A frame that is never given back is collected as
// before, so a reader that keeps records needs to do nothing.
//
// Frames are shared memory, and a frame asked for with room has free space after the answer: a
// tail carves each chunk's tables and output from it (carve), so worker threads read the records
// where they arrived instead of from a copy (see ChunkBuilder).

/** Frames are made at least this big (and in powers of two), so one fits the next answers. */
const MIN_FRAME = 1 << 20;
/** Room after an answer, as a multiple of its size: a tail's output is about twice its input. */
const ROOM_FACTOR = 3;
/** Frames kept for reuse: answers being read ahead, and those whose chunks are still being written out. */
const MAX_SPARE = 4;

/** Free memory after the records of a read, where a chunk can be built (see FramePool.carve). */
export interface FrameRoom {
  /** Where `bytes` were taken in `memory` (8-byte aligned), or -1. */
  carve(memory: ArrayBufferLike, bytes: number): number;
}

interface Loan {
  frame: Buffer;
  /** Where the free room after the answer starts (8-byte aligned); 0 for a frame without room. */
  roomAt: number;
}

export class FramePool implements FrameRoom {
  private readonly spare: SharedArrayBuffer[] = [];
  /** The loan of each buffer lent out: only its very frame is taken back (see giveBack). */
  private readonly lent = new WeakMap<SharedArrayBuffer, Loan>();

  /** A frame of `size` bytes, reused when one was given back; `room`: with free room after it. */
  take(size: number, room = false): Buffer {
    const need = room ? size * ROOM_FACTOR : size;
    const i = this.spare.findIndex((b) => b.byteLength >= need);
    const memory = i >= 0 ? this.spare.splice(i, 1)[0]! : new SharedArrayBuffer(Math.max(MIN_FRAME, 2 ** Math.ceil(Math.log2(need))));
    const frame = Buffer.from(memory, 0, size);
    this.lent.set(memory, { frame, roomAt: room ? Math.ceil(size / 8) * 8 : 0 });
    return frame;
  }

  /**
   * `bytes` of the free room after the answer in `memory` (8-byte aligned), or -1: not a frame
   * with room, or not enough left. What is carved stays taken until the frame is given back.
   */
  carve(memory: ArrayBufferLike, bytes: number): number {
    const loan = memory instanceof SharedArrayBuffer ? this.lent.get(memory) : undefined;
    if (!loan?.roomAt || loan.roomAt + bytes > memory.byteLength) return -1;
    const at = loan.roomAt;
    loan.roomAt = Math.ceil((at + bytes) / 8) * 8;
    return at;
  }

  /**
   * The caller is done with this frame and every view of it (and of what was carved from it).
   * Anything else — a frame not from here, one already given back, or an older loan of memory
   * that has been lent again — is ignored, so a stale call can never hand out memory in use.
   */
  giveBack(frame: Buffer): void {
    const memory = frame.buffer as SharedArrayBuffer;
    if (this.lent.get(memory)?.frame !== frame) return;
    this.lent.delete(memory);
    if (this.spare.length < MAX_SPARE) this.spare.push(memory);
  }
}
