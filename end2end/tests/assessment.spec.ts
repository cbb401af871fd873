import { Page } from '@playwright/test';
import { test, expect, Seedbed, DEMO_PASSWORD } from './fixtures';

// The demo pilot round has closed with two sent chiropody bids. Each project (JavaScript on,
// JavaScript off) assesses one of them, so the two runs never meet.
const BIDS: Record<string, { organisation: string; owner: string }> = {
  'js-on': { organisation: 'Happy Feet Chiropody CIC', owner: 'applicant@seedbed.test' },
  'js-off': { organisation: "St Peter's Church Lunch Club", owner: 'church@seedbed.test' },
};

async function switchUser(seedbed: Seedbed, page: Page, email: string) {
  await page.context().clearCookies();
  await seedbed.signIn(email, DEMO_PASSWORD);
}

async function openFromAssessments(seedbed: Seedbed, page: Page, organisation: string, action: string) {
  await page.getByRole('link', { name: 'Assessments' }).click();
  await seedbed.settled('Your assessments');
  await page.getByRole('link', { name: `${action} ${organisation}` }).click();
  await seedbed.settled();
}

async function scoreEverything(seedbed: Seedbed, page: Page, score: string, reason: string) {
  const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: /^0: / }) });
  const count = await groups.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    await groups.nth(i).getByRole('radio', { name: new RegExp(`^${score}: `) }).check();
  }
  const reasons = page.getByRole('textbox', { name: /^Why did you give this score/ });
  for (let i = 0; i < (await reasons.count()); i++) {
    await reasons.nth(i).fill(reason);
  }
  return count;
}

