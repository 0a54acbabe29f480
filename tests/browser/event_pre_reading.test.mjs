// A thematic event's pre-reading through the real pages: the co-ordinator opens the coming demo
// event's KLOE page, sees its pre-reading PDF, meets the upload's error (a program renamed .pdf),
// uploads a plain-text file and sees it listed with a link to remove it; Derby's LA lead and the
// board see both files to download and no upload; the co-ordinator then removes the text file
// through its confirmation page. Every page is scanned with axe and measured at 320 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { check, goto, newPage, signInAs, submit, assertErrorSummary, url } from './harness.mjs';
import { useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'event_pre_reading' });

const COORDINATOR = { name: 'coordinator', email: 'coordinator@example.org' };
const LEAD = { name: 'lead.derby', email: 'lead.derby@example.org' };
const BOARD = { name: 'board', email: 'board@example.org' };
const TITLE = 'Emotional wellbeing and mental health';

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

const journey = { kloes: '' };

test('the co-ordinator uploads pre-reading on the coming event\'s KLOE page', async () => {
  const page = await signedIn(COORDINATOR);
  await goto(page, '/events');
  const href = await page.getByRole('link', { name: TITLE }).first().getAttribute('href');
  journey.kloes = `${href}/kloes`;
  let response = await goto(page, journey.kloes);
  await check(page, response, { who: COORDINATOR.name, path: journey.kloes });
  assert.equal(await page.getByRole('link', { name: 'SEMH pre-reading.pdf', exact: true }).count(), 1);

  await page.getByLabel('Upload a pre-reading file').setInputFiles({
    name: 'Agenda.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf'),
  });
  response = await submit(page, page.getByRole('button', { name: 'Upload the file' }));
  await assertErrorSummary(page, ['file']);
  await check(page, response, { who: COORDINATOR.name, path: journey.kloes, label: 'errors', status: 422 });

  await page.getByLabel('Upload a pre-reading file').setInputFiles({
    name: 'Questions to bring.txt', mimeType: 'text/plain',
    buffer: Buffer.from('Bring your waiting times for SEMH support, by month.\n'),
  });
  response = await submit(page, page.getByRole('button', { name: 'Upload the file' }));
  await check(page, response, { who: COORDINATOR.name, path: journey.kloes, label: 'uploaded' });
  assert.equal(await page.getByRole('link', { name: 'Questions to bring.txt', exact: true }).count(), 1);
  assert.equal(await page.getByRole('link', { name: 'Remove Questions to bring.txt' }).count(), 1);
});

test('Derby\'s LA lead and the board see the files, with no upload', async () => {
  for (const role of [LEAD, BOARD]) {
    const page = await signedIn(role);
    const response = await goto(page, journey.kloes);
    await check(page, response, { who: role.name, path: journey.kloes });
    assert.equal(await page.getByRole('link', { name: 'SEMH pre-reading.pdf', exact: true }).count(), 1);
    assert.equal(await page.getByRole('link', { name: 'Questions to bring.txt', exact: true }).count(), 1);
    assert.equal(await page.getByLabel('Upload a pre-reading file').count(), 0);
    const download = await page.request.get(url(await page.getByRole('link', { name: 'SEMH pre-reading.pdf', exact: true }).getAttribute('href')));
    assert.equal(download.status(), 200);
    assert.match((await download.body()).subarray(0, 8).toString(), /^%PDF-1\.4/);
  }
});

test('the co-ordinator removes a file after confirming', async () => {
  const page = await signedIn(COORDINATOR);
  await goto(page, journey.kloes);
  let response = await submit(page, page.getByRole('link', { name: 'Remove Questions to bring.txt' }));
  const confirm = new URL(page.url()).pathname;
  await check(page, response, { who: COORDINATOR.name, path: confirm });
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Are you sure you want to remove this file?');
  assert.match(await page.locator('.govuk-summary-list').textContent(), /Questions to bring\.txt/);

  response = await submit(page, page.getByRole('button', { name: 'Remove file' }));
  await check(page, response, { who: COORDINATOR.name, path: journey.kloes, label: 'removed' });
  assert.equal(new URL(page.url()).pathname, journey.kloes);
  assert.equal(await page.getByRole('link', { name: 'Questions to bring.txt', exact: true }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'SEMH pre-reading.pdf', exact: true }).count(), 1);
});
