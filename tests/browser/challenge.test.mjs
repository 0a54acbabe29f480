// A two-day peer challenge from request to timetable, through the real pages: Rutland's LA
// lead requests it (meeting the form's errors first), the co-ordinator drafts a second KLOE
// and agrees them, the project manager sets the visit, asks the engine for a team, puts three
// demo reviewers in seats and confirms (each is emailed an .ics invitation); two accept (one
// meets the confidentiality error first) and one declines; the re-composition fills only the
// freed seat; the lead builds a timetable with a room clash that is flagged and then fixed;
// and a reviewer's .ics of their own activities is read by Python's icalendar with the right
// times. Every page is scanned with axe, including an error state of each form.
// See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, emailsTo, goto, newPage, signInAs, submit, url, useDemoServer } from './harness.mjs';

// Sweep the outbox every second, so the invitations arrive while the test waits for them.
useDemoServer({ screenshots: 'challenge', env: { PEER_CHALLENGE_MAIL__POLL_SECONDS: '1' } });

const LEAD = { name: 'lead.rutland', email: 'lead.rutland@example.org' };
const COORDINATOR = { name: 'coordinator', email: 'coordinator@example.org' };
const PM = { name: 'pm', email: 'pm@example.org' };

// Three demo reviewers (none from Rutland), the seat each is swapped into (unless the engine
// chose them already), and how each answers.
// Types and home authorities are in crates/peer-challenge/src/demo.rs (`demo_reviewers`).
const TOM = {
  name: 'Tom Whitaker', email: 'reviewer2@example.org', who: 'reviewer2',
  seat: 'Local authority officer', type: 'Local authority officer', answer: 'accept',
};
const GRACE = {
  name: 'Grace Okafor', email: 'reviewer3@example.org', who: 'reviewer3',
  seat: 'Designated Clinical Officer or health professional',
  type: 'Designated Clinical Officer or other health professional', answer: 'accept',
};
const HANNAH = {
  name: 'Hannah Lowe', email: 'reviewer5@example.org', who: 'reviewer5',
  seat: 'Parent carer', type: 'Parent or carer', answer: 'decline',
};
const CHOSEN = [TOM, GRACE, HANNAH];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A calendar date (no time zone involved) `days` from today. */
function daysFromNow(days) {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() + days));
}
const parts = (date) => ({ day: date.getUTCDate(), month: date.getUTCMonth() + 1, year: date.getUTCFullYear() });
const iso = (date) => date.toISOString().slice(0, 10);
/** "Tuesday 9 March 2027", as the timetable writes a day. */
const longDay = (date) => `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;

// The first visit day: a Tuesday in June or July at least ten weeks away, so the times are
// in British Summer Time (an hour off UTC) and clear of Hannah Lowe's unavailable dates (40
// to 49 days from today); the second day is the Wednesday after it.
const VISIT = (() => {
  let date = daysFromNow(70);
  while (date.getUTCDay() !== 2 || ![5, 6].includes(date.getUTCMonth())) date = new Date(date.getTime() + 86_400_000);
  return date;
})();
const SATURDAY = new Date(VISIT.getTime() + 4 * 86_400_000);
const WINDOW_FROM = new Date(VISIT.getTime() - 14 * 86_400_000);
const WINDOW_TO = new Date(VISIT.getTime() + 28 * 86_400_000);

const FOCUS = 'How well partners identify needs early, and the timeliness of EHC needs assessments since the new panel began.';
const KLOE_1 = 'How well do partners identify and meet needs early, before a plan is needed?';
const KLOE_2 = 'How well do families and young people shape the services they use?';
const KLOE_3 = 'How well do education, health and care partners plan transitions together?';

/** What the journey has made so far, for the steps after it. */
const journey = { id: '', href: '', reference: '', seats: {} };
const contexts = [];

after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
});

/** A browser of its own (own cookies) signed in as `role`. */
async function signedIn(role) {
  const { context, page } = await newPage();
  contexts.push(context);
  await signInAs(page, role);
  return page;
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

/** The error summary's links: [href, text]; each must lead to an element on the page. */
async function errorSummary(page) {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.match(await page.title(), /^Error: /, 'the title starts with "Error: "');
  const links = await summary.getByRole('link').evaluateAll(
    (as) => as.map((a) => [a.getAttribute('href'), a.textContent.trim()]),
  );
  for (const [href] of links) {
    assert.equal(await page.locator(href).count(), 1, `the error summary's link ${href} leads to a field`);
  }
  // GOV.UK Frontend moves focus to the summary.
  await page.waitForFunction(() => document.activeElement?.closest('.govuk-error-summary') !== null, null, { timeout: 5000 });
  return links;
}

