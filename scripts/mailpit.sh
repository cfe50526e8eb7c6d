#!/usr/bin/env bash
# Runs Mailpit, a local mail catcher, so that mail sent in development
# lands in a web inbox instead of the internet.
#
#   scripts/mailpit.sh start   # install (first time) and start; prints the SMTP URL
#   scripts/mailpit.sh stop
#   scripts/mailpit.sh inbox   # prints the inbox URL (its API: GET /api/v1/messages)
#
# Both ports listen on 127.0.0.1 only: MAILPIT_SMTP_PORT (1025) and
# MAILPIT_HTTP_PORT (8025). The binary is built once into .data/bin from
# Mailpit's Go module; the pid file and log live in .data/mailpit. Messages
# are kept in memory and go when Mailpit stops.
set -euo pipefail

cmd=${1:?usage: mailpit.sh start|stop|inbox}
root=$(cd "$(dirname "$0")/.." && pwd)
version=v1.33.1
bin_dir="$root/.data/bin"
bin="$bin_dir/mailpit"
dir="$root/.data/mailpit"
pid_file="$dir/mailpit.pid"
log_file="$dir/mailpit.log"
smtp_port=${MAILPIT_SMTP_PORT:-1025}
http_port=${MAILPIT_HTTP_PORT:-8025}
smtp_url="smtp://127.0.0.1:$smtp_port"
inbox_url="http://127.0.0.1:$http_port"

# running succeeds when the pid file names a live Mailpit.
running() {
	[ -f "$pid_file" ] || return 1
	local pid
	pid=$(cat "$pid_file")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q mailpit
}

# port_open HOST PORT succeeds when something accepts connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

case "$cmd" in
start)
	if ! [ -x "$bin" ]; then
		echo "installing Mailpit $version into $bin_dir (once)..." >&2
		mkdir -p "$bin_dir"
		GOBIN="$bin_dir" go install "github.com/axllent/mailpit@$version" >&2
	fi
	mkdir -p "$dir"
	if ! running; then
		for p in "$smtp_port" "$http_port"; do
			if port_open 127.0.0.1 "$p"; then
				echo "error: port $p on 127.0.0.1 is taken; set MAILPIT_SMTP_PORT / MAILPIT_HTTP_PORT" >&2
				exit 1
			fi
		done
		nohup "$bin" --smtp "127.0.0.1:$smtp_port" --listen "127.0.0.1:$http_port" \
			--disable-version-check >"$log_file" 2>&1 &
		echo $! >"$pid_file"
		for _ in $(seq 1 100); do
			port_open 127.0.0.1 "$smtp_port" && port_open 127.0.0.1 "$http_port" && break
			running || { echo "error: Mailpit did not start; see $log_file" >&2; tail -5 "$log_file" >&2; exit 1; }
			sleep 0.1
		done
		port_open 127.0.0.1 "$smtp_port" || { echo "error: Mailpit is not listening; see $log_file" >&2; exit 1; }
	fi
	echo "Mailpit: SMTP $smtp_url, inbox $inbox_url (pid $(cat "$pid_file"))" >&2
	echo "$smtp_url"
	;;
stop)
	if running; then
		pid=$(cat "$pid_file")
		kill "$pid"
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		echo "Mailpit stopped" >&2
	fi
	rm -f "$pid_file"
	;;
inbox)
	echo "$inbox_url"
	;;
*)
	echo "usage: mailpit.sh start|stop|inbox" >&2
	exit 2
	;;
esac
