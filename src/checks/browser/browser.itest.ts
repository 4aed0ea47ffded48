import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { CheckResult } from '../../domain/check-result.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { startBrowserSite, SITE_PASSWORD, SITE_USER } from '../../../test/helpers/browser-site.ts';
import type { BrowserSite } from '../../../test/helpers/browser-site.ts';
import { chromiumAvailable, CHROMIUM_PATH } from '../../../test/helpers/browser.ts';
import { selfSignedLeaf } from '../../../test/helpers/certs.ts';
import { startHttpServer, startHttpsServer } from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { waitFor } from '../../../test/helpers/cli.ts';
import { descendantProcesses, settlesTo } from '../../../test/helpers/open-handles.ts';
import { CHROMIUM_ARGS } from './chromium.ts';
import { captureScreenshot } from './evidence.ts';
import { browserCheck } from './index.ts';
import { parseCheckConfig } from '../registry.ts';
import type { BrowserOptions } from './options.ts';
import type { BrowserPool } from './pool.ts';
import { createBrowserPool } from './pool.ts';

const skip = chromiumAvailable() ? false : `no Chromium at ${CHROMIUM_PATH}`;

const LOGIN_STEPS = (password: string) => [
  `{"action":"fill","selector":"#user","value":"${SITE_USER}"}`,
  `{"action":"fill","selector":"#password","value":"${password}","secret":true}`,
  'click button[type=submit]',
  '{"action":"expectText","selector":"h1","text":"Welcome"}',
  'expectStatus 200',
];

