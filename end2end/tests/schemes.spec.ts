import { Page } from '@playwright/test';
import { test, expect, Seedbed, DEMO_PASSWORD, mailFromOutbox } from './fixtures';

// The demo's history has two schemes from the 2025 meals round. Each project (JavaScript
// on, JavaScript off) follows one of them, so the two runs never meet. Each has sent three
// returns; its fourth is overdue (so it is at risk) and its fifth just due. Befriend
// Grimsby's payments are suspended while a support plan runs: a commissioner resumes them
// before its tranche is paid.
const SCHEMES: Record<string, { organisation: string; owner: string; before: string; suspended: boolean }> = {
  'js-on': { organisation: "St Mary's Church Meals and More", owner: 'meals@seedbed.test', before: 'At risk', suspended: false },
  'js-off': { organisation: 'Befriend Grimsby', owner: 'befriend@seedbed.test', before: 'Payments suspended', suspended: true },
};
const ROUND = 'More than meals: shopping help and signposting (2025)';

async function switchUser(seedbed: Seedbed, page: Page, email: string) {
  await page.context().clearCookies();
  await seedbed.signIn(email, DEMO_PASSWORD);
}

async function sendReturn(seedbed: Seedbed, page: Page, organisation: string, n: number, grant: string) {
  await page.getByRole('link', { name: `Fill in return ${n}` }).click();
  await seedbed.settled(`Monitoring return ${n}`);
  await page.getByLabel('Running costs in this period').fill('6,500');
  await page.getByLabel('Income received: this seed grant').fill(grant);
  await page.getByLabel('Income received: charges to users').fill('5400');
  await page.getByLabel('Income received: donations and fundraising').fill('1200');
  await page.getByLabel('Income received: in-kind (volunteer time at its value)').fill('1800');
  for (const name of ['Meals delivered', 'People supported', 'Volunteer hours', 'Weeks of residential care put off']) {
    await page.getByLabel(name, { exact: true }).fill('10');
  }
  // The carers' survey is a percentage.
  await page.getByLabel("Carers who say the service helps them keep caring (%)").fill('92.5%');
  await page.getByLabel('What happened in this period').fill(`${organisation}: more people now pay for shopping help.`);
  await page.getByRole('button', { name: 'Send return' }).click();
  await seedbed.settled(organisation);
  await expect(page.getByText(`Monitoring return ${n} sent`)).toBeVisible();
}

async function openScheme(seedbed: Seedbed, page: Page, organisation: string) {
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');
  await page.getByRole('link', { name: 'Portfolio of funded schemes' }).click();
  await seedbed.settled('Portfolio of funded schemes');
  await page.getByRole('link', { name: organisation, exact: true }).click();
  await seedbed.settled(organisation);
}

