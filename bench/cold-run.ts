// Runs the qmp-hx CLI in this fresh process and reports its peak memory on stderr, so that
// the bench measures a real cold start.
import { main } from "../src/cli/main.js";

const code = await main(process.argv.slice(2), {
  stdout: () => undefined,
  stderr: (text) => process.stderr.write(text),
});
process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
