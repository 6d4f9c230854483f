// node qoe_check.mjs WATCH_URL
// The viewers' experience, end to end (issue #12): two /watch pages in headless Chromium play a
// live podium-cli channel (the test pattern, which carries the latency probe strip). Checks:
// - within 20 s of both playing, the origin's /metrics counts 2 viewers and has their latency
//   quantiles (the pages' beacons arrived and were aggregated);
// - each page shows a glass-to-glass figure, and it agrees within 0.3 s with "now minus the
//   PROGRAM-DATE-TIME of the displayed frame" (the strip in the picture and the playlist's
//   dates are two independent clocks of the same thing);
// - GET /api/channels/<ch>/qoe says the same as /metrics;
// - podium-cli's status line shows "viewers 2" (its log is $ORIGIN_LOG);
// - a page that closes says so (sendBeacon) and the count drops to 1.
// Prints one JSON summary line; exit 0/1.
import fs from 'node:fs';
import {runInChromium} from './player_check.mjs';

const kStartMs = 8000;        // each page must be playing within this
const kMetricsMs = 20000;     // the bound: viewers and quantiles on /metrics
const kReadingsMs = 25000;    // time allowed for each page to catch up and read the strip
const kAgreeS = 0.3;          // glass to glass versus now - PDT
const kLeaveMs = 8000;        // a closed page's leaving beacon reaches the count
const kDeadlineMs = 100000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll(what, timeoutMs, step = 250) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value) return value;
    if (Date.now() >= until) return null;
    await sleep(step);
  }
}

async function fetchText(url) {
  try {
    const response = await fetch(url);
    return response.ok ? await response.text() : null;
  } catch (e) {
    return null;
  }
}

