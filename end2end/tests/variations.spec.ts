import { Page } from '@playwright/test';
import { test, expect, Seedbed, DEMO_PASSWORD, expectFitsPhone } from './fixtures';

// Nunsthorpe Friday Lunch Club (the demo's scheme awarded late last year) asks to change its
// second tranche's milestone; a commissioner approves it. Each project asks for its own
// change, told apart by its reason.
const ORGANISATION = 'Nunsthorpe Friday Lunch Club';
const ROUND = 'More than meals: shopping help and signposting (2025)';

async function switchUser(seedbed: Seedbed, page: Page, email: string) {
  await page.context().clearCookies();
  await seedbed.signIn(email, DEMO_PASSWORD);
}

test('an organisation asks for a variation to its award and a commissioner approves it', async ({ seedbed, page }, testInfo) => {
  test.setTimeout(180_000);
  const reason = `The community centre moved our lunch to Thursdays (${testInfo.project.name})`;
  const milestone = `Thursday lunches running for six months (${testInfo.project.name})`;

  await seedbed.signIn('lunchclub@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Your bids' }).click();
  await seedbed.settled('Your bids');
  await page.getByRole('link', { name: `Open the funded scheme for ${ROUND}` }).click();
  await seedbed.settled(ORGANISATION);
  await page.getByRole('link', { name: 'Ask for a variation to the award' }).click();
  await seedbed.settled('Ask for a variation');
  await expectFitsPhone(page, page.url());

  // A mistake first: what was typed is kept, and the message sits by the field.
  const tranche2 = page.getByRole('group', { name: 'Tranche 2' });
  const original = await tranche2.getByLabel('Amount').inputValue();
  await tranche2.getByLabel('Milestone').fill(milestone);
  await tranche2.getByLabel('Amount').fill('0');
  await page.getByRole('button', { name: 'Send the request' }).click();
  await seedbed.settled('Ask for a variation');
  await expect(page.getByRole('link', { name: "Tranche 2's amount must be more than £0" })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enter the reason for the variation' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Tranche 2' }).getByLabel('Milestone')).toHaveValue(milestone);
  const amount = page.getByRole('group', { name: 'Tranche 2' }).getByLabel('Amount');
  await expect(amount).toHaveValue('0');
  // Tranche 2's amount back as it was: only its milestone changes.
  await amount.fill(original);
  await page.getByLabel('Reason for the variation').fill(reason);
  await page.getByRole('button', { name: 'Send the request' }).click();
  await seedbed.settled(ORGANISATION);
  await expect(page.getByText('Your request has been sent. A commissioner will decide it')).toBeVisible();
  const asked = page.getByRole('listitem').filter({ hasText: reason });
  await expect(asked).toContainText('Requested: waiting for a commissioner');

  // The commissioner finds it on the scheme page and approves it.
  await switchUser(seedbed, page, 'commissioner@seedbed.test');
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');
  await page.getByRole('link', { name: 'Portfolio of funded schemes' }).click();
  await seedbed.settled('Portfolio of funded schemes');
  await page.getByRole('link', { name: ORGANISATION, exact: true }).click();
  await seedbed.settled(ORGANISATION);
  const item = page.getByRole('listitem').filter({ hasText: reason });
  await expect(item).toContainText(`milestone now “${milestone}”`);
  await item.getByLabel('Approve').check();
  await item.getByRole('button', { name: 'Record the decision' }).click();
  await seedbed.settled(ORGANISATION);
  await expect(page.getByText('The variation is approved and the award has been varied')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: reason })).toContainText('Approved');
  await expect(page.getByRole('table', { name: 'Tranches' })).toContainText(milestone);
});
