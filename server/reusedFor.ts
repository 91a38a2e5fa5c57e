/**
 * `read`, its answer reused for `ms` by every caller in that time: for
 * figures many pollers ask for (health checks), each read costing Redis work.
 * A read that fails is not reused: the next call reads again.
 */
export function reusedFor<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ms) {
      const value = read();
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
    }
    return cached.value;
  };
}
