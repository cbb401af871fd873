import { defineConfig } from '@playwright/test';

const baseURL = process.env.SEEDBED_E2E_BASE_URL ?? 'http://127.0.0.1:3005';

// Debian's Chromium, never a downloaded browser. Every spec runs with JavaScript on and off.
const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  // A journey with JavaScript off scans every page twice (axe runs in a scratch page), and CI's
  // two cores are shared by both workers and the server: a short journey took 60 s there.
  timeout: 120_000,
  // The whole run: a hang fails here rather than waiting out CI's own limit.
  globalTimeout: 30 * 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry, reported as "flaky" in the list: CI once saw a page never hydrate (1 run in
  // about 40, on a loaded 2-core machine); a real failure fails both tries. The fixture's
  // ready() now says what the browser saw (script errors, failed requests) when it happens.
  retries: 1,
  reporter: [['list']],
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true } },
    { name: 'js-off', use: { javaScriptEnabled: false } },
  ],
});
