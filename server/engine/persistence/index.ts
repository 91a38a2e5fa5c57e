/**
 * Writing runs to the store: every change of a tick in one batched write, retried until the
 * store answers; store failures as the API's errors.
 *
 * The room's one door: what the rest of the server imports from it.
 */
export { type Persistable, Persister } from './Persister.ts';
export { fromStore, notFound } from './storeError.ts';
