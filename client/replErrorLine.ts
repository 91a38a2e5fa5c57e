import { inspect } from 'node:util';
import { FlowstateClientError, toClientError } from './errors.ts';

/**
 * A failed REPL line, in one line: `NOT_FOUND: workflow … not found` for a
 * call to the server (the raw tRPC client's errors too), `TypeError: …` for
 * anything else. The REPL keeps the whole error as `lastError`.
 */
export function replErrorLine(err: unknown): string {
  const fromServer = err instanceof FlowstateClientError || (err instanceof Error && err.name === 'TRPCClientError');
  if (fromServer) {
    const e = toClientError(err);
    return `${e.code}: ${firstLine(e.message)}`;
  }
  if (err instanceof Error) return `${err.name}: ${firstLine(err.message)}`;
  return `thrown: ${firstLine(inspect(err, { breakLength: Infinity, depth: 1 }))}`;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
