// Browser smoke test: signs in as each demo role in headless Chromium and runs axe-core
// (WCAG 2.2 A and AA) on the public pages, the error states and every page in each role's
// service navigation. Any violation, unexpected status, script error, failed asset or failed
// sign-in fails the test. See README.md in this folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ROLES, assertErrorSummary, check, goto, newPage, signIn, signInAs, submit, url, useDemoServer } from './harness.mjs';

useDemoServer({ screenshots: 'accessibility' });

test('public pages, signed out', async (t) => {
  const { context, page } = await newPage();
  try {
    const pages = [
      ['/', 200], ['/contact', 200], ['/guidance', 200], ['/privacy', 200], ['/accessibility', 200],
      ['/sign-in', 200], ['/reset-password', 200], ['/no-such-page', 404],
    ];
    for (const [p, status] of pages) {
      await t.test(p, async () => {
        const response = await goto(page, p);
        await check(page, response, { who: 'public', path: p, status });
      });
    }
  } finally {
    await context.close();
  }
});

test('error states, signed out', async (t) => {
  const { context, page } = await newPage();
  try {
    await t.test('sign in with a malformed email and no password', async () => {
      const response = await signIn(page, 'not-an-email', '');
      await assertErrorSummary(page, ['email', 'password']);
      await check(page, response, { who: 'public', path: '/sign-in', label: 'invalid', status: 422 });
    });
    await t.test('sign in with a wrong password', async () => {
      const response = await signIn(page, 'reviewer2@example.org', 'not-the-password');
      await assertErrorSummary(page, ['password']);
      assert.equal(await page.locator('#email').inputValue(), 'reviewer2@example.org', 'the email typed is kept');
      assert.equal(await page.locator('#email-error').count(), 0, 'no error on the email field');
      assert.match(await page.locator('#password-error').innerText(), /not correct/);
      await check(page, response, { who: 'public', path: '/sign-in', label: 'wrong-password', status: 422 });
    });
    await t.test('reset password with no email', async () => {
      await goto(page, '/reset-password');
      const response = await submit(page, page.getByRole('button', { name: 'Send a reset link' }));
      await assertErrorSummary(page, ['email']);
      await check(page, response, { who: 'public', path: '/reset-password', label: 'empty', status: 422 });
    });
  } finally {
    await context.close();
  }
});

for (const role of ROLES) {
  test(`${role.name}: dashboard and every page in the navigation`, async (t) => {
    const { context, page } = await newPage();
    try {
      const response = await signInAs(page, role);
      const seen = new Set(['/dashboard']);
      await t.test('/dashboard', async () => {
        await check(page, response, { who: role.name, path: '/dashboard' });
      });
      const links = await page.locator('a.govuk-service-navigation__link').evaluateAll(
        (as) => as.map((a) => new URL(a.href).pathname + new URL(a.href).search),
      );
      assert.ok(links.length > 0, 'the service navigation has links');
      for (const link of links) {
        if (seen.has(link)) continue;
        seen.add(link);
        await t.test(link, async () => {
          const linkResponse = await goto(page, link);
          await check(page, linkResponse, { who: role.name, path: link });
        });
      }

      // One level deeper: the first authority this role can open from the authorities list.
      if (seen.has('/authorities')) {
        await goto(page, '/authorities');
        const detail = await page.locator('main a[href^="/authorities/"]').first().getAttribute('href').catch(() => null);
        if (detail) {
          await t.test(detail, async () => {
            const detailResponse = await goto(page, detail);
            await check(page, detailResponse, { who: role.name, path: detail });
          });
        }
      }

      if (role.name === 'coordinator') {
        await t.test('/admin/staff/invite', async () => {
          const invite = await goto(page, '/admin/staff/invite');
          await check(page, invite, { who: role.name, path: '/admin/staff/invite' });
        });
        await t.test('/admin/staff/invite submitted empty', async () => {
          await goto(page, '/admin/staff/invite');
          const invalid = await submit(page, page.getByRole('button', { name: 'Send invitation' }));
          await page.locator('.govuk-error-summary').waitFor({ state: 'visible' });
          assert.match(await page.title(), /^Error: /);
          await check(page, invalid, { who: role.name, path: '/admin/staff/invite', label: 'empty', status: 422 });
        });
        await t.test('/admin/audit with an impossible date', async () => {
          const audit = await goto(page, '/admin/audit?from=31/02/2026');
          await assertErrorSummary(page, ['from']);
          await check(page, audit, { who: role.name, path: '/admin/audit?from=31/02/2026', label: 'invalid', status: 422 });
        });
      }

      await t.test('sign out', async () => {
        page.problems.length = 0;
        const out = await submit(page, page.getByRole('button', { name: 'Sign out' }));
        assert.equal(new URL(page.url()).pathname, '/', 'signing out goes to the home page');
        assert.equal(out.status(), 200);
        assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'no sign-out button once signed out');
        assert.equal(await page.locator('.app-signed-in-as').count(), 0, 'no "Signed in as" once signed out');
        await goto(page, '/dashboard');
        assert.equal(new URL(page.url()).pathname, '/sign-in', 'the dashboard asks to sign in again');
      });
    } finally {
      await context.close();
    }
  });
}

