// The biennial large-scale peer challenge through the real pages: the co-ordinator plans the
// 2028 cycle (meeting the form's errors first), generates the pairing with the engine, sees
// the draft as a table and a ring, and publishes it (each area's LA lead is emailed whom their
// team challenges); Derby's LA lead reads the pairing; the board reads the cycles and the
// demo's 2026 cycle, whose pairing repeats no pair of 2024; Derby's lead adds to the agreed
// actions it returned for 2024. Every page is checked with axe and
// at 320 px, and the cycle page once with JavaScript off. See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  check, checkWithoutJavaScript, emailsTo, goto, newPage, signInAs, submit, useDemoServer,
} from './harness.mjs';

useDemoServer({ screenshots: 'biennial', env: { PEER_CHALLENGE_MAIL__POLL_SECONDS: '1' } });

const COORDINATOR = { name: 'coordinator', email: 'coordinator@example.org' };
const LEAD = { name: 'lead.derby', email: 'lead.derby@example.org' };
const BOARD = { name: 'board', email: 'board@example.org' };

const journey = { href: '' };
const contexts = [];

after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
});

async function signedIn(role, options = {}) {
  const { context, page } = await newPage(options);
  contexts.push(context);
  await signInAs(page, role);
  return page;
}

/** The pairs table's rows as [challenger, challenged]. */
async function pairs(page) {
  return page.getByRole('table', { name: /The pairs/ }).locator('tbody tr').evaluateAll((rows) => rows
    .map((row) => [row.cells[0].textContent.trim(), row.cells[1].textContent.trim()]));
}

test('the co-ordinator plans a cycle, meeting the form\'s errors first', async () => {
  const page = await signedIn(COORDINATOR);
  let response = await goto(page, '/biennial');
  await check(page, response, { who: COORDINATOR.name, path: '/biennial' });
  response = await submit(page, page.getByRole('button', { name: 'Plan a cycle' }));
  await check(page, response, { who: COORDINATOR.name, path: '/biennial/new' });
  assert.ok(await page.getByRole('checkbox', { name: 'Rutland' }).isChecked(), 'every area takes part by default');

  await page.getByLabel('Year', { exact: true }).fill('2028');
  await page.getByLabel('Day of the event').fill('19/10/2028');
  await page.getByLabel('KLOEs due').fill('30/10/2028');
  await page.getByLabel('Agreed actions due').fill('30/11/2028');
  await page.getByLabel('Priority 1', { exact: true }).fill('Preparing for adulthood');
  response = await submit(page, page.getByRole('button', { name: 'Save the cycle' }));
  await check(page, response, { who: COORDINATOR.name, path: '/biennial/new', label: 'errors', status: 422 });
  // Text fields are described by their messages; the themes' fieldset (not each box) is.
  const links = await page.locator('.govuk-error-summary__list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#venue', '#kloes_due', '#priority_1_themes']);
  assert.match(await page.title(), /^Error: /);
  for (const id of ['venue', 'kloes_due']) {
    assert.ok((await page.locator(`#${id}`).getAttribute('aria-describedby')).split(' ').includes(`${id}-error`));
  }
  assert.match(await page.locator('#priority_1_themes-error').innerText(), /Select at least one theme for priority 1/);
  assert.equal(await page.getByLabel('Priority 1', { exact: true }).inputValue(), 'Preparing for adulthood', 'the priority typed is kept');

  await page.getByLabel('Venue', { exact: true }).fill('East Midlands Conference Centre, Nottingham');
  await page.getByLabel('KLOEs due').fill('05/10/2028');
  await page.getByRole('group', { name: 'Practice themes for priority 1' }).getByRole('checkbox', { name: /^Preparation for adulthood/ }).check();
  assert.ok(await page.getByRole('radio', { name: 'No preference' }).isChecked(), 'no triad preference until one is chosen');
  await page.getByRole('radio', { name: 'Prefer an area outside its triad' }).check();
  response = await submit(page, page.getByRole('button', { name: 'Save the cycle' }));
  await check(page, response, { who: COORDINATOR.name, path: '/biennial/id', label: 'planned' });
  assert.match(await page.locator('main h1').innerText(), /Biennial peer challenge 2028/);
  assert.match(await page.locator('main .govuk-summary-list').first().innerText(), /This year's triads\s+Prefer an area outside its triad/);
  journey.href = new URL(page.url()).pathname;
});

