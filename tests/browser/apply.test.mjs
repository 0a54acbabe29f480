// The application to join the pool, in a browser with JavaScript turned off: a parent carer
// and an under-18 young ambassador apply, meet each validation message, and the project
// manager approves; the emails are read from the demo's outbox. Every page, including each
// error state, is scanned with axe. See README.md in this folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { checkWithoutJavaScript, emailsTo, goto, newPage, signIn, submit, url, useDemoServer } from './harness.mjs';

// Sweep the outbox every second, so emails arrive while the test waits for them.
useDemoServer({ screenshots: 'apply', env: { PEER_CHALLENGE_MAIL__POLL_SECONDS: '1' } });

const who = 'applicant';

async function continueFrom(page) {
  return submit(page, page.getByRole('button', { name: 'Continue' }));
}

async function expectPath(page, pathname) {
  assert.equal(new URL(page.url()).pathname, pathname);
}

/** The pages every applicant answers after their name, role (and age). */
async function answerCommonPages(page) {
  await page.getByLabel('Employer or organisation').fill('Rutland Parent Carer Forum');
  await page.getByLabel('Which local authority area do you work or live in?').selectOption({ label: 'Rutland' });
  await continueFrom(page);
  await expectPath(page, '/apply/themes');
  await page.getByRole('group', { name: /Quality of EHC plans/ }).getByLabel('Strong knowledge').check();
  await page.getByRole('group', { name: /Co-production with families/ }).getByLabel('Specialist').check();
  await continueFrom(page);
  await continueFrom(page); // experience is optional
  await page.getByLabel('Yes, I would like training first').check();
  await continueFrom(page);
  await page.getByLabel('No, I can travel to some areas').check();
  await page.getByLabel('Leicestershire').check();
  await continueFrom(page);
  await expectPath(page, '/apply/dates');
  await continueFrom(page);
  await continueFrom(page); // no conflicts
  await continueFrom(page); // no adjustments
  await page.getByLabel(/I have read the privacy notice/).check();
  const check = await continueFrom(page);
  await expectPath(page, '/apply/check');
  return check;
}

