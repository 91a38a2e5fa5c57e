import type { Logger } from '../../server/logger.ts';

/** One line a {@link recordingLogger} was given. */
export interface LoggedEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps what it is told in `entries` (its children log into the same list). */
export function recordingLogger(): Logger & { entries: LoggedEntry[] } {
  const entries: LoggedEntry[] = [];
  const at = (level: LoggedEntry['level']) => (message: string, fields?: Record<string, unknown>) => void entries.push({ level, message, fields });
  const logger = { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}