test('the co-ordinator generates the pairing, reads its reasons and ring, and publishes it', async () => {
  const page = await signedIn(COORDINATOR);
  await goto(page, journey.href);
  let response = await submit(page, page.getByRole('button', { name: 'Generate the pairing' }));
  await check(page, response, { who: COORDINATOR.name, path: '/biennial/id', label: 'draft' });
  const drawn = await pairs(page);
  assert.equal(drawn.length, 10, 'every area challenges one other');
  assert.equal(new Set(drawn.map(([, to]) => to)).size, 10, 'every area is challenged once');
  for (const [from, to] of drawn) assert.notEqual(from, to, 'nobody challenges itself');
  assert.ok(await page.getByText('This is a draft').isVisible());
  assert.equal(await page.locator('.app-chart svg[role="img"]').count(), 1, 'the ring is drawn');
  assert.match(await page.locator('.app-chart svg desc').textContent(), / challenges /, 'the ring says the pairs in words');

  response = await submit(page, page.getByRole('button', { name: 'Publish the pairing' }));
  await check(page, response, { who: COORDINATOR.name, path: '/biennial/id', label: 'published' });
  assert.ok(await page.getByText('Pairing published', { exact: true }).isVisible());
  // The demo has sent Derby's lead other emails; wait for the one about 2028.
  const [email] = await emailsTo(LEAD.email, { subject: 'Biennial peer challenge 2028' });
  assert.match(email.body, /Derby's team challenges /);
  assert.match(email.body, /Derby is challenged by /);
});

test('Derby\'s LA lead reads the published pairing, without JavaScript too', async () => {
  const page = await signedIn(LEAD);
  let response = await goto(page, '/biennial');
  await check(page, response, { who: LEAD.name, path: '/biennial' });
  response = await goto(page, journey.href);
  await check(page, response, { who: LEAD.name, path: '/biennial/id' });
  const rows = await pairs(page);
  assert.ok(rows.some(([from]) => from === 'Derby'), 'Derby\'s pair is listed');
  assert.equal(await page.getByRole('button', { name: 'Generate the pairing' }).count(), 0, 'the lead cannot change it');

  const { context, page: plain } = await newPage({ javaScript: false });
  contexts.push(context);
  await signInAs(plain, LEAD);
  response = await goto(plain, journey.href);
  await checkWithoutJavaScript(plain, response, { who: LEAD.name, path: '/biennial/id', label: 'no-js' });
});

test('Derby\'s LA lead names its team and drafts a KLOE for the area it challenges', async () => {
  const page = await signedIn(LEAD);
  const area = `${journey.href}/areas/derby`;
  let response = await goto(page, area);
  await check(page, response, { who: LEAD.name, path: '/biennial/id/areas/derby' });
  const target = (await page.locator('main p strong').first().innerText()).trim();

  await page.getByLabel('Full name').fill('Sam Patel');
  response = await submit(page, page.getByRole('button', { name: 'Add to the team' }));
  await check(page, response, { who: LEAD.name, path: '/biennial/id/areas/derby', label: 'member-errors', status: 422 });
  assert.equal(await page.getByLabel('Full name').inputValue(), 'Sam Patel', 'the name typed is kept');
  await page.getByLabel('Email address', { exact: true }).fill('sam.patel@derby.example');
  await page.getByLabel('Health', { exact: true }).check();
  await page.getByLabel('They lead the team on the day').check();
  response = await submit(page, page.getByRole('button', { name: 'Add to the team' }));
  await check(page, response, { who: LEAD.name, path: '/biennial/id/areas/derby', label: 'member-added' });
  assert.ok(await page.getByText('Sam Patel, Health').isVisible());
  const [invite] = await emailsTo('sam.patel@derby.example', { count: 1 });
  assert.match(invite.subject, /you are on Derby's team/);

  await page.getByLabel('Key line of enquiry').fill(`How well do partners in ${target} prepare young people for adulthood?`);
  await page.getByLabel('Preparing for adulthood').check();
  await page.getByRole('group', { name: 'Practice themes' }).getByRole('checkbox', { name: /^Preparation for adulthood/ }).check();
  response = await submit(page, page.getByRole('button', { name: 'Save the draft' }));
  await check(page, response, { who: LEAD.name, path: '/biennial/id/areas/derby', label: 'kloe-drafted' });
  assert.ok(await page.getByText(`How well do partners in ${target}`).isVisible());
  assert.ok(await page.getByText('Draft', { exact: true }).first().isVisible());
});

test('the board reads the cycles, and 2026 repeats no pair of 2024', async () => {
  const page = await signedIn(BOARD);
  let response = await goto(page, '/biennial');
  await check(page, response, { who: BOARD.name, path: '/biennial' });
  const hrefOf = async (year) => page.getByRole('link', { name: String(year), exact: true }).getAttribute('href');
  const href2024 = await hrefOf(2024);
  const href2026 = await hrefOf(2026);
  response = await goto(page, href2024);
  await check(page, response, { who: BOARD.name, path: '/biennial/2024' });
  assert.ok(await page.getByText('Closed', { exact: true }).isVisible());
  assert.equal(await page.getByRole('table', { name: 'Who offers whom support' }).locator('tbody tr').count(), 2, 'the board sees who helps whom');
  const earlier = new Set((await pairs(page)).map(([from, to]) => `${from}>${to}`));
  response = await goto(page, href2026);
  await check(page, response, { who: BOARD.name, path: '/biennial/2026' });
  const later = await pairs(page);
  assert.equal(later.length, 10);
  for (const [from, to] of later) assert.ok(!earlier.has(`${from}>${to}`), `${from} challenged ${to} in 2024 too`);
});

test('an area keeps up the agreed actions it returned on time: the co-ordinator sees it in, its lead adds one', async () => {
  // The demo's 2024 cycle is closed: every area returned its agreed actions by the deadline,
  // and keeps them up as its improvement plan.
  const coordinator = await signedIn(COORDINATOR);
  let response = await goto(coordinator, '/returns');
  await check(coordinator, response, { who: COORDINATOR.name, path: '/returns', label: 'with-agreed-actions' });
  const row = coordinator.locator('tbody tr', { hasText: 'Agreed actions' }).filter({ hasText: 'Derby' }).first();
  const returnHref = await row.getByRole('link').first().getAttribute('href');
  response = await goto(coordinator, returnHref);
  await check(coordinator, response, { who: COORDINATOR.name, path: '/returns/id', label: 'agreed-actions' });
  assert.ok(await coordinator.getByText('Submitted', { exact: true }).first().isVisible(), 'returned on time');
  assert.equal(await coordinator.getByRole('button', { name: 'Extend' }).count(), 0, 'nothing to extend');

  const page = await signedIn(LEAD);
  response = await goto(page, returnHref);
  await check(page, response, { who: LEAD.name, path: '/returns/id', label: 'agreed-actions' });
  response = await submit(page, page.getByRole('link', { name: 'Fill in the return on the web or as a spreadsheet' }));
  await check(page, response, { who: LEAD.name, path: '/returns/id/next-steps' });
  assert.ok(await page.getByRole('heading', { name: 'The cycle\'s priorities' }).isVisible());
  assert.ok(await page.getByText('P1', { exact: true }).isVisible(), 'the priorities are listed with their codes');
  assert.ok(await page.getByRole('heading', { name: 'The KLOEs put to this area' }).isVisible());
  assert.ok(await page.getByRole('link', { name: 'BA1 (change)' }).isVisible(), 'the actions returned are listed, still kept');
  response = await submit(page, page.getByRole('button', { name: 'Add a next step' }));
  await check(page, response, { who: LEAD.name, path: '/returns/id/next-steps/new' });
  await page.getByLabel('Reference', { exact: true }).fill('DER-24-1');
  await page.getByLabel('What it answers').fill('Transitions to adult health');
  await page.getByLabel('Theme', { exact: true }).selectOption('PFA');
  await page.getByLabel('Action', { exact: true }).fill('A joint transition clinic with adult health services');
  await page.getByLabel('Owner', { exact: true }).fill('Head of SEND');
  for (const [id, value] of [['start-day', '1'], ['start-month', '4'], ['start-year', '2027'], ['due-day', '31'], ['due-month', '3'], ['due-year', '2028']]) {
    await page.locator(`#${id}`).fill(value);
  }
  await page.getByLabel('Amber', { exact: true }).check();
  response = await submit(page, page.getByRole('button', { name: 'Add next step' }));
  await check(page, response, { who: LEAD.name, path: '/returns/id/next-steps/new', label: 'errors', status: 422 });
  const links = await page.locator('.govuk-error-summary__list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#answers']);
  assert.equal(await page.getByLabel('Owner', { exact: true }).inputValue(), 'Head of SEND', 'what was typed is kept');
  await page.getByLabel('What it answers').fill('P1: transitions to adult health');
  response = await submit(page, page.getByRole('button', { name: 'Add next step' }));
  await check(page, response, { who: LEAD.name, path: '/returns/id/next-steps', label: 'added' });
  assert.ok(await page.getByText('P1: transitions to adult health').isVisible());
});
