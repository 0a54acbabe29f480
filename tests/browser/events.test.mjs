// A thematic event through the real pages: the co-ordinator meets the event form's errors
// (over 3 hours, a joining link that is not https), creates an online event and opens it for
// nominations; Derby's LA lead names an officer (meeting the form's errors first) and sees them
// listed; the board reads the events, a past demo event with its published overview and its
// KLOEs, and Derby's next steps under the thematic programme; the co-ordinator sees who came and an area's returned next
// steps. Every page is scanned with axe and measured at 320 px. See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { check, goto, newPage, signInAs, submit, assertErrorSummary } from './harness.mjs';
import { useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'events' });

const COORDINATOR = { name: 'coordinator', email: 'coordinator@example.org' };
const LEAD = { name: 'lead.derby', email: 'lead.derby@example.org' };
const BOARD = { name: 'board', email: 'board@example.org' };

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

/** The error summary's links, each leading to an element on the page (a radio group's to its first radio). */
async function errorLinks(page) {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.match(await page.title(), /^Error: /, 'the title starts with "Error: "');
  const links = await summary.locator('.govuk-error-summary__list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of links) {
    assert.equal(await page.locator(href).count(), 1, `the error summary's link ${href} leads to a field`);
  }
  return links;
}

const pathOf = (page) => new URL(page.url()).pathname;
const uk = (date) => `${String(date.getUTCDate()).padStart(2, '0')}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${date.getUTCFullYear()}`;
function daysFromNow(days) {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() + days));
}

const EVENT_DATE = daysFromNow(50);
const TITLE = 'Alternative provision commissioning';
const journey = { href: '' };

test('the co-ordinator creates an event, meeting the form\'s errors first, and opens it', async () => {
  const page = await signedIn(COORDINATOR);
  let response = await goto(page, '/events');
  await check(page, response, { who: COORDINATOR.name, path: '/events' });
  response = await submit(page, page.getByRole('button', { name: 'Create a thematic event' }));
  assert.equal(pathOf(page), '/events/new');
  await check(page, response, { who: COORDINATOR.name, path: '/events/new' });

  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel('Area of practice').selectOption('ALTERNATIVE_PROVISION');
  await page.getByLabel('Topic').fill('How partners commission and oversee alternative provision.');
  await page.getByLabel('Date of the event').fill(uk(EVENT_DATE));
  await page.getByLabel('Start time').fill('09:30');
  await page.getByLabel('End time').fill('13:00');
  await page.getByRole('radio', { name: 'Online' }).check();
  await page.getByLabel('Joining link (online)').fill('http://meet.example.org/ap');
  await page.getByLabel('Facilitator').fill('Morgan Reid');
  await page.getByLabel('Places per area').fill('2');
  await page.getByLabel('Nominations close on').fill(uk(daysFromNow(36)));
  await page.getByLabel('Next steps due on').fill(uk(daysFromNow(92)));
  response = await submit(page, page.getByRole('button', { name: 'Save the event' }));
  await assertErrorSummary(page, ['ends', 'joining_link']);
  await check(page, response, { who: COORDINATOR.name, path: '/events/new', label: 'errors', status: 422 });
  assert.equal(await page.getByLabel('Title').inputValue(), TITLE, 'answers are kept');

  await page.getByLabel('End time').fill('12:00');
  await page.getByLabel('Joining link (online)').fill('https://meet.example.org/ap');
  response = await submit(page, page.getByRole('button', { name: 'Save the event' }));
  assert.match(pathOf(page), /^\/events\/[0-9a-f-]{36}$/);
  journey.href = pathOf(page);
  await check(page, response, { who: COORDINATOR.name, path: '/events/id', label: 'draft' });
  response = await submit(page, page.getByRole('button', { name: 'Open for nominations' }));
  await check(page, response, { who: COORDINATOR.name, path: '/events/id', label: 'open' });
  assert.ok(await page.getByText('Open for nominations', { exact: true }).isVisible());
});

