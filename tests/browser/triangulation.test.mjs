// Issue 15 items 5, 7 and 8 through the real pages: the board opens this year's heat map,
// where the demo's self-assessments meet the real published EHC plan timeliness (Leicestershire
// rates itself typically positive on the right help at the right time while 10th of 10 in the
// region and below England), follows the flagged cell to its section, reads the flag, the
// trend chart and its table, and downloads the area's data pack as slides and as a document.
// The authority page says where the area stands in its region. Every page is scanned with
// axe and measured at 320 px. See README.md in this folder.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { check, goto, newPage, signInAs, url } from './harness.mjs';
import { useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'triangulation' });

const BOARD = { name: 'board', email: 'board@example.org' };

// The demo's current cycle starts in the autumn: before September it is last autumn's.
const NOW = new Date();
const YEAR = NOW.getMonth() >= 8 ? NOW.getFullYear() : NOW.getFullYear() - 1;

const contexts = [];
after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
});

test('the board follows a flag from the heat map to its section and downloads the data pack', async () => {
  const { context, page } = await newPage();
  contexts.push(context);
  await signInAs(page, BOARD);

  const map = `/self-assessment/${YEAR}/heat-map`;
  let response = await goto(page, map);
  await check(page, response, { who: BOARD.name, path: map });
  const cell = page.locator(`a[href="/self-assessment/${YEAR}/areas/leicestershire#right_help"]`);
  assert.match(await cell.innerText(), /Typically positive\s+1 flag/, 'the flag is said in words');

  const area = `/self-assessment/${YEAR}/areas/leicestershire`;
  await cell.click();
  await page.waitForURL(`**${area}#right_help`);
  response = await goto(page, area);
  await check(page, response, { who: BOARD.name, path: area });
  const flags = page.locator('#right_help-flags');
  assert.match(await flags.innerText(), /10th of 10 in the region \(its bottom third\) and below England \(46\.4%\)/);

  const details = page.locator('#right_help-evidence details').first();
  await details.locator('summary').click();
  const chart = details.locator('svg[role="img"]');
  assert.match(await chart.locator('desc').textContent(), /Leicestershire/);
  const table = details.getByRole('table', { name: /Leicestershire: EHC plans issued within 20 weeks \(%\): the figures/ });
  assert.match(await table.innerText(), /2024\s+4\.3%/);
  // The same page with the evidence opened: scanned again (axe and 320 px) as it now shows.
  await check(page, { status: () => 200 }, { who: BOARD.name, path: area, label: 'evidence-open' });

  for (const [file, type] of [
    ['data-pack.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['data-pack.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ]) {
    assert.ok(await page.locator(`a[href="${area}/${file}"]`).isVisible(), `${file} is offered`);
    const download = await page.request.get(url(`${area}/${file}`));
    assert.equal(download.status(), 200, file);
    assert.equal(download.headers()['content-type'], type);
    const body = await download.body();
    assert.equal(body.subarray(0, 2).toString(), 'PK', `${file} is a zip package`);
  }
});

test('the authority page says where the area stands in its region', async () => {
  const { context, page } = await newPage();
  contexts.push(context);
  await signInAs(page, BOARD);
  const response = await goto(page, '/authorities/leicestershire');
  await check(page, response, { who: BOARD.name, path: '/authorities/leicestershire' });
  const table = page.getByRole('table', { name: 'Where Leicestershire stands in its region' });
  assert.match(await table.innerText(), /EHC plans issued within 20 weeks \(%\)\s+4\.3% \(2024\)\s+[\d.]+%\s+46\.4%\s+10th of 10/);
});
