import { test, expect, DEMO_PASSWORD, linkFromOutbox, uniqueEmail } from './fixtures';

test('an applicant registers their organisation', async ({ seedbed, page }, testInfo) => {
  const name = `Happy Feet CIC (${testInfo.project.name} ${Date.now()})`;
  // Each company is registered once: a number of this run's own (8 digits, shown as typed).
  const company = String(Math.floor(Math.random() * 100000000)).padStart(8, '0');
  await seedbed.signIn('applicant@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Your organisations' }).click();
  await seedbed.settled('Your organisations');
  await page.getByRole('button', { name: 'Register an organisation' }).click();
  await seedbed.settled('Register an organisation');
  await page.getByLabel('Organisation name').fill(name);
  await page.getByLabel('Community interest company (CIC)').check();
  await page.getByLabel('Address line 1').fill('12 Freeman Street');
  await page.getByLabel('Town or city').fill('Grimsby');
  await page.getByLabel('Postcode').fill('DN32');
  await page.getByLabel('Full name').fill('Amira Applicant');
  await page.getByLabel('Email address').fill('amira@example.org');
  await page.getByLabel('£10,000 to £100,000').check();
  await page.getByLabel('Area served').fill('Grimsby and Cleethorpes');
  await page.getByRole('button', { name: 'Register organisation' }).click();
  await expect(page.getByRole('link', { name: 'Enter the company number' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enter a full UK postcode, like DN31 1HU' })).toBeVisible();
  await seedbed.settled('Register an organisation');
  await expect(page.getByLabel('Organisation name')).toHaveValue(name);
  await page.getByLabel('Companies House number (if it has one)').fill(company);
  await page.getByLabel('Postcode').fill('dn32 7aa');
  await page.getByRole('button', { name: 'Register organisation' }).click();
  await seedbed.settled(name);
  await expect(page.getByText('You are its owner')).toBeVisible();
  await expect(page.getByText(company)).toBeVisible();
  await expect(page.getByText(/DN32 7AA/)).toBeVisible();

  // The owner invites a colleague; the emailed link is for that address only.
  const colleague = uniqueEmail('colleague', testInfo);
  await page.getByLabel('Their email address').fill('not an email');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('link', { name: /Enter an email address in the correct format/ })).toBeVisible();
  await seedbed.settled(name);
  await page.getByLabel('Their email address').fill(colleague);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await seedbed.settled(name);
  await expect(page.getByText(`Invitation sent to ${colleague}`)).toBeVisible();
  await seedbed.visit(await linkFromOutbox(colleague));
  await expect(page.getByText(`This invitation is for ${colleague}, but you are signed in as applicant@seedbed.test`)).toBeVisible();

  await seedbed.visit('/organisations');
  await expect(page.getByRole('link', { name })).toBeVisible();
});
