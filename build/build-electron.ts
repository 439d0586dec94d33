// `npm run build` (after `vite build`): the Electron main and preload bundles.
import { buildElectron } from '../electron/hosts/electron-build';

await buildElectron();
