import { describe, expect, it } from 'vitest';
import { renderError } from '../../../client/cli/renderError.ts';
import { exitCodeForError, exitCodeForState, EXIT } from '../../../client/cli/exitCodes.ts';
import { FlowstateClientError } from '../../../client/errors.ts';

const plain = { color: false };

describe('renderError and exit codes', () => {
  it('lists every rejected field of a definition on its own line', () => {
    const err = new FlowstateClientError('BAD_REQUEST', 'x', {
      issues: [
        { path: 'steps.0.execution_type', message: 'Invalid option' },
        { path: 'steps.0.tasks.0.name', message: 'unknown task "nope"' },
      ],
    });
    expect(renderError(err, { url: 'http://s', file: 'def.json' }, plain)).toEqual([
      'error: the server rejected def.json:',
      '  steps.0.execution_type: Invalid option',
      '  steps.0.tasks.0.name: unknown task "nope"',
    ]);
    expect(exitCodeForError(err.code)).toBe(EXIT.USAGE);
  });

  it('says where it looked when the server is unreachable, with exit code 3', () => {
    const lines = renderError(new FlowstateClientError('UNREACHABLE', 'fetch failed'), { url: 'http://127.0.0.1:9' }, plain);
    expect(lines[0]).toContain('http://127.0.0.1:9');
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    expect(exitCodeForError('UNREACHABLE')).toBe(3);
  });

  it('maps outcomes to the documented codes', () => {
    expect(exitCodeForState('succeeded')).toBe(0);
    expect(exitCodeForState('failed')).toBe(1);
    expect(exitCodeForState('cancelled')).toBe(1);
    expect(exitCodeForError('NOT_FOUND')).toBe(1);
    expect(exitCodeForError('UNAUTHORIZED')).toBe(1);
    expect(renderError(new FlowstateClientError('NOT_FOUND', 'x'), { url: 'u', id: 'abc' }, plain)).toEqual(['error: no workflow with id abc']);
  });
});
