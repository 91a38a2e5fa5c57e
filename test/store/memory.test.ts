import { createMemoryStore } from '../../server/store/MemoryStore.ts';
import { runStoreContract } from './contract.ts';

runStoreContract('memory', async (options) => {
  const store = createMemoryStore(options);
  return { store, cleanup: () => store.close() };
});
