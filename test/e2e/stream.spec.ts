// A consumer tails a product's stream in the browser UI (the demo replays its recorded capture
// through the same path as a live Kafka tail): every message arrives, the poison message shows
// raw with why, the pass rate is shown against the tier's promise, and the filter narrows it.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

test('tail the demo orders stream from the earliest message', async ({ page }) => {
  await page.goto(process.env.DPX_URL!);
  await page.getByTestId('product-card-sales.orders').click();
  await page.getByTestId('stream-button').click();

  await page.getByTestId('tail-from').fill('earliest');
  await page.getByTestId('tail-start').click();
  await expect(page.getByTestId('message-list')).toHaveAttribute('data-count', '15000', { timeout: 30_000 });
  await expect(page.getByTestId('tail-pass-rate')).toContainText('99.9667');
  await expect(page.getByTestId('tail-pass-rate')).toHaveAttribute('data-kept', 'false');

  // The poison message: raw bytes and the reason, the tail went on past it.
  await page.getByTestId('tail-filter').fill("key = 'O-00007001'");
  await page.getByTestId('tail-start').click();
  const poison = page.getByTestId('message-row-2-2502');
  await expect(poison).toBeVisible({ timeout: 30_000 });
  await poison.click();
  await expect(page.getByTestId('message-drawer')).toContainText('not JSON');
  await page.getByTestId('drawer-raw-tab').click();
  await expect(page.getByTestId('message-drawer')).toContainText('ff fe');
  await page.screenshot({ path: resolve(SHOTS, 'stream-poison.png') });
  await page.keyboard.press('Escape');

  // The same WHERE language as SQL on snapshots.
  await page.getByTestId('tail-filter').fill("value.store_id = 'S99'");
  await page.getByTestId('tail-start').click();
  await expect(page.getByTestId('message-list')).toHaveAttribute('data-count', '1', { timeout: 30_000 });
  await expect(page.getByTestId('message-row-1-3737')).toBeVisible();
});