test('the Lead of Derby is refused the staff list', async () => {
  const { context, page } = await newPage();
  try {
    await signInAs(page, ROLES.find((role) => role.name === 'lead.derby'));
    const response = await goto(page, '/admin/staff');
    await check(page, response, { who: 'lead.derby', path: '/admin/staff', label: 'forbidden', status: 403 });
  } finally {
    await context.close();
  }
});

test('the pool and training pages, with their error states', async (t) => {
  const { context, page } = await newPage();
  const pm = ROLES.find((role) => role.name === 'pm');
  try {
    await signInAs(page, pm);
    await t.test('/pool with an impossible date and a level without a theme', async () => {
      for (const [query, label] of [['?available_on=31/02/2027', 'bad-date'], ['?min_level=strong', 'level-without-theme']]) {
        const response = await goto(page, `/pool${query}`);
        await check(page, response, { who: 'pm', path: '/pool', label, status: 422 });
      }
    });
    await t.test('a member profile, past training without a date, and leaving', async () => {
      await goto(page, '/pool');
      const profile = page.locator('main table a').first();
      assert.ok(await profile.count(), 'the demo pool has members');
      let response = await submit(page, profile);
      await check(page, response, { who: 'pm', path: '/pool/members/id' });
      const memberPath = new URL(page.url()).pathname;
      response = await submit(page, page.getByRole('button', { name: 'Record training' }));
      await check(page, response, { who: 'pm', path: '/pool/members/id', label: 'trained-without-date', status: 422 });
      await goto(page, memberPath);
      await page.getByLabel('Left the pool').check();
      response = await submit(page, page.getByRole('button', { name: 'Change status' }));
      await check(page, response, { who: 'pm', path: '/pool/members/id', label: 'confirm-leaving' });
    });
    await t.test('/training/new submitted empty', async () => {
      let response = await goto(page, '/training/new');
      await check(page, response, { who: 'pm', path: '/training/new' });
      response = await submit(page, page.getByRole('button', { name: 'Create session' }));
      await check(page, response, { who: 'pm', path: '/training/new', label: 'empty', status: 422 });
    });
  } finally {
    await context.close();
  }
});

test("a reviewer's own profile, with its error state", async () => {
  const { context, page } = await newPage();
  try {
    await signInAs(page, ROLES.find((role) => role.name === 'reviewer1'));
    let response = await goto(page, '/my-profile');
    await check(page, response, { who: 'reviewer1', path: '/my-profile' });
    assert.ok(await page.getByRole('button', { name: 'Change your profile' }).count(), 'reviewer1 is a pool member in the demo');
    response = await goto(page, '/my-profile/edit');
    await check(page, response, { who: 'reviewer1', path: '/my-profile/edit' });
    await page.getByLabel('Full name').fill('');
    response = await submit(page, page.getByRole('button', { name: 'Save changes' }));
    await check(page, response, { who: 'reviewer1', path: '/my-profile/edit', label: 'no-name', status: 422 });
  } finally {
    await context.close();
  }
});

test('challenge pages in every state, with their error states', async (t) => {
  const { context, page } = await newPage();
  try {
    await signInAs(page, ROLES.find((role) => role.name === 'coordinator'));
    await goto(page, '/challenges');
    const challenges = await page.locator('main table a[href^="/challenges/"]').evaluateAll(
      (as) => as.map((a) => new URL(a.href).pathname),
    );
    assert.ok(challenges.length > 0, 'the demo has challenges');
    for (const challenge of challenges) {
      for (const sub of ['', '/kloes', '/team']) {
        await t.test(`${challenge}${sub}`, async () => {
          const response = await goto(page, `${challenge}${sub}`);
          await check(page, response, { who: 'coordinator', path: `/challenges/id${sub}` });
        });
      }
    }
    await t.test('a cancel submitted without a reason', async () => {
      await goto(page, '/challenges?state=scoping');
      const open = await page.locator('main table a[href^="/challenges/"]').first().getAttribute('href');
      assert.ok(open, 'the demo has a challenge in scoping');
      let response = await goto(page, `${open}/cancel`);
      await check(page, response, { who: 'coordinator', path: '/challenges/id/cancel' });
      response = await submit(page, page.getByRole('button', { name: 'Cancel the challenge' }));
      await check(page, response, { who: 'coordinator', path: '/challenges/id/cancel', label: 'empty', status: 422 });
    });
    await t.test('/challenges/id/visit submitted with an impossible date', async () => {
      let response = await goto(page, `${challenges[0]}/visit`);
      await check(page, response, { who: 'coordinator', path: '/challenges/id/visit' });
      await page.locator('#visit_date-day').fill('31');
      await page.locator('#visit_date-month').fill('2');
      await page.locator('#visit_date-year').fill('2030');
      response = await submit(page, page.getByRole('button', { name: 'Save the visit' }));
      await check(page, response, { who: 'coordinator', path: '/challenges/id/visit', label: 'bad-date', status: 422 });
    });
  } finally {
    await context.close();
  }
});

test("an LA lead's request form, empty and with errors", async () => {
  const { context, page } = await newPage();
  try {
    await signInAs(page, ROLES.find((role) => role.name === 'lead.derby'));
    let response = await goto(page, '/challenges/new');
    await check(page, response, { who: 'lead.derby', path: '/challenges/new' });
    response = await submit(page, page.getByRole('button', { name: 'Send request' }));
    await check(page, response, { who: 'lead.derby', path: '/challenges/new', label: 'empty', status: 422 });
  } finally {
    await context.close();
  }
});
