// An analyst queries the products: writes SQL in the Monaco editor with completion, runs it,
// scrolls the whole result in the grid and exports it.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/** Opens the SQL page and empties the editor, which keeps the focus. */
async function emptyEditor(page: Page) {
  await page.goto(process.env.DPX_URL!);
  await page.getByTestId('nav-sql').click();
  const editor = page.getByTestId('sql-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  return editor;
}

test('write a query with completion, run it, scroll the grid, export CSV', async ({ page }) => {
  const editor = await emptyEditor(page);

  // Completion offers the products of the domain after "sales.".
  await page.keyboard.type('SELECT order_id, amount FROM sales.');
  const suggest = page.locator('.suggest-widget');
  await expect(suggest).toContainText('orders', { timeout: 10_000 });
  await suggest.getByText('orders', { exact: true }).first().click();
  await page.keyboard.type(' ORDER BY ');
  await page.keyboard.type('amou');
  await expect(suggest).toContainText('amount', { timeout: 10_000 });
  await page.keyboard.press('Enter');
  await expect(editor).toContainText('ORDER BY amount');

  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const grid = page.getByTestId('result-grid');
  await expect(grid).toHaveAttribute('data-rows', '15000');
  await expect(page.getByTestId('result-row-0')).toContainText('-399.05');

  // Scroll to the last row: pages are fetched from the backend as the grid moves.
  await grid.locator('.rg-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(page.getByTestId('result-row-14999')).toBeVisible({ timeout: 10_000 });
  await page.screenshot({ path: resolve(SHOTS, 'sql.png') });

  await page.getByTestId('export-csv').click();
  await expect(page.getByTestId('export-status')).toContainText('Saved to', { timeout: 30_000 });
  const file = await page.getByTestId('export-path').innerText();
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('order_id,amount');
  expect(lines).toHaveLength(15001);
});

test('a syntax error is marked where DuckDB says', async ({ page }) => {
  const editor = await emptyEditor(page);
  await page.keyboard.type('SELECT *\nFORM "sales.orders"');
  await page.keyboard.press('Escape');
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-error')).toContainText('line 2');
  await expect(editor.locator('.squiggly-error')).toHaveCount(1);
});

test('open a Parquet folder someone handed over: query it and see its files and column statistics', async ({ page }) => {
  const editor = await emptyEditor(page);
  const folder = resolve(import.meta.dirname, '../../examples/demo/snapshots/customers.profile');
  await page.getByTestId('attach-open').click();
  await page.getByTestId('attach-name').fill('handed');
  await page.getByTestId('attach-path').fill(folder);
  await page.getByTestId('attach-submit').click();
  await expect(page.getByTestId('attach-dialog')).not.toBeVisible();

  await editor.locator('.monaco-editor').click();
  await page.keyboard.type('SELECT count(DISTINCT customer_id) AS customers FROM handed');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('result-row-0')).toBeVisible();

  // The opened table's files, as the snapshot browser shows a day: one row per file, statistics per column.
  await page.getByTestId('sql-files-handed').click();
  const files = page.getByTestId('opened-files');
  await expect(files.getByTestId('snapshot-files').locator('tbody tr')).toHaveCount(30, { timeout: 15_000 });
  await expect(files).toContainText('date=2026-10-01/part-0.parquet');
  await expect(files.getByTestId('column-stat-customer_id')).toBeVisible();
  await page.screenshot({ path: resolve(SHOTS, 'sql-opened-files.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('opened-files-dialog')).not.toBeVisible();
});