/** The team table's rows as { name, seat, status }. */
async function teamRows(page) {
  return page.getByRole('table', { name: 'Members' }).locator('tbody tr').evaluateAll((rows) => rows
    .filter((row) => row.cells.length >= 3)
    .map((row) => ({
      name: row.cells[0].textContent.trim(),
      seat: row.cells[1].textContent.trim(),
      status: row.cells[2].querySelector('strong')?.textContent.trim() ?? '',
      why: row.cells[3]?.textContent.trim() ?? '',
    })));
}

test('an LA lead requests a two-day challenge, meeting the form\'s errors first', async () => {
  const page = await signedIn(LEAD);
  let response = await goto(page, '/challenges');
  await check(page, response, { who: LEAD.name, path: '/challenges' });
  response = await submit(page, page.getByRole('button', { name: 'Request a peer challenge' }));
  assert.equal(pathOf(page), '/challenges/new');
  await check(page, response, { who: LEAD.name, path: '/challenges/new' });

  // Only the areas of focus, the main KLOE with a theme (its themes are folded away in a
  // details element) and a second KLOE without one: kind, format and dates are missing.
  await page.getByLabel('Areas of focus').fill(FOCUS);
  await page.getByLabel('Main KLOE').fill(KLOE_1);
  await page.getByText('Practice themes for this KLOE').first().click();
  const themes1 = page.getByRole('group', { name: 'Practice themes for KLOE 1' });
  await themes1.getByRole('checkbox', { name: /^Early identification/ }).check();
  await page.getByLabel('KLOE 2 (two-day challenges only)').fill(KLOE_2);
  response = await submit(page, page.getByRole('button', { name: 'Send request' }));
  await check(page, response, { who: LEAD.name, path: '/challenges/new', label: 'missing-kind-format-dates-theme', status: 422 });
  const problems = await errorSummary(page);
  assert.deepEqual(problems.map(([href]) => href), ['#kind', '#format', '#window_1_from-day', '#window_1_to-day', '#kloe_2_themes']);
  assert.match(problems[0][1], /Select a one-day or a two-day challenge/);
  assert.match(await page.locator('#kind-error').innerText(), /Select a one-day or a two-day challenge/);
  assert.match(await page.locator('#window_1_from-error').innerText(), /Enter the first date/);
  assert.ok(await page.locator('#kloe_2_themes-error').isVisible(), "the second KLOE's theme error is shown, not folded away");
  assert.match(await page.locator('#kloe_2_themes-error').innerText(), /Select at least one practice theme for KLOE 2/);
  assert.equal(await page.getByLabel('Areas of focus').inputValue(), FOCUS, 'the areas of focus typed are kept');
  assert.equal(await page.getByLabel('Main KLOE').inputValue(), KLOE_1, 'the KLOE typed is kept');
  assert.ok(await page.getByRole('group', { name: 'Practice themes for KLOE 1' }).getByRole('checkbox', { name: /^Early identification/ }).isChecked(),
    'the theme ticked is kept, and shown');
  // A two-day request needs two or three KLOEs: the second gets its theme; the co-ordinator drafts a third.
  await page.getByRole('group', { name: 'Practice themes for KLOE 2' }).getByRole('checkbox', { name: /^Co-production with families/ }).check();

  await page.getByLabel('Two-day peer challenge').check();
  await page.getByLabel('Hybrid (on site and online)').check();
  await page.getByRole('group', { name: 'Partners taking part (optional)' }).getByLabel('Parent carer forum', { exact: true }).check();
  for (const [legend, date] of [['Preferred dates 1: from', WINDOW_FROM], ['Preferred dates 1: to', WINDOW_TO]]) {
    const group = page.getByRole('group', { name: legend });
    const { day, month, year } = parts(date);
    await group.getByLabel('Day').fill(String(day));
    await group.getByLabel('Month').fill(String(month));
    await group.getByLabel('Year').fill(String(year));
  }
  response = await submit(page, page.getByRole('button', { name: 'Send request' }));
  assert.match(pathOf(page), /^\/challenges\/[^/]+$/, 'the request lands on the challenge page');
  await check(page, response, { who: LEAD.name, path: '/challenges/id', label: 'requested' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Your request has been sent/);
  const heading = (await page.locator('main h1').innerText()).trim();
  assert.match(heading, /^PC-[^:]+: Rutland,? two-day peer challenge$/);
  journey.href = pathOf(page);
  journey.id = journey.href.split('/').pop();
  journey.reference = heading.split(':')[0];
  const main = await page.locator('main').innerText();
  assert.ok(main.includes(KLOE_1), 'the KLOE is shown');
  assert.ok(main.includes('Hybrid (on site and online)'), 'the format is shown');
  assert.ok(main.includes('Draft (version 1)'), 'the KLOEs are a draft');
});

test('the co-ordinator adds a third KLOE, saving a new version, and agrees them', async () => {
  assert.ok(journey.id, 'the request was made');
  const page = await signedIn(COORDINATOR);
  const kloes = `${journey.href}/kloes`;
  let response = await goto(page, kloes);
  await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/kloes' });
  assert.ok(await page.getByRole('heading', { name: 'Version 1' }).isVisible(), 'the request is version 1');

  // A third KLOE without a theme is refused.
  await page.getByLabel('KLOE 3 (two-day challenges only)').fill(KLOE_3);
  response = await submit(page, page.getByRole('button', { name: 'Save a new version' }));
  await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/kloes', label: 'kloe-without-theme', status: 422 });
  const problems = await errorSummary(page);
  assert.deepEqual(problems.map(([href]) => href), ['#kloe_3_themes']);
  assert.match(await page.locator('#kloe_3_themes-error').innerText(), /Select at least one practice theme for KLOE 3/);
  assert.equal(await page.getByLabel('KLOE 3 (two-day challenges only)').inputValue(), KLOE_3, 'the KLOE typed is kept');

  await page.getByRole('group', { name: 'Practice themes for KLOE 3' }).getByRole('checkbox', { name: /^Co-production with families/ }).check();
  response = await submit(page, page.getByRole('button', { name: 'Save a new version' }));
  await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/kloes', label: 'saved' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The KLOEs have been saved/);
  const versions = await page.getByRole('heading', { level: 3, name: /^Version \d+$/ }).allInnerTexts();
  assert.deepEqual(versions.map((v) => v.trim()).sort(), ['Version 1', 'Version 2']);

  response = await submit(page, page.getByRole('button', { name: 'Agree these KLOEs' }));
  assert.equal(pathOf(page), journey.href);
  await check(page, response, { who: COORDINATOR.name, path: '/challenges/id', label: 'agreed' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The KLOEs are agreed/);
  assert.match(await page.locator('main').innerText(), /Agreed by /);
});

test('the project manager scopes, sets the visit, composes and confirms a team', async () => {
  assert.ok(journey.id, 'the request was made');
  const page = await signedIn(PM);
  let response = await goto(page, journey.href);
  await check(page, response, { who: PM.name, path: '/challenges/id' });
  response = await submit(page, page.getByRole('button', { name: 'Accept the request and start scoping' }));
  await check(page, response, { who: PM.name, path: '/challenges/id', label: 'scoping' });
  assert.match(await page.locator('main').innerText(), /Requested → Scoping/);

  response = await submit(page, page.getByRole('link', { name: 'Set the visit days and seats' }));
  assert.equal(pathOf(page), `${journey.href}/visit`);
  await check(page, response, { who: PM.name, path: '/challenges/id/visit' });
  const firstDay = page.getByRole('group', { name: 'First visit day' });
  const fill = async (date) => {
    const { day, month, year } = parts(date);
    await firstDay.getByLabel('Day').fill(String(day));
    await firstDay.getByLabel('Month').fill(String(month));
    await firstDay.getByLabel('Year').fill(String(year));
  };
  await fill(SATURDAY);
  response = await submit(page, page.getByRole('button', { name: 'Save the visit' }));
  await check(page, response, { who: PM.name, path: '/challenges/id/visit', label: 'weekend', status: 422 });
  assert.deepEqual((await errorSummary(page)).map(([href]) => href), ['#visit_date-day']);
  assert.match(await page.locator('#visit_date-error').innerText(), /must be a weekday/);
  assert.equal(await page.getByLabel('Local authority officer: seats').inputValue(), '3', 'the default seats are kept');
  await fill(VISIT);
  response = await submit(page, page.getByRole('button', { name: 'Save the visit' }));
  assert.equal(pathOf(page), journey.href);
  await check(page, response, { who: PM.name, path: '/challenges/id', label: 'visit-set' });
  const visitDays = page.locator('dt', { hasText: 'Visit days' }).locator('xpath=following-sibling::dd');
  assert.match(await visitDays.innerText(), new RegExp(`${VISIT.getUTCDate()} ${MONTHS[VISIT.getUTCMonth()]} ${VISIT.getUTCFullYear()}`));

  response = await submit(page, page.getByRole('link', { name: 'See the team' }));
  assert.equal(pathOf(page), `${journey.href}/team`);
  await check(page, response, { who: PM.name, path: '/challenges/id/team', label: 'empty' });
  response = await submit(page, page.getByRole('button', { name: 'Ask the engine for a team' }));
  await check(page, response, { who: PM.name, path: '/challenges/id/team', label: 'proposed' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The engine has proposed a team/);
  let rows = await teamRows(page);
  assert.equal(rows.length, 6, 'the default two-day seats: a lead reviewer, three LA officers, a parent carer, a health professional');
  for (const row of rows) {
    assert.equal(row.status, 'Proposed', `${row.name} is proposed`);
    assert.ok(row.why.length > 0, `the engine says why ${row.name}`);
  }
  assert.ok(await page.getByRole('heading', { name: "The engine's proposal" }).isVisible());
  const alternates = page.locator('details', { hasText: 'alternates' });
  assert.ok((await alternates.count()) >= 4, 'each seat group has its alternates');
  await alternates.first().locator('summary').click();
  assert.ok((await alternates.first().getByRole('listitem').count()) > 0, 'a seat has ranked alternates');

  // Put the three demo reviewers in seats of their types.
  for (const reviewer of CHOSEN) {
    rows = await teamRows(page);
    if (rows.some((row) => row.name === reviewer.name)) continue; // the engine chose them already
    const chosen = CHOSEN.map((r) => r.name);
    const seat = rows.find((row) => row.seat === reviewer.seat && !chosen.includes(row.name));
    assert.ok(seat, `a ${reviewer.seat} seat for ${reviewer.name}`);
    const label = `Replace ${seat.name} (${reviewer.seat.toLowerCase()})`;
    const form = page.locator('form').filter({ has: page.getByLabel(label, { exact: true }) });
    // The picker lists each person with their home, travel and load after their name.
    const picker = form.getByLabel(label, { exact: true });
    const option = picker.locator('option').filter({ hasText: reviewer.name }).first();
    await picker.selectOption(await option.getAttribute('value'));
    response = await submit(page, form.getByRole('button', { name: 'Swap' }));
    await check(page, response, { who: PM.name, path: '/challenges/id/team', label: `swapped-${reviewer.who}` });
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The team has been changed/);
    const swapped = (await teamRows(page)).find((row) => row.name === reviewer.name);
    assert.deepEqual(swapped && [swapped.seat, swapped.status], [reviewer.seat, 'Proposed'], `${reviewer.name} sits as ${reviewer.seat}`);
  }
  rows = await teamRows(page);
  assert.equal(rows.filter((row) => row.status === 'Proposed').length, 6, 'still six seats');
  journey.seats = Object.fromEntries(rows.map((row) => [row.name, row.seat]));
  for (const reviewer of CHOSEN) assert.ok(journey.seats[reviewer.name], `${reviewer.name} is on the team`);

  // A team changed by hand may break a composition rule: the project manager then gives
  // the reason the audit log keeps.
  const overrideReason = page.getByLabel(/Why confirm a team that breaks the rules/);
  if (await overrideReason.count()) {
    await overrideReason.fill('The host asked for these reviewers by name');
  }
  response = await submit(page, page.getByRole('button', { name: 'Confirm the team and send invitations' }));
  await check(page, response, { who: PM.name, path: '/challenges/id/team', label: 'confirmed' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The invitations have been sent/);
  rows = await teamRows(page);
  assert.deepEqual(rows.map((row) => row.status), rows.map(() => 'Invited'), 'everyone is invited');
  assert.match(await page.locator('main').innerText(), /Challenge state: Team confirmed/);

  for (const reviewer of CHOSEN) {
    const [invitation] = await emailsTo(reviewer.email, { subject: 'Invitation: peer challenge in Rutland' });
    assert.match(invitation.body, /Content-Type: text\/calendar/i, 'with a calendar attachment');
    assert.match(invitation.body, new RegExp(`filename="?${journey.reference}\\.ics`), 'named for the challenge');
  }
});

/** A reviewer answers their invitation from "My challenges". */
async function answer(reviewer, { withError = false } = {}) {
  const page = await signedIn(reviewer);
  let response = await goto(page, '/my-challenges');
  await check(page, response, { who: reviewer.who, path: '/my-challenges' });
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: journey.reference, exact: true }) });
  assert.ok((await row.innerText()).includes(journey.seats[reviewer.name]), 'the row names their seat');
  response = await submit(page, row.getByRole('link', { name: 'Answer the invitation' }));
  assert.equal(pathOf(page), `${journey.href}/respond`);
  await check(page, response, { who: reviewer.who, path: '/challenges/id/respond' });
  if (reviewer.answer === 'accept') {
    await page.getByLabel('Yes, I accept').check();
    await page.getByLabel('I have no conflict of interest with this local area').check();
    if (withError) {
      response = await submit(page, page.getByRole('button', { name: 'Send your answer' }));
      await check(page, response, { who: reviewer.who, path: '/challenges/id/respond', label: 'no-undertaking', status: 422 });
      assert.deepEqual((await errorSummary(page)).map(([href]) => href), ['#confidentiality']);
      const group = page.getByRole('group', { name: 'Confidentiality undertaking' });
      assert.match(await group.locator('#confidentiality-error').innerText(), /.+/, 'the error is shown by the checkbox');
      assert.ok(await page.getByLabel('Yes, I accept').isChecked(), 'the answer chosen is kept');
      assert.ok(await page.getByLabel('I have no conflict of interest with this local area').isChecked(), 'the declaration chosen is kept');
    }
    await page.getByRole('checkbox', { name: /^I will keep confidential everything I learn/ }).check();
  } else {
    await page.getByLabel('No, I decline').check();
    await page.getByLabel('Why can you not take part? (optional)').fill('I am away on the visit days.');
  }
  response = await submit(page, page.getByRole('button', { name: 'Send your answer' }));
  assert.equal(pathOf(page), '/my-challenges');
  await check(page, response, { who: reviewer.who, path: '/my-challenges', label: 'answered' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /your answer has been sent/);
  const status = reviewer.answer === 'accept' ? 'Accepted' : 'Declined';
  const answered = page.getByRole('row').filter({ has: page.getByRole('link', { name: journey.reference, exact: true }) });
  assert.match(await answered.innerText(), new RegExp(status));
  return page;
}

