import { test, expect, DEMO_PASSWORD } from './fixtures';
import type { Page } from '@playwright/test';

/** Today's date in the UK, as day, month and year. */
function ukToday(): { day: string; month: string; year: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { day: get('day'), month: get('month'), year: get('year') };
}

async function fillDate(page: Page, legend: string, date: { day: string; month: string; year: string }) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(date.day);
  await group.getByLabel('Month').fill(date.month);
  await group.getByLabel('Year').fill(date.year);
}

test('a commissioner manages the pooled fund', async ({ seedbed, page }, testInfo) => {
  await seedbed.signIn('commissioner@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');
  if (testInfo.project.name === 'js-on') {
    // A later year's fund (the demo has set up the next two): the contributions must add up
    // to the agreed value.
    await page.getByRole('button', { name: 'Set up a pooled fund' }).click();
    await seedbed.settled('Set up a pooled fund');
    const next = Number(ukToday().year) + (Number(ukToday().month) >= 4 ? 1 : 0) + 2;
    await page.getByLabel(`${next} to ${next + 1}`).check();
    await page.getByLabel('Agreed value').fill('300000');
    await page.getByLabel('North East Lincolnshire Council').fill('180000');
    await page.getByLabel('NHS Humber and North Yorkshire ICB').fill('100000');
    await page.getByRole('button', { name: 'Set up fund' }).click();
    await expect(page.getByRole('link', { name: /contributions add up to £280,000.00/ })).toBeVisible();
    await seedbed.settled('Set up a pooled fund');
    await expect(page.getByLabel('NHS Humber and North Yorkshire ICB')).toHaveValue('100000');
    await page.getByLabel('NHS Humber and North Yorkshire ICB').fill('120000');
    await page.getByRole('button', { name: 'Set up fund' }).click();
    await seedbed.settled(`${next} to ${next + 1}`);
    await expect(page.getByText(`Pooled fund for ${next} to ${next + 1} set up`)).toBeVisible();
    await expect(page.getByRole('row', { name: /Total £300,000.00/ })).toBeVisible();
  } else {
    // This year's fund (past years are closed): a variation with a reason, kept in the ledger.
    const year = Number(ukToday().year) - (Number(ukToday().month) >= 4 ? 0 : 1);
    await page.getByRole('link', { name: `${year} to ${year + 1}`, exact: true }).click();
    await seedbed.settled(`${year} to ${year + 1}`);
    await page.getByRole('button', { name: 'Record a variation' }).click();
    await seedbed.settled('Record a variation');
    await page.getByLabel('NHS Humber and North Yorkshire ICB').check();
    await page.getByLabel('Up').check();
    await page.getByLabel('Amount of the change').fill('5000');
    await page.getByRole('button', { name: 'Record variation' }).click();
    await expect(page.getByRole('link', { name: 'Enter the reason for the variation' })).toBeVisible();
    await seedbed.settled('Record a variation');
    await expect(page.getByLabel('Amount of the change')).toHaveValue('5000');
    await page.getByLabel('Reason for the variation').fill('Winter pressures money agreed by the board');
    await page.getByRole('button', { name: 'Record variation' }).click();
    await seedbed.settled(/^20\d\d to 20\d\d$/);
    await expect(page.getByText(/Variation recorded. The agreed value is now/)).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Winter pressures money agreed by the board' })).toBeVisible();
  }
});

