// node measure_latency.mjs WATCH_URL [SECONDS]
// Opens Podium's watch page in headless Chromium (hls.js in lowLatencyMode, or stock dash.js when
// the URL has ?dash=1) and samples, every 500 ms for SECONDS (default 30) once playback has
// caught up (its rate went above 1x and back; at most 20 s):
// - behind live: window.podiumPlayer.latency(), wall clock minus the PROGRAM-DATE-TIME of the
//   frame on screen (hls.js) or dash.js's own live latency;
// - glass to glass: the newest reading of the latency probe strip in the displayed frame
//   (viewer_report.js), when the picture carries one.
// Prints JSON with the median, p10 and p90 of each in seconds, and the stalls seen. Benchmark
// helper, loopback only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {kChromiumArgs} from '../browser/player_check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../../resources/player/package.json'));
const {chromium} = require('playwright-core');

const [url, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 30);
if (!url || !/^http:\/\/127\.0\.0\.1[:/]/.test(url)) {
  console.error('usage: node measure_latency.mjs http://127.0.0.1:PORT/watch/CHANNEL [SECONDS]');
  process.exit(2);
}
const deadline = setTimeout(() => {
  console.log(JSON.stringify({url, error: 'deadline exceeded'}));
  process.exit(1);
}, (seconds + 60) * 1000);

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podium-chromium-'));
let context;
let code = 1;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium', headless: false, args: kChromiumArgs,
  });
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(url, {waitUntil: 'domcontentloaded'});
  await page.waitForFunction(() => {
    const v = document.getElementById('video');
    return v.currentTime > 0 && !v.paused && v.readyState >= 3;
  }, null, {timeout: 20000});
  // Players start behind and catch up by playing faster: measure the steady state, once the
  // rate went above 1x and came back (or it stayed at 1x for 8 s; at most 20 s).
  {
    const began = Date.now();
    let sawFast = false;
    while (Date.now() - began < 20000) {
      const rate = await page.evaluate(() => document.getElementById('video').playbackRate);
      sawFast = sawFast || rate > 1;
      if ((sawFast && rate === 1) || (!sawFast && Date.now() - began > 8000)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const read = () => page.evaluate(() => {
    const player = window.podiumPlayer;
    const report = player.report;
    return {behind: player.latency(), glass: report ? report.probe.last : NaN,
            stalls: report ? report.playback.stalls : 0,
            stallSeconds: report ? report.playback.stallSecondsNow() : 0,
            margin: player.stallMargin ? player.stallMargin() : null};
  });
  const first = await read();
  const samples = [];
  const glass = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const s = await read();
    if (Number.isFinite(s.behind)) samples.push(s.behind);
    if (Number.isFinite(s.glass)) glass.push(s.glass);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const last = await read();
  samples.sort((a, b) => a - b);
  glass.sort((a, b) => a - b);
  const round = (x) => (x === undefined ? null : +x.toFixed(2));
  console.log(JSON.stringify({
    url, samples: samples.length, medianS: round(quantile(samples, 0.5)),
    p10S: round(quantile(samples, 0.1)), p90S: round(quantile(samples, 0.9)),
    glassSamples: glass.length, glassMedianS: round(quantile(glass, 0.5)),
    glassP10S: round(quantile(glass, 0.1)), glassP90S: round(quantile(glass, 0.9)),
    stalls: last.stalls - first.stalls, stallSeconds: round(last.stallSeconds - first.stallSeconds),
    stallsBefore: first.stalls, stallMarginS: last.margin === null ? null : round(last.margin),
  }));
  code = samples.length ? 0 : 1;
} catch (error) {
  console.log(JSON.stringify({url, error: String(error.message || error).split('\n')[0]}));
} finally {
  clearTimeout(deadline);
  if (context) await context.close().catch(() => {});
  fs.rmSync(userDataDir, {recursive: true, force: true});
}
process.exit(code);