test('two reviewers accept (one meeting the confidentiality error first) and one declines', async () => {
  assert.ok(journey.reference, 'the team was confirmed');
  journey.tom = await answer(TOM, { withError: true });
  await answer(GRACE);
  await answer(HANNAH);
});

test('the re-composition replaces only the member who declined', async () => {
  assert.ok(journey.reference, 'the team was confirmed');
  const page = await signedIn(PM);
  let response = await goto(page, `${journey.href}/team`);
  await check(page, response, { who: PM.name, path: '/challenges/id/team', label: 'declined' });
  const before = await teamRows(page);
  const declined = before.find((row) => row.name === HANNAH.name);
  assert.equal(declined?.status, 'Declined', 'the member who declined shows as declined');
  for (const reviewer of [TOM, GRACE]) {
    assert.equal(before.find((row) => row.name === reviewer.name)?.status, 'Accepted', `${reviewer.name} accepted`);
  }

  response = await submit(page, page.getByRole('button', { name: 'Re-compose the team' }));
  await check(page, response, { who: PM.name, path: '/challenges/id/team', label: 'recomposed' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The engine has proposed a team/);
  const after = await teamRows(page);
  const key = (row) => `${row.name} | ${row.seat} | ${row.status}`;
  assert.deepEqual(after.filter((row) => row.status !== 'Proposed').map(key).sort(), before.map(key).sort(),
    'every other member keeps their seat and answer');
  const added = after.filter((row) => row.status === 'Proposed');
  assert.equal(added.length, 1, 'exactly one new member is proposed');
  assert.equal(added[0].seat, declined.seat, 'in the freed seat');
  assert.ok(!before.some((row) => row.name === added[0].name), 'someone new');

  response = await submit(page, page.getByRole('button', { name: 'Send invitations to the new members' }));
  await check(page, response, { who: PM.name, path: '/challenges/id/team', label: 'new-invited' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The invitations have been sent/);
  const invited = (await teamRows(page)).find((row) => row.name === added[0].name);
  assert.equal(invited?.status, 'Invited');
});

/** The timetable's row for an activity (another row's clash may quote its title). */
function activityRow(page, title) {
  return page.getByRole('row').filter({ has: page.getByText(title, { exact: true }) });
}

/** Fill the activity form. */
async function fillActivity(page, { starts, ends, kind, title, place, kloe, reviewers = [] }) {
  await page.getByRole('group', { name: 'Day' }).getByLabel(longDay(VISIT), { exact: true }).check();
  await page.getByLabel('Start time').fill(starts);
  await page.getByLabel('End time').fill(ends);
  await page.getByRole('group', { name: 'Type of activity' }).getByLabel(kind, { exact: true }).check();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Room, place or online link').fill(place);
  if (kloe) await page.getByRole('group', { name: 'Key line of enquiry' }).getByRole('radio', { name: kloe }).check();
  const group = page.getByRole('group', { name: 'Reviewers' });
  for (const name of reviewers) await group.getByLabel(name, { exact: true }).check();
}

const CASE_SAMPLING = {
  starts: '9:30', ends: '11:00', kind: 'Case sampling', title: 'Case sampling with the SEND casework team',
  place: 'Room 2, Catmose', kloe: /^KLOE 1:/, reviewers: [TOM.name],
};
const INTERVIEW = {
  starts: '10:00', ends: '11:30', kind: 'Interview', title: 'Interview with the head of SEND',
  place: 'Room 2, Catmose', kloe: /^KLOE 2:/,
};

test('the LA lead builds the timetable: a room clash is flagged, then fixed', async () => {
  assert.ok(journey.reference, 'the team was confirmed');
  const page = await signedIn(LEAD);
  let response = await goto(page, journey.href);
  await check(page, response, { who: LEAD.name, path: '/challenges/id', label: 'team-confirmed' });
  response = await submit(page, page.getByRole('link', { name: 'Timetable', exact: true }));
  assert.equal(pathOf(page), `${journey.href}/timetable`);
  await check(page, response, { who: LEAD.name, path: '/challenges/id/timetable', label: 'empty' });
  assert.ok(await page.getByRole('heading', { name: longDay(VISIT) }).isVisible(), 'visit day 1 is shown');

  response = await submit(page, page.getByRole('button', { name: 'Add an activity' }));
  assert.equal(pathOf(page), `${journey.href}/timetable/new`);
  await check(page, response, { who: LEAD.name, path: '/challenges/id/timetable/new' });
  // The end before the start, and nothing else: every problem, and what was typed kept.
  await page.getByLabel('Start time').fill('11:00');
  await page.getByLabel('End time').fill('10:00');
  response = await submit(page, page.getByRole('button', { name: 'Add activity' }));
  await check(page, response, { who: LEAD.name, path: '/challenges/id/timetable/new', label: 'errors', status: 422 });
  const problems = await errorSummary(page);
  const fields = problems.map(([href]) => href);
  for (const field of ['#ends', '#title', '#place']) assert.ok(fields.includes(field), `the summary names ${field}`);
  assert.match(await page.locator('#ends-error').innerText(), /The end time must be after the start time/);
  assert.equal(await page.getByLabel('Start time').inputValue(), '11:00', 'the time typed is kept');

  await fillActivity(page, CASE_SAMPLING);
  response = await submit(page, page.getByRole('button', { name: 'Add activity' }));
  assert.equal(pathOf(page), `${journey.href}/timetable`);
  await check(page, response, { who: LEAD.name, path: '/challenges/id/timetable', label: 'one-activity' });
  assert.match(await page.locator('.govuk-notification-banner').first().innerText(), /The activity has been added/);

  await submit(page, page.getByRole('button', { name: 'Add an activity' }));
  await fillActivity(page, INTERVIEW);
  response = await submit(page, page.getByRole('button', { name: 'Add activity' }));
  await check(page, response, { who: LEAD.name, path: '/challenges/id/timetable', label: 'clash' });
  const clashes = page.getByRole('region', { name: 'Important' });
  assert.match(await clashes.innerText(), /There is 1 clash in the timetable/);
  assert.match(await clashes.innerText(), /Room 2, Catmose is booked twice/);
  const day = page.getByRole('table', { name: `Activities on ${longDay(VISIT)}` });
  assert.equal(await day.getByText('Clash', { exact: true }).count(), 2, 'both activities are marked');
  const caseRow = activityRow(page, CASE_SAMPLING.title);
  assert.match(await caseRow.innerText(), /9:30am to 11:00am/);
  assert.match(await caseRow.innerText(), new RegExp(TOM.name));

  response = await submit(page, page.getByRole('link', { name: `Change ${INTERVIEW.title}` }));
  assert.match(pathOf(page), new RegExp(`^${journey.href}/timetable/[^/]+$`));
  await check(page, response, { who: LEAD.name, path: '/challenges/id/timetable/activity' });
  assert.equal(await page.getByLabel('Title').inputValue(), INTERVIEW.title, 'the form holds the activity');
  await page.getByLabel('Start time').fill('11:30');
  await page.getByLabel('End time').fill('12:30');
  await page.getByLabel('Room, place or online link').fill('Room 5, Catmose');
  response = await submit(page, page.getByRole('button', { name: 'Save changes' }));
  assert.equal(pathOf(page), `${journey.href}/timetable`);
  await check(page, response, { who: LEAD.name, path: '/challenges/id/timetable', label: 'fixed' });
  assert.match(await page.locator('.govuk-notification-banner').first().innerText(), /The activity has been changed/);
  assert.equal(await page.getByRole('region', { name: 'Important' }).count(), 0, 'no clash is flagged');
  assert.equal(await page.getByText('Clash', { exact: true }).count(), 0, 'no activity is marked');
  assert.match(await activityRow(page, INTERVIEW.title).innerText(), /11:30am to 12:30pm/);
});

test("a reviewer downloads their activities as an .ics that icalendar reads with the right times", async () => {
  assert.ok(journey.tom, 'the reviewer accepted');
  const page = journey.tom;
  let response = await goto(page, journey.href);
  await check(page, response, { who: TOM.who, path: '/challenges/id' });
  response = await submit(page, page.getByRole('link', { name: 'Timetable', exact: true }));
  await check(page, response, { who: TOM.who, path: '/challenges/id/timetable' });
  assert.equal(await page.getByRole('button', { name: 'Add an activity' }).count(), 0, 'a reviewer cannot add activities');
  const link = page.getByRole('link', { name: 'Download your activities as a calendar file (.ics)' });
  const download = await page.request.get(url(await link.getAttribute('href')));
  assert.equal(download.status(), 200);
  assert.match(download.headers()['content-type'], /^text\/calendar/);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'challenge-ics-')), 'timetable.ics');
  fs.writeFileSync(file, await download.body());
  const script = [
    'import json, sys, icalendar, zoneinfo',
    'london = zoneinfo.ZoneInfo("Europe/London")',
    'calendar = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())',
    'print(json.dumps([{"summary": str(e["SUMMARY"]),',
    '  "start": e.decoded("DTSTART").astimezone(london).strftime("%Y-%m-%d %H:%M"),',
    '  "end": e.decoded("DTEND").astimezone(london).strftime("%Y-%m-%d %H:%M")}',
    '  for e in calendar.walk("VEVENT")]))',
  ].join('\n');
  const events = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  assert.deepEqual(events, [{
    summary: `${CASE_SAMPLING.title} (${journey.reference})`,
    start: `${iso(VISIT)} 09:30`,
    end: `${iso(VISIT)} 11:00`,
  }], 'only the activity the reviewer is in, at its times in Europe/London');
});

