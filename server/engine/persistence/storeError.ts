import { FlowstateError } from '../../errors.ts';

/** A store that cannot be reached is the server's problem, not the caller's: 503. */
export function storeError(error: unknown): FlowstateError {
  if (error instanceof FlowstateError) return error;
  return new FlowstateError('UNAVAILABLE', 'the workflow store is not reachable; try again shortly', { cause: error });
}

/** Runs a store call; anything it throws becomes {@link storeError}'s answer. */
export async function fromStore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storeError(error);
  }
}

/** The store does not know `id`. */
export function notFound(id: string): FlowstateError {
  return new FlowstateError('NOT_FOUND', `no workflow with id "${id}"`);
}
