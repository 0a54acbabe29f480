// Triad scrutiny (issue 15 item 6) through the real pages, on the demo's last cycle, whose
// triads are published: Derby's LA lead opens their triad, reads a partner's submitted
// self-assessment, meets the comment form's errors, then adds a question, which the partner
// area's own page shows; the triad page shows the recorded conversation and the requests
// and offers; Derby's development plan lists its next steps on its return's next-steps page. The board reads the triad page.
// Every page is scanned with axe and measured at 320 px. See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { check, goto, newPage, signInAs, submit, useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'triads' });

const LEAD = { name: 'lead.derby', email: 'lead.derby@example.org' };
const BOARD = { name: 'board', email: 'board@example.org' };

// The demo's current cycle starts in the autumn: before September it is last autumn's. The
// cycle before it is closed, with its triads published.
const NOW = new Date();
const LAST = (NOW.getMonth() >= 8 ? NOW.getFullYear() : NOW.getFullYear() - 1) - 1;

const contexts = [];
after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
});

async function signedIn(role) {
  const { context, page } = await newPage();
  contexts.push(context);
  await signInAs(page, role);
  return page;
}

test('Derby\'s lead reads a triad partner\'s submission and asks a question', async () => {
  const page = await signedIn(LEAD);
  let response = await goto(page, `/self-assessment/${LAST}`);
  await check(page, response, { who: LEAD.name, path: `/self-assessment/${LAST}` });
  const triadLink = page.getByRole('link', { name: /: its conversation, requests and offers$/ });
  assert.equal(await triadLink.count(), 1, 'only Derby\'s own triad is offered');
  response = await submit(page, triadLink);
  const triadPath = new URL(page.url()).pathname;
  await check(page, response, { who: LEAD.name, path: triadPath });
  assert.ok(await page.getByRole('heading', { name: 'The triad conversation' }).isVisible());
  assert.ok(await page.getByRole('definition').filter({ hasText: 'Share one audit tool for EHC plan quality' }).isVisible());

  // A partner: the first area on the triad page that is not Derby.
  const partner = page.getByRole('heading', { level: 3 }).filter({ hasNotText: /^Derby$/ }).first();
  const partnerName = (await partner.innerText()).trim();
  response = await submit(page, page.getByRole('link', { name: `Self-assessment of ${partnerName}` }));
  const partnerPath = new URL(page.url()).pathname;
  await check(page, response, { who: LEAD.name, path: partnerPath });
  assert.ok(await page.getByRole('heading', { name: 'Top priorities' }).isVisible());

  response = await submit(page, page.getByRole('link', { name: 'Triad partners\' comments and questions' }));
  await check(page, response, { who: LEAD.name, path: `${partnerPath}/scrutiny` });
  response = await submit(page, page.getByRole('button', { name: 'Add comment' }));
  await check(page, response, { who: LEAD.name, path: `${partnerPath}/scrutiny`, label: 'errors', status: 422 });
  const summary = page.locator('.govuk-error-summary');
  const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['#section', '#kind', '#text']);
  for (const href of hrefs) {
    assert.equal(await page.locator(href).count(), 1, `${href} leads to a field`);
  }

  await page.getByLabel('Section').selectOption({ label: 'Leaders evaluate services and make improvements' });
  await page.getByRole('radio', { name: 'Question' }).check();
  await page.getByLabel('Your comment or question').fill('Which service changed last year because of what families told you?');
  response = await submit(page, page.getByRole('button', { name: 'Add comment' }));
  await check(page, response, { who: LEAD.name, path: `${partnerPath}/scrutiny`, label: 'added' });
  assert.ok(await page.getByText('Which service changed last year because of what families told you?').isVisible());
});

test('Derby\'s development plan lists its next steps on its return\'s page', async () => {
  const page = await signedIn(LEAD);
  const area = `/self-assessment/${LAST}/areas/derby`;
  await goto(page, area);
  const href = await page.getByRole('link', { name: 'Development plan' }).getAttribute('href');
  assert.match(href, /^\/returns\/[^/]+\/next-steps$/, 'the one next-steps page every programme shares');
  const response = await goto(page, href);
  await check(page, response, { who: LEAD.name, path: href });
  assert.ok(await page.getByRole('table', { name: 'Development plan' }).isVisible());
  assert.equal(await page.getByRole('button', { name: 'Add a next step' }).count(), 0, 'submitted: settled');
});

test('the board reads a triad\'s conversation, requests and offers', async () => {
  const page = await signedIn(BOARD);
  const path = `/self-assessment/${LAST}/triads/1`;
  const response = await goto(page, path);
  await check(page, response, { who: BOARD.name, path });
  assert.ok(await page.getByRole('heading', { name: 'Requests for help and offers of support' }).isVisible());
  assert.equal(await page.getByRole('button', { name: 'Save the record' }).count(), 0, 'the board records nothing');
});
