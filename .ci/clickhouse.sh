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
        <level>${BATON_CH_LOG_LEVEL:-warning}</level>
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
    <!-- Which instance answers (see probe in .ci/clickhouse.sh). -->
    <macros>
        <baton_instance>$DIR</baton_instance>
    </macros>
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

# What answers on HTTP_PORT: "up:<instance marker>" (our DIR when it is this
# instance), "up:" for another ClickHouse, nothing when nobody answers.
# 18.16 binds with SO_REUSEPORT, so a second server on the same port starts
# without error and the kernel splits connections between the two: only the
# marker tells them apart.
probe() {
  local query="SELECT concat('up:', (SELECT any(substitution) FROM system.macros WHERE macro = 'baton_instance'))"
  if command -v curl >/dev/null 2>&1; then
    curl -sf --max-time 2 --data-binary "$query" "http://127.0.0.1:$HTTP_PORT/" 2>/dev/null || true
  else
    node -e "fetch('http://127.0.0.1:$HTTP_PORT/',{method:'POST',body:process.argv[1]}).then(r=>r.ok?r.text():'').then(t=>process.stdout.write(t.trim())).catch(()=>{})" "$query" 2>/dev/null || true
  fi
}

ours() { [ "$(probe)" = "up:$DIR" ]; }

# Something accepts connections on 127.0.0.1:$1 (ClickHouse or not).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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
  if pid="$(running_pid)" && ours; then
    echo "clickhouse-server already running (pid $pid, http 127.0.0.1:$HTTP_PORT, dir $DIR)"
    return 0
  fi
  local port
  for port in "$HTTP_PORT" "$TCP_PORT"; do
    if port_taken "$port"; then
      echo "port $port is already in use (not by the server of $DIR): stop that process or choose other ports" >&2
      exit 1
    fi
  done
  local server
  server="$(find_server)"
  write_config
  # shellcheck disable=SC2086 # $server may be "clickhouse server"
  (cd "$DIR" && exec nohup $server --config-file="$CONFIG" >"$DIR/log/stdout.log" 2>&1 </dev/null 9>&-) &
  echo $! >"$PID_FILE"
  pid="$(cat "$PID_FILE")"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ours; then
      # Another server that grabbed the port meanwhile would share it: answers must all be ours.
      local check
      for check in 1 2 3 4 5; do
        if ! ours; then
          echo "another ClickHouse server shares port $HTTP_PORT; stopping ours" >&2
          kill -TERM "$pid" 2>/dev/null || true
          rm -f "$PID_FILE"
          exit 1
        fi
      done
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
  echo "clickhouse-server did not answer within ${START_TIMEOUT_S}s; see $DIR/log" >&2
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
  # 18.16 keeps serving open keep-alive connections after SIGTERM until they go idle,
  # and under load sometimes segfaults while shutting down, then hangs: kill it then.
  local errlog="$DIR/log/clickhouse-server.err.log"
  local errlines
  errlines="$(wc -l <"$errlog" 2>/dev/null || echo 0)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if tail -n "+$((errlines + 1))" "$errlog" 2>/dev/null | grep -q "Received signal"; then
      echo "clickhouse-server (pid $pid) crashed while shutting down; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "clickhouse-server (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT_S}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$PID_FILE"
  echo "clickhouse-server stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)" && ours; then
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