test('the project manager asks what-if staffing for an area, meeting the form\'s errors first', async () => {
  const page = await signedIn(PM);
  let response = await goto(page, '/challenges');
  response = await submit(page, page.getByRole('link', { name: /What-if staffing/ }));
  assert.equal(pathOf(page), '/challenges/what-if');
  await check(page, response, { who: PM.name, path: '/challenges/what-if' });

  // Asked with nothing filled in: each problem beside its field, the summary linking to each.
  response = await submit(page, page.getByRole('button', { name: 'Ask the engine' }));
  await check(page, response, { who: PM.name, path: '/challenges/what-if', label: 'errors', status: 422 });
  assert.deepEqual((await errorSummary(page)).map(([href]) => href), ['#area', '#kind', '#first-day']);

  // A two-day challenge in Rutland on a Wednesday about three months ahead: the demo pool
  // staffs it, and nothing is saved.
  let day = daysFromNow(91);
  while (day.getUTCDay() !== 3) day = new Date(day.getTime() + 86_400_000);
  await page.getByLabel('Area').selectOption({ label: 'Rutland' });
  await page.getByLabel('Two-day').check();
  const first = page.getByRole('group', { name: 'First visit day' });
  const { day: d, month: m, year: y } = parts(day);
  await first.getByLabel('Day').fill(String(d));
  await first.getByLabel('Month').fill(String(m));
  await first.getByLabel('Year').fill(String(y));
  response = await submit(page, page.getByRole('button', { name: 'Ask the engine' }));
  await check(page, response, { who: PM.name, path: '/challenges/what-if', label: 'answer' });
  const main = await page.locator('main').innerText();
  assert.match(main, new RegExp(`A two-day challenge in Rutland on ${longDay(day)}`));
  assert.match(main, /A team can be formed\./);
  assert.equal(await page.getByLabel('Area').inputValue(), 'rutland', 'what was asked stays in the form');
});
