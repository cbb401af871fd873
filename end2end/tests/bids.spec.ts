import { Locator, Page } from '@playwright/test';
import { test, expect, Seedbed, linkFromOutbox, mailFromOutbox, uniqueEmail } from './fixtures';

const PASSWORD = 'bramble teapot lantern';

/** How the person works the page: with a mouse, or with the keyboard alone. */
interface Hands {
  fill(target: Locator, text: string): Promise<void>;
  check(target: Locator): Promise<void>;
  press(target: Locator): Promise<void>;
  choose(select: Locator, label: string): Promise<void>;
}

const mouse: Hands = {
  fill: (t, text) => t.fill(text),
  check: (t) => t.check(),
  press: (t) => t.click(),
  choose: async (t, label) => {
    await t.selectOption({ label });
  },
};

/** Reach each control by pressing Tab (never by clicking), then type or press Space/Enter. */
function keyboard(page: Page): Hands {
  const tabTo = async (target: Locator, radioName?: string) => {
    await expect(target).toBeVisible();
    for (let i = 0; i < 400; i++) {
      const here = radioName
        ? await page.evaluate((name) => {
            const el = document.activeElement as HTMLInputElement | null;
            return !!el && el.type === 'radio' && el.name === name;
          }, radioName)
        : await target.evaluate((el) => el === document.activeElement);
      if (here) return;
      await page.keyboard.press('Tab');
    }
    throw new Error('could not reach the control with the Tab key');
  };
  return {
    fill: async (t, text) => {
      await tabTo(t);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(text);
    },
    check: async (t) => {
      const radioGroup = await t.evaluate((el) => {
        const input = el as HTMLInputElement;
        return input.type === 'radio' ? input.name : null;
      });
      if (radioGroup) {
        // Tab reaches a radio group once; the arrow keys move (and tick) within it.
        const group = page.locator(`input[type="radio"][name="${radioGroup}"]`);
        await tabTo(group.first(), radioGroup);
        for (let i = 0; i < 20 && !(await t.evaluate((el) => el === document.activeElement)); i++) {
          await page.keyboard.press('ArrowDown');
        }
        if (!(await t.isChecked())) await page.keyboard.press('Space');
      } else {
        await tabTo(t);
        if (!(await t.isChecked())) await page.keyboard.press('Space');
      }
      await expect(t).toBeChecked();
    },
    choose: async (t, label) => {
      await tabTo(t);
      // A closed select takes typed letters and picks the first option that starts with them.
      await page.keyboard.type(label);
      await expect(t.locator('option:checked')).toHaveText(label);
    },
    press: async (t) => {
      await tabTo(t);
      // Enter on the focused control (a locator's press also waits for the navigation it starts).
      await t.press('Enter');
    },
  };
}

async function registerAndSignIn(seedbed: Seedbed, page: Page, hands: Hands, email: string) {
  await seedbed.visit('/account/register');
  await hands.fill(page.getByLabel('Full name'), 'Pat Jones');
  await hands.fill(page.getByLabel('Email address'), email);
  await hands.fill(page.getByLabel('Create a password'), PASSWORD);
  await hands.fill(page.getByLabel('Confirm password'), PASSWORD);
  await hands.press(page.getByRole('button', { name: 'Create account' }));
  await seedbed.settled('Check your email');
  await seedbed.visit(await linkFromOutbox(email));
  await hands.press(page.getByRole('button', { name: 'Confirm email address' }));
  await seedbed.settled('Sign in to Seedbed');
  await hands.fill(page.getByLabel('Email address'), email);
  await hands.fill(page.getByLabel('Password', { exact: true }), PASSWORD);
  await hands.press(page.getByRole('button', { name: 'Sign in' }));
  await seedbed.settled('Your bids');
}

async function registerOrganisation(seedbed: Seedbed, page: Page, hands: Hands, name: string, company: string) {
  await hands.press(page.getByRole('link', { name: 'Your organisations' }));
  await seedbed.settled('Your organisations');
  await hands.press(page.getByRole('button', { name: 'Register an organisation' }));
  await seedbed.settled('Register an organisation');
  await hands.fill(page.getByLabel('Organisation name'), name);
  await hands.check(page.getByLabel('Community interest company (CIC)'));
  await hands.fill(page.getByLabel('Companies House number (if it has one)'), company);
  await hands.fill(page.getByLabel('Address line 1'), '12 Freeman Street');
  await hands.fill(page.getByLabel('Town or city'), 'Grimsby');
  await hands.fill(page.getByLabel('Postcode'), 'DN32 7AA');
  await hands.fill(page.getByLabel('Full name'), 'Pat Jones');
  await hands.fill(page.getByLabel('Email address'), 'pat@example.org');
  await hands.check(page.getByLabel('£10,000 to £100,000'));
  await hands.fill(page.getByLabel('Area served'), 'Grimsby and Cleethorpes');
  await hands.press(page.getByRole('button', { name: 'Register organisation' }));
  await seedbed.settled(name);
}

