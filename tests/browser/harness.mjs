// The browser tests' shared harness: starts the demo server and headless Chromium around a
// test file, and checks pages (status, assets, script errors, one h1, axe-core WCAG 2.2 A and
// AA) with a screenshot of each. See README.md in this folder.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const SCREENSHOTS = path.join(HERE, 'screenshots');
let screenshotFolder = SCREENSHOTS;
const BIN = path.resolve(REPO, process.env.PEER_CHALLENGE_BIN || 'target/debug/peer-challenge');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PASSWORD = 'peer-challenge-demo';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// Best-practice rules run as well as the WCAG ones: "region" (all content inside landmarks).
const EXTRA_RULES = ['region'];
// WCAG 1.4.10 Reflow: content fits 320 CSS px (1280 px at 400 % zoom) without scrolling sideways.
const NARROW = { width: 320, height: 640 };

export const ROLES = [
  { name: 'coordinator', email: 'coordinator@example.org' },
  { name: 'pm', email: 'pm@example.org' },
  { name: 'board', email: 'board@example.org' },
  { name: 'lead.derby', email: 'lead.derby@example.org' },
  { name: 'reviewer1', email: 'reviewer1@example.org' },
];

let server; // the child process
let serverLog = '';
let browser;
/** Where the running demo is: its address and data folder (emails land in `outbox/`). */
export const demo = { base: '', dataDir: '' };

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`the server exited (${server.exitCode ?? server.signalCode}) before it was healthy:\n${serverLog}`);
    }
    try {
      const response = await fetch(`${demo.base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`GET /healthz did not return 200 within ${timeoutMs / 1000} s (last: ${last}):\n${serverLog}`);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Start the demo server and Chromium before this file's tests, and stop them after. */
export function useDemoServer({ screenshots = 'screenshots', env = {} } = {}) {
before(async () => {
  assert.ok(fs.existsSync(BIN), `no server binary at ${BIN}: run \`cargo build -p peer-challenge\` or set PEER_CHALLENGE_BIN`);
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: set CHROMIUM_PATH`);
  screenshotFolder = path.join(SCREENSHOTS, screenshots);
  fs.rmSync(screenshotFolder, { recursive: true, force: true });
  fs.mkdirSync(screenshotFolder, { recursive: true });
  demo.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-challenge-browser-'));
  const port = await freePort();
  demo.base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['demo', '--data-dir', demo.dataDir, '--addr', `127.0.0.1:${port}`], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  const keep = (chunk) => {
    serverLog = (serverLog + chunk.toString()).slice(-20000);
  };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  // Should the runner be stopped without running `after`, do not leave the server behind.
  const abandon = () => {
    server.kill('SIGKILL');
    fs.rmSync(demo.dataDir, { recursive: true, force: true });
  };
  process.on('exit', abandon);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => process.exit(1));
  }
  const [started] = await Promise.all([
    waitForHealth(60_000).then(() => true),
    (async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    })(),
  ]);
  assert.ok(started);
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
  if (demo.dataDir) fs.rmSync(demo.dataDir, { recursive: true, force: true });
});
}

export const url = (p) => `${demo.base}${p}`;

/** A fresh browser context (its own cookies) and page, recording anything that goes wrong. */
export async function newPage({ javaScript = true } = {}) {
  // bypassCSP: the service's Content-Security-Policy forbids the inline script axe is injected as.
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: javaScript, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads are reported (with their URL) by the response and requestfailed handlers.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      page.problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText;
    // The browser cancels what a page was still fetching (its icon, say) when the test moves
    // to the next page: nothing failed. A server that errs answers with a status instead,
    // which the response handler reports.
    if (reason === 'net::ERR_ABORTED') return;
    page.problems.push(`request failed: ${request.method()} ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    const request = response.request();
    const isPage = request.isNavigationRequest() && request.frame() === page.mainFrame();
    if (!isPage && response.status() >= 400) {
      page.problems.push(`asset ${request.method()} ${response.url()} answered ${response.status()}`);
    }
  });
  return { context, page };
}

