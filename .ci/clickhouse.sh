#!/usr/bin/env bash
# Starts and stops a private ClickHouse server (Debian's clickhouse-server 18.16)
# for baton's tests: loopback only, its own data directory, config and ports, run
# as the current user in the background. Nothing under /etc or /var is used.
#
#   .ci/clickhouse.sh start|stop|restart|status [DIR] [HTTP_PORT]
#
# Defaults: DIR=/tmp/baton-ch, HTTP_PORT=18123, TCP port 19000 (or
# BATON_CH_TCP_PORT). Users: `default` (empty password, loopback only) and
# `baton` / `baton-secret` (for credential tests). `start` returns once
# `SELECT 1` answers; `stop` waits until the process is gone. Data in DIR
# survives stop/restart; delete DIR for a fresh server.
set -euo pipefail

COMMAND="${1:-}"
DIR="${2:-${BATON_CH_DIR:-/tmp/baton-ch}}"
HTTP_PORT="${3:-${BATON_CH_HTTP_PORT:-18123}}"
TCP_PORT="${BATON_CH_TCP_PORT:-19000}"
START_TIMEOUT_S="${BATON_CH_START_TIMEOUT_S:-60}"
STOP_TIMEOUT_S="${BATON_CH_STOP_TIMEOUT_S:-30}"
PID_FILE="$DIR/clickhouse-server.pid"
CONFIG="$DIR/config.xml"

usage() {
  echo "usage: $0 start|stop|restart|status [DIR] [HTTP_PORT]" >&2
  exit 2
}

find_server() {
  if command -v clickhouse-server >/dev/null 2>&1; then command -v clickhouse-server
  elif [ -x /usr/sbin/clickhouse-server ]; then echo /usr/sbin/clickhouse-server
  elif command -v clickhouse >/dev/null 2>&1; then echo "$(command -v clickhouse) server"
  else
    echo "clickhouse-server not found: install it (apt-get install clickhouse-server)" >&2
    exit 1
  fi
}

write_config() {
  mkdir -p "$DIR/data" "$DIR/tmp" "$DIR/user_files" "$DIR/format_schemas" "$DIR/log"
  # 18.16 config format: <yandex> root. No interserver port, no graphite, no
  # includes from /etc/metrika.xml. UTC so that DateTime text is the same everywhere.
  cat >"$CONFIG" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$DIR/log/clickhouse-server.log</log>
        <errorlog>$DIR/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>2</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$HTTP_PORT</http_port>
    <tcp_port>$TCP_PORT</tcp_port>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$DIR/data/</path>
    <tmp_path>$DIR/tmp/</tmp_path>
    <user_files_path>$DIR/user_files/</user_files_path>
    <format_schema_path>$DIR/format_schemas/</format_schema_path>
    <users_config>$DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
    <dictionaries_config>$DIR/*_dictionary.xml</dictionaries_config>
    <max_table_size_to_drop>0</max_table_size_to_drop>
    <max_partition_size_to_drop>0</max_partition_size_to_drop>
    <!-- One shard, one replica: this server itself. Lets tests exercise the
         Distributed half of the cluster schema without ZooKeeper. -->
    <remote_servers>
        <baton_loopback>
            <shard>
                <replica>
                    <host>127.0.0.1</host>
                    <port>$TCP_PORT</port>
                </replica>
            </shard>
        </baton_loopback>
    </remote_servers>
</yandex>
EOF
  cat >"$DIR/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks>
                <ip>::1</ip>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <baton>
            <password>baton-secret</password>
            <networks>
                <ip>::1</ip>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </baton>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

# Prints the answer of `SELECT 1` over HTTP, or nothing.
probe() {
  local url="http://127.0.0.1:$HTTP_PORT/?query=SELECT%201"
  if command -v curl >/dev/null 2>&1; then
    curl -sf --max-time 2 "$url" 2>/dev/null || true
  elif command -v wget >/dev/null 2>&1; then
    wget -qO- --timeout=2 "$url" 2>/dev/null || true
  else
    node -e "fetch('$url').then(r=>r.ok?r.text():'').then(t=>process.stdout.write(t)).catch(()=>{})" 2>/dev/null || true
  fi
}

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A stale pid file (server killed with -9) may name a pid reused by something else.
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q clickhouse; then return 1; fi
  echo "$pid"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    if [ "$(probe)" = "1" ]; then
      echo "clickhouse-server already running (pid $pid, http 127.0.0.1:$HTTP_PORT, dir $DIR)"
      return 0
    fi
  fi
  if [ "$(probe)" = "1" ]; then
    echo "port $HTTP_PORT already answers but not with our pid file in $DIR: stop that server first" >&2
    exit 1
  fi
  local server
  server="$(find_server)"
  write_config
  # shellcheck disable=SC2086 # $server may be "clickhouse server"
  (cd "$DIR" && exec nohup $server --config-file="$CONFIG" >"$DIR/log/stdout.log" 2>&1 </dev/null 9>&-) &
  echo $! >"$PID_FILE"
  pid="$(cat "$PID_FILE")"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(probe)" = "1" ]; then
      echo "clickhouse-server started (pid $pid, http 127.0.0.1:$HTTP_PORT, tcp $TCP_PORT, dir $DIR)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "clickhouse-server exited during start; last log lines:" >&2
      tail -n 30 "$DIR/log/stdout.log" "$DIR/log/clickhouse-server.err.log" 2>/dev/null >&2 || true
      rm -f "$PID_FILE"
      exit 1
    fi
    sleep 0.2
  done
  echo "clickhouse-server did not answer SELECT 1 within ${START_TIMEOUT_S}s; see $DIR/log" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "clickhouse-server not running (dir $DIR)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "clickhouse-server (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT_S}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  # The port must be free before a restart can bind it again.
  deadline=$((SECONDS + STOP_TIMEOUT_S))
  while [ "$(probe)" = "1" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "port $HTTP_PORT still answers after stopping pid $pid: another server is on it" >&2
      exit 1
    fi
    sleep 0.1
  done
  rm -f "$PID_FILE"
  echo "clickhouse-server stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)" && [ "$(probe)" = "1" ]; then
    echo "clickhouse-server running (pid $pid, http 127.0.0.1:$HTTP_PORT, dir $DIR)"
  else
    echo "clickhouse-server not running (dir $DIR)"
    exit 1
  fi
}

# One command at a time per DIR: test files start the shared server from
# parallel worker processes, and two servers must never race for one pid file.
lock() {
  mkdir -p "$DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$DIR/.lock"
    flock -w 120 9 || { echo "timed out waiting for $DIR/.lock" >&2; exit 1; }
  fi
}

case "$COMMAND" in
  start | stop | restart | status) lock ;;
esac
case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  *) usage ;;
esac