test('Derby\'s LA lead names an officer, meeting the form\'s errors first', async () => {
  assert.ok(journey.href, 'the event was created');
  const page = await signedIn(LEAD);
  let response = await goto(page, '/events');
  await check(page, response, { who: LEAD.name, path: '/events' });
  response = await submit(page, page.getByRole('link', { name: TITLE }));
  await check(page, response, { who: LEAD.name, path: '/events/id' });
  response = await submit(page, page.getByRole('link', { name: 'Nominations' }));
  await check(page, response, { who: LEAD.name, path: '/events/id/nominations' });

  await page.getByLabel('Full name').fill('Riley Carter');
  response = await submit(page, page.getByRole('button', { name: 'Name this person' }));
  assert.deepEqual(await errorLinks(page), ['#role', '#organisation', '#email']);
  await check(page, response, { who: LEAD.name, path: '/events/id/nominations', label: 'errors', status: 422 });

  await page.getByLabel('Role').fill('Head of inclusion');
  await page.getByRole('radio', { name: 'Local authority' }).check();
  await page.getByLabel('Email address').fill('riley.carter@derby.example.org');
  response = await submit(page, page.getByRole('button', { name: 'Name this person' }));
  await check(page, response, { who: LEAD.name, path: '/events/id/nominations', label: 'named' });
  assert.ok(await page.getByRole('table', { name: /Derby: 1 of 2 named/ }).getByRole('rowheader', { name: 'Riley Carter' }).isVisible());
});

test('the board reads events, a past event\'s KLOEs and Derby\'s next steps', async () => {
  const page = await signedIn(BOARD);
  let response = await goto(page, '/events');
  await check(page, response, { who: BOARD.name, path: '/events' });
  response = await submit(page, page.getByRole('link', { name: 'Preparation for adulthood' }));
  await check(page, response, { who: BOARD.name, path: '/events/past' });
  assert.ok(await page.getByText('Overview published', { exact: true }).first().isVisible());
  assert.equal(await page.getByRole('link', { name: 'Nominations' }).count(), 0, 'the board sees no names');
  const eventPath = pathOf(page);
  response = await submit(page, page.getByRole('link', { name: 'Overview of emerging themes and next steps' }));
  await check(page, response, { who: BOARD.name, path: '/events/past/overview' });
  assert.ok(await page.getByText(/planning for adult life has to start by year 9/).isVisible());
  assert.ok(await page.getByText(/Not yet returned: .*Rutland/).isVisible());
  response = await goto(page, eventPath);
  response = await submit(page, page.getByRole('link', { name: 'Key lines of enquiry' }));
  await check(page, response, { who: BOARD.name, path: '/events/past/kloes' });
  assert.ok(await page.getByText(/children's to adult health services/).isVisible());
  response = await goto(page, '/progress/areas/derby?programme=thematic');
  await check(page, response, { who: BOARD.name, path: '/progress/areas/derby', label: 'thematic' });
  assert.ok(await page.getByText(/Agree a joint protocol with adult services/).first().isVisible());
});

test('the co-ordinator sees who came to a past event and an area\'s next steps', async () => {
  const page = await signedIn(COORDINATOR);
  let response = await goto(page, '/events');
  response = await submit(page, page.getByRole('link', { name: 'EHC needs assessment timeliness' }));
  const href = pathOf(page);
  await check(page, response, { who: COORDINATOR.name, path: '/events/past' });
  response = await goto(page, `${href}/nominations`);
  await check(page, response, { who: COORDINATOR.name, path: '/events/past/nominations' });
  assert.ok(await page.getByRole('group', { name: 'Who came' }).isVisible());
  response = await goto(page, `${href}/next-steps/derby`);
  await check(page, response, { who: COORDINATOR.name, path: '/events/past/next-steps/derby' });
  assert.ok(await page.getByText(/Report EHC needs assessment timeliness monthly/).isVisible());
});
