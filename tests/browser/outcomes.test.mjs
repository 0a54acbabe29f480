// What a peer challenge finds and what follows, through the real pages: the co-ordinator opens
// every demo challenge in Reporting, Next steps or Closed and follows each link of its
// "Findings and next steps" list; on the challenge in Reporting (Nottinghamshire's) records
// evidence (meeting the form's errors and the personal-data check first), adds a finding from
// it, meets the comment box's error, makes a new slide deck version and downloads it. Rutland's
// LA lead adds an action to the plan (empty first) and uploads no file; the board reads the
// region's progress, an area and an action and downloads the workbook and the board pack; the
// Lead of Derby sees only Derby's progress. Every page is scanned with axe.
// See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { check, goto, newPage, signInAs, submit, url, useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'outcomes' });

const COORDINATOR = { name: 'coordinator', email: 'coordinator@example.org' };
const LEAD_RUTLAND = { name: 'lead.rutland', email: 'lead.rutland@example.org' };
const BOARD = { name: 'board', email: 'board@example.org' };
const LEAD_DERBY = { name: 'lead.derby', email: 'lead.derby@example.org' };

// The demo's challenges after the visit (crates/peer-challenge/src/demo.rs).
const EXPECTED = [
  { authority: 'Nottinghamshire', state: 'Reporting' },
  { authority: 'Rutland', state: 'Next steps' },
  { authority: 'Derby', state: 'Closed' },
  { authority: 'North Northamptonshire', state: 'Closed' },
];
const AFTER_THE_VISIT = ['Reporting', 'Next steps', 'Closed'];

const NOTE = 'Two SENCOs said the outreach team now visits within a fortnight of a request, and a third school was waiting for its first visit.';
const NHS_NOTE = 'The child with NHS number 943 476 5919 waited a year for a therapy assessment.';
const FINDING = 'Outreach to mainstream schools is quicker than it was, but not yet reliable across the county.';

/** The challenges the co-ordinator found after the visit: { href, authority, kind, state }. */
const found = [];
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

const pathOf = (page) => new URL(page.url()).pathname;

/** The status of the response that redirected to the one shown (a 303 after a POST), or null. */
function redirectStatus(response) {
  return response.request().redirectedFrom()?.response().then((r) => r?.status() ?? null) ?? Promise.resolve(null);
}

/**
 * The GOV.UK error summary on the page shown: the title says "Error: ", its links are
 * `expected` in order, each leads to an element on the page, the field's own error message is
 * shown in the same form group and referenced by `aria-describedby` (on the field, or on its
 * fieldset for radios, checkboxes and dates), and the summary has focus.
 * Returns the summary's messages, keyed by link.
 */
async function assertErrors(page, expected) {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.match(await page.title(), /^Error: /, 'the title starts with "Error: "');
  const links = await summary.locator('.govuk-error-summary__list a').evaluateAll(
    (as) => as.map((a) => [a.getAttribute('href'), a.textContent.trim()]),
  );
  assert.deepEqual(links.map(([href]) => href), expected, 'the error summary links to each field in error, in order');
  for (const [href, message] of links) {
    const target = page.locator(href);
    assert.equal(await target.count(), 1, `the error summary's link ${href} leads to one element`);
    const field = href.slice(1).replace(/-day$/, '');
    const error = page.locator(`#${field}-error.govuk-error-message`);
    assert.ok(await error.isVisible(), `an error message is shown for #${field}`);
    assert.equal((await error.innerText()).replace(/^Error:\s*/, '').trim(), message, `#${field}'s message matches the summary's`);
    const grouped = await target.evaluate((element, id) => {
      const group = element.closest('.govuk-form-group--error');
      if (!group || !group.querySelector(`#${CSS.escape(id)}`)) return 'the message is not in the field\'s form group';
      const describers = [element, element.closest('fieldset')].filter(Boolean);
      const described = describers.some((node) => (node.getAttribute('aria-describedby') ?? '').split(' ').includes(id));
      return described ? '' : 'neither the field nor its fieldset is described by the message';
    }, `${field}-error`);
    assert.equal(grouped, '', `${href}: ${grouped}`);
  }
  // GOV.UK Frontend moves focus to the summary, which shows its script ran.
  await page.waitForFunction(() => document.activeElement?.closest('.govuk-error-summary') !== null, null, { timeout: 5000 });
  return Object.fromEntries(links);
}

