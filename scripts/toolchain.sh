#!/usr/bin/env bash
# Checks for the tools the project builds with and installs what Debian
# packages can provide (as root).
set -euo pipefail
missing=()
command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || missing+=("Go 1.25+ (https://go.dev/dl)")
command -v node >/dev/null 2>&1 || missing+=("Node.js 20+")
command -v npm >/dev/null 2>&1 || missing+=("npm")
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && ! command -v node >/dev/null 2>&1; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
		exec "$0" "$@"
	fi
	printf 'missing: %s\n' "${missing[@]}" >&2
	exit 1
fi