export async function goto(page, p) {
  page.problems.length = 0;
  const response = await page.goto(url(p), { waitUntil: 'load' });
  assert.ok(response, `no response for ${p}`);
  return response;
}

/** Click something that submits a form and return the response for the page it leads to. */
export async function submit(page, locator) {
  page.problems.length = 0;
  const navigation = page.waitForNavigation({ waitUntil: 'load' });
  await locator.click();
  const response = await navigation;
  assert.ok(response, 'the form submission gave no response');
  return response;
}

function screenshotName(who, p, label) {
  const slug = p === '/' ? 'home' : p.replace(/^\//, '').replace(/[^A-Za-z0-9.]+/g, '-').replace(/-+$/, '');
  return `${who}--${slug}${label ? `--${label}` : ''}.png`;
}

function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((node) => [
      `      target: ${node.target.join(' ')}`,
      `      html:   ${node.html.replace(/\s+/g, ' ').slice(0, 300)}`,
      ...(node.failureSummary ? node.failureSummary.split('\n').map((line) => `        ${line}`) : []),
    ].join('\n'));
    return [`  - ${v.id} [${v.impact}]: ${v.help}`, `    ${v.helpUrl}`, ...nodes].join('\n');
  }).join('\n');
}

/**
 * Check the page now shown: its status, that nothing failed to load or threw, that the
 * styles applied and there is a heading; save a screenshot; run axe. All problems are
 * reported together, then the test fails.
 */
export async function check(page, response, { who, path: p, label = '', status = 200 }) {
  const where = `${who} ${p}${label ? ` (${label})` : ''}`;
  const failures = [];
  if (response.status() !== status) {
    failures.push(`status ${response.status()}, expected ${status}`);
  }
  failures.push(...page.problems);
  const styled = await page.evaluate(() => {
    const sheets = [...document.styleSheets].filter((sheet) => sheet.href?.endsWith('/assets/application.css'));
    return sheets.length === 1 && sheets[0].cssRules.length > 100;
  });
  if (!styled) failures.push('the stylesheet /assets/application.css did not load');
  const headings = await page.locator('main h1').count();
  if (headings !== 1) failures.push(`expected one h1 in <main>, found ${headings}`);

  await page.screenshot({ path: path.join(screenshotFolder, screenshotName(who, p, label)), fullPage: true });

  // At 320 px wide nothing may make the page itself scroll sideways (a wide table scrolls
  // inside its own labelled region instead). Then back to the usual width for axe.
  const wide = page.viewportSize();
  await page.setViewportSize(NARROW);
  const narrow = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > limit + 0.5
        && element.closest('.app-table-scroll, .govuk-skip-link, .govuk-visually-hidden') === null)
      .filter((element, _, all) => !all.includes(element.parentElement))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''} (right edge ${Math.round(element.getBoundingClientRect().right)} px)`);
    return { scrollWidth: document.documentElement.scrollWidth, culprits };
  });
  if (narrow.scrollWidth > NARROW.width) {
    failures.push(`at ${NARROW.width} px wide the page scrolls sideways: scrollWidth ${narrow.scrollWidth} px; widest: ${narrow.culprits.join(', ')}`);
  }
  await page.screenshot({ path: path.join(screenshotFolder, screenshotName(who, p, label ? `${label}--320` : '320')), fullPage: true });
  await page.setViewportSize(wide);

  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    ([tags, rules]) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      rules: Object.fromEntries(rules.map((rule) => [rule, { enabled: true }])),
      resultTypes: ['violations'],
    }),
    [WCAG_TAGS, EXTRA_RULES],
  );
  if (results.violations.length > 0) {
    failures.push(`axe found ${results.violations.length} violation(s):\n${describeViolations(results.violations)}`);
  }
  if (failures.length > 0) {
    assert.fail(`${where} (${page.url()}):\n${failures.map((f) => `- ${f}`).join('\n')}`);
  }
}

/** On a page showing form errors: the GOV.UK error summary lists them, linked to the fields, and has focus. */
export async function assertErrorSummary(page, fieldIds) {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.match(await page.title(), /^Error: /, 'the title starts with "Error: "');
  const links = await summary.locator('.govuk-error-summary__list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, fieldIds.map((id) => `#${id}`), 'the error summary links to each field in error');
  for (const id of fieldIds) {
    assert.ok(await page.locator(`#${id}-error.govuk-error-message`).isVisible(), `an error message is shown for #${id}`);
    const describedBy = (await page.locator(`#${id}`).getAttribute('aria-describedby')) ?? '';
    assert.ok(describedBy.split(' ').includes(`${id}-error`), `#${id} is described by its error message`);
  }
  // GOV.UK Frontend moves focus to the summary, which shows its script ran.
  await page.waitForFunction(() => document.activeElement?.closest('.govuk-error-summary') !== null, null, { timeout: 5000 });
}

