// Issue 15 through the real pages: the co-ordinator imports a statistics-service CSV file
// (a bad one first: refused with its row and column), reads Derby's indicators as a chart and
// a table and its inspections, records an inspection (meeting the form's errors first), opens
// the annual cycles and publishes this year's triads; Derby's LA lead then sees their triad,
// and the board reads Leicester's page with its missing year. Every page is scanned with axe
// and measured at 320 px. See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { check, goto, newPage, signInAs, submit } from './harness.mjs';
import { useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'self_assessment' });

const COORDINATOR = { name: 'coordinator', email: 'coordinator@example.org' };
const LEAD = { name: 'lead.derby', email: 'lead.derby@example.org' };
const BOARD = { name: 'board', email: 'board@example.org' };

// The demo's current cycle starts in the autumn: before September it is last autumn's.
const NOW = new Date();
const YEAR = NOW.getMonth() >= 8 ? NOW.getFullYear() : NOW.getFullYear() - 1;

const HEADER = 'time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,percent_issued_within_20_weeks';
const GOOD = `${HEADER}
2021,Calendar year,National,E92000001,England,,,,,,59.9
2021,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,831,E06000015,Derby,c
2021,Calendar year,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,373,E08000019,Sheffield,41.0
`;
const BAD = `${HEADER}
2021,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,831,E06000015,Derby,about half
`;

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

/** Each error summary link leads to a field on the page. */
async function errorLinksLead(page) {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.match(await page.title(), /^Error: /);
  const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0);
  for (const href of hrefs) {
    assert.equal(await page.locator(href).count(), 1, `${href} leads to a field`);
  }
  return hrefs;
}

test('the co-ordinator imports published data, a bad file first', async () => {
  const page = await signedIn(COORDINATOR);
  let response = await goto(page, '/indicators');
  await check(page, response, { who: COORDINATOR.name, path: '/indicators' });
  assert.ok(await page.getByText('Shipped reference data (2022 to 2024)').isVisible());

  await page.getByRole('textbox', { name: 'Release' }).fill('Browser test release');
  await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD) });
  response = await submit(page, page.getByRole('button', { name: 'Check and import' }));
  await check(page, response, { who: COORDINATOR.name, path: '/indicators/import', label: 'bad-file', status: 422 });
  assert.deepEqual(await errorLinksLead(page), ['#file']);
  const problems = page.getByRole('table', { name: 'Problems in the file' });
  assert.match(await problems.innerText(), /2\s+percent_issued_within_20_weeks\s+"about half" is neither a number/);
  assert.equal(await page.getByRole('textbox', { name: 'Release' }).inputValue(), 'Browser test release', 'what was typed is kept');

  await page.setInputFiles('#file', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD) });
  response = await submit(page, page.getByRole('button', { name: 'Check and import' }));
  await check(page, response, { who: COORDINATOR.name, path: '/indicators', label: 'imported' });
  assert.ok(await page.getByText('File imported: 3 figures added').isVisible());
});

