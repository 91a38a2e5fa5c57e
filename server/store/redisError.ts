import { FlowstateError } from '../errors.ts';

// Redis error replies that mean "not now" rather than "wrong": the server is
// loading, busy with a script, out of memory, or not the primary any more.
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|READONLY|OOM|CLUSTERDOWN)\b/;

/**
 * Wraps whatever a Redis call threw, once, at the store's boundary:
 * unreachable, timed out or transiently refusing is UNAVAILABLE (the engine
 * retries it, the API answers 503); any other error reply is a bug, INTERNAL.
 */
export function toStoreError(error: unknown, operation: string): FlowstateError {
  if (error instanceof FlowstateError) return error;
  const isReply = error instanceof Error && error.name === 'ReplyError';
  if (isReply && !TRANSIENT_REPLY.test(error.message)) {
    return new FlowstateError('INTERNAL', `Redis refused ${operation}`, { cause: error });
  }
  return new FlowstateError('UNAVAILABLE', `Redis is unavailable (${operation})`, { cause: error });
}
