// DashboardBrowserIT's browser half: drives /dashboard/ in Debian's Chromium as a person would (labels,
// button names, the keyboard) and writes down what the page showed and did, as JSON, for the Java test to
// judge. Never downloads a browser. Waits only on the page's own signals (locators, responses).
//
// Environment: BASE (the service's origin), STORE, KEY, OUT (the JSON written), SCREENSHOT (a PNG path).
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const BASE = process.env.BASE;
const STORE = process.env.STORE;
const KEY = process.env.KEY;
const TIMEOUT = 30000;

async function rows(page, selector) {
  return page.locator(selector + ' tbody tr').evaluateAll(trs =>
    trs.map(tr => Array.from(tr.cells, c => c.textContent.trim())));
}

async function metrics(page) {
  return page.locator('[data-metric]').evaluateAll(els =>
    Object.fromEntries(els.map(e => [e.dataset.metric, e.textContent.trim()])));
}

// Does what asks for the figures, then waits until the page says it has shown them (or failed: then fails
// with what the page said). The page marks itself busy before it sends anything, so once the insights
// answer is in, an earlier message can no longer be mistaken for this one.
async function loaded(page, action, text) {
  const answer = page.waitForResponse(r => r.url().includes('/insights?') && r.url().includes('by=source'));
  await action();
  await answer;
  const done = page.locator('#messages[data-state="done"]', text ? { hasText: text } : {});
  await done.or(page.locator('#messages[data-state="error"]')).waitFor();
  if (!(await done.isVisible())) {
    throw new Error('the page said: ' + (await page.locator('#messages').textContent()));
  }
}

(async () => {
  const seen = { requests: [], responses: [], console: [], pageErrors: [], phase: 'load' };
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    // far from UTC on purpose: the page's days are UTC days whatever the browser's zone
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US', timezoneId: 'Pacific/Kiritimati' });
    context.setDefaultTimeout(TIMEOUT);
    await context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation',
        e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    });
    const page = await context.newPage();
    page.on('request', r => seen.requests.push({
      phase: seen.phase, method: r.method(), url: r.url(), authorization: r.headers()['authorization'] || null,
    }));
    page.on('response', r => seen.responses.push({
      url: r.url(), status: r.status(), authorization: r.request().headers()['authorization'] || null,
    }));
    page.on('console', m => seen.console.push({ phase: seen.phase, type: m.type(), text: m.text() }));
    page.on('pageerror', e => seen.pageErrors.push(e.message));

    const out = {};
    // the address without its slash, as people type it
    const opened = await page.goto(BASE + '/dashboard', { waitUntil: 'load' });
    out.openedUrl = page.url();
    out.redirectedFrom = opened.request().redirectedFrom() ? opened.request().redirectedFrom().url() : null;
    out.pageStatus = opened.status();
    out.pageHeaders = await opened.allHeaders();
    out.defaultFrom = await page.getByLabel('From', { exact: true }).inputValue();
    out.defaultTo = await page.getByLabel('To', { exact: true }).inputValue();
    out.keyFieldType = await page.getByLabel('API key', { exact: true }).getAttribute('type');

    // a wrong key: told in words, in the live region
    seen.phase = 'wrong-key';
    await page.getByLabel('Store', { exact: true }).fill(STORE);
    await page.getByLabel('API key', { exact: true }).fill('not-' + KEY);
    // the page asks for three things at once; all three are refused
    const refused = ['by=source', 'by=day', '/sessions?'].map(part =>
      page.waitForResponse(r => r.url().includes(part) && r.status() === 401));
    await page.getByLabel('API key', { exact: true }).press('Enter');
    await Promise.all(refused);
    const messages = page.locator('#messages');
    await page.locator('#messages[data-state="error"]').waitFor();
    out.wrongKeyMessage = (await messages.textContent()).trim();
    out.messagesLive = await messages.getAttribute('aria-live');

    // the right key, submitted with the keyboard
    seen.phase = 'first-touch';
    await page.getByLabel('API key', { exact: true }).fill(KEY);
    await loaded(page, () => page.getByLabel('API key', { exact: true }).press('Enter'));
    out.firstTouch = {
      message: (await messages.textContent()).trim(),
      metrics: await metrics(page),
      withItemsRate: (await page.locator('#withItemsRate').textContent()).trim(),
      sources: await rows(page, '#sources'),
      days: await rows(page, '#days'),
      chartCanvases: await page.locator('#chart canvas').count(),
      carts: await rows(page, '#carts'),
      cartKeys: await page.locator('#carts tbody tr').evaluateAll(trs => trs.map(tr => tr.dataset.session)),
    };

    // last touch, with the button
    seen.phase = 'last-touch';
    await page.getByLabel('Attribution', { exact: true }).selectOption('last');
    await loaded(page, () => page.getByRole('button', { name: 'Show', exact: true }).click(), '(last touch)');
    out.lastTouch = { metrics: await metrics(page), sources: await rows(page, '#sources') };

    // a recovery link for the cart with the most value
    seen.phase = 'recovery';
    const cart = out.firstTouch.cartKeys[0];
    await page.getByRole('button', { name: 'Create link for ' + cart, exact: true }).click();
    const link = page.getByRole('textbox', { name: /^Recovery (link|token) for / });
    await link.waitFor();
    out.recovery = {
      cart,
      label: await link.getAttribute('aria-label'),
      value: await link.inputValue(),
      readOnly: await link.evaluate(e => e.readOnly),
      focused: await link.evaluate(e => e === document.activeElement),
      message: (await messages.textContent()).trim(),
    };
    if (process.env.SCREENSHOT) {
      await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    }

    seen.phase = 'storage';
    out.storage = await page.evaluate(() => ({
      session: Object.fromEntries(Object.entries(sessionStorage)),
      local: Object.fromEntries(Object.entries(localStorage)),
      documentCookie: document.cookie,
      url: location.href,
    }));
    out.cookies = await context.cookies();
    out.violations = await page.evaluate(() => window.__violations);

    // a reload keeps the store and key for this tab
    seen.phase = 'reload';
    await page.reload({ waitUntil: 'load' });
    out.afterReload = {
      store: await page.getByLabel('Store', { exact: true }).inputValue(),
      key: await page.getByLabel('API key', { exact: true }).inputValue(),
    };
    out.violations = out.violations.concat(await page.evaluate(() => window.__violations));

    Object.assign(out, seen);
    fs.writeFileSync(process.env.OUT, JSON.stringify(out, null, 2));
  } finally {
    await browser.close();
  }
})().catch(e => {
  console.error(e && e.stack || e);
  process.exit(1);
});
