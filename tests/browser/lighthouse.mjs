// Lighthouse on many pages from one Node process and one Chrome (the test runs two of these): a JSON line per (page, form factor) on stdout.
//
// Usage: node tests/browser/lighthouse.mjs PAGES.json
//   PAGES.json: {"chrome": "/usr/bin/chromium", "flags": [...], "pages": [{"kind": "home", "url": "http://127.0.0.1:8000/"}],
//                "formFactors": ["mobile", "desktop"], "categories": ["accessibility", "best-practices", "seo"]}
// Each line: {"kind", "url", "formFactor", "scores": {category: 0..100}, "failing": ["audit-id: title", ...]}.
// Nothing is fetched from another host: the pages are served locally, and Lighthouse runs its audits offline.
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

// These categories need no performance trace: no full-page screenshot, and short quiet windows after load (the pages
// are static and local; the defaults wait seconds per page for the performance score).
const QUICK = { disableFullPageScreenshot: true, pauseAfterFcpMs: 100, pauseAfterLoadMs: 100, networkQuietThresholdMs: 100, cpuQuietThresholdMs: 100 };
const CONFIGS = {
  mobile: { extends: "lighthouse:default", settings: QUICK },
  desktop: { extends: "lighthouse:default", settings: { ...desktopConfig.settings, ...QUICK } },
};

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const chrome = await chromeLauncher.launch({ chromePath: job.chrome, chromeFlags: ["--headless=new", ...job.flags] });
try {
  for (const page of job.pages) {
    for (const formFactor of job.formFactors) {
      const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: job.categories };
      const { lhr } = await lighthouse(page.url, flags, CONFIGS[formFactor]);
      const scores = Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, Math.round((c.score ?? 0) * 100)]));
      const counted = new Set(Object.values(lhr.categories).flatMap((c) => c.auditRefs.filter((r) => r.weight > 0).map((r) => r.id)));
      const failing = Object.values(lhr.audits)
        .filter((a) => counted.has(a.id) && a.score !== null && a.score < 1)
        .map((a) => `${a.id}: ${a.title}`);
      const problem = lhr.runtimeError ? lhr.runtimeError.message : "";
      console.log(JSON.stringify({ kind: page.kind, url: page.url, formFactor: lhr.configSettings.formFactor, scores, failing, problem }));
    }
  }
} finally {
  await chrome.kill();
}
