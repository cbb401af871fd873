import { test, expect, expectFitsPhone, DEMO_PASSWORD } from './fixtures';

/**
 * Every page at 390 px: each kind of person follows every link the pages show them (one page
 * per kind of address: /bids/7 and /bids/9 are the same page), and each page must fit a phone
 * without sideways scrolling. The journeys check the pages they visit with JavaScript on;
 * this walk covers the pages no journey visits. JavaScript off: the layout is the server's.
 */
const PEOPLE = [
  undefined, // signed out
  'applicant@seedbed.test',
  'meals@seedbed.test',
  'board@seedbed.test',
  'carer@seedbed.test',
  'commissioner@seedbed.test',
  'icblead@seedbed.test',
  'admin@seedbed.test',
];

/** Links not to follow: downloads, files, server functions, signing out. */
function skip(url: URL): boolean {
  return (
    /\.(csv|json|xml|pdf|xlsx|zip)$/.test(url.pathname) ||
    /^\/(api|pkg|files)\//.test(url.pathname) ||
    /\/(file|files\/\d+|evidence)$/.test(url.pathname) ||
    url.pathname.includes('sign-out')
  );
}

/** One page per kind of address: numbers become ":n". */
function kind(url: URL): string {
  return url.pathname.replace(/\/\d+(?=\/|$)/g, '/:n');
}

for (const who of PEOPLE) {
  test(`every page ${who ?? 'a visitor'} can reach fits a phone`, async ({ seedbed, page, javaScriptEnabled }, testInfo) => {
    test.skip(javaScriptEnabled !== false, 'walked once, with the server-drawn layout');
    test.setTimeout(300_000);
    if (who) await seedbed.signIn(who, DEMO_PASSWORD);
    const origin = new URL(testInfo.project.use.baseURL ?? page.url()).origin;
    const queue = ['/'];
    const seen = new Set<string>([kind(new URL('/', origin))]);
    let checked = 0;
    while (queue.length > 0) {
      const path = queue.shift()!;
      const response = await page.goto(path);
      const status = response?.status() ?? 0;
      expect(status, `${path} answered ${status}`).toBeLessThan(500);
      if (!(response?.headers()['content-type'] ?? '').startsWith('text/html')) continue;
      await expectFitsPhone(page, page.url());
      checked += 1;
      const hrefs = await page.locator('a[href]:not([download])').evaluateAll((links) =>
        links.map((a) => (a as HTMLAnchorElement).href),
      );
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== origin || skip(url)) continue;
        const k = kind(url);
        if (seen.has(k)) continue;
        seen.add(k);
        queue.push(url.pathname + url.search);
      }
    }
    testInfo.annotations.push({ type: 'pages', description: `${checked} pages checked at 390 px` });
    console.log(`${who ?? 'visitor'}: ${checked} pages checked at 390 px`);
    expect(checked).toBeGreaterThan(5);
  });
}
