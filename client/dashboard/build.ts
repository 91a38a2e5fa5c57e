/**
 * `npm run build` step: bundles the dashboard into dist/dashboard/, next to the
 * compiled library (dist/index.js), which serves it from there. From source,
 * `npm start` bundles it on the first request instead, so this is only for the package.
 */
import { fileURLToPath } from 'node:url';
import { writeDashboard } from '../../server/api/dashboardAssets.ts';

await writeDashboard(fileURLToPath(new URL('../../dist/dashboard/', import.meta.url)));
