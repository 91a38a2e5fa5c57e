import type { ClientErrorCode } from '../../index.ts';

/** The SDK error's code, or undefined for anything else (a bug of ours, not the server's answer). */
export function errorCode(error: unknown): ClientErrorCode | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? (error.code as ClientErrorCode) : undefined;
}

/** A sentence for a person: what failed, without a stack. */
export function errorText(error: unknown): string {
  if (errorCode(error) === 'UNREACHABLE') return 'The server cannot be reached. Is it running?';
  return error instanceof Error ? error.message : String(error);
}
