// Where the explorer keeps what it makes for the user (captures from the demo, the snapshot
// cache): DPX_DATA_DIR, else the platform's per-user data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function appDataDir(): string {
  if (process.env.DPX_DATA_DIR) return process.env.DPX_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Data Product Explorer');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Data Product Explorer');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'data-product-explorer');
}