async function saveAndContinue(seedbed: Seedbed, page: Page, hands: Hands) {
  await hands.check(page.getByLabel("Yes, I've completed this section"));
  await hands.press(page.getByRole('button', { name: 'Save and continue' }));
  await seedbed.settled(/^Your bid: /);
}

async function taskStatus(page: Page, task: string) {
  return page.locator('.govuk-task-list__item', { has: page.getByText(task, { exact: true }) }).locator('.govuk-task-list__status');
}

async function bidJourney(seedbed: Seedbed, page: Page, hands: Hands, project: string) {
  const email = uniqueEmail(`pat.${project}`, test.info());
  const organisation = `Happy Feet CIC (${project} ${Date.now()})`;
  // Each company is registered once: a company number of this run's own.
  const company = String(Math.floor(Math.random() * 100000000)).padStart(8, '0');
  await registerAndSignIn(seedbed, page, hands, email);
  await registerOrganisation(seedbed, page, hands, organisation, company);

  // Find the round from the home page and start a bid: the eligibility question first.
  await hands.press(page.getByRole('link', { name: 'Funding rounds' }));
  await seedbed.settled();
  await hands.press(page.getByRole('link', { name: 'Affordable chiropody for older people' }));
  await seedbed.settled('Affordable chiropody for older people');
  await hands.press(page.getByRole('button', { name: 'Start a bid' }));
  await seedbed.settled('Start a bid');
  await hands.check(page.getByLabel('Yes'));
  await hands.press(page.getByRole('button', { name: 'Continue' }));
  await seedbed.settled('Your bid: Affordable chiropody for older people');
  await expect(await taskStatus(page, 'Sustainability plan')).toHaveText('Cannot start yet');

  // About your organisation: pre-filled, confirmed.
  await hands.press(page.getByRole('link', { name: 'About your organisation' }));
  await seedbed.settled('About your organisation');
  await expect(page.getByText(company)).toBeVisible();
  await hands.check(page.getByLabel('These details are correct'));
  await saveAndContinue(seedbed, page, hands);
  await expect(await taskStatus(page, 'About your organisation')).toHaveText('Completed');

  // The service questions: start, leave, and come back later.
  await hands.press(page.getByRole('link', { name: 'Your proposed service' }));
  await seedbed.settled('Your proposed service');
  const describe = 'Toenail cutting, foot checks and advice for people over 65, in four community venues and at home.';
  await hands.fill(page.getByLabel('Describe the service you will provide'), describe);
  // The count under the answer: with JavaScript (the page's one island) it follows what is
  // typed; without, it says how much may be entered.
  await expect(
    page.getByText(seedbed.jsEnabled ? /^You have \d+ (words|characters) remaining$/ : /^You can enter up to 500 (words|characters)$/),
  ).toBeVisible();
  await hands.press(page.getByRole('button', { name: 'Save and come back later' }));
  await seedbed.settled(/^Your bid: /);
  await expect(page.getByText('Your answers to "Your proposed service" have been saved')).toBeVisible();
  await expect(await taskStatus(page, 'Your proposed service')).toHaveText('In progress');
  await hands.press(page.getByRole('link', { name: 'Funding rounds' }));
  await seedbed.settled();
  await hands.press(page.getByRole('link', { name: 'Your bids' }));
  await seedbed.settled('Your bids');
  await hands.press(page.getByRole('link', { name: /Continue the bid for Affordable chiropody/ }));
  await seedbed.settled(/^Your bid: /);
  await hands.press(page.getByRole('link', { name: 'Your proposed service' }));
  await seedbed.settled('Your proposed service');
  await expect(page.getByLabel('Describe the service you will provide')).toHaveValue(describe);
  // Completing without every answer is refused, and nothing typed is lost.
  await hands.fill(page.getByLabel('How many people will the service support in its first year?'), 'about 300');
  await saveAndFail(seedbed, page, hands, 'must be a whole number, like 120');
  await expect(page.getByLabel('Describe the service you will provide')).toHaveValue(describe);
  await hands.fill(page.getByLabel('How many people will the service support in its first year?'), '300');
  const start = page.getByRole('group', { name: 'When could the service start?' });
  await hands.fill(start.getByLabel('Day'), '1');
  await hands.fill(start.getByLabel('Month'), '4');
  await hands.fill(start.getByLabel('Year'), '2027');
  await hands.check(page.getByRole('group', { name: 'Have you delivered a similar service before?' }).getByLabel('Yes'));
  await saveAndContinue(seedbed, page, hands);
  await expect(await taskStatus(page, 'Your proposed service')).toHaveText('Completed');

  // Budget: lines per year; the totals are worked out.
  await hands.press(page.getByRole('link', { name: 'Budget' }));
  await seedbed.settled('Budget');
  const lines: [string, string, string, string][] = [
    ['Foot care practitioner (part time)', 'Staff', '15000', '15000'],
    ['Clinic room hire', 'Premises', '5000', '5000'],
  ];
  for (const [i, [description, category, y1, y2]] of lines.entries()) {
    const line = page.getByRole('group', { name: `Budget line ${i + 1}` });
    await hands.fill(line.getByLabel('Description'), description);
    await hands.choose(line.getByLabel('Category'), category);
    await hands.fill(line.getByLabel('Year 1'), y1);
    await hands.fill(line.getByLabel('Year 2'), y2);
  }
  // With JavaScript the totals add up as the lines are typed; without, once saved.
  if (seedbed.jsEnabled) {
    await expect(page.getByRole('table', { name: 'Total cost (adds up as you type)' })).toContainText('£40,000.00');
  }
  await hands.fill(page.getByLabel('How much seed funding are you asking for?'), '24000');
  await saveAndContinue(seedbed, page, hands);

  // The sustainability plan reaches zero grant dependency in year 3.
  await hands.press(page.getByRole('link', { name: 'Sustainability plan' }));
  await seedbed.settled('Sustainability plan');
  // Running costs for the funding period start as the budget's totals.
  await expect(page.getByRole('group', { name: 'Year 1 (during the funding period)' }).getByLabel('Running costs')).toHaveValue(/^20000(\.00)?$/);
  const years: [string, string, string][] = [['16000', '300', 'during the funding period'], ['8000', '800', 'during the funding period'], ['0', '1400', 'after the grant ends']];
  for (const [i, [grant, users, when]] of years.entries()) {
    const year = page.getByRole('group', { name: `Year ${i + 1} (${when})` });
    await hands.fill(year.getByLabel('Running costs'), '20000');
    await hands.fill(year.getByLabel('This seed grant'), grant);
    await hands.fill(year.getByLabel('Charge for each paid use'), '15');
    await hands.fill(year.getByLabel('Paid uses in the year'), users);
  }
  await hands.press(page.getByRole('button', { name: 'Save and come back later' }));
  await seedbed.settled(/^Your bid: /);
  await hands.press(page.getByRole('link', { name: 'Sustainability plan' }));
  await seedbed.settled('Sustainability plan');
  await expect(page.locator('figcaption')).toHaveText('Grant dependency falls from 78% in year 1 to 0% in year 3');
  await expect(page.getByRole('img', { name: /Grant dependency by year/ })).toBeVisible();
  await saveAndContinue(seedbed, page, hands);
  await expect(page.getByText('You have completed 4 of 4 sections.')).toBeVisible();

  // Check answers, declare, send.
  await hands.press(page.getByRole('link', { name: 'Check your answers and send your bid' }));
  await seedbed.settled('Check your answers before sending your bid');
  await expect(page.getByText('Foot care practitioner (part time) (Staff)', { exact: true })).toBeVisible();
  await expect(page.getByText('1 April 2027')).toBeVisible();
  await hands.check(page.getByLabel('The information in this bid is true and complete, to the best of my knowledge'));
  await hands.check(page.getByLabel('I am authorised to submit this bid on behalf of the organisation'));
  await hands.check(page.getByLabel(/the organisation will send monitoring returns/));
  await hands.press(page.getByRole('button', { name: 'Accept and send' }));
  await seedbed.settled('Bid sent');
  const reference = (await page.locator('.govuk-panel__body strong').textContent()) ?? '';
  expect(reference).toMatch(/^SB-\d{4}-\d{4,}$/);
  const mail = await mailFromOutbox(email, `Bid submitted: ${reference}`);
  expect(mail).toContain('Affordable chiropody for older people');

  await hands.press(page.getByRole('link', { name: 'Read or print your bid' }));
  await seedbed.settled('Bid: Affordable chiropody for older people');
  await expect(page.getByText(reference).first()).toBeVisible();
}

async function saveAndFail(seedbed: Seedbed, page: Page, hands: Hands, message: string) {
  await hands.check(page.getByLabel("Yes, I've completed this section"));
  await hands.press(page.getByRole('button', { name: 'Save and continue' }));
  await expect(page.getByRole('link', { name: new RegExp(message) })).toBeVisible();
  await seedbed.settled();
}

test('an organisation bids for the chiropody round with a plan that reaches zero dependency', async ({ seedbed, page }, testInfo) => {
  test.setTimeout(240_000);
  await bidJourney(seedbed, page, mouse, testInfo.project.name);
});

test('the same bid can be made with the keyboard alone', async ({ seedbed, page }, testInfo) => {
  test.setTimeout(300_000);
  await bidJourney(seedbed, page, keyboard(page), `${testInfo.project.name}-keys`);
});
