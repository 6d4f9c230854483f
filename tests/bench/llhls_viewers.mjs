// LL-HLS viewer load benchmark (not a test). N simulated viewers (default 1,000) each follow one
// video rendition of a live Podium channel for SECONDS (default 60) the way an LL-HLS player
// does: a blocking playlist reload for the next part (_HLS_msn/_HLS_part), then a GET of every
// new part, in order, on a keep-alive connection. A part is "missed" when a viewer's chain of
// parts breaks (the part after the one it holds is no longer listed) or a part GET fails.
//
// The viewers run in WORKERS child processes (default: one per CPU), spread round-robin, so the
// generator is not the bottleneck: the result says how busy each worker was (a worker near
// 100 % of a core explains misses the origin did not cause; "generatorSaturated" flags it).
// Prints the counts plus the origin's CPU and RSS (from /proc) before and under load, and the
// origin's RSS growth per 1,000 viewers. One more blocking-reload loop watches the live edge:
// when no new part appears for longer than the playlist's window of parts ("encoderStalls": a
// starved encoder), every viewer's chain breaks whatever the origin does, and the run says so.
//
//   node tests/bench/llhls_viewers.mjs --cli build/release/app/podium-cli [--preset NAME]
//   node tests/bench/llhls_viewers.mjs --origin http://127.0.0.1:PORT --pid ORIGIN_PID
//   options: --channel NAME (default test) --viewers N[,N...] --seconds S --ramp S (default 5)
//            --workers N  --report S (a progress line every S seconds)  --settle S (default 10)
// A list of viewer counts is a sweep: one run per count, in order, against the same origin,
// stopping after the first count with a missed part; the summary names the largest count with
// none. Loopback only: any other host is refused.
import {fork, spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import {fileURLToPath} from 'node:url';

const args = {channel: 'test', viewers: '1000', seconds: '60', ramp: '5', preset: 'Low bandwidth',
              workers: String(os.cpus().length), report: '0', settle: '10'};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const kSaturatedPercent = 85;
// A run counts only when every viewer was served: no missed part and no refused or failed
// playlist reload (a refused viewer fetches no parts, so it cannot miss one).
const servedEveryone = (r) => r.missed === 0 && !r.reloadErrors && !r.partErrors;  // a worker this busy (of one core) delays its own viewers

// ---------------------------------------------------------------------------------------------
// Worker side: runs its share of the viewers, reports counters to the primary.

// The parts of a media playlist in order: {msn, index, uri}.
function parseParts(text) {
  const parts = [];
  let msn = 0;
  let index = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
      msn = Number(line.slice(22));
    } else if (line.startsWith('#EXT-X-PART:')) {
      const uri = /URI="([^"]+)"/.exec(line);
      if (uri) parts.push({msn, index: index++, uri: uri[1]});
    } else if (line && !line.startsWith('#')) {
      msn += 1;  // a segment URI closes its parent segment
      index = 0;
    }
  }
  return parts;
}

function makeGet(agent) {
  return (url, timeoutMs = 15000) => new Promise((resolve) => {
    const request = http.get(url, {agent, timeout: timeoutMs}, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({status: response.statusCode, body: Buffer.concat(chunks)}));
      response.on('error', () => resolve({status: 0, body: Buffer.alloc(0)}));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({status: 0, body: Buffer.alloc(0)}));
  });
}

function newStats() {
  return {partsFetched: 0, partBytes: 0, missed: 0, chainBreaks: 0, partErrors: 0, reloads: 0,
          reloadErrors: 0, viewersStarted: 0};
}

// Counts errors by kind and status ("reloadStatus404"); the first of each is printed once.
function noteError(stats, kind, response, url) {
  const key = `${kind}Status${response.status || 'Network'}`;
  if (!stats[key]) {
    console.error(`first ${kind} error: ${response.status || 'no answer'} for ${url}: ` +
                  response.body.toString().slice(0, 160).trim());
  }
  stats[key] = (stats[key] || 0) + 1;
}

