/**
 * End-to-end support: the real application listening on loopback (a fresh database with the demo data), a real Chromium
 * driven by playwright-core, and axe-core to check every page a test visits (WCAG 2.1 A and AA).
 *
 * Chromium is found at CHROMIUM_PATH (default /usr/bin/chromium). Without it the end-to-end suites are skipped
 * with a visible reason, except when E2E_REQUIRED=1 (CI), where they fail.
 * E2E_SCREENSHOT_DIR, when set, receives screenshots the tests take (for a look by a person; never compared).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import type { Grant } from '../../src/domain/authorization.ts';
import { SESSION_COOKIE } from '../../src/platform/http/sessions.ts';
import { signedInAs, type TestAccount } from './accounts.ts';
import { buildTestApp, type TestApp } from './app.ts';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const e2eRequired = process.env.E2E_REQUIRED === '1';
const chromiumFound = existsSync(chromiumPath);

const missingMessage = `Chromium introuvable (${chromiumPath})`;

/** The reason the end-to-end suites are skipped (no Chromium and not required), or false when they run. */
export const e2eSkipReason: string | false =
  chromiumFound || e2eRequired
    ? false
    : `${missingMessage} : tests de bout en bout ignorés. Installez chromium ou indiquez CHROMIUM_PATH ; E2E_REQUIRED=1 les rend obligatoires.`;

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WCAG 2.0 and 2.1, levels A and AA: what RGAA 4.1 asks for. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Uncaught exceptions of each page's scripts, collected as they happen. */
const pageErrors = new WeakMap<Page, string[]>();

export interface E2E {
  app: TestApp;
  browser: Browser;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** A page in a fresh browser context (French locale, no request leaves the machine); closed by close(). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * An end-to-end suite: the application and Chromium start once before its tests (`e2e` is filled in then) and
 * stop after them. Without Chromium the suite is skipped with its reason, or, when E2E_REQUIRED=1, replaced by
 * one failing test saying so. If starting fails, every test of the suite fails with that error.
 */
export function describeE2E(name: string, body: (e2e: E2E) => void): void {
  if (!chromiumFound && e2eRequired) {
    test(name, () => {
      assert.fail(`${missingMessage} alors que E2E_REQUIRED=1 : installez chromium ou indiquez CHROMIUM_PATH.`);
    });
    return;
  }
  if (e2eSkipReason) {
    test(name, { skip: e2eSkipReason }, () => {});
    return;
  }
  describe(name, () => {
    const session = {} as E2E;
    let failure: unknown;
    before(async () => {
      try {
        Object.assign(session, await startE2E());
      } catch (error) {
        failure = error;
      }
    });
    beforeEach(() => {
      if (failure) throw failure;
    });
    after(async () => {
      if (!failure) await session.close();
    });
    body(session);
  });
}

/** Starts the application on 127.0.0.1 (a free port) and Chromium. */
export async function startE2E(): Promise<E2E> {
  if (!chromiumFound) throw new Error(`${missingMessage} : installez chromium ou indiquez CHROMIUM_PATH.`);
  const app = await buildTestApp();
  let browser: Browser | undefined;
  try {
    const address = await app.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = new URL(address).origin;
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: LAUNCH_ARGS });
    const contexts = new Set<BrowserContext>();
    const started = browser;
    return {
      app,
      browser: started,
      baseUrl,
      async newPage() {
        const context = await started.newContext({ baseURL: baseUrl, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
        contexts.add(context);
        context.on('close', () => contexts.delete(context));
        // Hermetic: the pages must work with nothing but Maillage (no CDN, no tile server, no font service).
        await context.route(
          (url) => url.origin !== baseUrl,
          (route) => route.abort('blockedbyclient'),
        );
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
        pageErrors.set(page, errors);
        return page;
      },
      async close() {
        await Promise.allSettled([...contexts].map((context) => context.close()));
        await started.close();
        await app.close();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await app.close().catch(() => {});
    throw error;
  }
}

/** A browser page that carries `account`'s session, as if it had signed in through the form. */
export async function pageOf(e2e: E2E, account: TestAccount): Promise<Page> {
  const page = await e2e.newPage();
  await page.context().addCookies([{ name: SESSION_COOKIE, value: account.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
  return page;
}

/** A browser page signed in as a fresh verified account holding `grants`. */
export async function signedInPage(e2e: E2E, grants: Grant[] = [], displayName?: string): Promise<Page> {
  return pageOf(e2e, await signedInAs(e2e.app.app, e2e.app.database.db, grants, { displayName }));
}

/** Fails when a script of the page threw an uncaught exception. */
export function assertNoPageErrors(page: Page) {
  const errors = pageErrors.get(page) ?? [];
  assert.equal(errors.length, 0, `Erreurs JavaScript dans la page ${page.url()} :\n${errors.join('\n\n')}`);
}

/** One readable block per violation: rule, impact, help, and each offending node with axe's summary. */
export function formatViolations(violations: axe.Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => {
        const target = node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : String(part))).join(' ');
        const summary = (node.failureSummary ?? '')
          .split('\n')
          .map((line) => `        ${line}`)
          .join('\n');
        return `    • ${target}\n      ${node.html.slice(0, 300)}\n${summary}`;
      });
      return `  - [${violation.impact ?? 'impact inconnu'}] ${violation.id} : ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Runs axe-core (WCAG 2.1 A + AA) on the page as it is now; fails with every violation listed. */
export async function assertAccessible(page: Page, what = page.url()): Promise<void> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  // page.evaluate is not subject to the page's Content-Security-Policy, unlike an inline <script>.
  if (!injected) await page.evaluate(axe.source);
  const results = await page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const violations = results.violations;
  assert.equal(violations.length, 0, `${violations.length} violation(s) axe-core (WCAG 2.1 A/AA) sur ${what} :\n${formatViolations(violations)}`);
}

/** Opens a path, checks the HTTP status, then checks accessibility. Returns the response. */
export async function visit(page: Page, path: string, expectedStatus = 200): Promise<Response> {
  const response = await page.goto(path, { waitUntil: 'load' });
  assert.ok(response, `aucune réponse pour ${path}`);
  assert.equal(response.status(), expectedStatus, `statut HTTP de ${path}`);
  await assertAccessible(page, path);
  return response;
}

/** Saves a full-page screenshot when E2E_SCREENSHOT_DIR is set (to look at, never compared). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
