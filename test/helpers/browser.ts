// Debian's Chromium driven by playwright-core, and the checks every page must pass: axe-core finds
// no violation, nothing is wider than a 390 px phone, and a screenshot at 390 and 1280 px in light
// and dark goes to test-output/screenshots/ (kept by CI as artifacts).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = new URL("../../test-output/screenshots/", import.meta.url);

/** Why browser tests are skipped on this machine, or false. In CI (CI=true) a missing browser is
 * a failure, so that these tests cannot silently stop running. */
export const missingBrowser: string | false =
  existsSync(CHROMIUM) || process.env.CI ? false : "Chromium is not installed (apt-get install chromium)";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: CI must run the browser tests`);
  await mkdir(SCREENSHOTS, { recursive: true });
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export const WIDTHS = { phone: [390, 844], desktop: [1280, 900] } as const;
export type Width = keyof typeof WIDTHS;
export type Scheme = "light" | "dark";

export async function newContext(
  browser: Browser,
  options: { width?: Width; scheme?: Scheme; locale?: string; cookies?: Parameters<BrowserContext["addCookies"]>[0] } = {},
): Promise<BrowserContext> {
  const [width, height] = WIDTHS[options.width ?? "desktop"];
  const context = await browser.newContext({
    viewport: { width, height },
    colorScheme: options.scheme ?? "light",
    locale: options.locale ?? "fr-FR",
  });
  if (options.cookies) await context.addCookies(options.cookies);
  return context;
}

/** Signs the owner in through the login form; the context keeps the session cookie. */
export async function signIn(context: BrowserContext, origin: string, password: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${origin}/admin`);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${origin}/admin`), page.click("button[type=submit]")]);
  await page.close();
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly nodes: readonly string[];
}

/** Runs axe-core (WCAG 2.1 A and AA, and best practices) in the page. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
  // govern: the policy stays in force for the page's own scripts.
  await page.evaluate(await axeSource);
  return await page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.map((violation: { id: string; help: string; nodes: { target: string[] }[] }) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(" ")),
    }));
  });
}

/** How many pixels the page is wider than its window. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Opens `url` at both widths in light and dark, asserts that axe finds nothing and that nothing
 * overflows a phone's width, and writes `NAME-WIDTH-SCHEME.png` screenshots.
 */
export async function checkPage(
  browser: Browser,
  name: string,
  url: string,
  options: { cookies?: Parameters<BrowserContext["addCookies"]>[0]; expectedStatus?: number } = {},
): Promise<void> {
  for (const width of ["phone", "desktop"] as const) {
    const page = await (await checkingContext(browser, width, options.cookies)).newPage();
    try {
      const response = await page.goto(url);
      assert.equal(response?.status(), options.expectedStatus ?? 200, `${name}: status of ${url}`);
      // One load per width; the colour scheme is switched in place.
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: new URL(`${name}-${width}-${scheme}.png`, SCREENSHOTS).pathname, fullPage: true });
        const overflow = await horizontalOverflow(page);
        assert.ok(overflow <= 1, `${name} (${width}, ${scheme}): the page is ${overflow}px wider than the window`);
        // Contrast differs between schemes, the rest does not: axe runs on both at one width.
        if (width === "desktop") {
          const violations = await axeViolations(page);
          assert.deepEqual(violations, [], `${name} (${scheme}): axe found ${violations.map((v) => `${v.id} (${v.help}) at ${v.nodes.join(", ")}`).join("; ")}`);
        }
      }
    } finally {
      await page.close();
    }
  }
}

// checkPage's contexts, one per width and set of cookies, kept for the browser's life.
const checkingContexts = new WeakMap<Browser, Map<string, Promise<BrowserContext>>>();

function checkingContext(browser: Browser, width: Width, cookies?: Parameters<BrowserContext["addCookies"]>[0]): Promise<BrowserContext> {
  const contexts = checkingContexts.get(browser) ?? new Map<string, Promise<BrowserContext>>();
  checkingContexts.set(browser, contexts);
  const key = `${width} ${JSON.stringify(cookies ?? [])}`;
  let context = contexts.get(key);
  if (context === undefined) contexts.set(key, (context = newContext(browser, { width, cookies })));
  return context;
}