/** The success banner's text. */
async function banner(page) {
  const notice = page.locator('.govuk-notification-banner--success');
  await notice.waitFor({ state: 'visible' });
  return (await notice.innerText()).trim();
}

/** GET `href` with the page's cookies; assert it is a 200 Office file (a zip: `PK`). */
async function assertOfficeFile(page, href, contentType) {
  const response = await page.context().request.get(url(href));
  assert.equal(response.status(), 200, `GET ${href}`);
  assert.match(response.headers()['content-type'] ?? '', contentType, `${href}'s content type`);
  assert.match(response.headers()['content-disposition'] ?? '', /^attachment/, `${href} is a download`);
  const bytes = await response.body();
  assert.ok(bytes.length > 1000, `${href} has content (${bytes.length} bytes)`);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', `${href} is a zip (an Office Open XML file)`);
}

const XLSX = /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/;
const PPTX = /^application\/vnd\.openxmlformats-officedocument\.presentationml\.presentation/;

/** The links of the challenge page's "Findings and next steps" list: [text, path]. */
async function outcomeLinks(page) {
  const list = page.locator('main h2', { hasText: 'Findings and next steps' }).locator('xpath=following-sibling::ul[1]');
  return list.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent.trim(), new URL(a.href).pathname]));
}

test('the co-ordinator follows each "Findings and next steps" link of every challenge after the visit', async (t) => {
  const page = await signedIn(COORDINATOR);
  await goto(page, '/challenges');
  const rows = await page.locator('main table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    href: new URL(tr.cells[0].querySelector('a').href).pathname,
    authority: tr.cells[1].textContent.trim(),
    kind: tr.cells[2].textContent.trim(),
    state: tr.cells[3].textContent.trim(),
  })));
  found.push(...rows.filter((row) => AFTER_THE_VISIT.includes(row.state)));
  for (const { authority, state } of EXPECTED) {
    assert.ok(found.some((row) => row.authority === authority && row.state === state), `the demo has ${authority}'s challenge in ${state}`);
  }
  for (const challenge of found) {
    const who = `${challenge.authority} (${challenge.state})`;
    const slug = challenge.authority.toLowerCase().replace(/\W+/g, '-');
    await t.test(who, async () => {
      let response = await goto(page, challenge.href);
      await check(page, response, { who: COORDINATOR.name, path: `/challenges/${slug}` });
      const links = await outcomeLinks(page);
      const names = links.map(([text]) => text);
      // The action plan follows reporting; the co-ordinator may read everything before it.
      if (challenge.state === 'Reporting') {
        assert.deepEqual(names, ['Evidence', 'Findings', 'Reports'], `${who}: the list offers`);
      } else {
        assert.deepEqual(names, ['Evidence', 'Findings', 'Reports', 'Action plan'], `${who}: the list offers`);
      }
      const suffix = { Evidence: '/evidence', Findings: '/findings', Reports: '/reports', 'Action plan': '/actions' };
      for (const [text, href] of links) {
        assert.equal(href, `${challenge.href}${suffix[text]}`, `${who}: "${text}" links to its page`);
        response = await goto(page, href);
        await check(page, response, { who: COORDINATOR.name, path: `/challenges/${slug}${suffix[text]}` });
        assert.equal((await page.locator('main h1').innerText()).trim(), text, `${who}: "${text}" opens its page`);
      }
    });
  }
});

