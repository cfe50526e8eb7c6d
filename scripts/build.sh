#!/usr/bin/env bash
# Builds the web app (when its sources changed) and the server with the app
# embedded, into bin/server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/index.html ] || [ -n "$(find src public index.html vite.config.* package.json -newer dist/index.html 2>/dev/null | head -1)" ]; then
	npm run build --silent
fi
cd "$root"
go build -tags embedspa -o bin/server ./cmd/server
