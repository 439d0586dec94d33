// The import-direction rule is part of the architecture: prove ESLint rejects the forbidden edges.
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return result!.messages.filter((m) => m.severity === 2 && m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import direction (ESLint, as errors)', () => {
  it('renderer may not import from electron/ or Node', async () => {
    expect(await errorsFor('renderer/src/x.ts', "import { openServices } from '../../electron/services/services';\nvoid openServices;\n")).toHaveLength(1);
    expect(await errorsFor('renderer/src/x.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n")).toHaveLength(1);
    expect(await errorsFor('renderer/src/x.ts', "import { api } from '../../shared/api/contract';\nvoid api;\n")).toEqual([]);
  });

  it('shared/ depends on neither side', async () => {
    expect(await errorsFor('shared/model/x.ts', "import { CatalogService } from '../../electron/services/catalog/catalog-service';\nvoid CatalogService;\n")).toHaveLength(1);
    expect(await errorsFor('shared/model/x.ts', "import { connect } from '../../renderer/src/app/transport';\nvoid connect;\n")).toHaveLength(1);
  });

  it("only main.ts and preload.ts import 'electron'", async () => {
    const code = "import { app } from 'electron';\nvoid app;\n";
    expect(await errorsFor('electron/services/catalog/x.ts', code)).toHaveLength(1);
    expect((await errorsFor('renderer/src/x.ts', code)).length).toBeGreaterThan(0);
    expect(await errorsFor('electron/main.ts', code)).toEqual([]);
    expect(await errorsFor('electron/preload.ts', code)).toEqual([]);
  });
});