test('on the challenge in Reporting the co-ordinator records evidence, adds a finding, and makes a slide deck', async (t) => {
  const reporting = found.find((row) => row.state === 'Reporting');
  assert.ok(reporting, 'the first test found the challenge in Reporting');
  const evidence = `${reporting.href}/evidence`;
  const findings = `${reporting.href}/findings`;
  const reports = `${reporting.href}/reports`;
  const page = await signedIn(COORDINATOR);

  await t.test('the evidence form submitted empty', async () => {
    await goto(page, evidence);
    const response = await submit(page, page.getByRole('button', { name: 'Record evidence' }));
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/evidence', label: 'empty', status: 422 });
    const messages = await assertErrors(page, ['#activity', '#kloe', '#kind', '#note']);
    assert.equal(messages['#note'], 'Enter the note');
  });

  await t.test('a draft with an NHS number in it', async () => {
    await goto(page, evidence);
    await page.getByLabel('Note', { exact: true }).fill(NHS_NOTE);
    const response = await submit(page, page.getByRole('button', { name: 'Save as draft' }));
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/evidence', label: 'nhs-number', status: 422 });
    await assertErrors(page, ['#note']);
    assert.match(await page.locator('#note-error').innerText(), /This looks like an NHS number/);
    // The message sits with the note it is about.
    assert.equal(await page.locator('.govuk-form-group--error').filter({ has: page.locator('#note') }).locator('#note-error').count(), 1,
      'the message is in the note\'s form group');
    assert.equal(await page.locator('#note').inputValue(), NHS_NOTE, 'the note typed is kept to be corrected');
    assert.equal(await page.locator('main .app-note, main table').filter({ hasText: NHS_NOTE }).count(), 0,
      'the draft was not saved: it is in neither your notes nor the team\'s evidence');
  });

  await t.test('a valid note, recorded', async () => {
    await goto(page, evidence);
    const activity = page.getByLabel('Activity');
    const first = await activity.locator('option').nth(1).getAttribute('value');
    await activity.selectOption(first);
    await page.getByRole('group', { name: 'Which KLOE is this evidence about?' }).getByRole('radio').first().check();
    await page.getByRole('group', { name: 'What does it show?' }).getByLabel('Area for development').check();
    await page.getByLabel('Note', { exact: true }).fill(NOTE);
    const response = await submit(page, page.getByRole('button', { name: 'Record evidence' }));
    assert.equal(await redirectStatus(response), 303, 'recording answers 303 See Other');
    assert.equal(pathOf(page), evidence, 'back on the evidence page');
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/evidence', label: 'recorded' });
    assert.match(await banner(page), /Your evidence has been recorded/);
    const team = page.getByRole('table', { name: 'Recorded notes, by KLOE' });
    assert.equal(await team.getByRole('cell', { name: NOTE, exact: true }).count(), 1, "the note is in the team's evidence");
  });

  await t.test('a finding with that evidence ticked', async () => {
    let response = await goto(page, findings);
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/findings' });
    await page.getByRole('group', { name: 'Which KLOE does it answer?' }).getByRole('radio').first().check();
    await page.getByRole('group', { name: 'What kind of finding is it?' }).getByLabel('Area for development').check();
    await page.getByLabel('Finding', { exact: true }).fill(FINDING);
    const ticked = page.getByRole('group', { name: 'The evidence behind it (optional)' }).getByRole('checkbox', { name: new RegExp(NOTE.slice(0, 40)) });
    assert.equal(await ticked.count(), 1, 'the note recorded is offered as evidence');
    await ticked.check();
    response = await submit(page, page.getByRole('button', { name: 'Add finding' }));
    assert.equal(await redirectStatus(response), 303, 'adding answers 303 See Other');
    assert.equal(pathOf(page), findings);
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/findings', label: 'added' });
    assert.match(await banner(page), /The finding has been added/);
    const item = page.locator('li.app-note').filter({ hasText: FINDING });
    assert.equal(await item.count(), 1, 'the finding is listed');
    await item.getByText('Evidence behind it (1)').click();
    assert.ok(await item.locator('.govuk-details__text').getByText(NOTE).isVisible(), 'the finding shows the evidence behind it');
  });

  await t.test('an empty comment on a finding', async () => {
    await goto(page, findings);
    const item = page.locator('li.app-note').filter({ hasText: FINDING });
    const box = item.getByRole('textbox', { name: 'Add a comment' });
    const id = await box.getAttribute('id');
    const response = await submit(page, item.getByRole('button', { name: 'Add comment' }));
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/findings', label: 'empty-comment', status: 422 });
    const messages = await assertErrors(page, [`#${id}`]);
    assert.equal(messages[`#${id}`], 'Enter the comment');
    // Only the box that was sent has the error, and it is beside that finding.
    assert.equal(await page.locator('.govuk-error-message').count(), 1, 'one error message on the page');
    const again = page.locator('li.app-note').filter({ hasText: FINDING });
    assert.equal(await again.locator(`#${id}-error`).count(), 1, 'the error is by the finding\'s comment box');
  });

  await t.test('a new version of the slide deck, downloaded', async () => {
    let response = await goto(page, reports);
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/reports' });
    const before = await page.locator('main .app-note h3').count();
    response = await submit(page, page.getByRole('button', { name: 'Make a new version of the slide deck' }));
    assert.equal(await redirectStatus(response), 303, 'making a version answers 303 See Other');
    assert.equal(pathOf(page), reports);
    await check(page, response, { who: COORDINATOR.name, path: '/challenges/id/reports', label: 'made' });
    assert.match(await banner(page), /A new version has been made from the findings/);
    const versions = page.locator('main .app-note');
    assert.equal(await versions.locator('h3').count(), before + 1, 'one more version is listed');
    const newest = versions.filter({ has: page.getByRole('heading', { name: new RegExp(`^Version ${before + 1}\\b`) }) });
    assert.equal(await newest.count(), 1, `version ${before + 1} is listed`);
    assert.match(await newest.locator('h3').innerText(), /Draft/, 'the new version is a draft');
    const link = newest.getByRole('link', { name: new RegExp(`^Download slide deck version ${before + 1}`) });
    assert.equal(await link.count(), 1, 'the new version can be downloaded');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /\.pptx$/, 'the file is a .pptx');
    const bytes = fs.readFileSync(await download.path());
    assert.ok(bytes.length > 1000, `the deck has content (${bytes.length} bytes)`);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the deck is a zip (an Office Open XML file)');
  });
});

