#!/usr/bin/env bash
# Runs Mailpit, a local mail catcher, so that mail sent in development
# lands in a web inbox instead of the internet.
#
#   scripts/mailpit.sh start [NAME]  # install (first time) and start; prints the SMTP URL
#   scripts/mailpit.sh stop [NAME]
#   scripts/mailpit.sh inbox [NAME]  # prints the inbox URL (its API: GET /api/v1/messages)
#   scripts/mailpit.sh running [NAME] # succeeds when it is running
#   scripts/mailpit.sh install       # builds the binary (first time) and prints its path
#
# Both ports listen on 127.0.0.1 only: MAILPIT_SMTP_PORT (1025) and
# MAILPIT_HTTP_PORT (8025). The binary is built once into .data/bin from
# Mailpit's Go module; the pid file and log live in .data/mailpit, or in
# .data/mailpit-NAME for a named instance (the browser tests run one beside
# `make run`'s on other ports). Messages are kept in memory and go when
# Mailpit stops, unless MAILPIT_DATABASE names a file to keep them in
# across a restart (the fault drill's SMTP outage).
set -euo pipefail

cmd=${1:?usage: mailpit.sh start|stop|inbox|running [NAME] | install}
name=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
version=v1.33.1
bin_dir="$root/.data/bin"
bin="$bin_dir/mailpit"
dir="$root/.data/mailpit${name:+-$name}"
pid_file="$dir/mailpit.pid"
log_file="$dir/mailpit.log"
inbox_file="$dir/inbox"
smtp_file="$dir/smtp"
smtp_port=${MAILPIT_SMTP_PORT:-1025}
http_port=${MAILPIT_HTTP_PORT:-8025}
smtp_url="smtp://127.0.0.1:$smtp_port"
inbox_url="http://127.0.0.1:$http_port"

if [ -n "$name" ] && ! [[ $name =~ ^[a-z0-9-]+$ ]]; then
	echo "error: instance name must be lower-case letters, digits and dashes" >&2
	exit 2
fi

# running succeeds when the pid file names a live Mailpit.
running() {
	[ -f "$pid_file" ] || return 1
	local pid
	pid=$(cat "$pid_file")
	# No pipe: under pipefail, grep -q ending first can fail the check.
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa mailpit "/proc/$pid/cmdline" 2>/dev/null
}

# port_open HOST PORT succeeds when something accepts connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

install() {
	if ! [ -x "$bin" ]; then
		echo "installing Mailpit $version into $bin_dir (once)..." >&2
		mkdir -p "$bin_dir"
		GOBIN="$bin_dir" go install "github.com/axllent/mailpit@$version" >&2
	fi
}

case "$cmd" in
install)
	install
	echo "$bin"
	;;
start)
	install
	mkdir -p "$dir"
	if ! running; then
		for p in "$smtp_port" "$http_port"; do
			if port_open 127.0.0.1 "$p"; then
				echo "error: port $p on 127.0.0.1 is taken; set MAILPIT_SMTP_PORT / MAILPIT_HTTP_PORT" >&2
				exit 1
			fi
		done
		store=()
		[ -n "${MAILPIT_DATABASE:-}" ] && store=(--database "$MAILPIT_DATABASE")
		nohup "$bin" --smtp "127.0.0.1:$smtp_port" --listen "127.0.0.1:$http_port" \
			--disable-version-check "${store[@]}" >"$log_file" 2>&1 &
		echo $! >"$pid_file"
		echo "$inbox_url" >"$inbox_file"
		echo "$smtp_url" >"$smtp_file"
		for _ in $(seq 1 100); do
			port_open 127.0.0.1 "$smtp_port" && port_open 127.0.0.1 "$http_port" && break
			running || { echo "error: Mailpit did not start; see $log_file" >&2; tail -5 "$log_file" >&2; exit 1; }
			sleep 0.1
		done
		port_open 127.0.0.1 "$smtp_port" || { echo "error: Mailpit is not listening; see $log_file" >&2; exit 1; }
	fi
	# A running instance keeps the ports it was started with.
	[ -f "$smtp_file" ] && smtp_url=$(cat "$smtp_file")
	[ -f "$inbox_file" ] && inbox_url=$(cat "$inbox_file")
	echo "Mailpit${name:+ ($name)}: SMTP $smtp_url, inbox $inbox_url (pid $(cat "$pid_file"))" >&2
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
		echo "Mailpit${name:+ ($name)} stopped" >&2
	fi
	rm -f "$pid_file" "$inbox_file" "$smtp_file"
	;;
running)
	running
	;;
inbox)
	# The running instance's own address; else where one would listen.
	if running && [ -f "$inbox_file" ]; then cat "$inbox_file"; else echo "$inbox_url"; fi
	;;
*)
	echo "usage: mailpit.sh start|stop|inbox|running [NAME] | install" >&2
	exit 2
	;;
esac
