import { FlowstateError } from '../errors.ts';

/** A store that cannot be reached is the server's problem, not the caller's: 503. */
export function storeError(error: unknown): FlowstateError {
  if (error instanceof FlowstateError) return error;
  return new FlowstateError('UNAVAILABLE', 'the workflow store is not reachable; try again shortly', { cause: error });
}
