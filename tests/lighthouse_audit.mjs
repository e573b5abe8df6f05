// Lighthouse's Node API on several pages in one Chromium (tests/test_lighthouse.py runs it):
// node tests/lighthouse_audit.mjs NODE_MODULES OUT_DIR URL...   writes OUT_DIR/0.json, 1.json, ...
// One browser and one Node process for every page, instead of a CLI run (Node start, Chromium
// start, configuration) per page: each page in a tab of its own, closed after its audit (tabs
// left open spoil the next trace); Lighthouse resets the site's storage and cache before each.
// A run that Lighthouse itself could not record (NO_NAVSTART, now and then on a busy machine)
// is tried again, up to three times: that is not a score.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, outDir, ...urls] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const { default: lighthouse } = await load("lighthouse/core/index.js");
const chromeLauncher = await load("chrome-launcher/dist/index.js");
const { default: puppeteer } = await load("puppeteer-core/lib/esm/puppeteer/puppeteer-core.js");

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: JSON.parse(process.env.CHROME_FLAGS),
});
const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
const flags = {
  output: "json",
  logLevel: "error",
  onlyCategories: JSON.parse(process.env.CATEGORIES),
  maxWaitForLoad: 30000,
  disableFullPageScreenshot: true, // a picture for the HTML report; no score reads it
};

async function audit(url) {
  for (let attempt = 1; ; attempt++) {
    const page = await browser.newPage();
    try {
      const run = await lighthouse(url, flags, undefined, page);
      const error = run ? run.lhr.runtimeError : { code: "NO_RESULT" };
      if (!error) return run.report;
      if (attempt === 3) throw new Error(`${url}: ${JSON.stringify(error)}`);
    } finally {
      await page.close();
    }
  }
}

try {
  for (const [index, url] of urls.entries()) {
    await writeFile(join(outDir, `${index}.json`), await audit(url));
  }
} finally {
  await browser.disconnect();
  await chrome.kill();
}