test("Rutland's LA lead adds an action to the plan and uploads no file", async (t) => {
  const page = await signedIn(LEAD_RUTLAND);
  await goto(page, '/challenges');
  const challenge = await page.locator('main table tbody tr').filter({ hasText: 'Rutland' }).filter({ hasText: 'Next steps' })
    .getByRole('link').first().getAttribute('href');
  assert.ok(challenge, "Rutland's lead sees Rutland's challenge at Next steps");
  const plan = `${challenge}/actions`;

  await t.test('the action plan, from the challenge page', async () => {
    let response = await goto(page, challenge);
    await check(page, response, { who: LEAD_RUTLAND.name, path: '/challenges/id' });
    response = await submit(page, page.locator('main').getByRole('link', { name: 'Action plan', exact: true }));
    assert.equal(pathOf(page), plan);
    await check(page, response, { who: LEAD_RUTLAND.name, path: '/challenges/id/actions' });
  });

  await t.test('"Add an action" submitted empty', async () => {
    await goto(page, plan);
    let response = await submit(page, page.getByRole('button', { name: 'Add an action' }));
    assert.equal(pathOf(page), `${plan}/new`);
    await check(page, response, { who: LEAD_RUTLAND.name, path: '/challenges/id/actions/new' });
    response = await submit(page, page.getByRole('button', { name: 'Add action' }));
    await check(page, response, { who: LEAD_RUTLAND.name, path: '/challenges/id/actions/new', label: 'empty', status: 422 });
    await assertErrors(page, ['#reference', '#answers', '#theme', '#action', '#owner', '#start-day', '#due-day', '#rag']);
  });

  await t.test('"Add an action" filled in', async () => {
    await goto(page, `${plan}/new`);
    await page.getByLabel('Reference').fill('RUT-3');
    await page.getByLabel('Answers (finding or recommendation)').fill('KLOE 1: review caseloads and protect time for annual reviews.');
    await page.getByLabel('Theme').selectOption({ label: 'Annual reviews and phase transfers' });
    await page.getByLabel('Action', { exact: true }).fill('Recruit two caseworkers and hold every annual review meeting within the statutory timescale.');
    await page.getByLabel('Owner').fill('Head of SEND');
    for (const [legend, [day, month, year]] of [['Start date', [1, 4, 2027]], ['Due date', [30, 9, 2027]]]) {
      const group = page.getByRole('group', { name: legend });
      await group.getByLabel('Day').fill(String(day));
      await group.getByLabel('Month').fill(String(month));
      await group.getByLabel('Year').fill(String(year));
    }
    await page.getByRole('group', { name: /RAG/ }).getByLabel('Amber').check();
    const response = await submit(page, page.getByRole('button', { name: 'Add action' }));
    assert.equal(await redirectStatus(response), 303, 'adding answers 303 See Other');
    assert.equal(pathOf(page), plan, 'back on the plan');
    await check(page, response, { who: LEAD_RUTLAND.name, path: '/challenges/id/actions', label: 'added' });
    assert.match(await banner(page), /The action has been added to the plan/);
    const row = page.getByRole('table', { name: 'Actions' }).getByRole('row').filter({ hasText: 'RUT-3' });
    assert.equal(await row.count(), 1, 'the action is in the plan');
    assert.match(await row.innerText(), /30 September 2027/);
    assert.match(await row.innerText(), /Amber/);
  });

  await t.test('the upload form submitted with no file', async () => {
    await goto(page, plan);
    const response = await submit(page, page.getByRole('button', { name: 'Upload and apply' }));
    await check(page, response, { who: LEAD_RUTLAND.name, path: '/challenges/id/actions', label: 'no-file', status: 422 });
    const messages = await assertErrors(page, ['#plan']);
    assert.equal(messages['#plan'], 'Choose a spreadsheet to upload');
  });
});

