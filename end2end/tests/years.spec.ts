import { test, expect, DEMO_PASSWORD, expectFitsPhone } from './fixtures';
import type { Download } from '@playwright/test';

async function text(download: Download) {
  return (await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c))).toString('utf8');
}

/** Last financial year's label ("2025 to 2026"): years run from 1 April, in UK time. */
function lastYear(): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric' })
    .formatToParts(new Date());
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  const current = month >= 4 ? year : year - 1;
  return `${current - 1} to ${current}`;
}

test("a partner's finance officer reads last year's year-end statement and downloads their partner's share", async ({ seedbed, page }) => {
  test.setTimeout(120_000);
  const label = lastYear();
  const partner = 'NHS Humber and North Yorkshire ICB';
  await seedbed.signIn('icblead@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Sign-off' }).click();
  await seedbed.settled('Awards to sign off');

  // Their page lists the pooled fund's statements; last year is closed.
  await page.getByRole('link', { name: `Year-end statement ${label}` }).click();
  await seedbed.settled('Year-end');
  await expect(page.getByText(`Pooled fund ${label}`)).toBeVisible();
  await expect(page.getByText(/^Closed on .* Nothing in this year can be changed now/)).toBeVisible();
  await expect(page.getByRole('heading', { name: partner, level: 2 })).toBeVisible();

  // What the year committed and did not pay went on to this year, with each partner's share;
  // the ICB's underspend went back to it, with the partners' reason.
  const share = page.getByRole('table', { name: `${partner}'s share of each commitment carried forward` });
  await expect(share).toContainText('Nunsthorpe Friday Lunch Club');
  await expect(share).toContainText('Tranche 1');
  const underspend = page.locator('.govuk-summary-list__row').filter({ hasText: 'Underspend' }).last();
  await expect(underspend).toContainText('Returned to the partner');
  await expect(underspend).toContainText("The ICB's year-end financial position needed its underspend back");

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: `Download ${partner}'s year-end statement (CSV)` }).click(),
  ]);
  const body = await text(csv);
  expect(body.split('\n')[0]).toContain('Financial year,Partner,Line,Organisation,Scheme reference,Tranche,Amount (£),Reason');
  expect(body).toContain(`${label},${partner},Commitment carried forward,Nunsthorpe Friday Lunch Club`);
  expect(body).toContain('Underspend: returned to the partner');
  await expectFitsPhone(page, page.url());

  // The year's statement says it is closed and leads back to the year-end statement.
  await page.getByRole('link', { name: 'Back to the pooled fund' }).click();
  await seedbed.settled(label);
  await expect(page.getByText('This year is closed: its year-end has been run.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record a variation' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Money by partner' })).toContainText('Carried forward');
  await page.getByRole('link', { name: 'Read the year-end statement' }).click();
  await seedbed.settled('Year-end');
});