test('the panel assesses a bid, the commissioner awards it, and the applicant sees the award', async ({ seedbed, page }, testInfo) => {
  // With JavaScript off every page is scanned twice; the journey now also shortlists and
  // replies to an invitation: under the whole suite's load it took over 4 minutes.
  test.setTimeout(420_000);
  const { organisation, owner } = BIDS[testInfo.project.name];

  // A board member declares no conflict, reads the bid beside the criteria, and scores it.
  await seedbed.signIn('board@seedbed.test', DEMO_PASSWORD);
  await openFromAssessments(seedbed, page, organisation, 'Declare interests');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Declare any conflict of interest');
  await expect(page.getByText('Foot care practitioner (part time)')).toHaveCount(0);
  await page.getByLabel('No, I have no conflict of interest').check();
  // The questions about a conflict apply only to "Yes": with JavaScript they show only then.
  const connected = page.getByText('If you have a conflict, how are you connected?');
  if (testInfo.project.name === 'js-on') {
    await expect(connected).toBeHidden();
    await page.getByLabel('Yes, I have a conflict of interest').check();
    await expect(connected).toBeVisible();
    await page.getByLabel('No, I have no conflict of interest').check();
    await expect(connected).toBeHidden();
  } else {
    await expect(connected).toBeVisible();
  }
  await page.getByRole('button', { name: 'Declare and continue' }).click();
  await seedbed.settled(`Score the bid from ${organisation}`);
  await expect(page.locator('figcaption')).toHaveText('Grant dependency falls from 78% in year 1 to 0% in year 3');
  await page.getByRole('button', { name: 'Check and submit scores' }).click();
  await expect(page.getByRole('link', { name: /^Select a score for/ }).first()).toBeVisible();
  await seedbed.settled();
  // The carers' section is scored by carers alone: the board member reads it but scores the
  // other two criteria.
  expect(await scoreEverything(seedbed, page, '4', 'A credible plan that charges modestly and reaches independence.')).toBe(2);
  await expect(page.getByRole('heading', { name: "Carers' experience", level: 3 })).toBeVisible();
  await page.getByRole('button', { name: 'Check and submit scores' }).click();
  // Submitted scores are locked: they are shown for checking first.
  await seedbed.settled('Check your scores before you submit them');
  await expect(page.getByText('4 out of 5').first()).toBeVisible();
  await page.getByRole('button', { name: 'Submit scores' }).click();
  await seedbed.settled(`Score the bid from ${organisation}`);
  await expect(page.getByText('Your scores are submitted and locked')).toBeVisible();

  // The carer on the lay panel sees and scores only the carers' section.
  await switchUser(seedbed, page, 'carer@seedbed.test');
  await openFromAssessments(seedbed, page, organisation, 'Declare interests');
  await page.getByLabel('No, I have no conflict of interest').check();
  await page.getByRole('button', { name: 'Declare and continue' }).click();
  await seedbed.settled(`Score the bid from ${organisation}`);
  await expect(page.getByRole('heading', { name: "Carers' experience", level: 3 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Budget', level: 3 })).toHaveCount(0);
  expect(await scoreEverything(seedbed, page, '5', 'Carers designed the visit times: this will work for us.')).toBe(1);
  await page.getByRole('button', { name: 'Check and submit scores' }).click();
  await seedbed.settled('Check your scores before you submit them');
  await page.getByRole('button', { name: 'Submit scores' }).click();
  await seedbed.settled(`Score the bid from ${organisation}`);

  // Another board member declares a conflict and loses access to the bid.
  await switchUser(seedbed, page, 'board2@seedbed.test');
  await openFromAssessments(seedbed, page, organisation, 'Declare interests');
  const bidPath = new URL(page.url()).pathname;
  await page.getByLabel('Yes, I have a conflict of interest').check();
  await page.getByLabel('Trustee, director or committee member').check();
  await page.getByLabel('If you have a conflict, describe it').fill('I am a trustee of this organisation');
  await page.getByRole('button', { name: 'Declare and continue' }).click();
  await seedbed.settled('Your assessments');
  await expect(page.getByText('Your conflict of interest is recorded')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(organisation.replace(/[()']/g, '.')) })).toContainText('Conflict declared');
  await seedbed.visit(bidPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');

  // The commissioner moderates and awards.
  await switchUser(seedbed, page, 'commissioner@seedbed.test');
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');
  await seedbed.visit('/fund/rounds');
  await page.getByRole('link', { name: 'Foot care at home, designed with carers (pilot)' }).click();
  await seedbed.settled('Foot care at home, designed with carers (pilot)');
  await page.getByRole('link', { name: 'Moderation and decisions' }).click();
  await seedbed.settled('Moderation and decisions');
  await expect(page.getByText('Funding line')).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: organisation });
  await row.getByRole('link').first().click();
  await seedbed.settled(new RegExp(organisation.replace(/[()']/g, '.')));
  // The commissioner shortlists the bid for a presentation (the demo already invited Happy
  // Feet to an interview: then the invitation is changed). Every detail is needed.
  await page.getByRole('link', { name: /^(Shortlist and invite to an interview or presentation|Change the invitation)$/ }).click();
  await seedbed.settled(/^(Invite .* to an interview or presentation|Change the invitation to .*)$/);
  await page.getByLabel('Where it takes place, or the link to join online').fill('');
  await page.getByRole('button', { name: /^(Send the invitation|Change the invitation)$/ }).click();
  await seedbed.settled();
  await expect(page.getByRole('link', { name: 'Enter where it takes place, or the link to join online' })).toBeVisible();
  await page.getByLabel('A presentation, then questions from the panel').check();
  await page.getByLabel('Day').fill('14');
  await page.getByLabel('Month').fill('1');
  await page.getByLabel('Year').fill('2030');
  await page.getByLabel('Time it starts').fill('11am');
  await page.getByLabel('Where it takes place, or the link to join online').fill('Cleethorpes Library');
  await page.getByLabel('Who from the organisation should come').fill('The chair and the project lead');
  await page.getByRole('button', { name: /^(Send the invitation|Change the invitation)$/ }).click();
  await seedbed.settled(new RegExp(organisation.replace(/[()']/g, '.')));
  await expect(page.getByText('14 January 2030 at 11am', { exact: true })).toBeVisible();
  await expect(page.getByText('No reply yet', { exact: true })).toBeVisible();
  await page.getByLabel('Agreed score for Sustainability').selectOption('4');
  await page.getByLabel('Moderation note for Sustainability').fill('The panel agreed the charging model is sound');
  await page.getByRole('button', { name: 'Save agreed scores' }).click();
  // The commissioner stays on the bid to record the decision.
  await seedbed.settled(new RegExp(organisation.replace(/[()']/g, '.')));
  await expect(page.getByText('Agreed scores saved. Record the decision below')).toBeVisible();
  await expect(page.getByLabel('Agreed score for Sustainability')).toHaveValue('4');
  await expect(page.getByLabel('If awarded, what the grant pays for')).toHaveValue(/^Seed funding towards /);
  await page.getByLabel('Award', { exact: true }).check();
  await page.getByLabel('Amount to award').fill('20000');
  // The panel scores the presentation only once it has taken place: the award waits for
  // those scores unless the commissioner says it need not (here it need not).
  await expect(page.getByText(/not submitted scores for this bid yet/)).toBeVisible();
  await page.getByLabel(/^Award before .* scored$/).check();
  await page.getByRole('button', { name: 'Record decision' }).click();
  await seedbed.settled('Moderation and decisions');
  // The partners have named approvers: the Board's award waits for both to sign it off.
  await expect(page.getByText(`${organisation}: an award of £20,000.00 is recommended, awaiting sign-off by each partner`)).toBeVisible();
  const recommended = page.getByRole('row').filter({ hasText: organisation });
  await expect(recommended).toContainText('Agreed 4');
  await expect(recommended).toContainText('Recommended £20,000.00, awaiting sign-off');

  // The decision is minuted at the demo's board meeting, and the pack shows it.
  await page.getByRole('link', { name: 'The Board', exact: true }).click();
  await seedbed.settled('The Board');
  await page.getByRole('link', { name: 'Board meetings, board packs and minutes' }).click();
  await seedbed.settled('Board meetings');
  await page.getByRole('link', { name: /Grimsby Town Hall/ }).click();
  await seedbed.settled();
  await expect(page.getByRole('row').filter({ hasText: organisation })).toContainText("Award of £20,000.00 recommended, awaiting the partners' sign-off");
  await page.getByRole('link', { name: 'Read the board pack' }).click();
  await seedbed.settled('Board pack');
  await expect(page.getByRole('heading', { name: new RegExp(organisation.replace(/[()']/g, '.')), level: 3 })).toBeVisible();

  // Each partner's approver signs it off; the last approval makes the award.
  const partners = [
    { email: 'director@seedbed.test', partner: 'North East Lincolnshire Council', then: `Awaiting sign-off by NHS Humber and North Yorkshire ICB` },
    { email: 'icblead@seedbed.test', partner: 'NHS Humber and North Yorkshire ICB', then: `Every partner has signed off: ${organisation} awarded £20,000.00` },
  ];
  for (const { email, partner, then } of partners) {
    await switchUser(seedbed, page, email);
    await page.getByRole('link', { name: 'Sign-off' }).click();
    await seedbed.settled('Awards to sign off');
    await expect(page.getByText(`You sign off for ${partner}.`)).toBeVisible();
    await page.getByRole('link', { name: organisation }).click();
    await seedbed.settled(`Sign off the award to ${organisation}`);
    await expect(page.getByText('Recommended award')).toBeVisible();
    // A refusal without a reason is refused, and the answer chosen is kept.
    await page.getByLabel('Refuse', { exact: true }).check();
    await page.getByRole('button', { name: 'Send your answer' }).click();
    await seedbed.settled(`Sign off the award to ${organisation}`);
    await expect(page.getByRole('link', { name: 'Enter why you refuse this recommendation: the Board is told' })).toBeVisible();
    await expect(page.getByLabel('Refuse', { exact: true })).toBeChecked();
    await page.getByLabel(`Approve for ${partner}`).check();
    await page.getByRole('button', { name: 'Send your answer' }).click();
    await seedbed.settled('Awards to sign off');
    await expect(page.getByText(then)).toBeVisible();
  }

  // The applicant sees the award.
  await switchUser(seedbed, page, owner);
  await page.getByRole('link', { name: 'Your bids' }).click();
  await seedbed.settled('Your bids');
  await expect(page.getByRole('table', { name: 'Bids by your organisations' }).getByRole('row').filter({ hasText: organisation })).toContainText('Awarded');
  await expect(page.getByRole('table', { name: 'Funded schemes' }).getByRole('row').filter({ hasText: organisation })).toContainText('waiting for acceptance');

  // The invitation to present is on the list of bids; asking for another time needs a "when".
  const bidRow = page.getByRole('table', { name: 'Bids by your organisations' }).getByRole('row').filter({ hasText: organisation });
  await expect(bidRow).toContainText('Invited to present on 14 January 2030 at 11am');
  await bidRow.getByRole('link', { name: /^Read the invitation and reply/ }).click();
  await seedbed.settled('Your invitation to present');
  await expect(page.getByText('Cleethorpes Library', { exact: true })).toBeVisible();
  await page.getByLabel('We cannot come then: please offer another time').check();
  await page.getByRole('button', { name: 'Send your reply' }).click();
  await seedbed.settled('Your invitation to present');
  await expect(page.getByRole('link', { name: 'Tell the commissioners when you could come' })).toBeVisible();
  await expect(page.getByLabel('We cannot come then: please offer another time')).toBeChecked();
  await page.getByLabel('Note to the commissioning team').fill('Any morning the week after');
  await page.getByRole('button', { name: 'Send your reply' }).click();
  await seedbed.settled(`Your bid: Foot care at home, designed with carers (pilot)`);
  await expect(page.getByText('Your reply has been sent')).toBeVisible();
  await expect(page.getByText(/Your reply: Asked for another time/)).toBeVisible();
});
