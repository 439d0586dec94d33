// regexp_matches() patterns run on this small regular-expression engine, not on JavaScript's RegExp:
// it simulates a Thompson NFA (Pike VM), so matching takes time linear in the input for every pattern —
// no catastrophic backtracking, whatever the user types. The accepted syntax is a subset of RE2 (which
// DuckDB uses) with RE2's meanings, so the SQL side gives the same answers:
//   literals, escaped punctuation, \n \t \r \f \v \xHH \x{H…}, . (not \n), [classes] with ranges and ^,
//   \d \D \w \W \s \S (ASCII, as RE2), ^ and $ (whole text; only at the start/end of a top-level
//   alternative), \b, (…) (?:…), |, * + ? {n} {n,} {n,m} (n, m ≤ 100; lazy forms accepted), and a
//   leading (?i) for case-insensitive matching.
// Anything else (backreferences, lookaround, named groups, \B, \p{…}, POSIX classes) is refused.
// Limits: 1000 characters of pattern, 5000 NFA instructions.

export const MAX_PATTERN_LENGTH = 1000;
const MAX_REPEAT = 100;
const MAX_PROGRAM = 5000;

export class RegexError extends Error {
  constructor(message: string, readonly index: number) {
    super(message);
  }
}

// (\B is refused: RE2 also finds non-boundaries between the UTF-8 bytes of one character.)
type Assertion = '^' | '$' | 'b';
type RNode =
  | { k: 'empty' }
  | { k: 'set'; ranges: number[]; negated: boolean }
  | { k: 'any' }
  | { k: 'assert'; a: Assertion }
  | { k: 'cat'; items: RNode[] }
  | { k: 'alt'; items: RNode[] }
  | { k: 'rep'; node: RNode; min: number; max: number };

const DIGIT = [0x30, 0x39];
const WORD = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE = [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20];
const MAX_CP = 0x10ffff;