describe('browser check in Debian Chromium', { skip, timeout: 90_000 }, () => {
  let site: BrowserSite;
  let tlsSite: TestServer;
  let pool: BrowserPool;

  before(async () => {
    // /slow answers in 1.5 s: two checks sharing the pool overlap there even when opening a page
    // takes a second on a loaded machine (at 300 ms they could finish one after the other).
    site = await startBrowserSite(1_500);
    const leaf = await selfSignedLeaf({ hosts: ['127.0.0.1'] });
    tlsSite = await startHttpsServer((_req, res) => res.end('<title>tls</title>'), leaf);
    pool = createBrowserPool({ chromiumPath: CHROMIUM_PATH, concurrency: 2 });
  });
  after(async () => {
    await pool.close();
    await site.close();
    await tlsSite.close();
    await settlesTo(() => descendantProcesses().length, 0, 'browser processes after pool close');
  });

  function context(
    timeoutMs = 10_000,
    options: { signal?: AbortSignal; shared?: boolean } = {},
  ): CheckContext {
    return {
      timeoutMs,
      signal: options.signal ?? new AbortController().signal,
      patterns: oneShotPatterns,
      ...(options.shared === false ? {} : { browsers: pool }),
    };
  }

  async function check(target: string, steps: unknown, ctx: CheckContext, extra = {}) {
    const parsed = parseCheckConfig('browser', target, { steps, ...extra });
    return browserCheck.run(parsed.target, parsed.options as BrowserOptions, ctx);
  }

  /** The one-off path (no node pool): the check starts Chromium and must leave no process. */
  async function oneShot(target: string, steps: unknown, timeoutMs = 10_000, signal?: AbortSignal) {
    const ctx = context(timeoutMs, { shared: false, ...(signal ? { signal } : {}) });
    // Only this check's processes count: the shared pool's browser may be running meanwhile.
    const earlier = new Set(descendantProcesses());
    const result = await check(target, steps, ctx);
    const started = () => descendantProcesses().filter((pid) => !earlier.has(pid)).length;
    await settlesTo(started, 0, 'chromium processes after the check');
    return result;
  }

  function assertNoSecret(result: CheckResult): void {
    assert.ok(!JSON.stringify(result).includes(SITE_PASSWORD), 'the secret fill value leaked');
  }

  it('a login transaction succeeds with per-step timings, and leaves no process', async () => {
    const result = await oneShot(`${site.origin}/`, LOGIN_STEPS(SITE_PASSWORD));
    assert.equal(result.status, 'up', result.message);
    const steps = result.details['steps'] as string[];
    assert.equal(steps.length, 6);
    assert.match(steps[0] ?? '', /^open http:\/\/127\.0\.0\.1:\d+\/: \d+ ms$/);
    assert.match(steps[3] ?? '', /^click button\[type=submit\]: \d+ ms$/);
    assert.equal(result.details['httpStatus'], 200);
    assert.equal(result.evidence, undefined);
    assertNoSecret(result);
  });

  it('wrong credentials: down/assertion with a screenshot and the console error, secret scrubbed', async () => {
    const result = await oneShot(`${site.origin}/`, LOGIN_STEPS('wrong-pw'));
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'assertion');
    assert.equal(result.details['failedStep'], 4);
    assert.match(result.message, /step 4 \(expectText h1\): h1 does not contain "Welcome"/);
    const jpeg = Buffer.from(result.evidence?.screenshotJpeg ?? '', 'base64');
    assert.ok(jpeg.length > 1000 && jpeg[0] === 0xff && jpeg[1] === 0xd8, 'a JPEG screenshot');
    assert.ok(result.evidence?.consoleErrors.some((e) => e.includes('login failed for alice')));
  });

  it('the page echoing a secret value has it masked in the console errors', async () => {
    // A wrong user with the right password: the page logs the password, the check scrubs it.
    const steps = LOGIN_STEPS(SITE_PASSWORD).map((s) => s.replace(`"${SITE_USER}"`, '"mallory"'));
    const result = await check(`${site.origin}/`, steps, context());
    assert.equal(result.status, 'down', result.message);
    assert.ok(result.evidence?.consoleErrors.some((e) => e.includes('with ***')));
    assertNoSecret(result);
  });

  it('a missing element is a timeout at that step', async () => {
    const steps = [{ action: 'click', selector: '#missing', timeoutMs: 500 }];
    const result = await check(`${site.origin}/`, steps, context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'timeout');
    assert.equal(result.details['failedStep'], 1);
    assert.match(result.message, /step 1 \(click #missing\): timed out after 500 ms/);
  });

  it('a refused connection is down/refused at opening the target', async () => {
    // Not port 9: Chromium refuses to connect to it at all (ERR_UNSAFE_PORT). A port just
    // released by a test server is closed.
    const closed = await startHttpServer((_req, res) => res.end());
    await closed.close();
    const result = await check(`http://127.0.0.1:${closed.port}/`, [], context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'refused');
    assert.equal(result.details['failedStep'], 0);
  });

  it('HTTP 500 with expectStatus 200 is down/status', async () => {
    const result = await check(`${site.origin}/error`, ['expectStatus 200'], context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'status');
    assert.match(result.message, /HTTP 500, expected 200/);
  });

  it('a self-signed certificate is down/tls, and up with insecure', async () => {
    const refused = await check(`${tlsSite.origin}/`, [], context());
    assert.equal(refused.status, 'down');
    assert.equal(refused.errorKind, 'tls', refused.message);
    const accepted = await check(`${tlsSite.origin}/`, [], context(), { insecure: true });
    assert.equal(accepted.status, 'up', accepted.message);
  });

  it('the monitor timeout bounds the whole transaction; no process stays', async () => {
    const started = performance.now();
    const result = await oneShot(`${site.origin}/hang`, [], 2_000);
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'timeout');
    assert.ok(performance.now() - started < 6_000, 'finished near its timeout');
    await settlesTo(() => site.hanging, 0, 'requests held by /hang');
  });

  it('an abort ends the check at once as a cancelled timeout; no process stays', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutdown')), 1_000);
    const result = await oneShot(`${site.origin}/hang`, [], 20_000, controller.signal);
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'timeout');
    assert.match(result.message, /cancelled/);
  });

  it('no Chromium at the configured path is error/node (abstain), not down', async () => {
    const missing = createBrowserPool({ chromiumPath: '/nonexistent/chromium' });
    const result = await check(`${site.origin}/`, [], { ...context(), browsers: missing });
    await missing.close();
    assert.equal(result.status, 'error');
    assert.equal(result.errorKind, 'node');
    assert.match(result.message, /Chromium not found at \/nonexistent\/chromium/);
  });

  it('the concurrency cap holds: 3 checks, at most 2 pages at once', async () => {
    const before = site.maxConcurrentSlow;
    assert.equal(before, 0);
    const results = await Promise.all(
      [1, 2, 3].map(() => check(`${site.origin}/slow`, [], context())),
    );
    for (const result of results) assert.equal(result.status, 'up', result.message);
    assert.equal(site.maxConcurrentSlow, 2);
  });

  it('a check that gets no slot before its deadline is error/node "browser busy"', async () => {
    const single = createBrowserPool({ chromiumPath: CHROMIUM_PATH, concurrency: 1 });
    try {
      // Long enough to start this pool's own Chromium and reach /hang on a loaded machine.
      const holder = check(`${site.origin}/hang`, [], { ...context(15_000), browsers: single });
      await waitFor(
        () => (site.hanging === 1 ? true : undefined),
        12_000,
        () => 'the first check holding the slot',
        20,
      );
      const waiting = await check(`${site.origin}/`, [], { ...context(500), browsers: single });
      assert.equal(waiting.status, 'error');
      assert.equal(waiting.errorKind, 'node');
      assert.match(waiting.message, /browser busy/);
      assert.equal((await holder).errorKind, 'timeout');
    } finally {
      await single.close();
    }
  });

  it('screenshots are capped: re-taken smaller to fit, or dropped with the reason', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${site.origin}/noise`);
      const full = await captureScreenshot(page, 5_000);
      const first = await page.screenshot({ type: 'jpeg', quality: 70 });
      const cap = Math.floor(first.length / 2);
      const fitted = await captureScreenshot(page, 5_000, cap);
      assert.ok('jpeg' in fitted && fitted.jpeg.length <= cap, 'a smaller JPEG within the cap');
      const dropped = await captureScreenshot(page, 5_000, 100);
      assert.ok('dropped' in dropped && /over the 100-byte cap/.test(dropped.dropped));
      assert.ok('jpeg' in full || 'dropped' in full);
    } finally {
      await browser.close();
    }
  });
});
