import { z } from 'zod';
import { ListInputSchema } from '../../shared/api.ts';

/** Page size when a list call names none (or the configured maximum, when that is smaller). */
export const DEFAULT_PAGE_SIZE = 50;

/**
 * The list input under the configured `MAX_LIST_LIMIT`. REST query strings
 * are text, so `coerce` turns `"10"` into 10; tRPC sends numbers and keeps a
 * typed `limit?: number`.
 */
export function listInputSchemas(maxListLimit: number) {
  const limit = z.number().int().min(1).max(maxListLimit);
  const fallback = Math.min(DEFAULT_PAGE_SIZE, maxListLimit);
  return {
    query: ListInputSchema.extend({ limit: z.coerce.number().pipe(limit).default(fallback) }),
    rpc: ListInputSchema.extend({ limit: limit.default(fallback) }),
  };
}
