// Podium watch page: plays /live/<channel>/index.m3u8 with hls.js in low-latency mode (native
// HLS where MSE is missing, e.g. iPhone Safari), or /live/<channel>/index.mpd with dash.js when
// the page URL has ?dash=1. State for tests and scripts: window.podiumPlayer. What the viewer
// experiences (glass to glass, stalls) is measured and reported by viewer_report.js.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const useDash = params.get('dash') === '1';
  const code = params.get('code');  // viewer passcode; the server also sets a cookie from it
  const channel = channelFromPath(location.pathname);
  const video = document.getElementById('video');
  const ui = {
    title: document.getElementById('title'),
    badge: document.getElementById('live-badge'),
    overlay: document.getElementById('overlay'),
    unmute: document.getElementById('unmute'),
    quality: document.getElementById('quality'),
    latency: document.getElementById('latency'),
    latencyValue: document.getElementById('latency-value'),
    glass: document.getElementById('glass'),
    copy: document.getElementById('copy'),
    status: document.getElementById('status'),
    link: document.getElementById('link'),
  };
  const kRetryMs = 3000;

  // /watch/<channel> (a trailing slash or /index.html after it is tolerated).
  function channelFromPath(path) {
    const match = /^\/watch\/([^/]+)/.exec(path);
    return match ? decodeURIComponent(match[1]) : '';
  }

  function withCode(url) {
    return code ? url + (url.includes('?') ? '&' : '?') + 'code=' + encodeURIComponent(code) : url;
  }

  function formatBitrate(bitsPerSecond) {
    if (!bitsPerSecond) return '';
    if (bitsPerSecond >= 1e6) return (bitsPerSecond / 1e6).toFixed(1) + ' Mb/s';
    return Math.round(bitsPerSecond / 1e3) + ' kb/s';
  }

  function levelLabel(level) {
    const parts = [];
    if (level.height) parts.push(level.height + 'p');
    if (level.bitrate) parts.push(formatBitrate(level.bitrate));
    return parts.join(' · ') || 'Level ' + (level.index + 1);
  }

  function setOverlay(text) {
    ui.overlay.textContent = text || '';
    ui.overlay.hidden = !text;
  }

  function setStatus(text) {
    ui.status.textContent = text || '';
  }

  const state = {
    mode: useDash ? 'dash' : 'hls',
    channel: channel,
    hls: null,
    dash: null,
    errors: [],  // fatal player errors, newest last (for tests)
    warnings: [],  // the first 100 non-fatal ones (stalls), with the page's time in ms
    levels() { return []; },
    get currentLevel() { return -1; },
    get autoLevel() { return true; },
    setLevel(/* index */) {},
    latency() { return NaN; },
    rendition() { return ''; },   // the track id playing
    bandwidth() { return NaN; },  // the player's estimate, bits/s
    report: null,                 // viewer_report.js: probe, playback counts, beacons
    liveEdge() { return NaN; },
    backToLive() {},              // the viewer asked for live again (the latency button)
    isLive() { return true; },
  };
  window.podiumPlayer = state;

  // ---- hls.js ----------------------------------------------------------------------------

  function hlsLevels(hls) {
    return hls.levels.map((level, index) => ({
      index: index,
      width: level.width || 0,
      height: level.height || 0,
      bitrate: level.bitrate || 0,
      label: levelLabel({index: index, height: level.height, bitrate: level.bitrate}),
    }));
  }

  function startHls(url) {
    const hls = new Hls({
      lowLatencyMode: true,
      backBufferLength: 30,
      // The page steers the playback rate itself (keepNearLive): hls.js only speeds up while
      // more than 1 s is buffered, which keeps a low-latency preset a second further back.
      maxLiveSyncPlaybackRate: 1,
      // After a stall hls.js would play further from live for good (one second per stall by
      // default, up to a target duration), so a hiccup at startup undid a low-latency preset
      // for the whole session. keepNearLive keeps that margin itself and gives it back.
      liveSyncOnStallIncrease: 0,
      manifestLoadingMaxRetry: 2,
    });
    state.hls = hls;
    state.levels = () => hlsLevels(hls);
    Object.defineProperty(state, 'currentLevel', {get: () => hls.currentLevel});
    Object.defineProperty(state, 'autoLevel', {get: () => hls.autoLevelEnabled});
    // nextLevel: a smooth switch (keeps the fragment playing, flushes only what is ahead).
    state.setLevel = (index) => { hls.nextLevel = index; };
    state.latency = () => {
      const date = hls.playingDate;
      if (date && !isNaN(date.getTime())) return (Date.now() - date.getTime()) / 1000;
      return hls.latency;
    };
    state.liveEdge = () => hls.liveSyncPosition;
    state.rendition = () => trackOfUrl(hls.levels[hls.currentLevel]);
    state.bandwidth = () => hls.bandwidthEstimate;
    state.isLive = () => {
      const level = hls.levels[Math.max(hls.currentLevel, 0)];
      return !(level && level.details && !level.details.live);
    };

    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      setOverlay('');
      fillQuality(state.levels());
      play();
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, () => updateQualityLabel());
    const stopSteering = keepNearLive(hls);
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) {
        if (state.warnings.length < 100) {
          const why = data.error && data.error.message ? ': ' + data.error.message : '';
          state.warnings.push(Math.round(performance.now()) + ' ' + data.details + why);
        }
        return;
      }
      state.errors.push(data.type + ': ' + data.details);
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
        return;
      }
      const offline = data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR;
      setOverlay(offline ? 'This channel is not live right now.' : 'Connection lost.');
      setStatus('Retrying…');
      stopSteering();  // the retry's own keepNearLive takes over
      hls.destroy();
      setTimeout(() => startHls(url), kRetryMs);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  // Plays at the latency hls.js targets (PART-HOLD-BACK) plus a stall margin (returns a function
  // that stops it, for when the page starts hls.js again): a bit faster
  // (up to 1.25x, in proportion to the distance) while behind it with something buffered,
  // normal speed once within 50 ms, when the buffer runs low, or whenever it is not steering.
  // Each stall adds 0.2 s to the margin (at most a target duration); after 15 s without one it
  // shrinks again by 0.05 s a second, so a hiccup costs latency only while hiccups go on.
  // More than a target duration behind the target (a slow start, a long stall) it jumps to
  // hls.js's live sync position, unless the viewer went back on purpose (paused, or sought
  // backwards with the controls): then it leaves them there until the latency button brings
  // them back to live.
  const kStallMarginStepS = 0.2;
  const kStallMarginHoldMs = 15000;
  const kStallMarginDecayPerTickS = 0.05 / 4;
  function keepNearLive(hls) {
    let wentBack = false;
    let lastTime = 0;
    let stallMargin = 0;
    let lastStallMs = -Infinity;
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.details !== Hls.ErrorDetails.BUFFER_STALLED_ERROR || video.seeking) return;
      const level = hls.levels[Math.max(hls.currentLevel, 0)];
      const cap = level && level.details ? level.details.targetduration : 1;
      stallMargin = Math.min(cap, stallMargin + kStallMarginStepS);
      lastStallMs = performance.now();
    });
    state.stallMargin = () => stallMargin;
    const listening = new AbortController();
    const on = (type, handler) => video.addEventListener(type, handler, {signal: listening.signal});
    on('timeupdate', () => { if (!video.seeking) lastTime = video.currentTime; });
    on('seeking', () => { if (video.currentTime < lastTime - 1) wentBack = true; });
    on('pause', () => { if (!video.ended) wentBack = true; });
    state.backToLive = () => { wentBack = false; };
    const timer = setInterval(() => {
      const level = hls.levels[Math.max(hls.currentLevel, 0)];
      const details = level && level.details;
      if (performance.now() - lastStallMs > kStallMarginHoldMs) {
        stallMargin = Math.max(0, stallMargin - kStallMarginDecayPerTickS);
      }
      const target = hls.targetLatency + stallMargin;
      const distance = hls.latency - target;
      const buffered = video.buffered.length
          ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0;
      const playingLive = details && details.live && !video.paused && video.readyState >= 3 &&
                          isFinite(distance) && !wentBack;
      if (playingLive && !video.seeking && distance > details.targetduration + 1 &&
          isFinite(hls.liveSyncPosition)) {
        video.currentTime = hls.liveSyncPosition;
        return;
      }
      let rate = 1;
      if (playingLive && distance > 0.05 && buffered > 0.3) rate = Math.min(1.25, 1 + distance / 2);
      rate = Math.round(rate * 20) / 20;  // steps of 5 %, so the rate does not flap
      if (video.playbackRate !== rate) video.playbackRate = rate;
    }, 250);
    return () => {
      clearInterval(timer);
      listening.abort();
    };
  }

  // The origin's media playlists are /live/<channel>/<track>/index.m3u8: the track id.
  function trackOfUrl(level) {
    if (!level) return '';
    const url = level.uri || (Array.isArray(level.url) ? level.url[0] : level.url) || '';
    const match = /\/([A-Za-z0-9_-]+)\/index\.m3u8/.exec(url);
    return match ? match[1] : '';
  }

  function startNative(url) {
    video.src = url;
    state.latency = () => {
      const start = video.getStartDate ? video.getStartDate().getTime() : NaN;
      if (!isNaN(start)) return (Date.now() - start) / 1000 - video.currentTime;
      const seekable = video.seekable;
      return seekable.length ? seekable.end(seekable.length - 1) - video.currentTime : NaN;
    };
    state.liveEdge = () => {
      const seekable = video.seekable;
      return seekable.length ? seekable.end(seekable.length - 1) : NaN;
    };
    ui.quality.closest('.field').hidden = true;  // Safari picks the rendition itself
    video.addEventListener('loadedmetadata', () => { setOverlay(''); play(); }, {once: true});
    video.addEventListener('error', () => {
      state.errors.push('native: ' + (video.error ? video.error.message || video.error.code : ''));
      setOverlay('This channel is not live right now.');
      setTimeout(() => { video.src = url; video.load(); }, kRetryMs);
    });
  }

  // ---- dash.js -----------------------------------------------------------------------------

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error('cannot load ' + src));
      document.head.append(script);
    });
  }

  function dashLevels(player) {
    return player.getRepresentationsByType('video').map((rep, index) => ({
      index: index,
      id: rep.id,
      width: rep.width || 0,
      height: rep.height || 0,
      bitrate: rep.bandwidth || 0,
      label: levelLabel({index: index, height: rep.height, bitrate: rep.bandwidth}),
    }));
  }

  function startDash(url) {
    const player = dashjs.MediaPlayer().create();
    state.dash = player;
    // Low latency: the target delay and playback-rate bounds come from the MPD's
    // ServiceDescription (the origin derives them from its segment and chunk durations).
    player.updateSettings({
      streaming: {
        liveCatchup: {enabled: true},
        abr: {autoSwitchBitrate: {video: true}},
      },
    });
    let manual = false;
    state.levels = () => dashLevels(player);
    // The level on screen: dash.js reports a requested switch at once, the render event later.
    let renderedId = null;
    Object.defineProperty(state, 'currentLevel', {
      get: () => {
        const current = player.getCurrentRepresentationForType('video');
        const id = renderedId || (current && current.id);
        return id ? state.levels().findIndex((l) => l.id === id) : -1;
      },
    });
    Object.defineProperty(state, 'autoLevel', {get: () => !manual});
    state.setLevel = (index) => {
      manual = index >= 0;
      player.updateSettings({streaming: {abr: {autoSwitchBitrate: {video: !manual}}}});
      const level = state.levels()[index];
      if (manual && level) player.setRepresentationForTypeById('video', level.id);
    };
    state.latency = () => player.getCurrentLiveLatency();
    state.rendition = () => {
      const level = state.levels()[state.currentLevel];
      return level ? level.id : '';
    };
    state.bandwidth = () => player.getAverageThroughput('video') * 1000;  // kb/s
    state.liveEdge = () => player.duration();
    state.isLive = () => player.isDynamic();

    player.on(dashjs.MediaPlayer.events.STREAM_INITIALIZED, () => {
      setOverlay('');
      fillQuality(state.levels());
      play();
    });
    player.on(dashjs.MediaPlayer.events.QUALITY_CHANGE_RENDERED, (event) => {
      if (event.mediaType === 'video' && event.newRepresentation) {
        renderedId = event.newRepresentation.id;
      }
      updateQualityLabel();
    });
    player.on(dashjs.MediaPlayer.events.ERROR, (event) => {
      const error = event.error || {};
      state.errors.push('dash: ' + (error.message || error.code || 'error'));
      setOverlay('This channel is not live right now.');
      setStatus('Retrying…');
      setTimeout(() => player.attachSource(url), kRetryMs);
    });
    player.initialize(video, url, true);
  }

  // ---- shared UI ---------------------------------------------------------------------------

  function fillQuality(levels) {
    const select = ui.quality;
    select.replaceChildren(new Option('Auto', '-1'));
    levels
      .slice()
      .sort((a, b) => b.bitrate - a.bitrate)
      .forEach((level) => select.append(new Option(level.label, String(level.index))));
    select.disabled = levels.length < 2;
    select.value = state.autoLevel ? '-1' : String(state.currentLevel);
    updateQualityLabel();
  }

  function updateQualityLabel() {
    const level = state.levels()[state.currentLevel];
    const auto = ui.quality.options[0];
    if (auto) auto.textContent = state.autoLevel && level ? 'Auto (' + level.label + ')' : 'Auto';
  }

  function play() {
    const attempt = video.play();
    if (!attempt) return;
    attempt.catch((error) => {
      if (error.name !== 'NotAllowedError') return;
      // Autoplay with sound refused (phones): play muted, offer to unmute.
      video.muted = true;
      ui.unmute.hidden = false;
      video.play().catch(() => setStatus('Tap play to start.'));
    });
  }

  function updateLatency() {
    const seconds = state.latency();
    const playing = !video.paused && video.readyState >= 2;
    const live = playing && state.isLive();
    ui.badge.hidden = !live;
    ui.latency.hidden = playing && !live;  // a finished recording has no live edge
    ui.latencyValue.textContent =
        live && isFinite(seconds) ? seconds.toFixed(1) + ' s behind live' : '–';
    // Glass to glass, when the picture carries Podium's latency probe strip.
    const glass = state.report ? state.report.probe.glassToGlass() : NaN;
    ui.glass.hidden = !(live && isFinite(glass));
    ui.glass.textContent = isFinite(glass) ? 'glass-to-glass ' + glass.toFixed(1) + ' s' : '';
  }

  async function copyLink() {
    const link = location.href;
    let copied = false;
    if (navigator.clipboard && window.isSecureContext) {
      copied = await navigator.clipboard.writeText(link).then(() => true, () => false);
    }
    if (!copied) {
      // Plain http on a LAN is not a secure context: select the visible field and copy that.
      ui.link.hidden = false;
      ui.link.focus();
      ui.link.select();
      try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    }
    ui.copy.textContent = copied ? 'Copied' : 'Select the link below';
    setTimeout(() => { ui.copy.textContent = 'Copy link'; }, 2000);
  }

  function wireUi() {
    document.title = (channel || 'Podium') + ' · Podium live';
    ui.title.textContent = channel || 'No channel';
    ui.link.value = location.href;
    ui.quality.addEventListener('change', () => {
      state.setLevel(Number(ui.quality.value));
      updateQualityLabel();
    });
    ui.latency.addEventListener('click', () => {
      state.backToLive();
      const edge = state.liveEdge();
      if (isFinite(edge)) video.currentTime = edge;
      if (video.paused) play();
    });
    ui.unmute.addEventListener('click', () => {
      video.muted = false;
      ui.unmute.hidden = true;
    });
    ui.copy.addEventListener('click', copyLink);
    video.addEventListener('playing', () => setStatus(''));
    video.addEventListener('waiting', () => setStatus('Buffering…'));
    setInterval(updateLatency, 500);
  }

  function startReporting() {
    if (!window.PodiumReport) return;
    state.report = PodiumReport.start(video, state, {
      beacon: withCode('/qoe/' + encodeURIComponent(channel)),
      time: '/time',
    });
  }

  function start() {
    wireUi();
    if (!channel) {
      setOverlay('No channel in the address: open /watch/<channel>.');
      return;
    }
    const base = '/live/' + encodeURIComponent(channel) + '/';
    setOverlay('Connecting…');
    if (useDash) {
      loadScript('/assets/dash.all.min.js')
        .then(() => startDash(withCode(base + 'index.mpd')))
        .catch((error) => {
          state.errors.push(String(error));
          setOverlay('Cannot load the DASH player.');
        });
    } else if (window.Hls && Hls.isSupported()) {
      startHls(withCode(base + 'index.m3u8'));
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      startNative(withCode(base + 'index.m3u8'));
    } else {
      setOverlay('This browser cannot play HLS.');
      return;
    }
    startReporting();
  }

  start();
})();
