// The `dpx` command line: the same services as the app, over the in-process transport.
// Exit codes: 0 fine, 1 the check found problems, 2 usage error or unreadable workspace.
import { Command, CommanderError, Option } from 'commander';
import { ApiError } from '../../shared/api/errors';
import type { ApiClient } from '../../shared/api/client';
import { openServices } from '../services/services';
import { createInProcessClient } from '../transport/in-process';
import { DEMO_WORKSPACE } from './paths';
import { printCatalogList, printFindings, printProduct } from './cli-format';
import { serveBrowserMode } from './browser-mode';

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

interface GlobalOptions {
  workspace: string;
  json: boolean;
}

async function withClient<T>(opts: GlobalOptions, fn: (client: ApiClient) => Promise<T>): Promise<T> {
  const services = await openServices({ workspace: opts.workspace });
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
        const snapshots = await client.call('snapshots.list', { id });
        printProduct(product, snapshots.snapshots, opts.json);
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
