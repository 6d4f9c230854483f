// A tiny static stand-in for the origin's web routes, to develop and test the player page
// without the C++ server: serves the page sources, hls.js/dash.js from node_modules and an HLS
// archive (podium-cli stream --archive DIR) as channel <name>. Loopback only.
//   node dev_server.mjs --archive DIR [--channel NAME] [--port N]
// Prints "listening http://127.0.0.1:PORT" once ready.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const player = path.resolve(here, '../../resources/player');
const args = Object.fromEntries(
    process.argv.slice(2).reduce((pairs, arg, i, all) =>
        arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const archive = path.resolve(args.archive || '.');
const channel = args.channel || 'test';

const assets = {
  'index.html': path.join(player, 'src/index.html'),
  'player.html': path.join(player, 'src/player.html'),
  'player.js': path.join(player, 'src/player.js'),
  'viewer_report.js': path.join(player, 'src/viewer_report.js'),
  'player.css': path.join(player, 'src/player.css'),
  'hls.min.js': path.join(player, 'node_modules/hls.js/dist/hls.min.js'),
  'dash.all.min.js': path.join(player, 'node_modules/dashjs/dist/modern/umd/dash.all.min.js'),
};
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.m3u8': 'application/vnd.apple.mpegurl',
  '.mpd': 'application/dash+xml', '.mp4': 'video/mp4', '.m4s': 'video/iso.segment',
};

function send(res, file) {
  fs.readFile(file, (error, body) => {
    if (error) {
      res.writeHead(404).end('not found\n');
      return;
    }
    const media = /\.(m4s|mp4)$/.test(file);
    res.writeHead(200, {
      'Content-Type': types[path.extname(file)] || 'application/octet-stream',
      'Access-Control-Allow-Origin': '*',
      // Like the origin: media immutable, playlists short-lived (an edge can cache both).
      'Cache-Control': media ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(body);
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const p = decodeURIComponent(url.pathname);
  if (p === '/') return send(res, assets['index.html']);
  if (p === '/api/channels') {
    res.writeHead(200, {'Content-Type': 'application/json'});
    return res.end(JSON.stringify([{name: channel}]));
  }
  if (p === '/time') {  // the page corrects its clock with it, as with the origin
    res.writeHead(200, {'Content-Type': 'text/plain', 'Cache-Control': 'no-store'});
    return res.end(new Date().toISOString());
  }
  if (p.startsWith('/qoe/')) return res.writeHead(204).end();  // beacons: accepted, not kept
  if (p.startsWith('/watch/')) return send(res, assets['player.html']);
  if (p.startsWith('/assets/') && assets[p.slice(8)]) return send(res, assets[p.slice(8)]);
  const prefix = '/live/' + channel + '/';
  if (p.startsWith(prefix)) {
    const file = path.resolve(archive, p.slice(prefix.length));
    if (file.startsWith(archive + path.sep)) return send(res, file);
  }
  res.writeHead(404).end('not found\n');
});
server.listen(Number(args.port || 0), '127.0.0.1', () => {
  console.log('listening http://127.0.0.1:' + server.address().port);
});
