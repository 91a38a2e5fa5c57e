import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';

/** A REPL's input fed one line at a time, each when the REPL asks for it. */
export interface LineFeed {
  /** What the REPL reads. */
  readonly input: PassThrough;
  /** Writes the next line, or calls `onEnd` once there is none. Call whenever the REPL is ready for more. */
  next(): void;
}

/**
 * Reads `source` line by line, but hands the REPL a line only when it asks
 * (`next()`, called on each prompt): node's REPL evaluates piped lines as they
 * arrive, so a line would run while the previous line's top-level `await` is
 * still pending. `onEnd` runs once input ran out and the last line is done.
 */
export function feedLines(source: NodeJS.ReadableStream, onEnd: () => void): LineFeed {
  const input = new PassThrough();
  const lines = createInterface({ input: source, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let waiting = false;
  let ended = false;
  return {
    input,
    next() {
      // A prompt may show twice for one line (a keyword command); only one line is ever in flight.
      if (waiting || ended) return;
      waiting = true;
      lines.next().then(
        (result) => {
          waiting = false;
          if (result.done) {
            ended = true;
            onEnd();
          } else {
            input.write(`${result.value}\n`);
          }
        },
        () => {
          ended = true;
          onEnd();
        },
      );
    },
  };
}