test('a parent carer applies with JavaScript off and the project manager approves', async () => {
  const { context, page } = await newPage({ javaScript: false });
  try {
    let response = await goto(page, '/apply');
    await checkWithoutJavaScript(page, response, { who, path: '/apply' });
    response = await submit(page, page.getByRole('button', { name: /Start now/ }));
    await checkWithoutJavaScript(page, response, { who, path: '/apply/name' });

    await page.getByLabel('Full name').fill('Jo Browser');
    await page.getByLabel('Email address').fill('jo.browser@example');
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/name', label: 'bad-email', status: 422 });
    assert.match(await page.locator('#email-error').innerText(), /correct format/);
    assert.equal(await page.getByLabel('Full name').inputValue(), 'Jo Browser', 'answers survive an error');
    await page.getByLabel('Email address').fill('jo.browser@example.org');
    await continueFrom(page);

    await submit(page, page.getByRole('link', { name: 'Back' }));
    await expectPath(page, '/apply/name');
    assert.equal(await page.getByLabel('Email address').inputValue(), 'jo.browser@example.org', 'answers survive going back');
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/role' });
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/role', label: 'nothing-chosen', status: 422 });
    await page.getByLabel('Parent or carer').check();
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/organisation' });

    await page.getByLabel('Employer or organisation').fill('Rutland Parent Carer Forum');
    await page.getByLabel('Which local authority area do you work or live in?').selectOption({ label: 'Rutland' });
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/themes' });
    await page.getByRole('group', { name: /Quality of EHC plans/ }).getByLabel('Strong knowledge').check();
    await continueFrom(page);
    await checkWithoutJavaScript(page, await goto(page, '/apply/experience'), { who, path: '/apply/experience' });
    await continueFrom(page);
    await checkWithoutJavaScript(page, await goto(page, '/apply/training'), { who, path: '/apply/training' });
    await page.getByLabel('No, I am ready to take part').check();
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/participation' });
    await page.getByLabel('No, I can travel to some areas').check();
    await page.getByLabel('Derby', { exact: true }).check();
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/dates' });

    // An end date before the start date.
    const first = page.getByRole('group', { name: 'Period 1: first day' });
    const last = page.getByRole('group', { name: 'Period 1: last day' });
    await first.getByLabel('Day').fill('20');
    await first.getByLabel('Month').fill('8');
    await first.getByLabel('Year').fill('2027');
    await last.getByLabel('Day').fill('1');
    await last.getByLabel('Month').fill('8');
    await last.getByLabel('Year').fill('2027');
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/dates', label: 'end-before-start', status: 422 });
    assert.match(await page.locator('#unavailable-0-end-error').innerText(), /end date must be the same as or after the start date/);
    assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#unavailable-0-end-day');
    assert.equal(await first.getByLabel('Day').inputValue(), '20', 'the dates typed are kept');
    await last.getByLabel('Day').fill('31');
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/conflicts' });
    await continueFrom(page);
    await checkWithoutJavaScript(page, await goto(page, '/apply/adjustments'), { who, path: '/apply/adjustments' });
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/privacy' });
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/privacy', label: 'not-agreed', status: 422 });
    await page.getByLabel(/I have read the privacy notice/).check();
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/check' });
    assert.match(await page.locator('main').innerText(), /31\/8\/2027/);

    response = await submit(page, page.getByRole('button', { name: 'Accept and send' }));
    await checkWithoutJavaScript(page, response, { who, path: '/apply/confirmation' });
    const reference = (await page.locator('.govuk-panel__body strong').innerText()).trim();
    assert.match(reference, /^PC-[A-Z0-9]{6}$/);
    const [acknowledgement] = await emailsTo('jo.browser@example.org');
    assert.ok(acknowledgement.subject.includes(reference), 'the applicant is emailed their reference');

    // The project manager approves it.
    const { context: pmContext, page: pm } = await newPage({ javaScript: false });
    try {
      await signIn(pm, 'pm@example.org', 'peer-challenge-demo');
      response = await goto(pm, '/pool/applications');
      await checkWithoutJavaScript(pm, response, { who: 'pm', path: '/pool/applications' });
      response = await submit(pm, pm.getByRole('link', { name: reference }));
      await checkWithoutJavaScript(pm, response, { who: 'pm', path: '/pool/applications/id' });
      response = await submit(pm, pm.getByRole('button', { name: 'Decline application' }));
      await checkWithoutJavaScript(pm, response, { who: 'pm', path: '/pool/applications/id', label: 'decline-without-reason', status: 422 });
      response = await submit(pm, pm.getByRole('button', { name: 'Approve' }));
      await checkWithoutJavaScript(pm, response, { who: 'pm', path: '/pool/applications', label: 'approved' });
      assert.match(await pm.locator('.govuk-notification-banner').innerText(), /approved/);
    } finally {
      await pmContext.close();
    }
    const emails = await emailsTo('jo.browser@example.org', { count: 2 });
    const welcome = emails.find((email) => email.subject.includes('Welcome'));
    assert.ok(welcome, 'the applicant is emailed when approved');
    assert.match(welcome.body, /\/set-password\//, 'with an invitation to set up their account');
  } finally {
    await context.close();
  }
});

test('an under-18 young ambassador needs a parent or carer to consent', async () => {
  const { context, page } = await newPage({ javaScript: false });
  try {
    await goto(page, '/apply/name');
    await page.getByLabel('Full name').fill('Sam Young');
    await page.getByLabel('Email address').fill('sam.young@example.org');
    await continueFrom(page);
    await page.getByLabel('Young ambassador').check();
    let response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/age' });
    await page.getByLabel('16 or 17').check();
    response = await continueFrom(page);
    await checkWithoutJavaScript(page, response, { who, path: '/apply/age', label: 'missing-consent', status: 422 });
    assert.match(await page.locator('#guardian_email-error').innerText(), /consent/);
    await page.getByLabel("Your parent or carer's email address").fill('carer.young@example.org');
    await continueFrom(page);
    await answerCommonPages(page);
    await submit(page, page.getByRole('button', { name: 'Accept and send' }));
    await expectPath(page, '/apply/confirmation');

    const [request] = await emailsTo('carer.young@example.org');
    const link = request.body.match(/http:\/\/\S+\/apply\/consent\/\S+/)?.[0];
    assert.ok(link, 'the parent or carer is emailed a consent link');
    const { context: carerContext, page: carer } = await newPage({ javaScript: false });
    try {
      response = await goto(carer, new URL(link).pathname);
      await checkWithoutJavaScript(carer, response, { who: 'carer', path: '/apply/consent' });
      response = await submit(carer, carer.getByRole('button', { name: 'I give my consent' }));
      await checkWithoutJavaScript(carer, response, { who: 'carer', path: '/apply/consent', label: 'given' });
      assert.match(await carer.locator('h1').innerText(), /Thank you/);
    } finally {
      await carerContext.close();
    }
  } finally {
    await context.close();
  }
});

test('the public navigation offers the application', async () => {
  const { context, page } = await newPage({ javaScript: false });
  try {
    await page.goto(url('/'));
    await submit(page, page.getByRole('link', { name: 'Join the pool' }));
    await expectPath(page, '/apply');
  } finally {
    await context.close();
  }
});