export async function signIn(page, email, password) {
  await goto(page, '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  return submit(page, page.getByRole('button', { name: 'Sign in', exact: true }));
}

export async function signInAs(page, role) {
  const response = await signIn(page, role.email, PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/dashboard', `${role.email} lands on /dashboard after signing in`);
  assert.equal(response.status(), 200);
  await page.locator('main h1').waitFor({ state: 'visible' });
  assert.ok(await page.locator('.app-signed-in-as').isVisible(), 'the page says who is signed in');
  return response;
}

/**
 * Check a page that a browser with JavaScript turned off is showing. Axe needs scripts, so a
 * twin page with scripts on is served the very same HTML at the same address (so the same
 * assets load) and checked instead; the JS-off response's status is checked here.
 */
export async function checkWithoutJavaScript(page, response, { who, path: p, label = '', status = 200 }) {
  assert.equal(response.status(), status, `${who} ${p}${label ? ` (${label})` : ''}: status`);
  assert.equal(await page.evaluate(() => document.body.className.includes('js-enabled')), false, 'JavaScript is off');
  const html = await page.content();
  const address = page.url();
  const { context, page: twin } = await newPage();
  try {
    await twin.route(address, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    const twinResponse = await twin.goto(address, { waitUntil: 'load' });
    await check(twin, twinResponse, { who, path: p, label, status: 200 });
  } finally {
    await context.close();
  }
}

/** Decode an .eml body written by the demo's file transport (quoted-printable or base64). */
function decodeBody(message) {
  const [head, ...rest] = message.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/**
 * The emails the demo's outbox worker has written for `to` (only those whose subject starts with
 * `subject`, when given), waiting (polling the folder, up to `timeoutMs`) until at least `count`
 * have arrived. Returns { subject, body } objects. Give `subject` whenever the person may have
 * had other emails already: the outbox delivers in the background, so an earlier email can be
 * there before the one the test is waiting for.
 */
export async function emailsTo(to, { count = 1, subject = '', timeoutMs = 20_000 } = {}) {
  const folder = path.join(demo.dataDir, 'outbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (fs.existsSync(folder) ? fs.readdirSync(folder) : [])
      .filter((name) => name.endsWith('.eml'))
      .map((name) => fs.readFileSync(path.join(folder, name), 'utf8'))
      .filter((message) => new RegExp(`^To: .*${to.replace(/[.]/g, '\\.')}`, 'mi').test(message))
      .map((message) => ({ subject: (message.match(/^Subject: (.*)$/m) ?? [])[1] ?? '', body: decodeBody(message) }))
      .filter((email) => email.subject.startsWith(subject));
    if (found.length >= count) return found;
    if (Date.now() > deadline) assert.fail(`expected ${count} email(s) to ${to} titled "${subject}…" in ${folder}, found ${found.length}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

