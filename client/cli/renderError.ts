import type { FlowstateClientError } from '../errors.ts';
import { paint, type Style } from './ansi.ts';

/** What the CLI was doing, so the message can say what to do next. */
export interface ErrorContext {
  url: string;
  /** The definition file of `run`, when the server rejected it. */
  file?: string;
  /** The workflow id a `get` or `cancel` named. */
  id?: string;
}

/**
 * A failed call, for a person: one headline, the rejected fields one per line
 * (for a bad definition), and a hint. No stack traces. Pure.
 */
export function renderError(err: FlowstateClientError, context: ErrorContext, style: Style): string[] {
  const head = (text: string) => paint(style, 'red', `error: ${text}`);
  switch (err.code) {
    case 'UNREACHABLE':
      return [
        head(`cannot reach the Flowstate server at ${context.url}`),
        'Is it running? Start it with `npm start`, or point FLOWSTATE_URL (or --url) at it.',
      ];
    case 'UNAUTHORIZED':
      return [head(`the server at ${context.url} refused the API key`), 'Set FLOWSTATE_API_KEY to the key the server was started with (its API_KEY).'];
    case 'NOT_FOUND':
      return [head(context.id ? `no workflow with id ${context.id}` : err.message)];
    case 'BAD_REQUEST':
    case 'PAYLOAD_TOO_LARGE': {
      const what = context.file ? `the server rejected ${context.file}` : 'the server rejected the request';
      if (err.issues.length === 0) return [head(`${what}: ${err.message}`)];
      return [head(`${what}:`), ...err.issues.map((i) => `  ${paint(style, 'bold', i.path)}: ${i.message}`)];
    }
    default:
      return [head(`${err.message} (${err.code})`)];
  }
}
