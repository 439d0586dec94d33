// Types for the parts of lz4js (plain JS, no bundled types) this client uses.
declare module 'lz4js' {
  /** Decompresses one raw LZ4 block from src[sIndex, sIndex+sLength) into dst at dIndex; returns the new dIndex. */
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
  /** Compresses to an LZ4 frame (used by tests). */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
}
