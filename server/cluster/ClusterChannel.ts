import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/**
 * Redis pub/sub between the processes of a cluster: the store's save script
 * publishes every stored change of a workflow on `<prefix>changed:<id>`
 * (message: its newest event id), and a cancel is broadcast on
 * `<prefix>cancel`. One subscriber connection per process; a channel is
 * subscribed while somebody here listens to it.
 */
export class ClusterChannel {
  private readonly listeners = new Map<string, Set<(message: string) => void>>();

  constructor(
    private readonly subscriber: Redis,
    private readonly publisher: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const set = this.listeners.get(channel);
      if (set) for (const listener of set) listener(message);
    });
  }

  /** Calls `onChange` with the newest event id of every stored change of workflow `id`; `onReady` once subscribed. */
  watchWorkflow(id: string, onChange: (eventId: number) => void, onReady: () => void): () => void {
    return this.listen(`${this.prefix}changed:${id}`, (message) => onChange(Number(message)), onReady);
  }

  /** Calls `onCancel` with the id of every workflow some process asks to cancel. */
  onCancel(onCancel: (id: string) => void): () => void {
    return this.listen(`${this.prefix}cancel`, onCancel);
  }

  /** Asks every process to cancel workflow `id`. */
  async broadcastCancel(id: string): Promise<void> {
    await this.publisher.publish(`${this.prefix}cancel`, id);
  }

  private readonly subscribed = new Map<string, Promise<unknown>>();

  private listen(channel: string, listener: (message: string) => void, onReady?: () => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      this.listeners.set(channel, (set = new Set()));
      const confirmed = this.subscriber.subscribe(channel).catch((error: unknown) => this.logger.warn('could not subscribe to a cluster channel', { channel, error }));
      this.subscribed.set(channel, confirmed);
    }
    set.add(listener);
    if (onReady) void this.subscribed.get(channel)?.then(onReady);
    return () => {
      if (!set.delete(listener) || set.size > 0) return;
      this.listeners.delete(channel);
      this.subscribed.delete(channel);
      this.subscriber.unsubscribe(channel).catch(() => {
        // Gone with the connection: nothing to undo.
      });
    };
  }
}
