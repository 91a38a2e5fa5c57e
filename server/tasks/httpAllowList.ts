/**
 * Where the `http` task may send requests: `HTTP_TASK_ALLOW`, comma-separated
 * entries, each a host (`api.example.com`, `api.example.com:8443`, `*.example.com`
 * for its subdomains, `[::1]:9000`) or a URL prefix (`https://hooks.example.com/v1/`).
 * Unset, every http(s) URL is allowed (a server of one team); a shared
 * deployment sets it, so a workflow cannot make the server call its internal network.
 */
export interface HttpAllowList {
  /** The entries as configured, for messages and logs. */
  readonly entries: readonly string[];
  /** True when a request to `url` is allowed. */
  allows(url: string): boolean;
}

/** Most entries one list holds: it is read on every request. */
const MAX_ENTRIES = 200;
const HOST = /^(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

type Rule = { kind: 'host'; host: string; subdomains: boolean; port?: string } | { kind: 'prefix'; prefix: string };

/**
 * Parses `HTTP_TASK_ALLOW`. Returns the list, or the problems (each naming its
 * entry), so config validation can refuse a bad value at start-up.
 */
export function parseHttpAllowList(text: string): { ok: true; list: HttpAllowList } | { ok: false; problems: string[] } {
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const problems: string[] = [];
  if (entries.length === 0) problems.push('lists no host or URL prefix');
  if (entries.length > MAX_ENTRIES) problems.push(`lists ${entries.length} entries; at most ${MAX_ENTRIES}`);
  const rules: Rule[] = [];
  for (const entry of entries.slice(0, MAX_ENTRIES)) {
    const rule = parseEntry(entry);
    if (typeof rule === 'string') problems.push(`"${entry}" ${rule}`);
    else rules.push(rule);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, list: { entries, allows: (url) => matches(rules, url) } };
}

function parseEntry(entry: string): Rule | string {
  if (entry.includes('://')) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return 'is not a URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
    if (url.username || url.password) return 'must not carry credentials';
    if (url.search || url.hash) return 'must be a prefix without ? or #';
    return { kind: 'prefix', prefix: url.href };
  }
  const m = HOST.exec(entry);
  if (!m) return 'is neither a host (api.example.com[:port], *.example.com) nor an http(s) URL prefix';
  const port = m[4]?.slice(1);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return 'has a port outside 1-65535';
  return { kind: 'host', host: m[2].toLowerCase(), subdomains: m[1] !== undefined, port };
}

function matches(rules: readonly Rule[], raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return rules.some((rule) => {
    if (rule.kind === 'prefix') return hasPrefix(url.href, rule.prefix);
    if (rule.port !== undefined && rule.port !== port) return false;
    return rule.subdomains ? host.endsWith(`.${rule.host}`) : host === rule.host;
  });
}

/** `https://a.com/v1` allows `/v1`, `/v1/x` and `/v1?q`, not `/v1evil`; an origin's prefix ends in `/` already. */
function hasPrefix(href: string, prefix: string): boolean {
  if (!href.startsWith(prefix)) return false;
  if (prefix.endsWith('/') || href.length === prefix.length) return true;
  return '/?#'.includes(href[prefix.length]);
}
