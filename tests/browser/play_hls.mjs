// node play_hls.mjs WATCH_URL [EXPECTED_LEVELS]
// Opens Podium's watch page (hls.js, low-latency mode) in headless Chromium and checks: playback
// starts within 6 s, currentTime advances >= 8 s over 10 s, the level count equals the ladder,
// and a forced level switch plays on without a freeze over 1 s. Prints a JSON summary; exit 0/1.
import {main} from './player_check.mjs';

await main('hls');
