/**
 * A Redis URL fit for logs: the password (and a user name's secret part) is
 * replaced by `***`. Anything that does not parse as a URL is not echoed at all.
 */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}
