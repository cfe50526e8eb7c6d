#!/usr/bin/env bash
# Creates the database NAME on the cluster of ADMIN_URL and prints its URL
# (ADMIN_URL with the database replaced, its query kept).
#
#   db_url=$(scripts/newdb.sh "$admin_url" "loadtest_$(date +%s)_$$")
set -euo pipefail
admin_url=${1:?usage: newdb.sh ADMIN_URL NAME}
name=${2:?usage: newdb.sh ADMIN_URL NAME}
psql "$admin_url" -qc "CREATE DATABASE $name" >/dev/null
base=${admin_url%%\?*}
query=${admin_url#"$base"}
echo "${base%/*}/$name$query"
