import { test as base, expect, Page, BrowserContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'fs';
import * as path from 'path';

export const DEMO_PASSWORD = 'seedbed demo password';

/**
 * Fails on any WCAG 2.2 AA violation (tags as the issue lists them). axe needs JavaScript,
 * so for a page open with JavaScript off, the same HTML is scanned in a scratch page that
 * has JavaScript but never loads the app's own script (so it is not hydrated).
 */
export async function expectAccessible(page: Page) {
  const url = page.url();
  let target = page;
  let scratch: BrowserContext | undefined;
  const jsOff = base.info().project.use.javaScriptEnabled === false;
  try {
    if (jsOff) {
      const html = await page.content();
      scratch = await page.context().browser()!.newContext({ javaScriptEnabled: true });
      target = await scratch.newPage();
      await target.route('**/*', (route) => {
        const requested = route.request().url();
        if (requested === url) return route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' });
        if (requested.includes('/pkg/') && /\.(js|wasm)$/.test(requested)) return route.abort();
        return route.continue();
      });
      await target.goto(url);
    }
    const results = await new AxeBuilder({ page: target })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
    expect(summary, `accessibility violations on ${url}`).toEqual([]);
    await expectFitsPhone(target, url);
  } finally {
    await scratch?.close();
  }
}

/**
 * Fails when the page scrolls sideways on a phone 390 px wide: every page the suite visits
 * is checked at that width too (then put back). Wide tables scroll inside their own box.
 */
export async function expectFitsPhone(page: Page, url: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    const found = await page.evaluate(() => {
      const root = document.documentElement;
      const culprits = Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
        .filter((e) => {
          // Inside a box that scrolls sideways, overflowing is that box's business.
          for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
          }
          return true;
        })
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent ?? '').trim().slice(0, 40)}"`);
      return { scroll: root.scrollWidth, width: root.clientWidth, culprits };
    });
    expect(found.scroll, `sideways scroll at 390 px on ${url}: ${found.culprits.join('; ')}`).toBeLessThanOrEqual(found.width);
  } finally {
    await page.setViewportSize(size);
  }
}

type Fixtures = { seedbed: Seedbed };

export class Seedbed {
  /** What went wrong in the browser (script errors, failed or refused requests), newest last:
   * printed when a page does not hydrate, so that a failure says why. */
  problems: string[] = [];

  constructor(public page: Page, public jsEnabled: boolean) {
    page.on('pageerror', (e) => this.problems.push(`script error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.push(`console error: ${m.text()}`);
    });
    page.on('requestfailed', (r) => this.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 500 || (r.url().includes('/pkg/') && r.status() >= 400)) {
        this.problems.push(`${r.status()} for ${r.url()}`);
      }
    });
  }

  /** Wait until the page is usable: with JavaScript, until Leptos has hydrated it. */
  async ready() {
    await this.page.waitForLoadState('load');
    if (this.jsEnabled) {
      try {
        await this.page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
      } catch (e) {
        const seen = this.problems.slice(-10).join('\n  ') || 'no script error or failed request was seen';
        throw new Error(`${this.page.url()} was not hydrated within 60 s:\n  ${seen}`, { cause: e });
      }
      // After a client-side navigation the new page's title (and content) arrive with its
      // data: wait for them before scanning, or axe may see a page without a <title>.
      await expect(this.page).toHaveTitle(/\S/);
    }
  }

  /** Go to a page, wait for it and scan it. */
  async visit(path: string) {
    await this.page.goto(path);
    await this.ready();
    await expectAccessible(this.page);
  }

  /** After a click that loads a new page (or updates it with JavaScript): wait and scan. */
  async settled(heading?: string | RegExp) {
    await this.ready();
    if (heading) {
      await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(heading);
    }
    await expectAccessible(this.page);
  }

  async signIn(email: string, password: string) {
    await this.visit('/');
    await this.page.getByRole('link', { name: 'Sign in', exact: true }).first().click();
    await this.settled('Sign in to Seedbed');
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(this.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await this.page.waitForURL((url) => !url.pathname.startsWith('/account/sign-in'));
    await this.settled();
  }
}

/** The emails to `to`, newest first, as text (quoted-printable undone), from the outbox folder. */
function mailsTo(to: string): string[] {
  const dir = process.env.SEEDBED_E2E_OUTBOX;
  if (!dir) throw new Error('SEEDBED_E2E_OUTBOX is not set');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .map(({ f }) => fs.readFileSync(path.join(dir, f), 'utf8'))
    // Undo quoted-printable soft line breaks and escapes.
    .map((raw) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))))
    .filter((text) => new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(text));
}

const seenLinks = new Set<string>();

async function waitFor<T>(what: string, find: () => T | undefined): Promise<T> {
  // Mail leaves through the server's outbox a moment after the page that caused it.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The link with a token in the newest email to `to` that has one, once it is a link not
 * handed out before (waits for a new email rather than return the last one again). */
export async function linkFromOutbox(to: string): Promise<string> {
  return waitFor(`new email with a link to ${to}`, () => {
    for (const text of mailsTo(to)) {
      const match = text.match(/https?:\/\/\S+token=[0-9a-f]+/);
      if (!match) continue;
      if (seenLinks.has(match[0])) return undefined;
      seenLinks.add(match[0]);
      return new URL(match[0]).pathname + new URL(match[0]).search;
    }
    return undefined;
  });
}

/** The newest email to `to` that contains `text`. */
export async function mailFromOutbox(to: string, text: string): Promise<string> {
  return waitFor(`email to ${to} containing ${text}`, () => mailsTo(to).find((m) => m.includes(text)));
}

export function uniqueEmail(prefix: string, testInfo: { project: { name: string } }) {
  return `${prefix}.${testInfo.project.name}.${Date.now()}${Math.floor(Math.random() * 1000)}@example.org`;
}

/**
 * Each test is a different visitor: it reaches the server as if through a reverse proxy
 * (scripts/e2e.sh trusts 127.0.0.1) from an address of its own, so the per-address limits
 * on registrations and mail (five registrations an hour from one network) apply to each
 * test as they would to each person, not to the whole suite at once.
 */
function visitorAddress(testId: string, project: string): string {
  let h = 0;
  for (const c of `${project}/${testId}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `10.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${h & 255}`;
}

export const test = base.extend<Fixtures>({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use, testInfo) => {
    await use({ ...extraHTTPHeaders, 'X-Forwarded-For': visitorAddress(testInfo.testId, testInfo.project.name) });
  },
  seedbed: async ({ page, javaScriptEnabled }, use) => {
    await use(new Seedbed(page, javaScriptEnabled ?? true));
  },
});
export { expect };
