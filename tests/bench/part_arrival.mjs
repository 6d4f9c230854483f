// node part_arrival.mjs MEDIA_PLAYLIST_URL [SECONDS]
// Where the origin's share of the delay goes: follows one LL-HLS media playlist with blocking
// reloads (_HLS_msn/_HLS_part) for SECONDS (default 30) and, for every new part, notes when it
// became available against the wall clock of its media (PROGRAM-DATE-TIME plus the parts
// before it), then fetches it. Prints JSON, medians in seconds:
//   partS          the part duration (its first frame waits this long for the part to close)
//   afterPartEndS  available minus the end of the part's media: encoder, packaging, publish
//   fetchS         time to GET the part on loopback (network)
//   holdBackS      PART-HOLD-BACK, what hls.js keeps between it and the live edge
// Benchmark helper, loopback only.
const [url, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 30);
if (!url) {
  console.error('usage: node part_arrival.mjs http://127.0.0.1:PORT/live/CH/TRACK/index.m3u8 [SECONDS]');
  process.exit(2);
}

// The newest part of a playlist: its URI, its media start (Unix ms) and duration (s), and
// where to block for the next one.
function parse(text) {
  const lines = text.split('\n');
  let pdt = NaN;
  let cursor = NaN;  // media time (Unix ms) at the current position
  let msn = Number((/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text) || [])[1]);
  let partIndex = 0;
  let newest = null;
  let holdBack = Number((/PART-HOLD-BACK=([\d.]+)/.exec(text) || [])[1]);
  for (const line of lines) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      pdt = Date.parse(line.slice(25));
      cursor = pdt;
    } else if (line.startsWith('#EXT-X-PART:')) {
      const duration = Number((/DURATION=([\d.]+)/.exec(line) || [])[1]);
      const uri = (/URI="([^"]+)"/.exec(line) || [])[1];
      newest = {uri, startMs: cursor, duration, msn, part: partIndex};
      cursor += duration * 1000;
      partIndex += 1;
    } else if (line.startsWith('#EXTINF:')) {
      // The segment's parts were listed before it: its end is where the next one starts.
    } else if (line && !line.startsWith('#')) {
      msn += 1;
      partIndex = 0;
      pdt = NaN;
    }
  }
  return {newest, holdBack};
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? +sorted[Math.floor((sorted.length - 1) / 2)].toFixed(3) : null;
};

const afterEnd = [];
const fetches = [];
const durations = [];
let holdBack = NaN;
let next = null;
const until = Date.now() + seconds * 1000;
const seen = new Set();
while (Date.now() < until) {
  const target = next ? `${url}?_HLS_msn=${next.msn}&_HLS_part=${next.part}` : url;
  const response = await fetch(target);
  const arrived = Date.now();
  const text = await response.text();
  const {newest, holdBack: hb} = parse(text);
  holdBack = hb;
  if (!newest) continue;
  if (next && !seen.has(newest.uri) && Number.isFinite(newest.startMs)) {
    seen.add(newest.uri);
    afterEnd.push((arrived - (newest.startMs + newest.duration * 1000)) / 1000);
    durations.push(newest.duration);
    const started = Date.now();
    const part = await fetch(new URL(newest.uri, url));
    await part.arrayBuffer();
    fetches.push((Date.now() - started) / 1000);
  }
  next = {msn: newest.msn, part: newest.part + 1};
}
console.log(JSON.stringify({
  url, parts: afterEnd.length, partS: median(durations), afterPartEndS: median(afterEnd),
  fetchS: median(fetches), holdBackS: holdBack,
}));
process.exit(afterEnd.length ? 0 : 1);