function complement(ranges: number[]): number[] {
  const sorted: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) sorted.push([ranges[i]!, ranges[i + 1]!]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push(next, lo - 1);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): { node: RNode; fold: boolean } {
    let fold = false;
    if (this.p.startsWith('(?i)')) {
      fold = true;
      this.i = 4;
    }
    const node = this.alternation(0);
    if (this.i < this.p.length) throw new RegexError(`Unmatched ')'`, this.i);
    return { node, fold };
  }

  private alternation(depth: number): RNode {
    if (depth > 50) throw new RegexError('Regular expression is nested too deeply', this.i);
    const items = [this.concat(depth)];
    while (this.p[this.i] === '|') {
      this.i++;
      items.push(this.concat(depth));
    }
    return items.length === 1 ? items[0]! : { k: 'alt', items };
  }

  /**
   * ^ may only start, and $ only end, a top-level alternative: DuckDB's regexp optimiser
   * mis-reads anchors elsewhere (e.g. '^^' or '^a^').
   */
  private concat(depth: number): RNode {
    const items: RNode[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const start = this.i;
      const atom = this.atom(depth);
      if (atom.k === 'assert' && (atom.a === '^' || atom.a === '$')) {
        const first = items.length === 0;
        const last = this.i >= this.p.length || this.p[this.i] === '|';
        if (depth > 0 || (atom.a === '^' ? !first : !last)) {
          throw new RegexError(`'${atom.a}' may only ${atom.a === '^' ? 'start' : 'end'} the pattern or one of its top-level alternatives`, start);
        }
      }
      const rep = this.quantifier(atom, start);
      items.push(rep);
    }
    return items.length === 0 ? { k: 'empty' } : items.length === 1 ? items[0]! : { k: 'cat', items };
  }

  private quantifier(atom: RNode, atomStart: number): RNode {
    const c = this.p[this.i];
    let min: number;
    let max: number;
    const at = this.i;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.p.slice(this.i));
      if (!m) throw new RegexError(`Invalid repetition (escape '{' as '\\{' to match it)`, this.i);
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        throw new RegexError(`Repetition counts above ${MAX_REPEAT} are not supported`, this.i);
      }
      if (max < min) throw new RegexError('Invalid repetition range', this.i);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.p[this.i] === '?') this.i++; // lazy: same answer for a yes/no match
    if (atom.k === 'assert') throw new RegexError('Nothing to repeat', at);
    if (atomStart === at) throw new RegexError('Nothing to repeat', at);
    const next = this.p[this.i];
    if (next === '*' || next === '+' || next === '?' || next === '{') {
      throw new RegexError('Repeated quantifier (use a group)', this.i);
    }
    return { k: 'rep', node: atom, min, max };
  }

  private atom(depth: number): RNode {
    const p = this.p;
    const c = p[this.i]!;
    switch (c) {
      case '(': {
        const open = this.i;
        this.i++;
        if (p[this.i] === '?') {
          if (p[this.i + 1] === ':') this.i += 2;
          else throw new RegexError('Only (?:…) groups and a leading (?i) are supported', open);
        }
        const node = this.alternation(depth + 1);
        if (p[this.i] !== ')') throw new RegexError(`Missing ')'`, open);
        this.i++;
        return node;
      }
      case '[':
        return this.charClass();
      case '.':
        this.i++;
        return { k: 'any' };
      case '^':
        this.i++;
        return { k: 'assert', a: '^' };
      case '$':
        this.i++;
        return { k: 'assert', a: '$' };
      case '\\':
        return this.escape(false);
      case '*':
      case '+':
      case '?':
        throw new RegexError('Nothing to repeat', this.i);
      case '{':
        throw new RegexError(`Invalid repetition (escape '{' as '\\{' to match it)`, this.i);
      default: {
        const cp = p.codePointAt(this.i)!;
        this.i += cp > 0xffff ? 2 : 1;
        return { k: 'set', ranges: [cp, cp], negated: false };
      }
    }
  }

  /** After a backslash. In a class, returns ranges; outside, a node. */
  private escape(inClass: true): number[];
  private escape(inClass: false): RNode;
  private escape(inClass: boolean): RNode | number[] {
    const at = this.i;
    const c = this.p[this.i + 1];
    if (c === undefined) throw new RegexError('Trailing backslash', at);
    this.i += 2;
    const set = (ranges: number[]): RNode | number[] => (inClass ? ranges : { k: 'set', ranges, negated: false });
    switch (c) {
      case 'd':
        return set(DIGIT);
      case 'D':
        return set(complement(DIGIT));
      case 'w':
        return set(WORD);
      case 'W':
        return set(complement(WORD));
      case 's':
        return set(SPACE);
      case 'S':
        return set(complement(SPACE));
      case 'n':
        return set([10, 10]);
      case 't':
        return set([9, 9]);
      case 'r':
        return set([13, 13]);
      case 'f':
        return set([12, 12]);
      case 'v':
        return set([11, 11]);
      case 'b':
        if (inClass) throw new RegexError(`'\\b' is not allowed in a character class`, at);
        return { k: 'assert', a: 'b' };
      case 'x': {
        const m = /^(?:([0-9A-Fa-f]{2})|\{([0-9A-Fa-f]{1,6})\})/.exec(this.p.slice(this.i));
        if (!m) throw new RegexError('Invalid \\x escape', at);
        this.i += m[0].length;
        const cp = parseInt(m[1] ?? m[2]!, 16);
        if (cp > MAX_CP || (cp >= 0xd800 && cp <= 0xdfff)) throw new RegexError('Invalid code point', at);
        return set([cp, cp]);
      }
      default:
        if (/^[!-/:-@[-`{-~]$/.test(c)) {
          const cp = c.charCodeAt(0);
          return set([cp, cp]);
        }
        throw new RegexError(`Unsupported escape '\\${c}' in regular expression`, at);
    }
  }

  private charClass(): RNode {
    const open = this.i;
    this.i++;
    let negated = false;
    if (this.p[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      if (this.i >= this.p.length) throw new RegexError(`Missing ']'`, open);
      const c = this.p[this.i]!;
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[') throw new RegexError(`Escape '[' inside a character class as '\\['`, this.i);
      const lo = this.classAtom();
      if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.i + 1 < this.p.length) {
        const dash = this.i;
        this.i++;
        if (this.p[this.i] === '[') throw new RegexError(`Escape '[' inside a character class as '\\['`, this.i);
        const hi = this.classAtom();
        if (lo.length !== 2 || hi.length !== 2 || lo[0] !== lo[1] || hi[0] !== hi[1]) {
          throw new RegexError('Invalid range in character class', dash);
        }
        if (hi[0]! < lo[0]!) throw new RegexError('Invalid range in character class', dash);
        ranges.push(lo[0]!, hi[0]!);
      } else ranges.push(...lo);
    }
    return { k: 'set', ranges, negated };
  }

  private classAtom(): number[] {
    if (this.p[this.i] === '\\') return this.escape(true);
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return [cp, cp];
  }
}

// ---- program ------------------------------------------------------------------------------------

const OP_SET = 0;
const OP_ANY = 1;
const OP_SPLIT = 2;
const OP_JMP = 3;
const OP_ASSERT = 4;
const OP_MATCH = 5;

interface Program {
  op: number[];
  x: number[];
  y: number[];
  sets: { ranges: number[]; negated: boolean }[];
  asserts: Assertion[];
}

function compile(node: RNode): Program {
  const prog: Program = { op: [], x: [], y: [], sets: [], asserts: [] };
  const emit = (op: number, x = 0, y = 0): number => {
    if (prog.op.length >= MAX_PROGRAM) throw new RegexError('Regular expression is too complex', 0);
    prog.op.push(op);
    prog.x.push(x);
    prog.y.push(y);
    return prog.op.length - 1;
  };
  const gen = (n: RNode): void => {
    switch (n.k) {
      case 'empty':
        return;
      case 'set':
        prog.sets.push({ ranges: n.ranges, negated: n.negated });
        emit(OP_SET, prog.sets.length - 1);
        return;
      case 'any':
        emit(OP_ANY);
        return;
      case 'assert':
        prog.asserts.push(n.a);
        emit(OP_ASSERT, prog.asserts.length - 1);
        return;
      case 'cat':
        for (const item of n.items) gen(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < n.items.length - 1; k++) {
          const split = emit(OP_SPLIT);
          prog.x[split] = split + 1;
          gen(n.items[k]!);
          jumps.push(emit(OP_JMP));
          prog.y[split] = prog.op.length;
        }
        gen(n.items[n.items.length - 1]!);
        for (const j of jumps) prog.x[j] = prog.op.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) gen(n.node);
        if (n.max === Infinity) {
          const split = emit(OP_SPLIT);
          prog.x[split] = split + 1;
          gen(n.node);
          emit(OP_JMP, split);
          prog.y[split] = prog.op.length;
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            const split = emit(OP_SPLIT);
            prog.x[split] = split + 1;
            splits.push(split);
            gen(n.node);
          }
          for (const s of splits) prog.y[s] = prog.op.length;
        }
        return;
      }
    }
  };
  gen(node);
  emit(OP_MATCH);
  return prog;
}

function inRanges(ranges: number[], cp: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) if (cp >= ranges[i]! && cp <= ranges[i + 1]!) return true;
  return false;
}

function isWordCp(cp: number): boolean {
  return cp >= 0 && inRanges(WORD, cp);
}

function foldVariants(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const out = [cp];
  for (const v of [s.toLowerCase(), s.toUpperCase()]) {
    const c = v.codePointAt(0)!;
    if (v.length === String.fromCodePoint(c).length && !out.includes(c)) out.push(c);
  }
  return out;
}

/** A compiled regexp_matches() pattern: `test` is true when the pattern matches anywhere in the text. */
export interface SafeRegex {
  test(text: string): boolean;
}

/** Throws RegexError (with the index into the pattern) for anything outside the supported syntax. */
export function compileRegex(pattern: string): SafeRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexError(`Regular expression is too long (the limit is ${MAX_PATTERN_LENGTH} characters)`, MAX_PATTERN_LENGTH);
  }
  const { node, fold } = new Parser(pattern).parse();
  const literal = !fold ? literalOf(node) : null;
  if (literal) return literal;
  return pikeVm(compile(node), fold, anchoredAtStart(node));
}

/** True when every alternative starts with ^: then only position 0 can start a match. */
function anchoredAtStart(node: RNode): boolean {
  if (node.k === 'alt') return node.items.every(anchoredAtStart);
  const first = node.k === 'cat' ? node.items[0] : node;
  return first?.k === 'assert' && first.a === '^';
}

/** Plain text (optionally anchored) needs no automaton. */
function literalOf(node: RNode): SafeRegex | null {
  const items = node.k === 'cat' ? node.items : [node];
  let start = false;
  let end = false;
  let text = '';
  let plain = true;
  items.forEach((n, idx) => {
    if (n.k === 'assert' && n.a === '^' && idx === 0) start = true;
    else if (n.k === 'assert' && n.a === '$' && idx === items.length - 1) end = true;
    else if (n.k === 'set' && !n.negated && n.ranges.length === 2 && n.ranges[0] === n.ranges[1]) text += String.fromCodePoint(n.ranges[0]!);
    else if (n.k !== 'empty') plain = false;
  });
  if (!plain) return null;
  if (start && end) return { test: (s) => s === text };
  if (start) return { test: (s) => s.startsWith(text) };
  if (end) return { test: (s) => s.endsWith(text) };
  return { test: (s) => s.includes(text) };
}

function pikeVm(prog: Program, fold: boolean, anchored: boolean): SafeRegex {
  const size = prog.op.length;
  const ops = Int8Array.from(prog.op);
  const xs = Int32Array.from(prog.x);
  const ys = Int32Array.from(prog.y);
  const setMatches = (k: number, cp: number): boolean => {
    const set = prog.sets[k]!;
    let hit = inRanges(set.ranges, cp);
    if (!hit && fold) for (const v of foldVariants(cp)) if (inRanges(set.ranges, v)) hit = true;
    return hit !== set.negated;
  };
  // Work space is allocated once per pattern; `step` keeps growing across calls so marks never need clearing.
  const listA = new Int32Array(size);
  const listB = new Int32Array(size);
  const mark = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size * 2 + 2);
  let step = 0;
  let end = 0;

  /** Adds pc and everything reachable from it without consuming input, at position `at`. */
  function add(list: Int32Array, count: number, pc0: number, at: number, prev: number, next: number): number {
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === step) continue;
      mark[pc] = step;
      switch (ops[pc]) {
        case OP_JMP:
          stack[sp++] = xs[pc]!;
          break;
        case OP_SPLIT:
          stack[sp++] = ys[pc]!;
          stack[sp++] = xs[pc]!;
          break;
        case OP_ASSERT: {
          const a = prog.asserts[xs[pc]!]!;
          const ok = a === '^' ? at === 0 : a === '$' ? at === end : isWordCp(prev) !== isWordCp(next);
          if (ok) stack[sp++] = pc + 1;
          break;
        }
        default:
          list[count++] = pc;
      }
    }
    return count;
  }

  return {
    test(text: string): boolean {
      if (step > 0x3fffffff - text.length - 2) {
        mark.fill(-1);
        step = 0;
      }
      end = text.length;
      let clist = listA;
      let nlist = listB;
      let ccount = 0;
      step++;
      let i = 0;
      let prev = -1;
      let cp = end > 0 ? text.codePointAt(0)! : -1;
      for (;;) {
        // A new attempt starts at every position (unless the pattern is anchored at the start).
        if (i === 0 || !anchored) ccount = add(clist, ccount, 0, i, prev, cp);
        else if (ccount === 0) return false;
        step++;
        let ncount = 0;
        const nextI = cp > 0xffff ? i + 2 : i + 1;
        const nextCp = nextI < end ? text.codePointAt(nextI)! : -1;
        for (let k = 0; k < ccount; k++) {
          const pc = clist[k]!;
          const op = ops[pc];
          if (op === OP_MATCH) return true;
          if (cp < 0) continue;
          if ((op === OP_ANY && cp !== 10) || (op === OP_SET && setMatches(xs[pc]!, cp))) {
            ncount = add(nlist, ncount, pc + 1, nextI, cp, nextCp);
          }
        }
        if (cp < 0) return false;
        const t = clist;
        clist = nlist;
        nlist = t;
        ccount = ncount;
        prev = cp;
        cp = nextCp;
        i = nextI;
      }
    },
  };
}
