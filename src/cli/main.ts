import { exitQuietlyOnClosedPipe, processOutput } from './output.ts';
import { runCli } from './program.ts';

exitQuietlyOnClosedPipe(process, (code) => process.exit(code));
// The bin entry: run, then let Node exit with the code once pending work (e.g. stdout) drains.
process.exitCode = await runCli(process.argv.slice(2), { out: processOutput(), env: process.env });
