#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for this checkout and prints its URL.
#
#   scripts/pg.sh start NAME PORT   # init (first time) and start; prints the URL
#   scripts/pg.sh stop NAME
#   scripts/pg.sh running NAME      # succeeds when the cluster is running
#   scripts/pg.sh dir NAME          # prints the data directory
#
# NAME is "dev" (kept between runs) or "test" (throwaway). The data lives in
# .data/NAME under the checkout when the postgres user can reach it, else in
# /var/tmp/creator-growth-tool/<checkout hash>/NAME. As root, initdb and
# pg_ctl run as the postgres user, since PostgreSQL refuses to run as root.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|running|dir NAME [PORT]}
name=${2:?usage: pg.sh start|stop|running|dir NAME [PORT]}
port=${3:-5432}
root=$(cd "$(dirname "$0")/.." && pwd)

find_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
	echo "PostgreSQL is not installed; installing it (apt-get install postgresql)..." >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "error: run as root or install PostgreSQL 15+ yourself, or set DATABASE_URL" >&2
		exit 1
	fi
	apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
	bin=$(find_bin)
fi

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

data_dir() {
	local base="$root/.data"
	if [ "$(id -u)" -eq 0 ]; then
		mkdir -p "$base"
		if ! runuser -u postgres -- test -x "$base" 2>/dev/null; then
			base="/var/tmp/creator-growth-tool/$(printf '%s' "$root" | sha256sum | cut -c1-12)"
		fi
	fi
	echo "$base/$name"
}

dir=$(data_dir)

case "$cmd" in
dir)
	echo "$dir"
	;;
running)
	[ -f "$dir/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1
	;;
stop)
	if [ -f "$dir/postmaster.pid" ]; then
		as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
	fi
	;;
start)
	if [ ! -f "$dir/PG_VERSION" ]; then
		mkdir -p "$dir"
		[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
		as_pg "$bin/initdb" -D "$dir" -U postgres --auth-local=trust --auth-host=trust \
			-E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
			{ cat "$dir.initdb.log" >&2; exit 1; }
		{
			echo "listen_addresses = '127.0.0.1'"
			echo "port = $port"
			echo "unix_socket_directories = '$dir'"
			echo "max_connections = 200"
			echo "shared_buffers = 256MB"
			if [ "$name" = test ]; then
				# Throwaway data: trade durability for speed.
				echo "fsync = off"
				echo "synchronous_commit = off"
				echo "full_page_writes = off"
			fi
		} >>"$dir/postgresql.conf"
	fi
	if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
		as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 start >/dev/null ||
			{ tail -20 "$dir/server.log" >&2; exit 1; }
	fi
	db=creator_growth
	[ "$name" = test ] && db=postgres
	if [ "$db" != postgres ]; then
		exists=$(as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
			"SELECT 1 FROM pg_database WHERE datname = '$db'" postgres)
		[ "$exists" = 1 ] || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
	fi
	echo "postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"
	;;
*)
	echo "usage: pg.sh start|stop|dir NAME [PORT]" >&2
	exit 2
	;;
esac
