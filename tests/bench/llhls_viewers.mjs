// LL-HLS viewer load benchmark (not a test). N simulated viewers (default 1,000) each follow one
// video rendition of a live Podium channel for SECONDS (default 60) the way an LL-HLS player
// does: a blocking playlist reload for the next part (_HLS_msn/_HLS_part), then a GET of every
// new part, in order, on a keep-alive connection. A part is "missed" when a viewer's chain of parts
// breaks (the part after the one it holds is no longer listed) or a part GET fails. Prints the
// counts plus the origin's CPU and RSS (from /proc) before and under load, and this load
// generator's own CPU (a saturated generator explains misses the origin did not cause).
//
//   node tests/bench/llhls_viewers.mjs --cli build/release/app/podium-cli [--preset NAME]
//   node tests/bench/llhls_viewers.mjs --origin http://127.0.0.1:PORT --pid ORIGIN_PID
//   options: --channel NAME (default test) --viewers N --seconds S --ramp S (default 5)
// Loopback only: any other host is refused.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const args = {channel: 'test', viewers: '1000', seconds: '60', ramp: '5', preset: 'Low bandwidth'};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const viewers = Number(args.viewers);
const seconds = Number(args.seconds);
const rampMs = Number(args.ramp) * 1000;
const agent = new http.Agent({keepAlive: true, maxSockets: Infinity});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function get(url, timeoutMs = 15000) {
  return new Promise((resolve) => {
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

// The parts of a media playlist in order: {key: [msn, index], uri}.
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

const stats = {partsFetched: 0, partBytes: 0, missed: 0, chainBreaks: 0, partErrors: 0,
               reloads: 0, reloadErrors: 0, viewersStarted: 0};
const sameKey = (a, b) => a.msn === b.msn && a.index === b.index;

async function viewer(trackUrl, base, until) {
  let held = null;  // the last part this viewer fetched
  stats.viewersStarted += 1;
  while (Date.now() < until) {
    const query = held ? `?_HLS_msn=${held.msn}&_HLS_part=${held.index + 1}` : '';
    const playlist = await get(trackUrl + query);
    stats.reloads += 1;
    if (playlist.status !== 200) {
      stats.reloadErrors += 1;
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
        stats.missed += 1;
      } else {
        stats.partsFetched += 1;
        stats.partBytes += part.body.length;
      }
      held = parts[i];
    }
  }
}

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

async function startCli() {
  const port = await freePort();
  const child = spawn(args.cli, ['stream', '--origin', `127.0.0.1:${port}`, '--channel', args.channel,
                                 '--preset', args.preset, '--duration', String(seconds + 120)],
                      {stdio: 'ignore'});
  child.on('exit', (code) => { if (code) console.error(`podium-cli exited with ${code}`); });
  return {origin: `http://127.0.0.1:${port}`, pid: child.pid, child};
}

async function main() {
  let origin = args.origin;
  let pid = Number(args.pid);
  let child = null;
  if (args.cli) ({origin, pid, child} = await startCli());
  if (!origin || !/^http:\/\/127\.0\.0\.1:\d+$/.test(origin) || !pid) {
    console.error('usage: llhls_viewers.mjs --cli PODIUM_CLI | --origin http://127.0.0.1:PORT --pid PID');
    process.exit(2);
  }
  try {
    const channel = `${origin}/live/${args.channel}/`;
    let variants = [];
    for (const until = Date.now() + 30000; Date.now() < until; await sleep(250)) {
      const multivariant = await get(channel + 'index.m3u8');
      if (multivariant.status !== 200) continue;
      variants = multivariant.body.toString().split('\n').filter((l) => l && !l.startsWith('#'));
      const first = variants.length ? await get(channel + variants[0]) : {status: 0};
      if (first.status === 200 && parseParts(first.body.toString()).length) break;
      variants = [];
    }
    if (!variants.length) throw new Error(`no playable channel at ${channel}`);

    const idleStart = procSample(pid);
    await sleep(10000);
    const idleEnd = procSample(pid);
    console.log(`origin ${origin} pid ${pid}: ${variants.length} renditions; ` +
                `idle (encoder + origin) CPU ${cpuPercent(idleStart, idleEnd).toFixed(0)} %, ` +
                `RSS ${idleEnd.rssMB.toFixed(0)} MB`);

    const until = Date.now() + rampMs + seconds * 1000;
    const selfStart = process.cpuUsage();
    const runs = [];
    for (let i = 0; i < viewers; ++i) {
      const track = variants[i % variants.length];
      const trackUrl = channel + track;
      const base = trackUrl.slice(0, trackUrl.lastIndexOf('/') + 1);
      runs.push(sleep((rampMs * i) / viewers).then(() => viewer(trackUrl, base, until)));
    }
    await sleep(rampMs);
    const loadStart = procSample(pid);
    const loadStartAt = Date.now();
    const peak = {rssMB: 0};
    const sampler = setInterval(() => {
      peak.rssMB = Math.max(peak.rssMB, procSample(pid).rssMB);
    }, 1000);
    await Promise.all(runs);
    clearInterval(sampler);
    const loadEnd = procSample(pid);
    const self = process.cpuUsage(selfStart);
    const selfPercent = (100 * (self.user + self.system) / 1e6) / ((Date.now() - loadStartAt + rampMs) / 1000);

    const result = {
      viewers, seconds, renditions: variants.length, ...stats,
      partMB: +(stats.partBytes / 1e6).toFixed(1),
      originCpuUnderLoadPercent: +cpuPercent(loadStart, loadEnd).toFixed(0),
      originCpuIdlePercent: +cpuPercent(idleStart, idleEnd).toFixed(0),
      originRssIdleMB: +idleEnd.rssMB.toFixed(0),
      originRssPeakMB: +Math.max(peak.rssMB, loadEnd.rssMB).toFixed(0),
      originRssHighWaterMB: +loadEnd.hwmMB.toFixed(0),
      generatorCpuPercent: +selfPercent.toFixed(0),
    };
    console.log(JSON.stringify(result));
    console.log(`${viewers} LL-HLS viewers for ${seconds} s: ${stats.partsFetched} parts fetched, ` +
                `${stats.missed} missed (${stats.chainBreaks} chain breaks, ${stats.partErrors} ` +
                `failed GETs); origin CPU ${result.originCpuUnderLoadPercent} % under load ` +
                `(${result.originCpuIdlePercent} % idle, encoder included), RSS ` +
                `${result.originRssIdleMB} -> ${result.originRssPeakMB} MB; generator CPU ` +
                `${result.generatorCpuPercent} %`);
    return stats.missed === 0 ? 0 : 1;
  } finally {
    agent.destroy();
    if (child) child.kill('SIGINT');
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(String(error.message || error));
  process.exit(1);
});
