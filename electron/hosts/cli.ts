// The `dpx` command line: the same services as the app, over the in-process transport.
// Exit codes: 0 fine, 1 the check found problems, 2 usage error or unreadable workspace.
import { Command, CommanderError, Option } from 'commander';
import { ApiError } from '../../shared/api/errors';
import type { ApiClient } from '../../shared/api/client';
import { openServices, type Services } from '../services/services';
import { DEMO_WORKSPACE } from './paths';
import { printCatalogList, printFindings, printProduct } from './cli-format';
import { runTailCli } from './cli-tail';
import { runSqlCli, type SqlFormat } from './cli-sql';
import { printSnapshots, runOfflineCli } from './cli-snapshots';

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

function positiveInt(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new CommanderError(EXIT.usage, 'dpx.badNumber', `${flag} takes a positive whole number, not "${v}"`);
    return n;
  };
}

interface GlobalOptions {
  workspace: string;
  json: boolean;
}

async function withServices<T>(opts: GlobalOptions, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices({ workspace: opts.workspace });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

async function withClient<T>(opts: GlobalOptions, fn: (client: ApiClient) => Promise<T>): Promise<T> {
  const services = await openServices({ workspace: opts.workspace });
  // Loaded here, not at start: the API contract's schemas cost every other command ~20 ms.
  const { createInProcessClient } = await import('../transport/in-process');
  const { client, close } = createInProcessClient(services.handlers);
  try {
    return await fn(client);
  } finally {
    close();
    await services.close();
  }
}

function program(): Command {
  const cmd = new Command('dpx')
    .description('Data Product Explorer: find, read and check data products (ODPS + ODCS).')
    .addOption(new Option('-w, --workspace <dir>', 'workspace folder or dpx.workspace.yaml').default(DEMO_WORKSPACE, 'the embedded demo workspace'))
    .option('--json', 'machine-readable output', false)
    .showHelpAfterError()
    .exitOverride();

  const catalog = cmd.command('catalog').description('list and show the products of the workspace');
  catalog
    .command('list')
    .description('list every product with its owner, alignment, tier and modes')
    .action(async (_o, c: Command) => {
      const opts = c.optsWithGlobals<GlobalOptions>();
      await withClient(opts, async (client) => {
        const list = await client.call('catalog.list', {});
        printCatalogList(list, opts.json);
      });
    });
  catalog
    .command('show')
    .description('show one product: ports, schema, quality rules, lineage')
    .argument('<id>', 'product id, e.g. sales.orders')
    .action(async (id: string, _o, c: Command) => {
      const opts = c.optsWithGlobals<GlobalOptions>();
      await withClient(opts, async (client) => {
        const product = await client.call('catalog.get', { id });
        // Days only: the footers (rows, schema) are for `dpx snapshots`, which may range-read S3.
        const snapshots = await client.call('snapshots.list', { id, footers: false });
        printProduct(product, snapshots.days, opts.json);
      });
    });

  cmd
    .command('lint')
    .description('check descriptors against the standards and the promises products make')
    .action(async (_o, c: Command) => {
      const opts = c.optsWithGlobals<GlobalOptions>();
      const findings = await withClient(opts, async (client) => (await client.call('lint.run', {})).findings);
      printFindings(findings, opts.json);
      if (findings.some((f) => f.severity === 'error')) process.exitCode = EXIT.problems;
    });

  cmd
    .command('tail')
    .description("read a product's stream (live, or replayed from its capture) or a raw topic, decoded and checked against the contract")
    .argument('[product]', 'product id, e.g. sales.orders')
    .option('--from <position>', 'latest | earliest | OFFSET | P:OFFSET,… | last:N | ISO time | -15m', 'latest')
    .option('--partitions <list>', 'only these partitions, e.g. 0,1')
    .option('--limit <n>', 'stop after N matching messages', positiveInt('--limit'))
    .option('--filter <where>', "SQL WHERE clause over key, value.*, headers.*, timestamp, partition, offset, e.g. \"value.amount > 100\"")
    .option('--to-end', 'stop at the end of the stream instead of following it')
    .option('--capture <file>', 'also record every message read to a capture file (Parquet)')
    .option('--topic <name>', 'a raw topic outside any product ("what is in this topic?")')
    .option('--bootstrap <host:port>', 'broker for --topic (default: the workspace\'s kafka connection)')
    .action(async (product: string | undefined, o: { from: string; partitions?: string; limit?: number; filter?: string; toEnd?: boolean; capture?: string; topic?: string; bootstrap?: string }, c: Command) => {
      const opts = c.optsWithGlobals<GlobalOptions>();
      await runTailCli({ workspace: opts.workspace, json: opts.json, ...(product ? { product } : {}), ...o });
    });

  const snapshots = cmd
    .command('snapshots')
    .description("a product's daily snapshots: files, rows, bytes, schema against the contract (footers read with range requests)")
    .argument('<product>', 'product id')
    .option('--from <date>', 'first day (YYYY-MM-DD)')
    .option('--to <date>', 'last day (YYYY-MM-DD)')
    .action(async (id: string, o: { from?: string; to?: string }, c: Command) => {
      const opts = c.optsWithGlobals<GlobalOptions>();
      await withClient(opts, async (client) => printSnapshots(await client.call('snapshots.list', { id, ...o }), opts.json));
    });
  snapshots
    .command('offline')
    .description('download days into the offline cache (resumable, verified); they stay usable with no network')
    .argument('<product>', 'product id')
    .option('--day <date>', 'one day')
    .option('--from <date>', 'first day of a range')
    .option('--to <date>', 'last day of a range')
    .option('--all', 'every day of the product')
    .option('--pin', 'never evict these days from the cache')
    .action(async (id: string, o: { day?: string; from?: string; to?: string; all?: boolean; pin?: boolean }, c: Command) => {
      await withServices(c.optsWithGlobals<GlobalOptions>(), (services) => runOfflineCli(services, id, o));
    });

  cmd
    .command('sql')
    .description('SQL (DuckDB) over the products\' snapshots: every product is a view named by its id, with snapshot_date')
    .argument('<query>', 'e.g. "SELECT store_id, sum(amount) FROM sales.orders GROUP BY ALL"')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json', 'ndjson']).default('table'))
    .option('--out <file>', 'write the result to a file instead of the terminal')
    .option('--attach <name=path>', 'open a local Parquet file or folder as a table (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--timing', 'print the query time, rows and peak memory to stderr')
    .action(async (query: string, o: { format: SqlFormat; out?: string; attach: string[]; timing?: boolean }, c: Command) => {
      const opts = c.optsWithGlobals<GlobalOptions>();
      const format = opts.json && o.format === 'table' ? 'json' : o.format;
      await withServices(opts, async (services) => {
        try {
          await runSqlCli(services, query, { ...o, format });
        } catch (e) {
          // A query the engine refused is "the check found problems" (exit 1), not a usage error.
          if (e instanceof ApiError && e.code === 'BAD_REQUEST') {
            process.stderr.write(`dpx: SQL error: ${e.message}\n`);
            process.exitCode = EXIT.problems;
            return;
          }
          throw e;
        }
      });
    });

  cmd
    .command('serve')
    .description('serve the UI on 127.0.0.1 (browser mode) and print its URL with the access token')
    .option('-p, --port <n>', 'port (default: a free one)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CommanderError(EXIT.usage, 'dpx.badPort', `--port must be 0-65535, got "${v}"`);
      return n;
    })
    .option('--no-open', 'do not open a browser window')
    .action(async (o: { port?: number; open: boolean }, c: Command) => {
      const opts = c.optsWithGlobals<GlobalOptions>();
      // The server (HTTP, WebSocket) is loaded by this command only: the others start without it.
      const { serveBrowserMode } = await import('./browser-mode');
      await serveBrowserMode({ workspace: opts.workspace, port: o.port, open: o.open, json: opts.json });
    });
  return cmd;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // Anything else means the command could not do its job (bad id, unreadable workspace,
    // unreachable broker): that is exit 2, distinct from "the check ran and found problems".
    const err = e instanceof ApiError ? e : new ApiError('INTERNAL', (e as Error).message ?? String(e));
    process.stderr.write(`dpx: ${err.message}\n`);
    return EXIT.usage;
  }
}
