/**
 * Where a JSON text stops being JSON. Line and column are 1-based; column counts UTF-16 units.
 *
 * @example
 * const problem: JsonSyntaxProblem | undefined = findJsonSyntaxError(text);
 */
export interface JsonSyntaxProblem {
  offset: number;
  line: number;
  column: number;
  /** What was wrong there, e.g. `expected ',' or '}' after a property`. */
  reason: string;
}

/**
 * How deep the scan follows nested objects and arrays before it reports the nesting itself as
 * the problem: the scan recurses, and 10,000 levels would overflow the stack.
 */
const MAX_SCAN_DEPTH = 512;

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Finds the first syntax error in a JSON text (RFC 8259), or `undefined` if it is valid.
 * `JSON.parse` on Node 20 names neither line nor column; this does, for error messages.
 * Nesting deeper than 512 levels is reported as a problem at the 513th opening bracket.
 *
 * @example
 * findJsonSyntaxError('{\n  "a": 1,\n}') // { line: 3, column: 1, reason: 'expected a property name in double quotes', … }
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
      i++;
  };
  const describe = () => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const fail = (expected: string): never => {
    throw new Stop(i, `expected ${expected}, found ${describe()}`);
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Stop(i, 'unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'control character in string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, 'bad escape in string');
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let depth = 0;
  const value = (): void => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= MAX_SCAN_DEPTH) {
      throw new Stop(i, `nested deeper than ${MAX_SCAN_DEPTH} levels`);
    }
    depth++;
    try {
      plainValue(c);
    } finally {
      depth--;
    }
  };
  const plainValue = (c: string | undefined): void => {
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail("':' after a property name");
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail("',' or '}' after a property");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail("',' or ']' after an array element");
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    fail('a value');
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM, which JSON.parse of a file read as utf8 would choke on too
    value();
    ws();
    if (i < text.length) fail('end of input');
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const before = text.slice(0, err.offset);
    const line = before.split('\n').length;
    const column = err.offset - before.lastIndexOf('\n');
    return { offset: err.offset, line, column, reason: err.reason };
  }
}
