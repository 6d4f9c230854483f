// node play_dash.mjs WATCH_URL [EXPECTED_LEVELS]
// The same checks as play_hls.mjs with the page in dash.js mode (?dash=1 is added to the URL):
// dash.js plays /live/<channel>/index.mpd.
import {main} from './player_check.mjs';

const url = process.argv[2];
if (url && !/[?&]dash=1\b/.test(url)) {
  process.argv[2] = url + (url.includes('?') ? '&' : '?') + 'dash=1';
}
await main('dash');
