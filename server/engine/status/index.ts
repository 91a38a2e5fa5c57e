/**
 * A run's status document: the live document a machine changes in place, the transitions that
 * change it, and its event history. Knows nothing of XState or the store.
 *
 * The room's one door: what the rest of the server imports from it.
 */
export { EventLog } from './EventLog.ts';
export { LiveStatus } from './LiveStatus.ts';
export { cancelledRecord } from './endStored.ts';
export { isoNow } from './isoNow.ts';
export { statusForResume } from './resumeStatus.ts';
export { copyStatus, initialStatus } from './statusTransitions.ts';
