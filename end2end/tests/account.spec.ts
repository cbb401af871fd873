import { test, expect, linkFromOutbox, uniqueEmail, expectAccessible } from './fixtures';

const PASSWORD = 'willow kettle orchard';

test('a new user registers, confirms their email, signs in and out', async ({ seedbed, page }, testInfo) => {
  const email = uniqueEmail('jo', testInfo);
  await seedbed.visit('/');
  await page.getByRole('button', { name: 'Create an account' }).click();
  await seedbed.settled('Create a Seedbed account');

  // Nothing filled in: every problem is listed and linked, and the title says so.
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page).toHaveTitle(/^Error: Create a Seedbed account/);
  await expect(page.getByRole('link', { name: 'Enter your full name' })).toBeVisible();
  await expect(page.getByText('Error: Enter a password')).toBeVisible();
  await seedbed.settled();

  // A bad email keeps what was typed.
  await page.getByLabel('Full name').fill('Jo Bloggs');
  await page.getByLabel('Email address').fill('jo-at-example');
  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' })).toBeVisible();
  await expect(page.getByLabel('Full name')).toHaveValue('Jo Bloggs');
  await expect(page.getByLabel('Email address')).toHaveValue('jo-at-example');
  if (seedbed.jsEnabled) {
    await expect(page.locator('#error-summary')).toBeFocused();
  }
  await seedbed.settled();

  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await seedbed.settled('Check your email');
  await expect(page.getByText(email)).toBeVisible();

  await seedbed.visit(await linkFromOutbox(email));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your email address');
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await seedbed.settled('Sign in to Seedbed');
  await expect(page.getByText('Your email address is confirmed')).toBeVisible();

  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A new applicant lands on "Your bids", which says what to do next.
  await seedbed.settled('Your bids');
  await expect(page.getByRole('heading', { name: 'What to do next' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Register your organisation' })).toBeVisible();
  await expect(page.getByText('Jo Bloggs').first()).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await seedbed.settled('Sign in to Seedbed');
  await expect(page.getByText('You have signed out')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('a wrong password is refused without saying which part was wrong', async ({ seedbed, page }) => {
  await seedbed.visit('/account/sign-in');
  await page.getByLabel('Email address').fill('admin@seedbed.test');
  await page.getByLabel('Password', { exact: true }).fill('not the right one');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: 'Enter a correct email address and password' }).first()).toBeVisible();
  await expect(page.getByLabel('Email address')).toHaveValue('admin@seedbed.test');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await seedbed.settled();
});

test('a forgotten password is reset through the emailed link', async ({ seedbed, page }, testInfo) => {
  const email = uniqueEmail('sam', testInfo);
  await seedbed.visit('/account/register');
  await page.getByLabel('Full name').fill('Sam Smith');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await seedbed.settled('Check your email');
  await seedbed.visit(await linkFromOutbox(email));
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await seedbed.settled('Sign in to Seedbed');

  await page.getByRole('link', { name: 'I have forgotten my password' }).click();
  await seedbed.settled('Reset your password');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await seedbed.settled('Check your email');

  await seedbed.visit(await linkFromOutbox(email));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Confirm new password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('link', { name: 'Password must be 12 characters or more' })).toBeVisible();
  await seedbed.settled();
  await page.getByLabel('New password', { exact: true }).fill('meadow lantern biscuit');
  await page.getByLabel('Confirm new password').fill('meadow lantern biscuit');
  await page.getByRole('button', { name: 'Change password' }).click();
  await seedbed.settled('Sign in to Seedbed');
  await expect(page.getByText('Your password has been changed')).toBeVisible();

  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('meadow lantern biscuit');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await seedbed.settled('Your bids');
});

test('public pages, footer pages and the not-found page', async ({ seedbed, page }) => {
  await seedbed.visit('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Seed funding for community services');
  for (const [link, heading] of [
    ['Accessibility statement', 'Accessibility statement for Seedbed'],
    ['Privacy notice', 'Privacy notice'],
    ['Cookies', 'Cookies'],
  ]) {
    await page.getByRole('contentinfo').getByRole('link', { name: link }).click();
    await seedbed.settled(heading);
  }
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await seedbed.settled('Page not found');
  await expectAccessible(page);
});
