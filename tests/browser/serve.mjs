// A tiny static server for the built playground (dist/), for the browser
// journeys and the budget script. It serves the app both at / and under a
// sub-path (/some/sub/path/) to prove the build works from any sub-path, as on
// GitHub Pages. Usage: node serve.mjs <port> [dir]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const port = Number(process.argv[2] || 0);
const root = path.resolve(process.argv[3] || 'dist');
const SUBPATH = '/some/sub/path';
// The import worker's files are served like the page's: its loader and glue as
// JavaScript (a worker script and importScripts refuse other types) and its
// wasm as application/wasm (for streaming compilation), from / and the sub-path.
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

const server = http.createServer((req, res) => {
  let url = decodeURIComponent((req.url || '/').split('?')[0]);
  if (url.startsWith(SUBPATH)) url = url.slice(SUBPATH.length) || '/';
  if (url.endsWith('/')) url += 'index.html';
  const file = path.join(root, path.normalize(url));
  if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`serving ${root} on http://127.0.0.1:${server.address().port}/`);
});