test('a scheme sends returns and evidence; the commissioner pays, watches its status and confirms graduation', async ({ seedbed, page }, testInfo) => {
  test.setTimeout(240_000);
  const { organisation, owner, before, suspended } = SCHEMES[testInfo.project.name];

  // The commissioner sees the scheme's status in the portfolio.
  await seedbed.signIn('commissioner@seedbed.test', DEMO_PASSWORD);
  await openScheme(seedbed, page, organisation);
  await page.getByRole('link', { name: 'Back to the portfolio' }).click();
  await seedbed.settled('Portfolio of funded schemes');
  await expect(page.getByRole('row').filter({ hasText: organisation })).toContainText(before);
  await expect(page.getByRole('row').filter({ hasText: 'Step Forward Chiropody CIC' })).toContainText('Self-sustaining');

  // The organisation sends evidence for its second tranche, and a return with no seed grant.
  await switchUser(seedbed, page, owner);
  await page.getByRole('link', { name: 'Your bids' }).click();
  await seedbed.settled('Your bids');
  await page.getByRole('link', { name: `Open the funded scheme for ${ROUND}` }).click();
  await seedbed.settled(organisation);
  await page.getByRole('link', { name: 'Send evidence for tranche 2' }).click();
  await seedbed.settled(/^Tranche 2: /);
  await page.getByRole('button', { name: 'Send evidence' }).click();
  await seedbed.settled(/^Tranche 2: /);
  await expect(page.getByRole('link', { name: 'Enter how the milestone has been met' })).toBeVisible();
  await page.getByLabel('How has the milestone been met?').fill('Half-way: 45 people a week, returns up to date, volunteers trained.');
  await page.getByRole('button', { name: 'Send evidence' }).click();
  await seedbed.settled(/^Tranche 2: /);
  await expect(page.getByText('Evidence for tranche 2 sent')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the scheme' }).click();
  await seedbed.settled(organisation);

  // A return with an error keeps what was typed; then it is sent.
  await page.getByRole('link', { name: 'Fill in return 4' }).click();
  await seedbed.settled('Monitoring return 4');
  await page.getByLabel('Running costs in this period').fill('six thousand');
  await page.getByRole('button', { name: 'Send return' }).click();
  await seedbed.settled('Monitoring return 4');
  await expect(page.getByRole('link', { name: 'Running costs must be an amount in pounds, like 12500 or 12500.50' })).toBeVisible();
  await expect(page.getByLabel('Running costs in this period')).toHaveValue('six thousand');
  await page.getByRole('link', { name: 'Back to the scheme' }).click();
  await seedbed.settled(organisation);
  await sendReturn(seedbed, page, organisation, 4, '0');
  await sendReturn(seedbed, page, organisation, 5, '0');
  // Only returns whose period has ended are offered: the sixth opens when its quarter ends.
  await expect(page.getByRole('link', { name: 'Fill in return 6' })).toHaveCount(0);
  await expect(page.getByText(/^Opens /).first()).toBeVisible();

  // Four eyes: one commissioner approves the evidence, another records the payment.
  await switchUser(seedbed, page, 'icb@seedbed.test');
  await openScheme(seedbed, page, organisation);
  await page.getByRole('link', { name: 'Review evidence for tranche 2' }).click();
  await seedbed.settled(/^Tranche 2: /);
  await page.getByLabel('Approve the evidence').check();
  if (suspended) {
    // Pay for outcomes: Befriend Grimsby's second tranche waits for 120 people supported
    // (115 so far); approving it before then needs a reason.
    await expect(page.getByText('People supported: 120 in all')).toBeVisible();
    await expect(page.getByText('The outcome has not been reached yet. To approve the evidence anyway, say why in the note.')).toBeVisible();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await seedbed.settled(/^Tranche 2: /);
    await expect(page.getByRole('link', { name: /The outcome for this tranche has not been reached \(People supported: 120 in all; 115 so far/ })).toBeVisible();
    await page.getByLabel('Approve the evidence').check();
    await page.getByLabel('Note for the organisation').fill('Referrals paused during the support plan; the service is back on track.');
  } else {
    // The meals scheme's outcome (6,000 meals in all) is reached.
    await expect(page.getByText('Meals delivered: 6,000 in all')).toBeVisible();
  }
  await page.getByRole('button', { name: 'Record decision' }).click();
  await seedbed.settled(/^Tranche 2: /);
  await expect(page.getByText('Evidence for tranche 2 approved. Another commissioner must now record its payment')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record the payment' })).toHaveCount(0);
  await switchUser(seedbed, page, 'commissioner@seedbed.test');
  await openScheme(seedbed, page, organisation);
  if (suspended) {
    // The support plan worked: payments resume, and the organisation is told.
    await expect(page.getByRole('heading', { name: 'Payments are suspended' })).toBeVisible();
    await page.getByRole('button', { name: 'Resume payments' }).click();
    await seedbed.settled(organisation);
    await expect(page.getByText('Payments have resumed. The organisation has been told')).toBeVisible();
    expect(await mailFromOutbox(owner, 'have resumed')).toContain('can now be paid');
  }
  await page.getByRole('link', { name: 'Record the payment for tranche 2' }).click();
  await seedbed.settled(/^Tranche 2: /);
  await page.getByRole('button', { name: 'Record the payment' }).click();
  await seedbed.settled(/^Tranche 2: /);
  await expect(page.getByRole('link', { name: 'Enter the payment reference, like BACS-20261205-001' })).toBeVisible();
  await page.getByLabel('Payment reference').fill('BACS-20261205-002');
  // The date paid is offered as today; the payer keeps it.
  await expect(page.getByRole('group', { name: 'Date paid' }).getByLabel('Year')).not.toHaveValue('');
  await page.getByRole('button', { name: 'Record the payment' }).click();
  await seedbed.settled(organisation);
  await expect(page.getByText(/Tranche 2 paid: £[0-9,.]+ on \d{1,2} \w+ \d{4} \(reference BACS-20261205-002\)/)).toBeVisible();
  expect(await mailFromOutbox(owner, 'Tranche 2 of')).toContain('has been paid');
  for (const n of [4, 5]) {
    await page.getByRole('link', { name: `Review return ${n}` }).click();
    await seedbed.settled(`Monitoring return ${n}`);
    await page.getByLabel('Accept the return').check();
    await page.getByRole('button', { name: 'Record review' }).click();
    await seedbed.settled(organisation);
    await expect(page.getByText(`Monitoring return ${n} accepted`)).toBeVisible();
  }
  await expect(page.getByRole('img', { name: /Grant dependency: planned and actual/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Proposed for graduation' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the portfolio' }).click();
  await seedbed.settled('Portfolio of funded schemes');
  const row = page.getByRole('row').filter({ hasText: organisation });
  await expect(row).toContainText('On track');
  await expect(row).toContainText('Proposed for graduation');

  // Graduation: confirmed, dated and shown on the portfolio.
  await row.getByRole('link', { name: organisation }).click();
  await seedbed.settled(organisation);
  await page.getByRole('button', { name: 'Confirm as self-sustaining' }).click();
  await seedbed.settled(organisation);
  await expect(page.getByRole('link', { name: 'Confirm that the scheme is self-sustaining' })).toBeVisible();
  await page.getByLabel('This scheme is self-sustaining').check();
  await page.getByRole('button', { name: 'Confirm as self-sustaining' }).click();
  await seedbed.settled(organisation);
  await expect(page.getByText(`${organisation} is confirmed as self-sustaining`)).toBeVisible();
  await page.getByRole('link', { name: 'Back to the portfolio' }).click();
  await seedbed.settled('Portfolio of funded schemes');
  await expect(page.getByRole('row').filter({ hasText: organisation })).toContainText('Self-sustaining');
});
