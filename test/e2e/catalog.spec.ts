// A consumer finds a product: opens the catalog, narrows it to gold products, opens one and reads
// its schema and lineage. Runs in Debian Chromium against browser mode on the demo workspace.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

test('catalog → filter by tier → product schema and lineage', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(process.env.DPX_URL!);

  // The catalog lists the four demo products.
  for (const id of ['sales.orders', 'sales.daily-totals', 'customers.profile', 'marketing.ad-targeting']) {
    await expect(page.getByTestId(`product-card-${id}`)).toBeVisible();
  }
  await page.screenshot({ path: resolve(SHOTS, 'catalog.png') });

  // Gold narrows it to the one gold product.
  await page.getByTestId('facet-tier-gold').click();
  await expect(page.getByTestId('product-card-sales.daily-totals')).toBeVisible();
  await expect(page.getByTestId('product-card-sales.orders')).toHaveCount(0);
  await expect(page.getByTestId('product-card-customers.profile')).toHaveCount(0);

  // Open it with the keyboard-free path a new user takes: a click.
  await page.getByTestId('product-card-sales.daily-totals').click();
  await expect(page.getByTestId('product-title')).toContainText('Daily sales totals');

  const schema = page.getByTestId('schema-table');
  await expect(schema).toContainText('store_id');
  await expect(schema).toContainText('revenue');

  // Lineage: orders feeds the daily totals.
  const lineage = page.getByTestId('lineage-graph');
  await expect(lineage.getByTestId('lineage-node-sales.orders')).toBeVisible();
  await expect(lineage.getByTestId('lineage-node-sales.daily-totals')).toBeVisible();
  await page.screenshot({ path: resolve(SHOTS, 'product.png'), fullPage: true });

  // Following the lineage to the input product works too.
  await lineage.getByTestId('lineage-node-sales.orders').click();
  await expect(page.getByTestId('product-title')).toContainText('Orders');
  await expect(page.getByTestId('schema-table')).toContainText('order_id');
});

test('search and the lint panel are reachable from the keyboard', async ({ page }) => {
  await page.goto(process.env.DPX_URL!);
  await expect(page.getByTestId('product-card-sales.orders')).toBeVisible();
  await page.keyboard.press('/');
  await page.keyboard.type('propensity');
  await expect(page.getByTestId('product-card-marketing.ad-targeting')).toBeVisible();
  await expect(page.getByTestId('product-card-sales.orders')).toHaveCount(0);
  // Esc clears the search, a second Esc leaves the box; then `g l` goes to the lint panel.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press('g');
  await page.keyboard.press('l');
  await expect(page.getByTestId('lint-panel')).toBeVisible();
  await expect(page.getByTestId('lint-panel')).toContainText('No findings');
});
