import { createInspectorServer } from '@statelyai/inspect/server';

/**
 * `npm run inspect`: the relay between a server started with
 * `XSTATE_INSPECT=ws://localhost:8080` and the Stately inspector, which it
 * opens in a browser (or open http://localhost:8080 yourself). `INSPECT_PORT`
 * picks another port. A development aid (see README, "Inspecting workflows live").
 */
const port = Number(process.env.INSPECT_PORT || 8080);
createInspectorServer({ port });
console.log(`Stately inspector relay on port ${port}: open http://localhost:${port} in a browser, and start the server with XSTATE_INSPECT=ws://localhost:${port}`);
