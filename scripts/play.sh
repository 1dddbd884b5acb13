#!/usr/bin/env bash
# Installs whatever is missing, builds the playground and serves it on a free
# local port. Open the printed address; it starts on the default scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

bash scripts/setup.sh
port="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
echo "netsec playground: http://127.0.0.1:${port}/"
# Offline: Trunk must not download tools; it uses wasm-bindgen and wasm-opt from PATH.
TRUNK_OFFLINE=true exec trunk serve --release --address 127.0.0.1 --port "$port"
