// `npm run package`: builds the UI and the Electron bundles, then electron-builder makes the
// installers. electron-builder downloads the Electron binary and its tools, so on a machine
// without internet this stops with one clear line instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { buildElectron } from '../electron/hosts/electron-build';
import { PACKAGE_ROOT } from '../electron/hosts/paths';
import { ensureRendererBuilt } from '../electron/hosts/renderer-build';

await ensureRendererBuilt((l) => process.stderr.write(l + '\n'));
await buildElectron();
const builder = resolve(PACKAGE_ROOT, 'node_modules/electron-builder/cli.js');
const r = spawnSync(process.execPath, [builder, '--config', 'build/electron-builder.yml', ...process.argv.slice(2)], { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
// electron-builder's progress lines; its stack traces stay out of the way of the one-line reason.
process.stdout.write((r.stdout ?? '').split('\n').filter((l) => /^\s*•/.test(l) || r.status === 0).join('\n') + '\n');
if (r.status !== 0) {
  const text = `${r.stdout}\n${r.stderr}`;
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|unable to download|Get ".*": dial tcp|download/i.test(text);
  const detail = (text.split('\n').map((l) => l.trim()).find((l) => /error|⨯/i.test(l)) ?? `exit ${r.status}`).replace(/\s+failedTask=.*$/, '');
  process.stderr.write(
    offline
      ? `Packaging needs the internet: electron-builder must download the Electron binary and its packaging tools, and this machine cannot reach them (${detail}).\n`
      : `Packaging failed: ${detail}\n${r.stderr}`,
  );
  process.exit(1);
}
