import { describeRedisUrl } from './config.ts';
import { ConfigError } from './errors.ts';
import { createFlowstate, type FlowstateApp } from './createFlowstate.ts';
import { createLogger, type Logger } from './logger.ts';

/** Extra time past the grace period before a stuck shutdown gives up and exits 1. */
const SHUTDOWN_SLACK_MS = 5_000;

/**
 * `npm start` (and `npm run worker`): Flowstate with the built-in tasks,
 * configured by the environment. Prints one line saying where it listens, on
 * which store and in which role. SIGTERM / SIGINT drain it (see
 * FlowstateApp.close), then it exits 0.
 */
async function main(): Promise<void> {
  let app: FlowstateApp;
  try {
    app = await createFlowstate();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`flowstate: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { config } = app;
  const url = await app.listen();
  const storeText =
    app.engine.storeKind === 'redis' && config.redisUrl
      ? `redis at ${describeRedisUrl(config.redisUrl)} (prefix "${config.redisPrefix}")`
      : 'memory (workflows will not survive a restart)';
  const roleText = config.role === 'all' ? '' : config.role === 'api' ? ' — role: api only (runs no workflows)' : ' — role: worker (serves /health only)';
  const clusterText = app.processId ? ` — process ${app.processId}` : '';
  // A worker serves only /health: no dashboard or docs to point at.
  const pages = config.role === 'worker' ? '' : ` — dashboard: ${url}/ — docs: ${url}/docs`;
  process.stdout.write(`Flowstate listening on ${url} — store: ${storeText}${roleText}${clusterText}${pages}${config.apiKey ? ' — API key required' : ''}\n`);

  installShutdown(app, createLogger(config.logLevel));
}

function installShutdown(app: FlowstateApp, logger: Logger): void {
  const graceMs = app.config.shutdownGraceMs;
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`second ${signal}: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: draining`, { grace_ms: graceMs });
    // A shutdown that hangs (a store that never answers) must still end.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs + SHUTDOWN_SLACK_MS).unref();
    await app.close();
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      });
    });
  }
}

main().catch((error: unknown) => {
  // One line, no stack: the common causes (port taken, bad address) say all in their message.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`flowstate: failed to start: ${message}\n`);
  process.exit(1);
});
