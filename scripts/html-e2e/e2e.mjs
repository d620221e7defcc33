// Headless-Chromium test of faasguard's HTML report.
//
//   node e2e.mjs REPORT.html HOSTILE.html SCREENSHOT.png
//
// REPORT is the insecure example's report: the graph must have nodes,
// clicking a node must show its findings, the severity and family filters
// must hide findings, and no console error may occur; a screenshot is
// saved. HOSTILE is the report of a repo whose names are HTML and script:
// no dialog may open and no injected element may appear.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [report, hostile, shot] = process.argv.slice(2);
if (!report || !hostile || !shot) {
  console.error('usage: node e2e.mjs REPORT.html HOSTILE.html SCREENSHOT.png');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
let failures = 0, passes = 0;
function check(ok, what, detail) {
  if (ok) { passes++; console.log('ok   ' + what); }
  else { failures++; console.log('FAIL ' + what + (detail !== undefined ? ': ' + JSON.stringify(detail) : '')); }
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1480, height: 1180 }, deviceScaleFactor: 1 });
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('dialog', async (d) => { errors.push('dialog: ' + d.message()); await d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });

  const t0 = Date.now();
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  const wall = Date.now() - t0;
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd) };
  });
  const scriptMs = await page.evaluate(() => document.documentElement.getAttribute('data-render-ms'));
  console.log(`render (cold): report script ${scriptMs} ms, DOMContentLoaded ${timing.domContentLoaded} ms, load ${timing.load} ms, navigation to ready (wall) ${wall} ms`);
  const t1 = Date.now();
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  const warm = await page.evaluate(() => ({ script: document.documentElement.getAttribute('data-render-ms'),
    dcl: Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd) }));
  console.log(`render (warm): report script ${warm.script} ms, DOMContentLoaded ${warm.dcl} ms, navigation to ready (wall) ${Date.now() - t1} ms`);

  const data = await page.evaluate(() => JSON.parse(document.getElementById('fg-data').textContent));
  const nodes = await page.locator('#graph g.node').count();
  check(nodes > 0 && nodes === data.graph.nodes.length, `graph draws its ${data.graph.nodes.length} nodes`, nodes);
  check(await page.locator('#graph path.edge').count() === data.graph.edges.length, 'graph draws every edge');
  check(await page.locator('#graph g.node.risky').count() > 0, 'risky nodes are highlighted');
  check(await page.locator('#graph path.edge.loop').count() > 0, 'the recursive loop is drawn');
  const cards = () => page.locator('#findings details.finding:not([hidden])').count();
  const total = data.findings.length;
  check(await cards() === total && total > 0, `all ${total} findings listed`, await cards());
  check(await page.locator('#findings details.finding pre.snippet').count() === data.findings.filter((f) => f.snippet).length, 'findings carry their code snippets');

  // Click the function with the most findings: the panel lists them and
  // the list narrows to them.
  const fnNode = data.graph.nodes.filter((n) => n.kind === 'function').sort((a, b) => (b.findings || []).length - (a.findings || []).length)[0];
  await page.locator(`#graph g.node[data-id="${fnNode.id}"]`).click();
  const panelItems = await page.locator('#node-panel #node-findings .node-finding').count();
  check(panelItems === fnNode.findings.length && panelItems > 0, `clicking node ${fnNode.label} shows its ${fnNode.findings.length} findings`, panelItems);
  check((await page.locator('#node-name').textContent()) === (fnNode.title || fnNode.label), 'the panel names the node');
  check(await cards() === fnNode.findings.length, 'the findings list narrows to the node', await cards());
  // A click on a finding in the panel opens it in the list.
  await page.locator('#node-panel #node-findings .node-finding').first().click();
  check(await page.locator('#findings details.finding[open]').count() === 1, 'a finding clicked in the panel opens in the list');
  await page.waitForTimeout(700); // the smooth scroll and the highlight
  const opened = page.locator('#findings details.finding[open]');
  check(await opened.locator('pre.snippet span.hit').count() === 1, 'the opened finding shows its snippet with the line marked');
  await page.evaluate(() => document.querySelectorAll('.flash').forEach((e) => e.classList.remove('flash')));
  await opened.screenshot({ path: shot.replace(/\.png$/, '') + '-finding.png' });
  await page.locator('#surface').screenshot({ path: shot.replace(/\.png$/, '') + '-selected.png' });
  await page.locator('#node-panel button', { hasText: 'Clear selection' }).click();
  check(await cards() === total, 'clearing the selection shows every finding again');

  // Severity filter: switching "critical" off hides exactly the critical findings.
  const crit = data.findings.filter((f) => f.severity === 'critical').length;
  await page.locator('#sev-chips .chip[data-sev="critical"]').click();
  check(await cards() === total - crit && crit > 0, `the severity filter hides the ${crit} critical findings`, await cards());
  check(await page.locator('#findings details.finding[data-severity="critical"]:not([hidden])').count() === 0, 'no critical finding stays visible');
  check((await page.locator('#shown-count').textContent()) === `showing ${total - crit} of ${total}`, 'the count follows the filter');
  await page.locator('#sev-chips .chip[data-sev="critical"]').click();

  // Family filter.
  const fam = data.findings[0].family;
  await page.locator('#f-family').selectOption(fam);
  check(await cards() === data.findings.filter((f) => f.family === fam).length, `the family filter keeps only ${fam}`);
  await page.locator('#f-family').selectOption('');
  // Search box.
  await page.locator('#q').fill(data.findings[0].rule);
  check(await cards() === data.findings.filter((f) => (f.rule + ' ' + f.title + ' ' + f.message + ' ' + (f.function || '') + ' ' + (f.resource || '') + ' ' + f.file).toLowerCase().includes(data.findings[0].rule.toLowerCase())).length, 'the search box filters');
  await page.locator('#q').fill('');

  check(errors.length === 0, 'no console error, warning or dialog', errors);
  check(requests.length === 0, 'no network request', requests);

  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
  await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1480, height: 1180 } });
  console.log('screenshot: ' + shot);

  // The hostile report: names of HTML and script stay text.
  const hp = await browser.newPage();
  const herr = [];
  hp.on('dialog', async (d) => { herr.push('dialog: ' + d.message()); await d.dismiss(); });
  hp.on('pageerror', (e) => herr.push('pageerror: ' + e.message));
  hp.on('console', (m) => { if (m.type() === 'error') herr.push(m.text()); });
  await hp.goto(pathToFileURL(hostile).href, { waitUntil: 'load' });
  await hp.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  // Open every finding and click every node, so every string gets shown.
  await hp.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  for (const n of await hp.locator('#graph g.node').all()) await n.click();
  await hp.waitForTimeout(300);
  const injected = await hp.evaluate(() => document.querySelectorAll('main img, main iframe, main svg:not(#graph), #graph foreignObject, main script').length);
  check(injected === 0, 'hostile names inject no element', injected);
  const text = await hp.evaluate(() => document.body.innerText);
  check(text.includes("<script>alert('fn')</script>"), 'hostile names are shown as text');
  check(herr.length === 0, 'hostile report: no dialog and no error', herr);
} finally {
  await browser.close();
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