async function viewer(get, stats, trackUrl, base, until) {
  let held = null;  // the last part this viewer fetched
  stats.viewersStarted += 1;
  const sameKey = (a, b) => a.msn === b.msn && a.index === b.index;
  while (Date.now() < until) {
    const query = held ? `?_HLS_msn=${held.msn}&_HLS_part=${held.index + 1}` : '';
    const playlist = await get(trackUrl + query);
    stats.reloads += 1;
    if (playlist.status !== 200) {
      stats.reloadErrors += 1;
      noteError(stats, 'reload', playlist, trackUrl + query);
      if (held && playlist.status >= 400 && playlist.status < 500) {
        stats.chainBreaks += 1;  // the same request would be refused again: rejoin live
        stats.missed += 1;
        held = null;
      }
      await sleep(200);
      continue;
    }
    const parts = parseParts(playlist.body.toString());
    if (!parts.length) continue;
    let from;
    if (!held) {
      from = parts.length - 1;  // join at the live edge
    } else {
      const at = parts.findIndex((p) => sameKey(p, held));
      if (at < 0) {  // our part scrolled out before we saw its successor
        stats.chainBreaks += 1;
        stats.missed += 1;
        from = parts.length - 1;
      } else {
        from = at + 1;
      }
    }
    for (let i = from; i < parts.length && Date.now() < until; ++i) {
      const part = await get(base + parts[i].uri);
      if (part.status !== 200) {
        stats.partErrors += 1;
        noteError(stats, 'part', part, base + parts[i].uri);
        stats.missed += 1;
      } else {
        stats.partsFetched += 1;
        stats.partBytes += part.body.length;
      }
      held = parts[i];
    }
  }
}

// {channel, variants, indices, total, startAt, rampMs, until, reportMs}
async function runWorker(job) {
  const agent = new http.Agent({keepAlive: true, maxSockets: Infinity});
  const get = makeGet(agent);
  const stats = newStats();
  const progress = job.reportMs > 0 ?
    setInterval(() => process.send({type: 'progress', stats}), job.reportMs) : null;
  await sleep(Math.max(0, job.startAt - Date.now()));
  const runs = job.indices.map((i) => {
    const trackUrl = job.channel + job.variants[i % job.variants.length];
    const base = trackUrl.slice(0, trackUrl.lastIndexOf('/') + 1);
    return sleep((job.rampMs * i) / job.total).then(() => viewer(get, stats, trackUrl, base, job.until));
  });
  await Promise.all(runs);
  if (progress) clearInterval(progress);
  agent.destroy();
  process.send({type: 'done', stats}, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Primary side: the origin, the workers, the measurements.

function procSample(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number((new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status) || [0, 0])[1]);
  return {at: Date.now(), ticks: Number(fields[11]) + Number(fields[12]),
          rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024};
}
const kTicksPerSecond = 100;  // getconf CLK_TCK on Linux
const cpuPercent = (a, b) => (100 * (b.ticks - a.ticks) / kTicksPerSecond) / ((b.at - a.at) / 1000);

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startCli(totalSeconds) {
  const port = await freePort();
  // Every simulated viewer comes from 127.0.0.1: lift the per-client cap (1,024 by default, a
  // guard against one abusive address) and the total, or the origin refuses them by design.
  const child = spawn(args.cli, ['stream', '--origin', `127.0.0.1:${port}`, '--channel', args.channel,
                                 '--preset', args.preset, '--duration', String(totalSeconds),
                                 '--max-connections-per-client', '1000000',
                                 '--max-connections', '1000000'],
                      {stdio: 'ignore'});
  child.on('exit', (code) => { if (code) console.error(`podium-cli exited with ${code}`); });
  return {origin: `http://127.0.0.1:${port}`, pid: child.pid, child};
}

async function waitForChannel(get, channel) {
  for (const until = Date.now() + 30000; Date.now() < until; await sleep(250)) {
    const multivariant = await get(channel + 'index.m3u8');
    if (multivariant.status !== 200) continue;
    const variants = multivariant.body.toString().split('\n').filter((l) => l && !l.startsWith('#'));
    const first = variants.length ? await get(channel + variants[0]) : {status: 0};
    if (first.status === 200 && parseParts(first.body.toString()).length) return variants;
  }
  throw new Error(`no playable channel at ${channel}`);
}

function addStats(into, from) {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] || 0) + value;
  return into;
}

