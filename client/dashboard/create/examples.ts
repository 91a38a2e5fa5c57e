import failFast from '../../../examples/fail-fast.json' with { type: 'json' };
import fanOut from '../../../examples/fan-out.json' with { type: 'json' };
import retry from '../../../examples/retry.json' with { type: 'json' };
import sample from '../../../examples/sample.json' with { type: 'json' };

/** The repository's examples/*.json, bundled into the dashboard: starting points for the create form. */
export const EXAMPLES: readonly { file: string; definition: unknown }[] = [
  { file: 'sample.json', definition: sample },
  { file: 'retry.json', definition: retry },
  { file: 'fail-fast.json', definition: failFast },
  { file: 'fan-out.json', definition: fanOut },
];
