import { randomUUID } from 'node:crypto';

/**
 * A new workflow id: a UUID v4 as one flat string. Node's randomUUID() builds
 * its string by concatenation, a rope of 13 pieces (about 500 bytes held per
 * id); the id is kept, hashed and serialised many times per workflow, so it
 * is copied once into a plain string of 36 bytes.
 */
export function newWorkflowId(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}