test('Derby\'s page shows its figures against the region and England, and its inspections', async () => {
  const page = await signedIn(COORDINATOR);
  let response = await goto(page, '/authorities/derby');
  await check(page, response, { who: COORDINATOR.name, path: '/authorities/derby' });
  const chart = page.locator('svg[role="img"]').first();
  assert.match(await chart.locator('desc').textContent(), /Derby: 2021: not available, 2022: 25.3%/);
  const table = page.getByRole('table', { name: /EHC plans issued within 20 weeks \(%\): the figures/ });
  assert.match(await table.innerText(), /2021\s+Confidential: suppressed to protect people's identities \(c\)/);
  assert.match(await table.innerText(), /2024\s+14.0%/);

  await page.getByRole('link', { name: 'Record an inspection' }).click();
  await page.waitForURL('**/indicators/inspections/derby');
  response = await submit(page, page.getByRole('button', { name: 'Save the inspection' }));
  await check(page, response, { who: COORDINATOR.name, path: '/indicators/inspections/derby', label: 'errors', status: 422 });
  await errorLinksLead(page);
  await page.getByLabel('Month of the inspection').fill('2024-03');
  await page.getByLabel('Full inspection').check();
  await page.getByLabel('Inconsistent experiences and outcomes').check();
  response = await submit(page, page.getByRole('button', { name: 'Save the inspection' }));
  await check(page, response, { who: COORDINATOR.name, path: '/authorities/derby', label: 'inspected' });
  assert.match(await page.locator('#next-inspection').innerText(), /Full inspection expected between September 2026 and September 2027/);
});

test('the co-ordinator publishes this year\'s triads and Derby\'s lead sees theirs', async () => {
  const page = await signedIn(COORDINATOR);
  let response = await goto(page, '/self-assessment');
  await check(page, response, { who: COORDINATOR.name, path: '/self-assessment' });
  response = await goto(page, `/self-assessment/${YEAR}`);
  await check(page, response, { who: COORDINATOR.name, path: `/self-assessment/${YEAR}` });
  assert.ok(await page.getByText(/were also together last year/).first().isVisible(), 'the one unavoidable repeat is explained');
  response = await submit(page, page.getByRole('button', { name: 'Publish the triads to the areas' }));
  await check(page, response, { who: COORDINATOR.name, path: `/self-assessment/${YEAR}`, label: 'published' });
  assert.ok(await page.getByText(/Published to the areas on/).isVisible());

  const lead = await signedIn(LEAD);
  response = await goto(lead, `/self-assessment/${YEAR}`);
  await check(lead, response, { who: LEAD.name, path: `/self-assessment/${YEAR}` });
  assert.ok(await lead.getByRole('heading', { name: /\(your area's\)/ }).isVisible());
});

test('the board reads Leicester\'s page: a missing year is said, never zero', async () => {
  const page = await signedIn(BOARD);
  const response = await goto(page, '/authorities/leicester');
  await check(page, response, { who: BOARD.name, path: '/authorities/leicester' });
  const table = page.getByRole('table', { name: /EHC plans issued within 20 weeks \(%\): the figures/ });
  assert.match(await table.innerText(), /2023\s+Not available \(x\)/);
  assert.match(await page.locator('#inspections + dl').innerText(), /Inconsistent experiences and outcomes/);
});

test('Derby\'s lead writes this year\'s self-assessment from last year\'s text, submits it and records the sign-off', async () => {
  const lead = await signedIn(LEAD);
  const base = `/self-assessment/${YEAR}/areas/derby`;
  let response = await goto(lead, `${base}/edit`);
  await check(lead, response, { who: LEAD.name, path: `${base}/edit` });
  assert.match(await lead.locator('#notice').innerText(), /Last year's text is filled in as a starting point/);
  assert.match(await lead.getByLabel('Summary').inputValue(), /the partnership cut waits/);

  // Only the first strand rated: submitting lists every other missing rating and confidence.
  await lead.locator('#needs_identified-rating').selectOption('positive');
  await lead.locator('#needs_identified-confidence').selectOption('high');
  response = await submit(lead, lead.getByRole('button', { name: 'Save and submit' }));
  await check(lead, response, { who: LEAD.name, path: `${base}/submit`, label: 'missing-ratings', status: 422 });
  const hrefs = await errorLinksLead(lead);
  assert.equal(hrefs.length, 20, 'ten strands, each a rating and a confidence');
  assert.equal(await lead.locator('#needs_identified-rating').inputValue(), 'positive', 'what was chosen is kept');

  for (const select of await lead.locator('select[name$="-rating"]').all()) {
    await select.selectOption('inconsistent');
  }
  for (const select of await lead.locator('select[name$="-confidence"]').all()) {
    await select.selectOption('medium');
  }
  response = await submit(lead, lead.getByRole('button', { name: 'Save and submit' }));
  await check(lead, response, { who: LEAD.name, path: base, label: 'submitted' });
  assert.match(await lead.locator('#status').innerText(), /Submitted/);

  await lead.getByLabel('Signed for the local authority by').fill('A. Director');
  await lead.getByLabel('Signed for health by').fill('B. Clinician');
  await lead.getByLabel('Signed for the parent carer forum by').fill('C. Chair');
  await lead.getByLabel('Date signed').fill(NOW.toISOString().slice(0, 10));
  response = await submit(lead, lead.getByRole('button', { name: 'Record the sign-off' }));
  await check(lead, response, { who: LEAD.name, path: base, label: 'signed' });
  assert.match(await lead.locator('#status').innerText(), /Signed off[\s\S]*B\. Clinician/);

  const board = await signedIn(BOARD);
  response = await goto(board, base);
  await check(board, response, { who: BOARD.name, path: base });
  assert.match(await board.locator('#status').innerText(), /C\. Chair/);
  response = await goto(board, `/self-assessment/${YEAR}/heat-map`);
  await check(board, response, { who: BOARD.name, path: `/self-assessment/${YEAR}/heat-map` });
  const map = board.getByRole('table', { name: 'Self-ratings by strand and area' });
  assert.ok(await map.getByRole('link', { name: 'Inconsistent' }).first().isVisible());
  response = await goto(board, `/self-assessment/${YEAR}/areas/rutland`);
  assert.equal(response.status(), 403, 'Rutland\'s is still a draft');
});