function metric(text, name, labels) {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

// In the page: the two clocks of the displayed frame, sampled together.
function sampleClocks() {
  const player = window.podiumPlayer;
  const report = player && player.report;
  const video = document.getElementById('video');
  return {
    playing: !video.paused && video.readyState >= 3 && video.currentTime > 0,
    glass: report ? report.probe.glassToGlass() : NaN,  // the median of recent readings
    lastGlass: report ? report.probe.last : NaN,        // the newest reading
    rate: video.playbackRate,
    reads: report ? report.probe.reads : 0,
    misses: report ? report.probe.misses : 0,
    behind: player ? player.latency() : NaN,
    shownText: (document.getElementById('glass') || {}).textContent || '',
    beaconsSent: report ? report.report.sent : 0,
    lastStatus: report ? report.report.lastStatus : 0,
    errors: player ? player.errors : [],
  };
}

function median(values) {
  const sorted = values.filter((v) => isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
}

async function run(context, url, summary, fail) {
  const base = new URL(url).origin;
  const channel = decodeURIComponent(new URL(url).pathname.split('/')[2] || '');
  const labels = `channel="${channel}"`;
  const pages = [];
  for (let i = 0; i < 2; ++i) {
    const page = i === 0 && context.pages()[0] ? context.pages()[0] : await context.newPage();
    page.on('pageerror', (error) => summary.pageErrors.push(String(error)));
    await page.goto(url, {waitUntil: 'domcontentloaded', timeout: kStartMs});
    pages.push(page);
  }
  for (const [i, page] of pages.entries()) {
    const playing = await poll(async () => (await page.evaluate(sampleClocks)).playing, kStartMs);
    if (!playing) return fail(`page ${i + 1} did not start playing within ${kStartMs / 1000} s`);
  }
  const playingAt = Date.now();

  // 1. The beacons reach /metrics.
  const metrics = await poll(async () => {
    const text = await fetchText(`${base}/metrics`);
    if (!text) return null;
    const viewers = metric(text, 'podium_qoe_viewers', labels);
    const p50 = metric(text, 'podium_qoe_latency_seconds', `${labels},quantile="0.5"`);
    return viewers === 2 && p50 !== null ? {text, viewers, p50} : null;
  }, kMetricsMs);
  summary.metricsAfterMs = Date.now() - playingAt;
  if (!metrics) return fail(`/metrics did not show 2 viewers with latency quantiles in ${kMetricsMs / 1000} s`);
  summary.metrics = {
    viewers: metrics.viewers,
    latencyP50: metrics.p50,
    latencyP95: metric(metrics.text, 'podium_qoe_latency_seconds', `${labels},quantile="0.95"`),
    glassP50: metric(metrics.text, 'podium_qoe_glass_to_glass_seconds', `${labels},quantile="0.5"`),
    stallRatio: metric(metrics.text, 'podium_qoe_stall_ratio', labels),
  };

  // 2. Glass to glass on each page, against now - PDT of the displayed frame.
  summary.pages = [];
  for (const [i, page] of pages.entries()) {
    // hls.js catches up to its target at up to 1.5x after starting: both clocks move then, and
    // readings a second apart differ. Compare once it plays at 1x.
    const read = await poll(async () => {
      const s = await page.evaluate(sampleClocks);
      return s.reads >= 6 && isFinite(s.glass) && s.rate === 1 ? s : null;
    }, kReadingsMs);
    if (!read) {
      const s = await page.evaluate(sampleClocks);
      return fail(`page ${i + 1} read no latency strip (${s.reads} reads, ${s.misses} misses)`);
    }
    const glass = [];
    const behind = [];
    for (let k = 0; k < 10; ++k) {
      const s = await page.evaluate(sampleClocks);
      glass.push(s.lastGlass);
      behind.push(s.behind);
      await sleep(200);
    }
    const s = await page.evaluate(sampleClocks);
    const entry = {glassS: +median(glass).toFixed(3), pdtBehindS: +median(behind).toFixed(3),
                   shown: s.shownText, reads: s.reads, misses: s.misses,
                   beaconsSent: s.beaconsSent, lastStatus: s.lastStatus};
    summary.pages.push(entry);
    if (!/^glass-to-glass \d+\.\d s$/.test(s.shownText)) {
      return fail(`page ${i + 1} shows "${s.shownText}", not a glass-to-glass figure`);
    }
    if (!(Math.abs(entry.glassS - entry.pdtBehindS) <= kAgreeS)) {
      return fail(`page ${i + 1}: glass to glass ${entry.glassS} s but now - PDT ` +
                  `${entry.pdtBehindS} s (more than ${kAgreeS} s apart)`);
    }
    if (s.errors.length) return fail(`page ${i + 1} player errors: ${s.errors.join('; ')}`);
  }

  // 3. The JSON API agrees.
  const api = JSON.parse((await fetchText(`${base}/api/channels/${channel}/qoe`)) || '{}');
  summary.api = api;
  if (api.viewers !== 2) return fail(`/api/channels/${channel}/qoe says ${api.viewers} viewers`);

  // 4. The studio's terminal.
  const log = process.env.ORIGIN_LOG;
  if (log) {
    const line = await poll(() => {
      const lines = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('viewers 2'));
      return lines.length ? lines[lines.length - 1] : null;
    }, 5000);
    summary.cliLine = line;
    if (!line) return fail('podium-cli\'s status line never showed "viewers 2"');
  }

  // 5. A page that goes says so.
  await pages[1].close({runBeforeUnload: true});
  const left = await poll(async () => {
    const text = await fetchText(`${base}/metrics`);
    return text && metric(text, 'podium_qoe_viewers', labels) === 1;
  }, kLeaveMs);
  if (!left) return fail(`the closed page still counted after ${kLeaveMs / 1000} s`);
  if (summary.pageErrors.length) return fail('page errors: ' + summary.pageErrors.join('; '));
  return 0;
}

const url = process.argv[2];
if (!url) {
  console.error('usage: node qoe_check.mjs WATCH_URL');
  process.exit(2);
}
const summary = {url, ok: false, pageErrors: []};
process.exit(await runInChromium(summary, kDeadlineMs,
                                 (context, fail) => run(context, url, summary, fail)));