test("the board reads the region's progress and downloads the workbook and the board pack", async (t) => {
  const page = await signedIn(BOARD);

  await t.test('/progress', async () => {
    const response = await goto(page, '/progress');
    await check(page, response, { who: BOARD.name, path: '/progress' });
    const chart = page.locator('main svg[role="img"]');
    assert.ok(await chart.count() >= 1, 'the page has a chart');
    const named = await chart.first().evaluate((svg) => {
      const title = svg.querySelector(':scope > title');
      const labelled = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
      return { title: title?.textContent.trim() ?? '', id: title?.id ?? '', labelled };
    });
    assert.ok(named.title, 'the chart has a <title>');
    assert.ok(named.labelled.includes(named.id), "the chart is labelled by its <title>");
  });

  await t.test('an area and one of its actions', async () => {
    await goto(page, '/progress');
    // An area with actions: North Northamptonshire's closed two-day challenge has months of history.
    let response = await submit(page, page.getByRole('table', { name: 'Actions by area' }).getByRole('link', { name: 'North Northamptonshire' }));
    assert.equal(pathOf(page), '/progress/areas/north-northamptonshire');
    await check(page, response, { who: BOARD.name, path: '/progress/areas/north-northamptonshire' });
    // Next steps are grouped in a table per programme activity; the first is the closed challenge's.
    const action = page.locator('main').getByRole('table').first().getByRole('link').first();
    assert.equal(await action.count(), 1, 'the area lists its actions');
    response = await submit(page, action);
    assert.match(pathOf(page), /^\/progress\/actions\/[^/]+$/);
    await check(page, response, { who: BOARD.name, path: '/progress/actions/id' });
  });

  await t.test('/progress.xlsx and /progress/board-pack.pptx', async () => {
    await goto(page, '/progress');
    const take = page.locator('main h2', { hasText: 'Take it to the board' }).locator('xpath=following-sibling::ul[1]');
    const links = await take.getByRole('link').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    assert.deepEqual(links, ['/progress.xlsx', '/progress/board-pack.pptx'], 'the page links to both downloads');
    await assertOfficeFile(page, '/progress.xlsx', XLSX);
    await assertOfficeFile(page, '/progress/board-pack.pptx', PPTX);
  });
});

test('the Lead of Derby sees Derby\'s progress and is refused Rutland\'s', async (t) => {
  const page = await signedIn(LEAD_DERBY);
  await t.test('/progress lands on Derby', async () => {
    const response = await goto(page, '/progress');
    assert.equal(pathOf(page), '/progress/areas/derby', '/progress goes to Derby\'s page');
    await check(page, response, { who: LEAD_DERBY.name, path: '/progress/areas/derby' });
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Derby');
  });
  await t.test('/progress/areas/rutland is refused', async () => {
    const response = await goto(page, '/progress/areas/rutland');
    await check(page, response, { who: LEAD_DERBY.name, path: '/progress/areas/rutland', label: 'forbidden', status: 403 });
    assert.equal((await page.locator('main h1').innerText()).trim(), 'You do not have permission to see this page');
  });
});
