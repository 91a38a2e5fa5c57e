/** Characters a POSIX shell takes literally in a bare word. */
const BARE = /^[A-Za-z0-9_.,:@%+=/-]+$/;

/** `text` as one POSIX shell word: bare when that is safe, else single-quoted (a `'` inside as `'\''`). */
export function shellQuote(text: string): string {
  return BARE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
