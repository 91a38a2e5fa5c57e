import { useState } from 'preact/hooks';
import { isTerminal, type WorkflowStatus } from '../../index.ts';
import { useApi } from '../app/ApiContext.ts';
import { errorCode, errorText } from '../app/errorCode.ts';
import { href, navigate } from '../app/useRoute.ts';
import { definitionOf } from './definitionOf.ts';

/**
 * Cancel (while pending or running), run again (the same definition as a new
 * workflow, then open it), and edit a copy in the create form.
 */
export function WorkflowActions({ status, onChange }: { status: WorkflowStatus; onChange(status: WorkflowStatus): void }) {
  const { client, onUnauthorized } = useApi();
  const [busy, setBusy] = useState<'cancel' | 'again'>();
  const [problem, setProblem] = useState<string>();
  const act = async (what: 'cancel' | 'again') => {
    setBusy(what);
    setProblem(undefined);
    try {
      if (what === 'cancel') onChange(await client.cancel(status.id));
      else navigate({ view: 'workflow', id: (await client.create(definitionOf(status))).id });
    } catch (e) {
      if (errorCode(e) === 'UNAUTHORIZED') onUnauthorized();
      setProblem(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="actions">
      {!isTerminal(status.status) && (
        <button type="button" class="danger" disabled={busy !== undefined} onClick={() => void act('cancel')}>
          {busy === 'cancel' ? 'Cancelling…' : 'Cancel workflow'}
        </button>
      )}
      <button type="button" disabled={busy !== undefined} onClick={() => void act('again')}>
        {busy === 'again' ? 'Starting…' : 'Run again'}
      </button>
      <a class="button" href={href({ view: 'new', from: status.id })}>
        Edit and run
      </a>
      {problem && (
        <p class="alert" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
