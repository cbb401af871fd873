import { test, expect, DEMO_PASSWORD } from './fixtures';

test('an admin gives a user a role and the history records it', async ({ seedbed, page }) => {
  await seedbed.signIn('admin@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Users' }).click();
  await seedbed.settled('Users');
  await page.getByLabel('Search by name or email').fill('Amira');
  await page.getByRole('button', { name: 'Search' }).click();
  await seedbed.settled('Users');
  await page.getByRole('link', { name: 'Amira Applicant' }).click();
  await seedbed.settled('Amira Applicant');

  const lay = page.getByLabel('Lay evaluator');
  const wasChecked = await lay.isChecked();
  await lay.setChecked(!wasChecked);
  await page.getByRole('button', { name: 'Save roles' }).click();
  await seedbed.settled('Amira Applicant');
  await expect(page.getByText('Roles updated for Amira Applicant')).toBeVisible();
  await expect(page.getByLabel('Lay evaluator')).toBeChecked({ checked: !wasChecked });
  await expect(page.getByRole('cell', { name: /Roles changed by admin@seedbed.test/ }).first()).toBeVisible();
});

test('an admin cannot remove their own admin role', async ({ seedbed, page }) => {
  await seedbed.signIn('admin@seedbed.test', DEMO_PASSWORD);
  await seedbed.visit('/admin/users?q=admin%40seedbed.test');
  await page.getByRole('link', { name: 'Alex Admin' }).click();
  await seedbed.settled('Alex Admin');
  await page.getByLabel('Admin', { exact: true }).uncheck();
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expect(page.getByRole('link', { name: /You cannot remove your own admin role/ })).toBeVisible();
  await seedbed.settled();
});

test('people without the admin role are refused the users page', async ({ seedbed, page }) => {
  await seedbed.signIn('board@seedbed.test', DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Assessments' })).toBeVisible();
  const response = await page.goto('/admin/users');
  expect(response?.status()).toBe(403);
  await seedbed.settled('You do not have permission to see this page');
});
