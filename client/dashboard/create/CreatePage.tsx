import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ErrorIssue, TaskInfo, WorkflowDefinition } from '../../index.ts';
import { useApi } from '../app/ApiContext.ts';
import { errorCode, errorText } from '../app/errorCode.ts';
import { navigate } from '../app/useRoute.ts';
import { definitionOf } from '../workflow/definitionOf.ts';
import { EXAMPLES } from './examples.ts';
import { locateJsonPath, type Span } from './locateJsonPath.ts';

/** A problem to show: where in the text, and what. */
interface Problem extends ErrorIssue {
  span?: Span;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * Create a workflow: paste or edit a definition, or start from a bundled
 * example (or, with `from`, a copy of an existing workflow). The server
 * validates; each problem it names is listed with its line and a button that
 * selects the field in the editor. On success the new workflow opens.
 */
export function CreatePage({ from }: { from?: string }) {
  const { client, onUnauthorized } = useApi();
  const [text, setText] = useState(() => pretty(EXAMPLES[0].definition));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [tasks, setTasks] = useState<TaskInfo[]>();
  const editor = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    client.tasks().then(setTasks, () => setTasks([]));
    if (from) client.get(from).then((w) => setText(pretty(definitionOf(w))), (e: unknown) => setFailure(errorText(e)));
  }, [client, from]);

  const select = (span?: Span) => {
    const el = editor.current;
    if (!el || !span) return;
    el.focus();
    el.setSelectionRange(span.start, span.end);
    // Scroll the selected line into view (textareas do not scroll to a selection set by script).
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (span.line - 3) * lineHeight);
  };

  const submit = async () => {
    setProblems([]);
    setFailure(undefined);
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (e) {
      const at = /position (\d+)/.exec(String(e))?.[1];
      const start = at === undefined ? 0 : Number(at);
      const span = { start, end: start + 1, line: text.slice(0, start).split('\n').length };
      setProblems([{ path: '(JSON)', message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, span }]);
      return;
    }
    setBusy(true);
    try {
      const created = await client.create(definition as WorkflowDefinition);
      navigate({ view: 'workflow', id: created.id });
    } catch (e) {
      if (errorCode(e) === 'UNAUTHORIZED') onUnauthorized();
      const issues: ErrorIssue[] = (e as { issues?: ErrorIssue[] }).issues ?? [];
      if (issues.length) {
        const located = issues.map((issue) => ({ ...issue, span: locateJsonPath(text, issue.path) }));
        setProblems(located);
        // Take the person to the first bad field; the list below names them all.
        select(located.find((p) => p.span)?.span);
      } else setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="create-page" aria-labelledby="create-title">
      <h1 id="create-title">New workflow</h1>
      <div class="examples" role="group" aria-label="Start from an example">
        <span class="muted">Start from:</span>
        {EXAMPLES.map((ex) => (
          <button key={ex.file} type="button" onClick={() => (setText(pretty(ex.definition)), setProblems([]))}>
            {ex.file}
          </button>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label for="definition">Definition (JSON)</label>
        <textarea
          id="definition"
          ref={editor}
          class="mono editor"
          spellcheck={false}
          rows={22}
          value={text}
          aria-invalid={problems.length > 0}
          aria-describedby={problems.length ? 'problems' : undefined}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        {problems.length > 0 && (
          <div id="problems" class="problems" role="alert">
            <p>
              The server did not accept this definition ({problems.length} problem{problems.length === 1 ? '' : 's'}):
            </p>
            <ul>
              {problems.map((p, i) => (
                <li key={i} class="field-error" data-path={p.path}>
                  <code>{p.path}</code>
                  {p.span && <span class="muted"> (line {p.span.line})</span>}: {p.message}{' '}
                  {p.span && (
                    <button type="button" class="link" onClick={() => select(p.span)}>
                      Show in the definition
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
        {failure && (
          <p class="alert" role="alert">
            {failure}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create and run'}
        </button>
      </form>
      {tasks && tasks.length > 0 && (
        <details class="task-help">
          <summary>Tasks this server can run ({tasks.length})</summary>
          <dl>
            {tasks.map((t) => (
              <Fragment key={t.name}>
                <dt class="mono">{t.name}</dt>
                <dd>{t.description}</dd>
              </Fragment>
            ))}
          </dl>
        </details>
      )}
    </section>
  );
}
