// LIKE patterns: % is any run of characters, _ exactly one character (code point), the optional escape
// character makes the next character literal. There is no default escape character (as in DuckDB). A
// pattern ending in its escape character is invalid (DuckDB raises an error): compileLike returns null
// and the comparison is NULL. Everything else — including regular
// expression metacharacters — is literal. Matching never backtracks more than O(text × pattern).

const ANY = -1;

interface Segment {
  /** The segment as text when it has no `_`. */
  text: string;
  /** Code points; ANY for `_`. */
  items: number[];
  hasAny: boolean;
}

export type LikeMatcher = (text: string) => boolean;

export function compileLike(pattern: string, escape: string | null): LikeMatcher | null {
  const segments: Segment[] = [];
  let cur: Segment = { text: '', items: [], hasAny: false };
  for (let i = 0; i < pattern.length; ) {
    const cp = pattern.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (escape !== null && ch === escape) {
      if (i >= pattern.length) return null;
      const lit = pattern.codePointAt(i)!;
      const litCh = String.fromCodePoint(lit);
      i += litCh.length;
      cur.text += litCh;
      cur.items.push(lit);
    } else if (ch === '%') {
      segments.push(cur);
      cur = { text: '', items: [], hasAny: false };
    } else if (ch === '_') {
      cur.items.push(ANY);
      cur.hasAny = true;
    } else {
      cur.text += ch;
      cur.items.push(cp);
    }
  }
  segments.push(cur);

  const anyWildcard = segments.some((s) => s.hasAny);
  if (segments.length === 1) {
    const only = segments[0]!;
    if (!anyWildcard) return (s) => s === only.text;
    return (s) => {
      const cps = codePoints(s);
      return cps.length === only.items.length && matchAt(cps, 0, only.items);
    };
  }
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((s) => s.items.length > 0);
  if (!anyWildcard) {
    if (middle.length === 0) {
      const min = first.text.length + last.text.length;
      return (s) => s.length >= min && s.startsWith(first.text) && s.endsWith(last.text);
    }
    return (s) => {
      if (!s.startsWith(first.text)) return false;
      let pos = first.text.length;
      for (const seg of middle) {
        const idx = s.indexOf(seg.text, pos);
        if (idx < 0) return false;
        pos = idx + seg.text.length;
      }
      return s.length - last.text.length >= pos && s.endsWith(last.text);
    };
  }
  return (s) => {
    const cps = codePoints(s);
    if (cps.length < first.items.length || !matchAt(cps, 0, first.items)) return false;
    let pos = first.items.length;
    for (const seg of middle) {
      let found = -1;
      for (let i = pos; i + seg.items.length <= cps.length; i++) {
        if (matchAt(cps, i, seg.items)) {
          found = i;
          break;
        }
      }
      if (found < 0) return false;
      pos = found + seg.items.length;
    }
    const tail = cps.length - last.items.length;
    return tail >= pos && matchAt(cps, tail, last.items);
  };
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    out.push(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

function matchAt(cps: number[], at: number, items: number[]): boolean {
  for (let k = 0; k < items.length; k++) {
    const want = items[k]!;
    if (want !== ANY && cps[at + k] !== want) return false;
  }
  return true;
}