test('a commissioner records a gap, builds and publishes a round, and the public finds it', async ({ seedbed, page }, testInfo) => {
  // A long journey: about 20 pages, each scanned by axe (twice as slow with JavaScript off).
  test.setTimeout(180_000);
  const suffix = `${testInfo.project.name} ${Date.now()}`;
  const gapTitle = `Befriending for isolated older people (${suffix})`;
  const roundTitle = `Befriending round (${suffix})`;
  await seedbed.signIn('commissioner@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await seedbed.settled('Funding');

  await page.getByRole('link', { name: 'Gaps in community services' }).click();
  await seedbed.settled('Gaps in community services');
  await page.getByRole('button', { name: 'Record a gap' }).click();
  await seedbed.settled('Record a gap');
  await page.getByLabel('Title').fill(gapTitle);
  await page.getByRole('button', { name: 'Save gap' }).click();
  await expect(page.getByRole('link', { name: 'Describe the need' })).toBeVisible();
  await seedbed.settled('Record a gap');
  await expect(page.getByLabel('Title')).toHaveValue(gapTitle);
  await page.getByLabel('The need').fill('Older people living alone see nobody for days');
  await page.getByLabel('Target population').fill('People over 75 living alone');
  await page.getByLabel('Outcome sought').fill('Less loneliness; fewer GP visits for low mood');
  await page.getByLabel('High').check();
  await page.getByRole('button', { name: 'Save gap' }).click();
  await seedbed.settled(gapTitle);
  await page.getByRole('button', { name: 'Upload file' }).click();
  await expect(page.getByRole('link', { name: 'Select a file' })).toBeVisible();
  await seedbed.settled(gapTitle);
  await page.getByLabel('Upload an evidence file').setInputFiles({
    name: 'loneliness survey.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 survey results'),
  });
  await page.getByRole('button', { name: 'Upload file' }).click();
  await seedbed.settled(gapTitle);
  await expect(page.getByText('Evidence file uploaded: loneliness survey.pdf', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'loneliness survey.pdf (1 KB)' })).toBeVisible();

  await page.getByRole('link', { name: 'Create a funding round' }).click();
  await seedbed.settled('Create a funding round');
  await page.getByLabel('Title').fill(roundTitle);
  await page.getByLabel('Summary').fill('Seed funding for volunteer befriending.');
  await page.getByLabel(gapTitle).check();
  await page.getByLabel('Guidance for applicants').fill('We want befriending run by volunteers.\n\n- Weekly visits\n- Phone calls');
  await page.getByLabel('Budget envelope').fill('10000');
  await page.getByLabel('Minimum award').fill('1000');
  await page.getByLabel('Maximum award').fill('5000');
  await page.getByLabel('Area the service must cover').fill('North East Lincolnshire');
  const today = ukToday();
  await fillDate(page, 'Opening date', today);
  await page.getByLabel('Opening time').fill('12am');
  await fillDate(page, 'Closing date', { ...today, year: String(Number(today.year) + 1) });
  await fillDate(page, 'Decision expected', { ...today, day: '', year: String(Number(today.year) + 1) });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByRole('link', { name: 'Decision date must include a day' })).toBeVisible();
  await seedbed.settled('Create a funding round');
  await expect(page.getByLabel('Budget envelope')).toHaveValue('10000');
  await fillDate(page, 'Decision expected', { ...today, year: String(Number(today.year) + 1) });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await seedbed.settled(roundTitle);
  await expect(page.getByText('They add up to 40')).toBeVisible();

  // A section scored by carers only, with one question.
  await page.getByRole('button', { name: 'Add a section' }).click();
  await seedbed.settled('Add a section');
  await page.getByLabel('Section title').fill("Carers' experience");
  await page.getByLabel('Lay evaluators').check();
  await page.getByRole('button', { name: 'Add section' }).click();
  await seedbed.settled("Carers' experience");
  await page.getByRole('button', { name: 'Add a question' }).click();
  await seedbed.settled('Add a question');
  await page.getByLabel('Question', { exact: true }).fill('How have carers shaped this service?');
  await page.getByLabel('Long text with a word limit').check();
  await page.getByLabel('Word limit (long text only)').fill('400');
  await page.getByRole('button', { name: 'Save question' }).click();
  await seedbed.settled("Carers' experience");
  await expect(page.getByRole('cell', { name: 'How have carers shaped this service?', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the round' }).click();
  await seedbed.settled(roundTitle);

  // A criterion drawing on that section brings the weights to 100.
  await page.getByRole('button', { name: 'Add a scoring criterion' }).click();
  await seedbed.settled('Add a scoring criterion');
  await page.getByLabel('Name').fill("Carers' experience");
  await page.getByLabel('Weight').fill('60');
  await page.getByRole('group', { name: 'Sections this criterion draws on' }).getByLabel("Carers' experience").check();
  for (const [score, text] of [['0 (lowest)', 'Not addressed'], ['1', 'Poor'], ['2', 'Weak'], ['3', 'Satisfactory'], ['4', 'Good'], ['5 (highest)', 'Excellent']]) {
    await page.getByLabel(score, { exact: true }).fill(text);
  }
  await page.getByRole('button', { name: 'Save criterion' }).click();
  await seedbed.settled(roundTitle);
  await expect(page.getByText('Weights add up to 100')).toBeVisible();

  await page.getByRole('button', { name: 'Publish round' }).click();
  await seedbed.settled(roundTitle);
  await expect(page.getByText('Round published. Its budget envelope is reserved from the pooled fund')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await seedbed.settled();
  await seedbed.visit('/');
  await page.getByRole('link', { name: roundTitle }).click();
  await seedbed.settled(roundTitle);
  await expect(page.getByText(/scored by lay evaluators/)).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Weekly visits' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start a bid' })).toBeVisible();
});
