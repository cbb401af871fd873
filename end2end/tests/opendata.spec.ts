import { test, expect } from './fixtures';

test('a signed-out visitor browses the register of awards, filters it and downloads the open data', async ({ seedbed, page }) => {
  await seedbed.visit('/');
  await page.getByRole('link', { name: 'See the register of awards' }).click();
  await seedbed.settled('Register of awards');
  const table = page.getByRole('table');
  await expect(table.getByRole('row').filter({ hasText: 'Step Forward Chiropody CIC' })).toContainText('Self-sustaining');
  await expect(table.getByRole('row').filter({ hasText: 'Befriend Grimsby' })).toContainText('Registered charity 1187654');

  await page.getByLabel('Round').selectOption({ label: 'Affordable chiropody for over-65s (2024)' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await seedbed.settled('Register of awards');
  await expect(page.getByRole('table').locator('caption')).toHaveText('1 award');
  await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'Befriend Grimsby' })).toHaveCount(0);

  // The register's CSV has the same rows.
  const [registerCsv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download these awards (CSV)' }).click(),
  ]);
  const registerText = await (await registerCsv.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  expect(registerText.split('\n').filter((l) => l.trim()).length).toBe(2);
  expect(registerText).toContain('Step Forward Chiropody CIC');

  // Both open data files, from the home page's links.
  await seedbed.visit('/');
  const jsonHref = await page.getByRole('link', { name: 'Grants data in 360Giving JSON format' }).getAttribute('href');
  const json = await (await page.request.get(jsonHref!)).json();
  expect(json.grants.length).toBeGreaterThanOrEqual(3);
  expect(json.grants.map((g: { recipientOrganization: { id: string }[] }) => g.recipientOrganization[0].id)).toContain('GB-COH-11223344');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Grants data as a spreadsheet (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('360giving.csv');
  const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  expect(text.split('\n')[0]).toContain('Identifier,Title,Description,Currency,Amount Awarded');
});
