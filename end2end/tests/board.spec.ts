import { test, expect, DEMO_PASSWORD } from './fixtures';

test('a commissioner arranges a board meeting and records who came; a board member reads its pack', async ({ seedbed, page }, testInfo) => {
  // Each project arranges its own meeting, told apart by its place.
  const place = `Cleethorpes Library, meeting room ${testInfo.project.name === 'js-on' ? 'A' : 'B'}`;
  await seedbed.signIn('commissioner@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'The Board', exact: true }).click();
  await seedbed.settled('The Board');
  await page.getByRole('link', { name: 'Board meetings, board packs and minutes' }).click();
  await seedbed.settled('Board meetings');
  await page.getByRole('link', { name: 'Arrange a board meeting' }).click();
  await seedbed.settled('Arrange a board meeting');
  // Every board member is invited unless the commissioner says otherwise.
  await expect(page.getByLabel('Bernie Board')).toBeChecked();
  await page.getByRole('button', { name: 'Arrange meeting' }).click();
  await seedbed.settled('Arrange a board meeting');
  await expect(page.getByRole('link', { name: 'Enter the date of the meeting' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Select at least one funding round for the agenda' })).toBeVisible();
  await page.getByLabel('Where the Board meets, or the link to join online').fill(place);
  await page.getByLabel('Day').fill('14');
  await page.getByLabel('Month').fill('1');
  await page.getByLabel('Year').fill('2030');
  await page.getByLabel('Time it starts').fill('2pm');
  await page.getByRole('button', { name: 'Arrange meeting' }).click();
  await seedbed.settled('Arrange a board meeting');
  // What was typed is kept; only the agenda is missing now.
  await expect(page.getByLabel('Where the Board meets, or the link to join online')).toHaveValue(place);
  await expect(page.getByRole('link', { name: 'Enter the date of the meeting' })).toHaveCount(0);
  await page.getByLabel('Foot care at home, designed with carers (pilot)').check();
  await page.getByRole('button', { name: 'Arrange meeting' }).click();
  await seedbed.settled('14 January 2030 at 2pm');
  await expect(page.getByText('Board meeting arranged')).toBeVisible();
  await expect(page.getByText(place)).toBeVisible();

  await page.getByRole('group', { name: 'Who was present' }).getByLabel('Bernie Board').check();
  await page.getByRole('button', { name: 'Save attendance' }).click();
  await seedbed.settled('14 January 2030 at 2pm');
  await expect(page.getByText('Attendance recorded: 1 present')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Bernie Board' })).toContainText('Present');

  // A board member finds the meeting and reads its pack; only commissioners record.
  await page.context().clearCookies();
  await seedbed.signIn('board@seedbed.test', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'The Board', exact: true }).click();
  await seedbed.settled('The Board');
  await page.getByRole('link', { name: 'Board meetings, board packs and minutes' }).click();
  await seedbed.settled('Board meetings');
  await page.getByRole('link', { name: new RegExp(place) }).click();
  await seedbed.settled('14 January 2030 at 2pm');
  await expect(page.getByRole('button', { name: 'Save attendance' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Read the board pack' }).click();
  await seedbed.settled('Board pack');
  await expect(page.getByRole('heading', { name: 'Foot care at home, designed with carers (pilot)', level: 2 })).toBeVisible();
  await expect(page.getByRole('table', { name: /Pooled fund/ }).first()).toContainText('North East Lincolnshire Council');
  await expect(page.getByRole('heading', { name: /Cleethorpes Carers' Circle/, level: 3 })).toBeVisible();
});
