import { Page } from '@playwright/test';
import { test, expect, Seedbed, DEMO_PASSWORD, expectFitsPhone, mailFromOutbox } from './fixtures';

// Nunsthorpe Friday Lunch Club (the demo's scheme awarded late last year) asks for a
// variation and a commissioner approves it. With JavaScript on it asks for more money for its
// second tranche, so the variation then waits for both partners' approvers to sign it off;
// with JavaScript off it changes only its first tranche's milestone, which a commissioner's
// approval applies at once. Each project changes its own tranche, so the two never meet.
const ORGANISATION = 'Nunsthorpe Friday Lunch Club';
const ROUND = 'More than meals: shopping help and signposting (2025)';
const PATHS: Record<string, { tranche: string; extra: number }> = {
  'js-on': { tranche: 'Tranche 2', extra: 500 },
  'js-off': { tranche: 'Tranche 1', extra: 0 },
};

async function switchUser(seedbed: Seedbed, page: Page, email: string) {
  await page.context().clearCookies();
  await seedbed.signIn(email, DEMO_PASSWORD);
}

async function openSignOff(seedbed: Seedbed, page: Page) {
  await page.getByRole('link', { name: 'Sign-off' }).click();
  await seedbed.settled('Awards to sign off');
  await page.getByRole('link', { name: `Variation to ${ORGANISATION}'s award` }).first().click();
  await seedbed.settled(`Sign off the variation to ${ORGANISATION}'s award`);
}

test('an organisation asks for a variation to its award and it is approved', async ({ seedbed, page }, testInfo) => {
  test.setTimeout(240_000);
  const { tranche, extra } = PATHS[testInfo.project.name];
  // Told apart by project and by try (a retry finds the first try's variation there).
  const run = `${testInfo.project.name}, try ${testInfo.retry + 1}`;
  const reason = `The community centre moved our lunch to Thursdays (${run})`;
  const milestone = `Thursday lunches running for six months (${run})`;

  await seedbed.signIn('lunchclub@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Your bids' }).click();
  await seedbed.settled('Your bids');
  await page.getByRole('link', { name: `Open the funded scheme for ${ROUND}` }).click();
  await seedbed.settled(ORGANISATION);
  await page.getByRole('link', { name: 'Ask for a variation to the award' }).click();
  await seedbed.settled('Ask for a variation');
  await expectFitsPhone(page, page.url());

  // A mistake first: what was typed is kept, and the message sits by the field.
  const group = page.getByRole('group', { name: tranche });
  const original = await group.getByLabel('Amount').inputValue();
  const n = tranche.replace('Tranche ', '');
  await group.getByLabel('Milestone').fill(milestone);
  await group.getByLabel('Amount').fill('0');
  await page.getByRole('button', { name: 'Send the request' }).click();
  await seedbed.settled('Ask for a variation');
  await expect(page.getByRole('link', { name: `Tranche ${n}'s amount must be more than £0` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enter the reason for the variation' })).toBeVisible();
  await expect(page.getByRole('group', { name: tranche }).getByLabel('Milestone')).toHaveValue(milestone);
  const amount = page.getByRole('group', { name: tranche }).getByLabel('Amount');
  await expect(amount).toHaveValue('0');
  // The amount as it was, or more.
  await amount.fill(String(Number(original.replace(/,/g, '')) + extra));
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
  if (extra === 0) {
    await expect(page.getByText('The award has been varied: it is now')).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: reason })).toContainText('Approved');
    await expect(page.getByRole('table', { name: 'Tranches' })).toContainText(milestone);
    return;
  }

  // More money: it waits for the partners, and nothing changes yet.
  await expect(page.getByText("The variation adds money to the award, so it now awaits the partners' sign-off")).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: reason })).toContainText("awaiting the partners' sign-off");
  await expect(page.getByRole('table', { name: 'Tranches' })).not.toContainText(milestone);

  // The council's approver reads it from their sign-off page; a refusal needs a reason.
  await switchUser(seedbed, page, 'director@seedbed.test');
  await openSignOff(seedbed, page);
  await expect(page.getByText('Extra money to commit')).toBeVisible();
  await expect(page.getByText(reason)).toBeVisible();
  await expectFitsPhone(page, page.url());
  await page.getByRole('radio', { name: 'Refuse' }).check();
  await page.getByRole('button', { name: 'Send your answer' }).click();
  await seedbed.settled(`Sign off the variation to ${ORGANISATION}'s award`);
  await expect(page.getByRole('link', { name: 'Enter why you refuse this variation: the organisation and the commissioner are told' })).toBeVisible();
  await page.getByLabel('Approve for North East Lincolnshire Council').check();
  await page.getByRole('button', { name: 'Send your answer' }).click();
  await seedbed.settled('Awards to sign off');
  await expect(page.getByText('Awaiting sign-off by NHS Humber and North Yorkshire ICB')).toBeVisible();

  // The ICB's approver approves: the variation is applied and the organisation told.
  await switchUser(seedbed, page, 'icblead@seedbed.test');
  await openSignOff(seedbed, page);
  await expect(page.getByText('North East Lincolnshire Council: approved by')).toBeVisible();
  await page.getByLabel('Approve for NHS Humber and North Yorkshire ICB').check();
  await page.getByRole('button', { name: 'Send your answer' }).click();
  await seedbed.settled('Awards to sign off');
  await expect(page.getByText(`Every partner has signed off: ${ORGANISATION}'s award is now`)).toBeVisible();
  expect(await mailFromOutbox('lunchclub@seedbed.test', 'award has been varied')).toContain(milestone);
});
