// Opens a dicometl report in the system's headless Chromium (Debian `chromium`) through
// playwright-core: no console error, no request but the file itself, every chart followed by its
// table, no horizontal scrolling on a laptop screen, no chart text cut off by its drawing's edge
// or drawn larger than the page's text; saves a screenshot and a print PDF.
//   node browser_check.js REPORT.html ARTIFACT_DIR NAME   (a NAME with "empty": an empty catalog)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [reportPath, artifactDir, name] = process.argv.slice(2);
const failures = [];
function check(what, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
  if (!ok) failures.push(what);
}

(async () => {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dicometl-report-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },  // a common laptop screen
  });
  const requests = [], consoleErrors = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const url = 'file://' + path.resolve(reportPath);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(300);  // let any late fetch show up

  check('no console errors or warnings', consoleErrors.length === 0, consoleErrors);
  check('no network request but the file itself', requests.every((u) => u === url), requests);
  const facts = await page.evaluate(() => {
    const cards = [...document.querySelectorAll('section.card')];
    return {
      title: document.title,
      cards: cards.length,
      charts: document.querySelectorAll('svg.chart').length,
      chartsWithTitle: [...document.querySelectorAll('svg.chart')].filter((s) => s.querySelector('title')?.textContent).length,
      chartWithoutTable: cards.filter((c) => c.querySelector('svg.chart') && !c.querySelector('table')).map((c) => c.id),
      scripts: document.scripts.length,
      images: document.images.length,
      overflowX: document.documentElement.scrollWidth - window.innerWidth,
      text: document.body.innerText,
      // Chart text outside the SVG's viewBox is cut off; text scaled up with a drawing that is
      // narrower than its card grows past the page's own font size.
      clipped: [...document.querySelectorAll('svg.chart')].flatMap((svg) => {
        const box = svg.getBoundingClientRect();  // an SVG cuts what lies outside its box
        return [...svg.querySelectorAll('text')].filter((t) => {
          const r = t.getBoundingClientRect();
          return r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1;
        }).map((t) => `${svg.querySelector('title')?.textContent}: ${t.textContent}`);
      }),
      oversized: [...document.querySelectorAll('svg.chart')].map((svg) => ({
        chart: svg.querySelector('title')?.textContent,
        scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
      })).filter((c) => c.scale > 1.25),
      emptyTables: [...document.querySelectorAll('table')].filter((t) => !t.tBodies[0]?.rows.length).length,
      leads: Object.fromEntries(cards.map((c) => [c.id, c.querySelector('p.lead')?.textContent || ''])),
    };
  });
  check('page title', facts.title === 'DICOM archive report', facts.title);
  const empty = name.includes('empty');
  if (empty) {
    check('empty catalog: no chart', facts.charts === 0, facts.charts);
    check('empty catalog: every section says why in words',
          Object.values(facts.leads).every((l) => l.startsWith('No') || l.startsWith('None')), facts.leads);
  } else {
    check('at least 10 sections with charts', facts.cards >= 10 && facts.charts >= 9,
          { cards: facts.cards, charts: facts.charts });
  }
  check('no chart text cut off at the drawing edge', facts.clipped.length === 0, facts.clipped);
  check('chart text not scaled past the page font', facts.oversized.length === 0, facts.oversized);
  check('no table with a bare header', facts.emptyTables === 0, facts.emptyTables);
  check('every chart has an accessible title', facts.chartsWithTitle === facts.charts);
  check('a table under every chart', facts.chartWithoutTable.length === 0, facts.chartWithoutTable);
  check('no script and no image element (nothing injected)', facts.scripts === 0 && facts.images === 0);
  check('no horizontal scrolling at 1366 px', facts.overflowX <= 0, facts.overflowX);
  for (const h of ['Instances per study', 'Slice thickness', 'Sex distribution', 'Age at study', 'Modalities',
                   'Modality × body part', 'Manufacturers and models', 'Transfer syntaxes', 'Ingest errors'])
    check(`section "${h}" shown`, facts.text.includes(h));
  if (facts.text.includes('alert('))
    check('hostile DICOM text shown as text', facts.text.includes('<script>alert("x")</script>'));

  fs.mkdirSync(artifactDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactDir, `${name}.png`), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  const print = await page.evaluate(() => ({
    wrapMax: document.querySelector('.table-wrap') ? getComputedStyle(document.querySelector('.table-wrap')).maxHeight : 'none',
    bg: getComputedStyle(document.body).backgroundColor,
  }));
  check('print: tables not cut to a scroll box', print.wrapMax === 'none', print);
  await page.pdf({ path: path.join(artifactDir, `${name}.pdf`), format: 'A4', printBackground: false });
  check('no request after printing either', requests.every((u) => u === url), requests);
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  console.log(`${failures.length} failures; artefacts in ${artifactDir}`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
