// Fixed-length pattern tables against the RegExp they stand for: same verdict on every string.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsShape, fixedShapeOf } from '../../../../../../electron/services/streams/parallel/fixed-shape';

const verdict = (re: RegExp, text: string) => {
  const table = fixedShapeOf(re)!;
  const bytes = Buffer.from(`"${text}"`, 'latin1');
  return fitsShape(table, bytes, 1, bytes.length - 1);
};

// Printable ASCII, what reaches the table (the acceptor refuses other bytes and escapes before).
const asciiText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 14 });

describe('fixed-shape patterns', () => {
  it('makes tables for the id and code patterns contracts use, and none for anything else', () => {
    for (const p of ['^O-[0-9]{8}$', '^C-\\d{6}$', '^[A-Z]{3}$', '^S0[1-8]$', '^[a-z_-]{2}\\d$', '^\\.x$', '^x\\$$', '^[A-Za-z0-9]{4}-[0-9]{2}$']) expect(fixedShapeOf(new RegExp(p)), p).not.toBeNull();
    for (const p of ['^a+$', '^a*$', '^a?$', '^a{2,3}$', '^(a|b)$', '^a|b$', '[0-9]', '^[0-9]', '[0-9]$', '^[^a]$', '^\\w$', '^.$', '^$', '^a\\\\$', '^[\\w]$', '^é$']) {
      expect(fixedShapeOf(new RegExp(p)), p).toBeNull();
    }
    expect(fixedShapeOf(/^ab$/i)).toBeNull();
  });

  it('agrees with the RegExp on matching strings, near misses and arbitrary text', () => {
    const patterns = ['^O-[0-9]{8}$', '^C-\\d{6}$', '^[A-Z]{3}$', '^S0[1-8]$', '^[a-z_-]{2}\\d$', '^[|.]{2}x$'];
    for (const p of patterns) {
      const re = new RegExp(p);
      for (const s of ['O-00123456', 'O-0012345', 'O-001234567', 'o-00123456', 'C-027137', 'EUR', 'eur', 'S04', 'S09', 'ab1', 'a-9', '__0', '|.x', '..x', '']) expect(verdict(re, s), `${p} on ${s}`).toBe(re.test(s));
      fc.assert(fc.property(asciiText, (s) => verdict(re, s) === re.test(s)), { numRuns: 500 });
    }
  });

  it('agrees with the RegExp for generated patterns of literals, classes and counts', () => {
    const literal = fc.constantFrom('a', 'Z', '0', '-', '_', ':', '\\.', '\\-', '\\$', '\\d', '/');
    const range = fc.tuple(fc.integer({ min: 0x21, max: 0x7d }), fc.integer({ min: 0, max: 5 })).map(([c, n]) => `${esc(c)}-${esc(Math.min(0x7e, c + n))}`);
    const klass = fc.array(fc.oneof(range, fc.constantFrom('a', '0', '_', '\\d', '-')), { minLength: 1, maxLength: 3 }).map((parts) => `[${parts.join('')}]`);
    const item = fc.tuple(fc.oneof(literal, klass), fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 4 }).map((n) => `{${n}}`))).map(([a, b]) => a + b);
    const pattern = fc.array(item, { minLength: 1, maxLength: 5 }).map((items) => `^${items.join('')}$`);
    fc.assert(
      fc.property(pattern, asciiText, (p, s) => {
        let re: RegExp;
        try {
          re = new RegExp(p);
        } catch {
          return true; // the generator can join parts into a range out of order
        }
        const table = fixedShapeOf(re);
        if (!table) return true; // refused: the RegExp is used instead
        const bytes = Buffer.from(s, 'latin1');
        return fitsShape(table, bytes, 0, bytes.length) === re.test(s);
      }),
      { numRuns: 3000 },
    );
  });
});

/** A character as it may stand in a class: escaped when it is syntax there. */
function esc(c: number): string {
  const ch = String.fromCharCode(c);
  return '\\]^-['.includes(ch) ? `\\${ch}` : ch;
}
