import { useState } from 'preact/hooks';

/** Entries of one object or array drawn before a "show more" button (huge outputs stay light). */
const ENTRIES_SHOWN = 100;

/**
 * JSON as a tree of `<details>`: every object and array folds, the top level
 * starts open and nested ones start open down to `openDepth`. Keyboard and
 * screen readers get disclosure widgets for free. A "Copy" button copies the
 * whole value as JSON.
 */
export function JsonView({ value, label, openDepth = 2 }: { value: unknown; label: string; openDepth?: number }) {
  return (
    <div class="json" aria-label={label} role="group">
      {value === undefined ? <span class="muted">none</span> : <Node value={value} depth={0} openDepth={openDepth} />}
      {value !== undefined && (
        <button type="button" class="link copy" onClick={() => void navigator.clipboard?.writeText(safeStringify(value))} aria-label={`Copy ${label} as JSON`}>
          Copy
        </button>
      )}
    </div>
  );
}

function Node({ value, depth, openDepth, name }: { value: unknown; depth: number; openDepth: number; name?: string }) {
  const key = name === undefined ? null : <span class="j-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div class="j-leaf">
        {key}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div class="j-leaf">
        {key}
        <span class="j-punct">{open + close}</span>
      </div>
    );
  }
  return (
    <details open={depth < openDepth} class="j-node">
      <summary>
        {key}
        <span class="j-punct">{open}</span>
        <span class="muted">
          {' '}
          {entries.length} {Array.isArray(value) ? 'item' : 'key'}
          {entries.length === 1 ? '' : 's'}{' '}
        </span>
      </summary>
      <Entries entries={entries} depth={depth} openDepth={openDepth} />
      <span class="j-punct">{close}</span>
    </details>
  );
}

function Entries({ entries, depth, openDepth }: { entries: [string, unknown][]; depth: number; openDepth: number }) {
  const [shown, setShown] = useState(ENTRIES_SHOWN);
  return (
    <div class="j-children">
      {entries.slice(0, shown).map(([k, v]) => (
        <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} />
      ))}
      {entries.length > shown && (
        <button type="button" class="link" onClick={() => setShown((n) => n + ENTRIES_SHOWN * 10)}>
          Show {Math.min(entries.length - shown, ENTRIES_SHOWN * 10)} more of {entries.length - shown}
        </button>
      )}
    </div>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span class="j-str">{JSON.stringify(value)}</span>;
  if (typeof value === 'number' || typeof value === 'bigint') return <span class="j-num">{String(value)}</span>;
  return <span class="j-lit">{String(value)}</span>;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? '';
  } catch {
    return String(value);
  }
}
