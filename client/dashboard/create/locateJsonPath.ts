/** Where something sits in a text: offsets of its first character and one past its last. */
export interface Span {
  start: number;
  end: number;
  /** 1-based line of `start`, as an editor counts. */
  line: number;
}

/**
 * Finds the value at a dotted path (`steps.0.tasks.1.params.timeout`, as the
 * server names a bad field) in JSON text, without parsing it into values: so
 * an error can be shown at the place a person wrote it. When the path ends
 * in a key that is absent (a missing field), the span is the object that
 * should hold it. Undefined when the text is not JSON enough to walk.
 */
export function locateJsonPath(text: string, path: string): Span | undefined {
  const segments = path === '' || path === '(root)' ? [] : path.split('.');
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const readKey = (): string | undefined => {
    const from = i;
    skipString();
    try {
      return JSON.parse(text.slice(from, i)) as string;
    } catch {
      return undefined;
    }
  };
  const skipValue = () => {
    ws();
    if (text[i] === '"') return skipString();
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      do {
        const c = text[i];
        if (c === '"') {
          skipString();
          continue;
        }
        if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') depth--;
        i++;
      } while (depth > 0 && i < text.length);
      return;
    }
    while (i < text.length && !/[,\]}\s]/.test(text[i])) i++;
  };
  const span = (start: number, end: number): Span => ({ start, end, line: text.slice(0, start).split('\n').length });

  ws();
  let valueStart = i;
  for (const segment of segments) {
    const open = text[i];
    let found = false;
    if (open === '{') {
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') break;
        const keyStart = i;
        const key = readKey();
        ws();
        if (text[i] !== ':') return undefined;
        i++;
        ws();
        if (key === segment) {
          found = true;
          valueStart = keyStart;
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
      }
    } else if (open === '[') {
      i++;
      const wanted = Number(segment);
      for (let k = 0; ; k++) {
        ws();
        if (text[i] === ']' || i >= text.length) break;
        if (k === wanted) {
          found = true;
          valueStart = i;
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
      }
    }
    if (!found) return span(valueStart, valueStart + 1);
  }
  const from = i;
  skipValue();
  return span(valueStart, Math.max(i, from + 1));
}