// Watches the live edge of one rendition with blocking reloads for the whole run: the longest
// wait between two new parts, and how often it exceeded the playlist's window of parts (then a
// viewer's chain breaks whatever the origin does: the encoder stalled, e.g. a starved machine).
async function watchLiveEdge(trackUrl, until) {
  const get = makeGet(new http.Agent({keepAlive: true}));
  const edge = {longestPartGapMs: 0, encoderStalls: 0};
  let held = null;
  let heldAt = Date.now();
  let windowMs = Infinity;
  while (Date.now() < until) {
    const query = held ? `?_HLS_msn=${held.msn}&_HLS_part=${held.index + 1}` : '';
    const playlist = await get(trackUrl + query);
    if (playlist.status !== 200) continue;
    const text = playlist.body.toString();
    const parts = parseParts(text);
    const target = /#EXT-X-PART-INF:PART-TARGET=([0-9.]+)/.exec(text);
    if (target) windowMs = Math.min(windowMs, 1000 * Number(target[1]) * parts.length);
    if (!parts.length) continue;
    const newest = parts[parts.length - 1];
    if (!held || newest.msn !== held.msn || newest.index !== held.index) {
      const gap = Date.now() - heldAt;
      if (held) {
        edge.longestPartGapMs = Math.max(edge.longestPartGapMs, gap);
        if (gap > windowMs) edge.encoderStalls += 1;
      }
      held = newest;
      heldAt = Date.now();
    }
  }
  return edge;
}

