// Drives Podium's watch page in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core) and checks what a viewer cares about: playback starts quickly, keeps going,
// offers the whole ladder, and survives a forced rendition switch without a stall.
// Used by play_hls.mjs and play_dash.mjs; prints one JSON summary line; resolves to an exit code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../../resources/player/package.json'));

export const kChromiumArgs = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

const kStartMs = 6000;          // playback must start within this after navigation
const kMeasureMs = 10000;       // window over which currentTime must advance
const kMinAdvanceS = 8;         // ... by at least this much
const kSwitchWaitMs = 12000;    // time allowed for the forced switch to reach the screen
// What "plays on without a stall" means after the forced switch, per player: the longest freeze
// of currentTime allowed, the time watched once the switch is on screen, and the share of it
// that must have played. hls.js switches on part boundaries without any freeze. dash.js (5.2)
// freezes 1.6-1.8 s at the junction of the two renditions on Chromium with the new data
// already buffered (seen on every run, then it plays on): bounded here, reported as a known issue.
const kSwitchRules = {
  hls: {maxFreezeMs: 1000, watchMs: 4000, minPlayedShare: 0.75},
  dash: {maxFreezeMs: 2500, watchMs: 6000, minPlayedShare: 0.5},
};
// PODIUM_MAX_FREEZE_MS tightens the bound (the Interactive preset: 500 ms, issue #12).
if (process.env.PODIUM_MAX_FREEZE_MS) {
  for (const rules of Object.values(kSwitchRules)) {
    rules.maxFreezeMs = Number(process.env.PODIUM_MAX_FREEZE_MS);
  }
}
const kDeadlineMs = 60000;      // the whole check, whatever happens

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs in the page: samples currentTime every 100 ms and records the longest span during which
// it did not move while the video was not paused (a stall the viewer sees).
function installProbe() {
  const video = document.getElementById('video');
  const probe = {samples: 0, lastTime: -1, lastMoveAt: performance.now(), maxFreezeMs: 0,
                 waiting: 0};
  video.addEventListener('waiting', () => { probe.waiting += 1; });
  setInterval(() => {
    const now = performance.now();
    probe.samples += 1;
    if (video.currentTime !== probe.lastTime || video.paused) {
      probe.lastTime = video.currentTime;
      probe.lastMoveAt = now;
    } else {
      probe.maxFreezeMs = Math.max(probe.maxFreezeMs, now - probe.lastMoveAt);
    }
  }, 100);
  window.__podiumProbe = probe;
}

async function snapshot(page) {
  return page.evaluate(() => {
    const video = document.getElementById('video');
    const player = window.podiumPlayer || {};
    return {
      currentTime: video.currentTime,
      playbackRate: video.playbackRate,
      paused: video.paused,
      readyState: video.readyState,
      levels: player.levels ? player.levels().map((l) => l.label) : [],
      currentLevel: player.currentLevel,
      latency: player.latency ? player.latency() : null,
      errors: player.errors || [],
      freeze: window.__podiumProbe ? window.__podiumProbe.maxFreezeMs : 0,
      waiting: window.__podiumProbe ? window.__podiumProbe.waiting : 0,
    };
  });
}

async function waitFor(page, predicate, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await snapshot(page);
    if (predicate(state)) return state;
    if (Date.now() >= until) return null;
    await sleep(100);
  }
}

