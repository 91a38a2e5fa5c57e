import type { TaskStatus } from '../../index.ts';
import { href } from '../app/useRoute.ts';
import { stateGlyph } from '../ui/StatusBadge.tsx';

/** Tasks listed by name under the tiles: the ones a person looks for first. */
const ATTENTION = new Set(['failed', 'retrying', 'running']);
const ATTENTION_SHOWN = 20;

/**
 * A wide step (hundreds of tasks) as a grid of small tiles, one per task:
 * colour and glyph give the state at a glance; each tile is a link whose
 * label names the task and its state. Below it, the tasks that need
 * attention, by name. One light element per task keeps 1,000 tasks fast.
 */
export function TaskTiles({ workflowId, tasks, selected }: { workflowId: string; tasks: readonly TaskStatus[]; selected?: string }) {
  const attention = tasks.filter((t) => ATTENTION.has(t.status));
  return (
    <div>
      <ul class="tiles" aria-label={`${tasks.length} tasks`}>
        {tasks.map((t) => (
          <li key={t.id}>
          <a
            class={`tile s-${t.status}${t.id === selected ? ' selected' : ''}`}
            href={href({ view: 'workflow', id: workflowId, task: t.id })}
            title={`${t.id}: ${t.status}`}
            aria-label={`${t.id}: ${t.status}`}
          >
            {stateGlyph(t.status)}
          </a>
          </li>
        ))}
      </ul>
      {attention.length > 0 && (
        <p class="attention">
          {attention.slice(0, ATTENTION_SHOWN).map((t) => (
            <a key={t.id} href={href({ view: 'workflow', id: workflowId, task: t.id })} class={`chip s-${t.status}`}>
              {stateGlyph(t.status)} {t.id} {t.status}
            </a>
          ))}
          {attention.length > ATTENTION_SHOWN && <span class="muted"> and {attention.length - ATTENTION_SHOWN} more</span>}
        </p>
      )}
    </div>
  );
}
