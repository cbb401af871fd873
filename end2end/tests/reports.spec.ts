import { test, expect, DEMO_PASSWORD } from './fixtures';
import type { Download } from '@playwright/test';

async function text(download: Download) {
  return (await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c))).toString('utf8');
}

test('a commissioner reads the fund statement, a round report and the audit trail, and sets a partner identifier', async ({ seedbed, page }) => {
  test.setTimeout(180_000);
  await seedbed.signIn('commissioner@seedbed.test', DEMO_PASSWORD);

  // The pooled fund statement for the newest year, and its two downloads.
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');
  await page.getByRole('table', { name: 'Pooled fund by financial year' }).getByRole('link').first().click();
  await seedbed.settled(/^\d{4} to \d{4}$/);
  await expect(page.getByText('Pooled fund statement')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Money by partner' })).toContainText('North East Lincolnshire Council');
  const [statement] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download money by partner (CSV)' }).click(),
  ]);
  const statementText = await text(statement);
  expect(statementText.split('\n')[0]).toContain('Partner,Contributed (£),Reserved (£),Committed (£),Paid (£),Uncommitted (£)');
  expect(statementText).toContain('Total');
  const [ledger] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download every ledger entry (CSV)' }).click(),
  ]);
  expect(await text(ledger)).toContain('Contribution');

  // The pilot round's report: three bids (two assigned to the panel, one by post).
  await page.getByRole('link', { name: 'Back to funding' }).click();
  await seedbed.settled('Funding');
  await page.locator('#main-content').getByRole('link', { name: 'Funding rounds' }).click();
  await seedbed.settled('Funding rounds');
  await page.getByRole('link', { name: 'Foot care at home, designed with carers (pilot)' }).click();
  await seedbed.settled('Foot care at home, designed with carers (pilot)');
  await page.getByRole('link', { name: 'Round report: bids, money and scores' }).click();
  await seedbed.settled('Foot care at home, designed with carers (pilot)');
  const received = page.locator('.govuk-summary-list__row').filter({ hasText: 'Bids received' });
  await expect(received.locator('dd')).toHaveText('3');
  await expect(page.getByRole('table', { name: 'Mean scores per criterion' })).toContainText('Meets the need');
  const [report] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download this report (CSV)' }).click(),
  ]);
  expect(await text(report)).toContain('Bids received,3');

  // The audit trail: a filter, then a mistake that keeps what was typed.
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await seedbed.settled('Audit trail');
  await page.getByLabel('Action').selectOption({ label: 'Round published' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await seedbed.settled('Audit trail');
  const rows = page.getByRole('table').locator('tbody tr');
  await expect(rows.first()).toContainText('Round published');
  expect(await rows.count()).toBe(await rows.filter({ hasText: 'Round published' }).count());
  const from = page.getByRole('group', { name: 'From' });
  await from.getByLabel('Day').fill('31');
  await from.getByLabel('Month').fill('2');
  await from.getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Filter' }).click();
  await seedbed.settled('Audit trail');
  await expect(page.getByRole('link', { name: 'The from date must be a real date' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'From' }).getByLabel('Day')).toHaveValue('31');
  await expect(page.getByLabel('Action')).toHaveValue('round.published');
  await expect(page).toHaveTitle(/^Error: Audit trail/);

  // A partner's organisation identifier: a mistake first, then the right one.
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');
  await page.getByRole('link', { name: 'Partners who pool their budgets' }).click();
  await seedbed.settled('Partners');
  await page.getByRole('link', { name: 'Change the organisation identifier of North East Lincolnshire Council' }).click();
  await seedbed.settled('Organisation identifier');
  await page.getByLabel('Organisation identifier').fill('NEL council');
  await page.getByRole('button', { name: 'Save identifier' }).click();
  await seedbed.settled('Organisation identifier');
  await expect(page.getByRole('link', { name: /^Enter the identifier in the format GB-LAE-NEL/ })).toBeVisible();
  await expect(page.getByLabel('Organisation identifier')).toHaveValue('NEL council');
  await page.getByLabel('Organisation identifier').fill('GB-LAE-NEL');
  await page.getByRole('button', { name: 'Save identifier' }).click();
  await seedbed.settled('Partners');
  await expect(page.getByText("North East Lincolnshire Council's organisation identifier is now GB-LAE-NEL")).toBeVisible();
});
