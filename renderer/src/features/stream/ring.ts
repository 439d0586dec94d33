// A bounded ring of the newest messages, held outside React: a tail at 10k msg/s appends here and
// React repaints from it a few dozen times a second. Every item ever appended has a sequence
// number (0, 1, 2…); selections and the scroll position follow items by sequence number, so they
// stay put while old items fall off the front.

export class Ring<T> {
  private items: T[] = [];
  /** Index in `items` of the oldest item once the ring has wrapped. */
  private head = 0;
  private length = 0;
  /** Sequence number of the oldest item held. */
  private first = 0;
  /** Items pushed out to keep the ring at its capacity since the last clear. */
  private dropped = 0;

  constructor(private cap: number) {
    if (!(cap >= 1)) throw new Error('A ring holds at least one item');
  }

  get capacity(): number {
    return this.cap;
  }
  get size(): number {
    return this.length;
  }
  /** Sequence number of the oldest item held (of the next one, when empty). */
  get firstSeq(): number {
    return this.first;
  }
  /** Sequence number the next appended item gets; also how many were ever appended. */
  get endSeq(): number {
    return this.first + this.length;
  }
  /** How many items fell off the front to keep the ring at its capacity (since the last clear). */
  get evicted(): number {
    return this.dropped;
  }

  /** The item at `index` (0 = oldest held). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.items[(this.head + index) % this.items.length];
  }

  /** The item with sequence number `seq`, if still held. */
  bySeq(seq: number): T | undefined {
    return this.at(seq - this.first);
  }

  has(seq: number): boolean {
    return seq >= this.first && seq < this.endSeq;
  }

  push(batch: readonly T[]): void {
    // Only the newest `cap` of a huge batch can survive; skip the rest outright.
    const skip = Math.max(0, batch.length - this.cap);
    if (skip) {
      this.dropped += this.length + skip;
      this.first += this.length + skip;
      this.items = [];
      this.head = 0;
      this.length = 0;
    }
    for (let i = skip; i < batch.length; i++) {
      const item = batch[i]!;
      if (this.items.length < this.cap) {
        // Still growing (never wrapped): append.
        this.items.push(item);
        this.length++;
      } else if (this.length < this.cap) {
        this.items[(this.head + this.length) % this.cap] = item;
        this.length++;
      } else {
        this.items[this.head] = item;
        this.head = (this.head + 1) % this.cap;
        this.first++;
        this.dropped++;
      }
    }
  }

  /** Keeps the newest `capacity` items. */
  resize(capacity: number): void {
    if (!(capacity >= 1) || capacity === this.cap) return;
    const kept = this.toArray(Math.max(0, this.length - capacity));
    this.dropped += this.length - kept.length;
    this.first += this.length - kept.length;
    this.cap = capacity;
    this.items = kept;
    this.head = 0;
    this.length = kept.length;
  }

  /** Forgets every item; sequence numbers keep counting so old selections match nothing. */
  clear(): void {
    this.first = this.endSeq;
    this.dropped = 0;
    this.items = [];
    this.head = 0;
    this.length = 0;
  }

  /** Items from `fromIndex` (0 = oldest) to the newest, as a plain array. */
  toArray(fromIndex = 0): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, fromIndex); i < this.length; i++) out.push(this.items[(this.head + i) % this.items.length]!);
    return out;
  }
}