async function runChecks(page, url, expectedLevels, summary, fail) {
  const navigatedAt = Date.now();
  await page.goto(url, {waitUntil: 'domcontentloaded', timeout: kStartMs});
  await page.evaluate(installProbe);
  const started = await waitFor(page, (s) => s.currentTime > 0 && !s.paused && s.readyState >= 3,
                                kStartMs - (Date.now() - navigatedAt));
  summary.startupMs = Date.now() - navigatedAt;
  if (!started) return fail(`playback did not start within ${kStartMs / 1000} s`);

  // The 10 s window starts once the player runs at real-time speed: dash.js's live catch-up may
  // play below 1.0x for a few seconds after a slow start (bounded wait, then measured anyway).
  await waitFor(page, (s) => s.playbackRate >= 1, 5000);
  await page.evaluate(() => { window.__podiumProbe.maxFreezeMs = 0; });
  const before = await snapshot(page);
  await sleep(kMeasureMs);
  const after = await snapshot(page);
  summary.advancedS = +(after.currentTime - before.currentTime).toFixed(2);
  // What a failure needs explained: stalls (waiting events, longest freeze) and the drift of
  // the delay behind live across the window.
  summary.window = {
    waiting: after.waiting - before.waiting,
    maxFreezeMs: Math.round(after.freeze),
    latencyBeforeS: before.latency == null ? null : +Number(before.latency).toFixed(2),
  };
  summary.levels = after.levels;
  summary.latencyS = after.latency == null ? null : +Number(after.latency).toFixed(2);
  if (summary.advancedS < kMinAdvanceS) {
    return fail(`currentTime advanced ${summary.advancedS} s over ${kMeasureMs / 1000} s`);
  }
  if (expectedLevels > 0 && after.levels.length !== expectedLevels) {
    return fail(`${after.levels.length} levels, expected ${expectedLevels}`);
  }
  if (after.levels.length < 2) return fail('fewer than two levels: cannot test a switch');

  // Force a switch to the level farthest from the one on screen.
  const from = after.currentLevel;
  const target = from === 0 ? after.levels.length - 1 : 0;
  await page.evaluate(() => { window.__podiumProbe.maxFreezeMs = 0; });
  const switchStart = await snapshot(page);
  await page.evaluate((index) => window.podiumPlayer.setLevel(index), target);
  const switched = await waitFor(page, (s) => s.currentLevel === target, kSwitchWaitMs);
  summary.switch = {from, to: target, fromLabel: after.levels[from], toLabel: after.levels[target]};
  if (!switched) return fail(`level ${target} never reached the screen`);
  const rules = kSwitchRules[summary.mode];
  await sleep(rules.watchMs);
  const end = await snapshot(page);
  summary.switch.maxFreezeMs = Math.round(end.freeze);
  summary.switch.advancedS = +(end.currentTime - switchStart.currentTime).toFixed(2);
  summary.switch.level = end.currentLevel;
  summary.errors = end.errors;
  if (end.freeze > rules.maxFreezeMs) {
    return fail(`playback froze ${Math.round(end.freeze)} ms around the level switch`);
  }
  summary.switch.afterS = +(end.currentTime - switched.currentTime).toFixed(2);
  if (summary.switch.afterS < rules.minPlayedShare * rules.watchMs / 1000) {
    return fail(`only ${summary.switch.afterS} s played in the ${rules.watchMs / 1000} s after ` +
                'the switch');
  }
  if (end.currentLevel !== target) return fail(`level moved away from ${target} after the switch`);
  if (end.paused) return fail('paused after the level switch');
  if (end.errors.length) return fail('player errors: ' + end.errors.join('; '));
  return 0;
}

// The one way the browser scripts run Chromium: a fresh profile, a deadline for the whole run,
// `body(context, fail)` resolving to an exit code (fail(reason) notes the reason and gives 1),
// the browser closed and the profile removed whatever happens, and `summary` printed as one JSON
// line with ok and failure. Resolves to the exit code.
export async function runInChromium(summary, deadlineMs, body) {
  const fail = (reason) => {
    summary.failure = reason;
    return 1;
  };
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podium-chromium-'));
  let context = null;
  const deadline = setTimeout(() => {
    summary.failure = `deadline of ${deadlineMs / 1000} s exceeded`;
    console.log(JSON.stringify(summary));
    process.exit(1);  // the browser dies with us (playwright's pipe closes)
  }, deadlineMs);
  let code = 1;
  try {
    const {chromium} = require('playwright-core');
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium', headless: false, args: kChromiumArgs,
    });
    code = await body(context, fail);
  } catch (error) {
    code = fail(String(error && error.message ? error.message : error).split('\n')[0]);
  } finally {
    clearTimeout(deadline);
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, {recursive: true, force: true});
  }
  summary.ok = code === 0;
  console.log(JSON.stringify(summary));
  return code;
}

// Opens `url`, runs the checks, prints the summary. expectedLevels 0 = do not check the count.
export async function checkPlayer({url, expectedLevels, mode}) {
  const summary = {mode, url, ok: false};
  return runInChromium(summary, kDeadlineMs, async (context, fail) => {
    const page = context.pages()[0] || (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const code = await runChecks(page, url, expectedLevels, summary, fail);
    summary.pageErrors = pageErrors;
    if (code === 0 && pageErrors.length) return fail('page errors: ' + pageErrors.join('; '));
    return code;
  });
}

// Command line shared by the two scripts: URL [EXPECTED_LEVELS].
export async function main(mode) {
  const [url, levels] = process.argv.slice(2);
  if (!url) {
    console.error(`usage: node play_${mode}.mjs WATCH_URL [EXPECTED_LEVELS]`);
    process.exit(2);
  }
  process.exit(await checkPlayer({url, expectedLevels: Number(levels || 0), mode}));
}
