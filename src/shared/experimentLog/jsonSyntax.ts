/**
 * Finds the first JSON syntax error in a text, with its offset.
 *
 * JSON.parse's messages differ between V8 versions (Node 20 gives a position, newer ones
 * sometimes only quote the input), and the extension host's Node is not the test runner's.
 * So when JSON.parse fails we rescan with this small RFC 8259 checker to get a stable
 * line/column. It is only run on failure, so its speed does not matter.
 */

export interface JsonSyntaxError {
  /** UTF-16 offset of the first character that cannot continue a valid document. */
  offset: number;
  /** True when the text simply stops early (a cut-short file) rather than being wrong. */
  atEnd: boolean;
  message: string;
}

class Fail extends Error {
  constructor(readonly offset: number, readonly reason: string) {
    super(reason);
  }
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let pos = 0;
  const fail = (reason: string): never => {
    throw new Fail(pos, reason);
  };
  const skipSpace = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const expect = (literal: string): void => {
    for (const char of literal) {
      if (text[pos] !== char) fail(pos >= text.length ? 'unexpected end of text' : `expected "${literal}"`);
      pos++;
    }
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[pos] ?? '')) fail(pos >= text.length ? 'unexpected end of text' : 'expected a digit');
    while (/[0-9]/.test(text[pos] ?? '')) pos++;
  };
  const string = (): void => {
    pos++; // opening quote
    for (;;) {
      if (pos >= text.length) fail('unexpected end of text inside a string');
      const char = text[pos];
      if (char === '"') {
        pos++;
        return;
      }
      if (char < ' ') fail('control character (such as a raw line break) inside a string');
      if (char === '\\') {
        pos++;
        const escape = text[pos];
        if (escape === undefined) fail('unexpected end of text inside a string');
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 1, pos + 5))) fail('invalid \\u escape');
          pos += 5;
        } else if ('"\\/bfnrt'.includes(escape)) pos++;
        else fail(`invalid escape "\\${escape}"`);
      } else pos++;
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text[pos];
    if (char === undefined) fail('unexpected end of text');
    if (char === '{') {
      pos++;
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(pos >= text.length ? 'unexpected end of text' : 'expected a property name in double quotes');
        string();
        skipSpace();
        if (text[pos] !== ':') fail(pos >= text.length ? 'unexpected end of text' : 'expected ":" after a property name');
        pos++;
        value();
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return;
        }
        fail(pos >= text.length ? 'unexpected end of text' : 'expected "," or "}" after a property value');
      }
    }
    if (char === '[') {
      pos++;
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return;
        }
        fail(pos >= text.length ? 'unexpected end of text' : 'expected "," or "]" after an array element');
      }
    }
    if (char === '"') return string();
    if (char === 't') return expect('true');
    if (char === 'f') return expect('false');
    if (char === 'n') return expect('null');
    if (char === '-' || /[0-9]/.test(char)) {
      if (char === '-') pos++;
      if (text[pos] === '0') pos++;
      else digits();
      if (text[pos] === '.') {
        pos++;
        digits();
      }
      if (text[pos] === 'e' || text[pos] === 'E') {
        pos++;
        if (text[pos] === '+' || text[pos] === '-') pos++;
        digits();
      }
      return;
    }
    fail(`unexpected character ${JSON.stringify(char)}`);
  };
  try {
    value();
    skipSpace();
    if (pos < text.length) fail('unexpected text after the end of the JSON value');
    return undefined;
  } catch (err) {
    if (!(err instanceof Fail)) throw err;
    return { offset: err.offset, atEnd: err.offset >= text.length, message: err.reason };
  }
}

/** 1-based line and column of a UTF-16 offset; a CRLF counts as one line break. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}
