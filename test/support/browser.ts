// Debian's Chromium driven through playwright-core, for tests of server-rendered pages. Never downloads a
// browser: it runs /usr/bin/chromium (override with PADDOCK_CHROMIUM). One browser per test file, a fresh
// context (cookies, storage) per test, everything closed after.
//
//   const browser = useBrowser();
//   it('…', async () => { const page = await browser.page(); await page.setContent(html); … });
import { after, afterEach, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PADDOCK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** False runs the page with scripts off, as a customer without JavaScript would see it. */
  javaScriptEnabled?: boolean;
}

export interface BrowserHandle {
  /** A page in a new context of its own; closed after the current test. */
  page(options?: PageOptions): Promise<Page>;
}

/** Registers before/afterEach/after hooks in the current suite (or file) and hands out fresh pages. */
export function useBrowser(): BrowserHandle {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  before(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  after(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await browser?.close();
    browser = undefined;
  });

  return {
    async page(options) {
      if (!browser) throw new Error('useBrowser(): the browser is not running (call page() inside a test)');
      const context = await browser.newContext({
        viewport: options?.viewport ?? { width: 1280, height: 900 },
        javaScriptEnabled: options?.javaScriptEnabled ?? true,
      });
      // @NOTE fail fast: Playwright's 30 s default turns one wrong label into a very slow test run.
      context.setDefaultTimeout(5000);
      contexts.push(context);
      return context.newPage();
    },
  };
}
