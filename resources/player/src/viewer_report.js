// Podium watch page, part two: what the viewer experiences, measured in the page and reported
// back to the origin (issue #12).
// - The latency probe: Podium draws the capture wall clock into the picture's top-right corner
//   (docs/PROTOCOLS.md, "The latency probe strip"). PodiumReport.readStrip() reads it back from
//   the displayed frame, so glass to glass = when the frame was shown - when it was captured,
//   both on the origin's clock (the page's clock is corrected with GET /time).
// - Beacons: every 5 s, and once with "leaving" when the page goes, a small JSON report to
//   POST /qoe/<channel> (docs/PROTOCOLS.md, "Viewer beacons").
// Exposes window.PodiumReport; player.js starts it once a player is attached.
(function () {
  'use strict';

  // The strip's layout, as capture/latency_strip.h draws it.
  const kRows = 3;
  const kColumns = 16;
  const kCellsPerHeight = 40;
  const kSyncCells = 4;
  const kTimeBits = 32;
  const kCrcBits = 8;
  const kEndCells = 4;
  const kCells = kRows * kColumns;

  const kBeaconMs = 5000;     // one report every 5 s; the origin refuses more than one a second
  const kReadEveryMs = 250;   // strip readings per second: 4 (one canvas copy of a corner each)
  const kReadings = 8;        // the glass-to-glass figure is the median of the last 8 readings
  const kReadingLifeMs = 5000;  // ... taken within the last 5 s (a strip that stops reading
                                // leaves no figure rather than an old one)
  const kClockEveryMs = 60000;  // the page's clock against the origin's, once a minute
  const kTimeSamples = 5;     // /time round trips; the one with the shortest round trip wins

  function crc8(value) {
    let crc = 0;
    for (let shift = 24; shift >= 0; shift -= 8) {
      crc ^= (value >>> shift) & 0xff;
      for (let bit = 0; bit < 8; ++bit) {
        crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
      }
    }
    return crc;
  }

  // The cells of a value in reading order (true = white).
  function cellsFor(value) {
    const cells = [];
    for (let s = 0; s < kSyncCells; ++s) cells.push(s % 2 === 0);
    for (let bit = kTimeBits - 1; bit >= 0; --bit) cells.push(((value >>> bit) & 1) === 1);
    const crc = crc8(value);
    for (let bit = kCrcBits - 1; bit >= 0; --bit) cells.push(((crc >> bit) & 1) === 1);
    for (let e = 0; e < kEndCells; ++e) cells.push(e % 2 === 1);
    return cells;
  }

  // Where the strip's corner box is in a picture of width x height, or null when the picture
  // is too small to carry one.
  function stripBox(width, height) {
    const cell = height / kCellsPerHeight;
    const left = width - (kColumns + 2) * cell;
    if (height < 120 || left < 0) return null;
    const x = Math.max(0, Math.floor(left));
    const bottom = Math.min(height, Math.ceil((kRows + 2) * cell));
    return {cell: cell, left: left, x: x, width: width - x, height: bottom};
  }

  // Reads the strip from RGBA pixels of the corner box (as getImageData returns them): the
  // time (Unix ms modulo 2^32), or null when the sync cells, the end cells or the CRC disagree.
  function readStrip(pixels, box) {
    const luma = (x, y) => {
      const i = (y * box.width + x) * 4;
      return 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    };
    const means = [];
    for (let row = 0; row < kRows; ++row) {
      for (let column = 0; column < kColumns; ++column) {
        const x0 = box.left + (column + 1) * box.cell - box.x;
        const y0 = (row + 1) * box.cell;
        const xa = Math.floor(x0 + box.cell * 0.25);
        const xb = Math.max(xa + 1, Math.ceil(x0 + box.cell * 0.75));
        const ya = Math.floor(y0 + box.cell * 0.25);
        const yb = Math.max(ya + 1, Math.ceil(y0 + box.cell * 0.75));
        let sum = 0;
        for (let y = ya; y < yb; ++y) {
          for (let x = xa; x < xb; ++x) sum += luma(Math.min(x, box.width - 1), y);
        }
        means.push(sum / ((xb - xa) * (yb - ya)));
      }
    }
    let white = 0;
    let black = 0;
    for (let i = 0; i < kSyncCells; ++i) {
      if (i % 2 === 0) { white += means[i]; black += means[kCells - kEndCells + i]; }
      else { black += means[i]; white += means[kCells - kEndCells + i]; }
    }
    white /= kSyncCells;
    black /= kSyncCells;
    if (white - black < 48) return null;
    const threshold = (white + black) / 2;
    let value = 0;
    for (let i = 0; i < kTimeBits; ++i) {
      value = ((value << 1) | (means[kSyncCells + i] > threshold ? 1 : 0)) >>> 0;
    }
    const expected = cellsFor(value);
    for (let i = 0; i < kCells; ++i) {
      if ((means[i] > threshold) !== expected[i]) return null;
    }
    return value;
  }

  // How far `shownMs` (Unix ms) is after the strip time (mod 2^32), read as signed 32 bits.
  function stripAge(stripMs, shownMs) {
    const shown = Math.round(shownMs) % 4294967296;  // exact: Unix ms are far below 2^53
    return (shown - stripMs) | 0;
  }

  function median(values) {
    if (!values.length) return NaN;
    const sorted = values.slice().sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)];
  }

  function randomViewerId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // The origin's clock minus this page's, in ms: from the /time round trip that took least.
  async function measureClockOffset(timeUrl) {
    let best = null;
    for (let i = 0; i < kTimeSamples; ++i) {
      const sent = Date.now();
      let text;
      try {
        const response = await fetch(timeUrl, {cache: 'no-store'});
        if (!response.ok) continue;
        text = await response.text();
      } catch (e) {
        continue;
      }
      const received = Date.now();
      const server = Date.parse(text.trim());
      if (isNaN(server)) continue;
      const roundTrip = received - sent;
      if (!best || roundTrip < best.roundTrip) {
        best = {roundTrip: roundTrip, offset: server - (sent + received) / 2};
      }
    }
    return best ? best.offset : 0;
  }

  // Reads the displayed frames' strips (requestVideoFrameCallback: the frame the compositor
  // shows, and when). glassToGlass() is the median of the recent readings, in seconds.
  function startProbe(video, clock) {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', {willReadFrequently: true});
    const readings = [];  // {age, at}: ms glass to glass, and when read (performance.now())
    const fresh = () => {
      const since = performance.now() - kReadingLifeMs;
      while (readings.length && readings[0].at < since) readings.shift();
      return readings.map((r) => r.age);
    };
    const probe = {reads: 0, misses: 0, last: NaN, glassToGlass: () => median(fresh()) / 1000};
    if (!video.requestVideoFrameCallback || !context) return probe;
    let lastRead = 0;
    const onFrame = (now, metadata) => {
      video.requestVideoFrameCallback(onFrame);
      // Until the page knows the origin's clock, a reading would be off by the difference.
      if (!clock.known || now - lastRead < kReadEveryMs) return;
      lastRead = now;
      const box = stripBox(metadata.width || video.videoWidth, metadata.height || video.videoHeight);
      if (!box) return;
      if (canvas.width !== box.width || canvas.height !== box.height) {
        canvas.width = box.width;
        canvas.height = box.height;
      }
      try {
        context.drawImage(video, box.x, 0, box.width, box.height, 0, 0, box.width, box.height);
        const strip = readStrip(context.getImageData(0, 0, box.width, box.height).data, box);
        if (strip === null) { probe.misses += 1; return; }
        // When this frame reaches the screen, on the origin's clock: the wall clock now, less
        // how long until then on the monotonic clock (performance.timeOrigin drifts from the
        // wall clock over a suspend or an NTP step; Date.now() is what /time was compared to).
        const display = metadata.expectedDisplayTime || now;
        const shown = Date.now() + (display - performance.now()) + clock.offset;
        const age = stripAge(strip, shown);
        probe.reads += 1;
        probe.last = age / 1000;
        readings.push({age: age, at: performance.now()});
        if (readings.length > kReadings) readings.shift();
      } catch (e) {
        probe.misses += 1;  // a tainted canvas (another origin's video) cannot be read
      }
    };
    video.requestVideoFrameCallback(onFrame);
    return probe;
  }

  // Stalls and playing time as the viewer lives them: a stall runs from 'waiting' (after
  // playback started) to the next 'playing'.
  function watchPlayback(video) {
    const counts = {stalls: 0, stallSeconds: 0, watchSeconds: 0};
    let started = false;
    let stalledSince = null;
    let lastTick = performance.now();
    video.addEventListener('playing', () => {
      started = true;
      if (stalledSince !== null) counts.stallSeconds += (performance.now() - stalledSince) / 1000;
      stalledSince = null;
    });
    video.addEventListener('waiting', () => {
      // A seek into what is not buffered yet (the viewer's, or a jump to live) is not a stall.
      if (!started || stalledSince !== null || video.seeking) return;
      counts.stalls += 1;
      stalledSince = performance.now();
    });
    setInterval(() => {
      const now = performance.now();
      if (started && stalledSince === null && !video.paused) counts.watchSeconds += (now - lastTick) / 1000;
      lastTick = now;
    }, 500);
    counts.stallSecondsNow = () =>
      counts.stallSeconds + (stalledSince === null ? 0 : (performance.now() - stalledSince) / 1000);
    return counts;
  }

  function round(value, digits) {
    return isFinite(value) ? Number(value.toFixed(digits)) : undefined;
  }

  // Starts measuring and reporting. `player` is window.podiumPlayer (latency(), rendition(),
  // bandwidth()); `urls` gives the beacon and /time URLs (with the viewer passcode).
  function start(video, player, urls) {
    const clock = {offset: 0, known: false};
    const syncClock = () => measureClockOffset(urls.time).then((offset) => {
      clock.offset = offset;
      clock.known = true;
    });
    syncClock();
    setInterval(syncClock, kClockEveryMs);
    const probe = startProbe(video, clock);
    const playback = watchPlayback(video);
    let viewer = null;
    try { viewer = sessionStorage.getItem('podium-viewer'); } catch (e) { viewer = null; }
    if (!viewer || !/^[0-9a-f]{24}$/.test(viewer)) {
      viewer = randomViewerId();
      try { sessionStorage.setItem('podium-viewer', viewer); } catch (e) { /* private mode */ }
    }
    const report = {viewer: viewer, sent: 0, refused: 0, lastStatus: 0, lastBody: null};

    function body(leaving) {
      const quality = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
      const fields = {
        viewer: viewer,
        behind: round(player.latency(), 3),
        g2g: round(probe.glassToGlass(), 3),
        rendition: player.rendition() || undefined,
        stalls: playback.stalls,
        stallSeconds: round(playback.stallSecondsNow(), 3),
        watchSeconds: round(playback.watchSeconds, 3),
        dropped: quality ? quality.droppedVideoFrames : undefined,
        bandwidth: round(player.bandwidth(), 0),
        leaving: leaving || undefined,
      };
      // The origin checks ranges; a figure out of them (a clock hours off) is left out.
      if (!(fields.behind >= 0 && fields.behind <= 3600)) delete fields.behind;
      if (!(fields.g2g >= -60 && fields.g2g <= 3600)) delete fields.g2g;
      return JSON.stringify(fields);
    }

    function send() {
      if (video.paused && !playback.watchSeconds) return;  // not watching yet
      const text = body(false);
      report.lastBody = text;
      fetch(urls.beacon, {method: 'POST', body: text, keepalive: true,
                          headers: {'Content-Type': 'application/json'}})
          .then((response) => {
            report.lastStatus = response.status;
            if (response.ok) report.sent += 1; else report.refused += 1;
          })
          .catch(() => { report.refused += 1; });
    }

    setInterval(send, kBeaconMs);
    setTimeout(send, 1500);  // the first report soon after playback starts
    window.addEventListener('pagehide', () => {
      const blob = new Blob([body(true)], {type: 'application/json'});
      if (!navigator.sendBeacon || !navigator.sendBeacon(urls.beacon, blob)) {
        fetch(urls.beacon, {method: 'POST', body: blob, keepalive: true}).catch(() => {});
      }
    });
    return {probe: probe, playback: playback, report: report, clock: clock};
  }

  window.PodiumReport = {readStrip: readStrip, stripBox: stripBox, stripAge: stripAge,
                         cellsFor: cellsFor, start: start};
})();
