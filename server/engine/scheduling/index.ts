/**
 * When and where runs happen: the memory store's launch queue, the cluster's jobs, runs settling
 * their last write, resuming stored workflows, and watchers of local runs.
 *
 * The room's one door: what the rest of the server imports from it.
 */
export { ClusterRuns } from './ClusterRuns.ts';
export { LaunchQueue } from './LaunchQueue.ts';
export { SettlingWorkflows } from './SettlingWorkflows.ts';
export { StatusWatchers } from './StatusWatchers.ts';
export { resumeStored } from './resumeStored.ts';
