// Where a JSON text first goes wrong. Node 20's JSON.parse gives no position for most errors and quotes
// the text instead (a whole manifest, for a one-line file), so the CLI finds the place itself.

/** The first error in `text` as JSON: 1-based line and column, and what was expected; undefined when it parses. */
export function jsonError(text: string): { line: number; column: number; problem: string } | undefined {
  let i = 0;
  const found = () => (i >= text.length ? 'the end of the file' : JSON.stringify(text[i]));
  const fail = (problem: string): never => {
    throw new Where(i, problem);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('a string that never ends');
      const c = text[i];
      if (c === '"') return void i++;
      if (c === '\n' || c === '\r') fail('a line break inside a string');
      if (c < ' ') fail('a control character inside a string');
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`a bad escape ${JSON.stringify('\\' + (e ?? ''))} inside a string`);
      } else i++;
    }
  };
  const list = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === ',') {
        i++;
        space();
        continue;
      }
      if (text[i] === close) return void i++;
      fail(`expected "," or "${close}", found ${found()}`);
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{')
      return list('}', () => {
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
        string();
        space();
        if (text[i] !== ':') fail(`expected ":", found ${found()}`);
        i++;
        value();
      });
    if (c === '[') return list(']', value);
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    fail(`expected a value, found ${found()}`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${found()} after the manifest`);
    return undefined;
  } catch (e) {
    if (!(e instanceof Where)) throw e;
    const before = text.slice(0, e.at).split(/\r\n|\r|\n/);
    return { line: before.length, column: before[before.length - 1].length + 1, problem: e.problem };
  }
}

class Where {
  constructor(
    readonly at: number,
    readonly problem: string,
  ) {}
}
