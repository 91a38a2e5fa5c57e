/**
 * The `flowstate` command line: `npm run cli -- run|get|list|cancel|tasks`.
 * Process glue only; everything else is in runCli.ts.
 */
import { runCli } from './runCli.ts';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt: (handler) => {
    const onSigint = () => {
      handler();
      process.exit(130);
    };
    process.once('SIGINT', onSigint);
    return () => process.off('SIGINT', onSigint);
  },
});
// Exit explicitly (idle keep-alive sockets would hold the process open), after stdout drains.
process.stdout.write('', () => process.exit(code));