// One run of `viewers` viewers over `workerCount` processes. Resolves with the result object.
async function runLoad({channel, variants, pid, viewers, seconds, rampMs, workerCount, reportMs, idle}) {
  const startAt = Date.now() + 1000;  // every worker starts its ramp at the same instant
  const until = startAt + rampMs + seconds * 1000;
  const self = fileURLToPath(import.meta.url);
  const workers = [];
  const finals = [];
  const latest = [];
  for (let w = 0; w < workerCount; ++w) {
    const indices = [];
    for (let i = w; i < viewers; i += workerCount) indices.push(i);
    if (!indices.length) break;
    const child = fork(self, ['--role', 'worker'], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
    latest[w] = newStats();
    const done = new Promise((resolve, reject) => {
      child.on('message', (m) => {
        if (m.type === 'progress') latest[w] = m.stats;
        if (m.type === 'done') { finals[w] = m.stats; resolve(); }
      });
      child.on('exit', (code) => (finals[w] ? resolve() : reject(new Error(`worker ${w} exited with ${code}`))));
    });
    child.send({channel, variants, indices, total: viewers, startAt, rampMs, until, reportMs});
    workers.push({child, done});
  }
  const edge = watchLiveEdge(channel + variants[0], until);
  await sleep(startAt + rampMs - Date.now());
  const loadStart = procSample(pid);
  const workerStart = workers.map((w) => procSample(w.child.pid));
  const peak = {rssMB: 0};
  const workerEnd = workerStart.slice();
  const sampler = setInterval(() => {
    peak.rssMB = Math.max(peak.rssMB, procSample(pid).rssMB);
    workers.forEach((w, i) => { try { workerEnd[i] = procSample(w.child.pid); } catch { /* gone */ } });
  }, 1000);
  const reporter = reportMs > 0 ? setInterval(() => {
    const sum = latest.reduce((acc, s) => addStats(acc, s), newStats());
    const now = procSample(pid);
    console.log(`[${((Date.now() - startAt) / 1000).toFixed(0)} s] ${viewers} viewers: ` +
                `${sum.partsFetched} parts, ${sum.missed} missed; origin RSS ${now.rssMB.toFixed(1)} MB`);
  }, reportMs) : null;
  await Promise.all(workers.map((w) => w.done));
  clearInterval(sampler);
  if (reporter) clearInterval(reporter);
  const loadEnd = procSample(pid);
  const liveEdge = await edge;
  const stats = finals.reduce((acc, s) => addStats(acc, s), newStats());
  const workerCpu = workerStart.map((a, i) => cpuPercent(a, workerEnd[i]));
  const rssPeakMB = Math.max(peak.rssMB, loadEnd.rssMB);
  return {
    viewers, seconds, workers: workers.length, renditions: variants.length, ...stats,
    partMB: +(stats.partBytes / 1e6).toFixed(1),
    originCpuUnderLoadPercent: +cpuPercent(loadStart, loadEnd).toFixed(0),
    originCpuIdlePercent: +cpuPercent(idle.start, idle.end).toFixed(0),
    originRssIdleMB: +idle.end.rssMB.toFixed(0),
    originRssPeakMB: +rssPeakMB.toFixed(0),
    originRssPer1000ViewersMB: +((rssPeakMB - idle.end.rssMB) / (viewers / 1000)).toFixed(1),
    generatorCpuPercent: +workerCpu.reduce((a, b) => a + b, 0).toFixed(0),
    generatorWorkerMaxCpuPercent: +Math.max(...workerCpu).toFixed(0),
    generatorSaturated: Math.max(...workerCpu) >= kSaturatedPercent,
    ...liveEdge,
  };
}

function describe(r) {
  return `${r.viewers} LL-HLS viewers for ${r.seconds} s over ${r.workers} workers: ` +
         `${r.partsFetched} parts fetched, ${r.missed} missed (${r.chainBreaks} chain breaks, ` +
         `${r.partErrors} failed GETs); origin CPU ${r.originCpuUnderLoadPercent} % under load ` +
         `(${r.originCpuIdlePercent} % idle, encoder included), RSS ${r.originRssIdleMB} -> ` +
         `${r.originRssPeakMB} MB (${r.originRssPer1000ViewersMB} MB per 1,000 viewers); generator ` +
         `CPU ${r.generatorCpuPercent} % (busiest worker ${r.generatorWorkerMaxCpuPercent} %` +
         `${r.generatorSaturated ? ', SATURATED: misses may be the generator\'s' : ''}); ` +
         `longest wait for a new part ${r.longestPartGapMs} ms` +
         `${r.encoderStalls ? ` (${r.encoderStalls} encoder stalls longer than the parts window: ` +
                              'chain breaks follow whatever the origin does)' : ''}`;
}

async function main() {
  const counts = String(args.viewers).split(',').map(Number).filter((n) => n > 0);
  const seconds = Number(args.seconds);
  const rampMs = Number(args.ramp) * 1000;
  const workerCount = Math.max(1, Number(args.workers));
  const reportMs = Number(args.report) * 1000;
  let origin = args.origin;
  let pid = Number(args.pid);
  let child = null;
  if (args.cli) {
    const total = counts.length * (seconds + Number(args.ramp) + Number(args.settle) + 5) + 120;
    ({origin, pid, child} = await startCli(total));
  }
  if (!origin || !/^http:\/\/127\.0\.0\.1:\d+$/.test(origin) || !pid || !counts.length) {
    console.error('usage: llhls_viewers.mjs --cli PODIUM_CLI | --origin http://127.0.0.1:PORT --pid PID');
    process.exit(2);
  }
  const agent = new http.Agent({keepAlive: true});
  try {
    const channel = `${origin}/live/${args.channel}/`;
    const variants = await waitForChannel(makeGet(agent), channel);
    agent.destroy();
    const idle = {start: procSample(pid)};
    await sleep(10000);
    idle.end = procSample(pid);
    console.log(`origin ${origin} pid ${pid}: ${variants.length} renditions; ` +
                `idle (encoder + origin) CPU ${cpuPercent(idle.start, idle.end).toFixed(0)} %, ` +
                `RSS ${idle.end.rssMB.toFixed(0)} MB; preset ${args.cli ? `"${args.preset}"` : 'of the given origin'}`);
    const results = [];
    for (const [n, viewers] of counts.entries()) {
      if (n > 0) await sleep(Number(args.settle) * 1000);  // connections of the last run close
      const result = await runLoad({channel, variants, pid, viewers, seconds, rampMs, workerCount,
                                    reportMs, idle});
      results.push(result);
      console.log(JSON.stringify(result));
      console.log(describe(result));
      if (!servedEveryone(result)) break;
    }
    if (counts.length > 1) {
      const clean = results.filter((r) => servedEveryone(r) && !r.generatorSaturated);
      const last = results[results.length - 1];
      if (last.missed > 0 && last.encoderStalls > 0) {
        console.log(`the ${last.viewers}-viewer run had encoder stalls: its misses do not measure ` +
                    'the origin; run again on a quieter machine');
      }
      const best = clean.length ? clean[clean.length - 1] : null;
      console.log(best ? `largest viewer count served without a miss or a refused request: ${best.viewers} ` +
                         `(origin RSS +${best.originRssPer1000ViewersMB} MB per 1,000 viewers)`
                       : 'no viewer count ran with 0 missed parts and an unsaturated generator');
    }
    return results.every(servedEveryone) ? 0 : 1;
  } finally {
    if (child) child.kill('SIGINT');
  }
}

if (args.role === 'worker') {
  process.once('message', (job) => runWorker(job).catch((error) => {
    console.error(`worker: ${error.message || error}`);
    process.exit(1);
  }));
} else {
  main().then((code) => process.exit(code), (error) => {
    console.error(String(error.message || error));
    process.exit(1);
  });
}
