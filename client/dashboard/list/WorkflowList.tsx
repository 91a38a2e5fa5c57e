import { useMemo, useState } from 'preact/hooks';
import type { WorkflowState, WorkflowStatus } from '../../index.ts';
import { WorkflowStateSchema } from '../../../shared/status.ts';
import { useApi } from '../app/ApiContext.ts';
import { errorCode, errorText } from '../app/errorCode.ts';
import { href, navigate } from '../app/useRoute.ts';
import { useMediaQuery } from '../ui/useMediaQuery.ts';
import { useDebounced } from '../ui/useDebounced.ts';
import { useNow } from '../ui/useNow.ts';
import { VirtualList } from '../ui/VirtualList.tsx';
import { StatusCounts } from './StatusCounts.tsx';
import { useWorkflowList } from './useWorkflowList.ts';
import { WorkflowRow } from './WorkflowRow.tsx';

const STATES = WorkflowStateSchema.options;
/** The name filter goes to the server once typing pauses this long. */
const NAME_DEBOUNCE_MS = 250;

/**
 * The workflows, newest first, live: filtered by state and by name (the names
 * containing the text, ignoring case) on the server, page by page; open one
 * by id; counts per state.
 */
export function WorkflowList({ query }: { query: URLSearchParams }) {
  const parsedState = WorkflowStateSchema.safeParse(query.get('status'));
  const status: WorkflowState | undefined = parsedState.success ? parsedState.data : undefined;
  const name = query.get('name') ?? '';
  const nameFilter = useDebounced(name.trim(), NAME_DEBOUNCE_MS);
  const list = useWorkflowList(status, nameFilter || undefined);
  const now = useNow(1000);
  const narrow = useMediaQuery('(max-width: 700px)');
  // A loaded workflow that has left the state filtered by (it is refreshed live) leaves the view.
  const shown = useMemo(() => (status ? list.items.filter((w) => w.status === status) : list.items), [list.items, status]);
  const filtered = Boolean(status || nameFilter);

  const setQuery = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(query);
    if (value) next.set(key, value);
    else next.delete(key);
    navigate({ view: 'list', query: next }, true);
  };

  return (
    <section class="list-page" aria-labelledby="list-title">
      <div class="page-head">
        <h1 id="list-title">Workflows</h1>
        <a class="button primary" href={href({ view: 'new' })}>
          New workflow
        </a>
      </div>
      <div class="filters">
        <div class="field">
          <label for="filter-state">State</label>
          <select id="filter-state" value={status ?? ''} onChange={(e) => setQuery('status', e.currentTarget.value || undefined)}>
            <option value="">all</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-name">Name contains</label>
          <input id="filter-name" type="search" value={name} onInput={(e) => setQuery('name', e.currentTarget.value || undefined)} placeholder="e.g. sample" />
        </div>
        <IdSearch />
      </div>
      <StatusCounts items={list.items} hasMore={list.hasMore} status={status} />
      {list.error !== undefined && (
        <p class="alert" role="alert">
          {errorText(list.error)}
        </p>
      )}
      <p class="sr-only" aria-live="polite">
        {list.loading ? 'Loading workflows' : `${shown.length} workflows shown`}
      </p>
      {shown.length === 0 && !list.loading ? (
        <p class="empty">{!filtered ? 'No workflows yet. Create one to see it here.' : list.hasMore ? 'None of the workflows searched so far matches: load more to search older ones.' : 'No workflow matches.'}</p>
      ) : (
        <VirtualList
          items={shown}
          rowHeight={narrow ? 104 : 72}
          getKey={(w) => w.id}
          label="Workflows, newest first"
          class="workflow-list"
          renderRow={(w) => <WorkflowRow workflow={w} now={now} />}
        />
      )}
      <div class="list-foot">
        {list.hasMore ? (
          <button type="button" disabled={list.loading} onClick={() => void list.loadMore()}>
            {list.loading ? 'Loading…' : nameFilter ? 'Load more (search older workflows)' : 'Load more'}
          </button>
        ) : (
          list.items.length > 0 && <span class="muted">That is all of them.</span>
        )}
      </div>
    </section>
  );
}

/** Opens a workflow by its id (the server's `get`), or says there is none. */
function IdSearch() {
  const { client } = useApi();
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string>();
  return (
    <form
      class="id-search"
      role="search"
      onSubmit={async (e) => {
        e.preventDefault();
        const wanted = id.trim();
        if (!wanted) return;
        try {
          const w = await client.get(wanted);
          navigate({ view: 'workflow', id: w.id });
        } catch (err) {
          setProblem(errorCode(err) === 'NOT_FOUND' || errorCode(err) === 'BAD_REQUEST' ? `No workflow has the id "${wanted}".` : errorText(err));
        }
      }}
    >
      <div class="field">
        <label for="open-id">Workflow id</label>
        <input
          id="open-id"
          value={id}
          onInput={(e) => (setId(e.currentTarget.value), setProblem(undefined))}
          placeholder="paste an id"
          aria-invalid={problem !== undefined}
          aria-describedby={problem ? 'id-problem' : undefined}
          class="mono"
        />
      </div>
      <button type="submit">Open</button>
      {problem && (
        <span id="id-problem" class="field-error" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
