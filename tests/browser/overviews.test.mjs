// The programme overviews through the real pages: the board follows the regional progress page
// to its list of thematic events and biennial cycles, opens a past event and the 2024 cycle and
// downloads each overview as .docx and .pptx; Derby's LA lead reads the area page's events and
// cycles. Every page is scanned with axe and measured at 320 px. See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';

import { check, goto, newPage, signInAs, submit } from './harness.mjs';
import { useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'overviews' });

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

const pathOf = (page) => new URL(page.url()).pathname;

/** Click a download link; the file must be an Office zip of some size with the right name. */
async function download(page, link, extension) {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(file.suggestedFilename(), new RegExp(`^overview-[a-z0-9-]+\\.${extension}$`));
  const path = await file.path();
  assert.ok(statSync(path).size > 5000, `${file.suggestedFilename()} has content`);
  assert.equal(readFileSync(path).subarray(0, 2).toString(), 'PK', 'a zip package');
}

test('the board opens an event and a cycle from its list and downloads their overviews', async () => {
  const page = await signedIn(BOARD);
  let response = await goto(page, '/progress');
  await check(page, response, { who: BOARD.name, path: '/progress' });
  response = await submit(page, page.getByRole('link', { name: 'Thematic events and biennial cycles, with their overviews' }));
  assert.equal(pathOf(page), '/progress/programmes');
  await check(page, response, { who: BOARD.name, path: '/progress/programmes' });

  const eventDocx = page.locator('a[href^="/events/"][href$="/overview.docx"]').first();
  const eventHref = (await eventDocx.getAttribute('href')).replace('/overview.docx', '');
  const cycleDocx = page.locator('a[href^="/biennial/"][href$="/overview.docx"]').first();
  const cycleHref = (await cycleDocx.getAttribute('href')).replace('/overview.docx', '');

  await page.getByLabel('Programme').selectOption('thematic');
  response = await submit(page, page.getByRole('button', { name: 'Show next steps' }));
  await check(page, response, { who: BOARD.name, path: '/progress/programmes', label: 'thematic' });
  assert.equal(await page.locator('a[href^="/biennial/"]').count(), 0, 'the filter leaves the cycles out');

  response = await goto(page, eventHref);
  await check(page, response, { who: BOARD.name, path: '/events/id', label: 'published overview' });
  await download(page, page.getByRole('link', { name: 'Download the overview as a Word document (.docx)' }), 'docx');
  await download(page, page.getByRole('link', { name: 'Download the overview as slides (.pptx)' }), 'pptx');

  response = await goto(page, cycleHref);
  await check(page, response, { who: BOARD.name, path: '/biennial/id', label: 'published overview' });
  await download(page, page.getByRole('link', { name: 'Download the overview as a Word document (.docx)' }), 'docx');
  await download(page, page.getByRole('link', { name: 'Download the overview as slides (.pptx)' }), 'pptx');
});

test("Derby's lead reads the events and cycles on its area page", async () => {
  const page = await signedIn(LEAD);
  const response = await goto(page, '/authorities/derby');
  await check(page, response, { who: LEAD.name, path: '/authorities/derby', label: 'programmes' });
  assert.ok(await page.getByRole('heading', { name: 'Thematic events' }).isVisible());
  assert.ok(await page.getByRole('heading', { name: 'Biennial peer challenges' }).isVisible());
  assert.ok((await page.locator('main a[href^="/events/"]').count()) > 0, 'its events, linked');
  assert.ok((await page.locator('main a[href^="/biennial/"]').count()) > 0, 'its cycles, linked');
  assert.ok(await page.getByText('Its team challenged').first().isVisible());
});
