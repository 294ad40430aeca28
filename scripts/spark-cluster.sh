#!/usr/bin/env bash
# A Spark standalone cluster on this machine: one master and N workers, each its own JVM on loopback,
# started from the Spark jars the build already has. The workers see only Spark's jars (as on a
# cluster installed from a Spark distribution); `captcha spark ... --master URL` ships ours.
#
#   scripts/spark-cluster.sh start [--workers 2] [--cores 1] [--memory 1g] [--port 7077] [--dir DIR] [--jars DIR]
#   scripts/spark-cluster.sh stop [--dir DIR]
#   scripts/spark-cluster.sh sync-cost [--dir DIR] [TASKS [FLOATS [ROUNDS]]]
#   scripts/spark-cluster.sh replicas [--dir DIR] INDEX OUT [REPLICAS [SYNC_EVERY [EPOCHS]]]
#
# sync-cost measures one all-gather of a parameter vector between barrier tasks on the running cluster
# (org.captchasolver.spark.SyncCost); replicas trains one network on the cluster's executors, each replica on
# its share of the index's training split, averaging weights every SYNC_EVERY steps
# (org.captchasolver.spark.ReplicaTraining, a prototype). See docs/scaling.md.
#
# start prints the master URL (also written to DIR/master-url) once every worker has registered.
# DIR (default: target/spark-cluster) holds the logs, the process ids and the workers' scratch space.
# --jars is a folder of jars holding Spark (default: app/target/lib, made by `mvn -B -q package -DskipTests`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
shift || true
workers=2 cores=1 memory=1g port=7077 dir="$root/target/spark-cluster" jars="$root/app/target/lib"
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --jars) jars="$2"; shift 2 ;;
    -*) echo "spark-cluster: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done

# Spark on Java 17 needs these opened (the same list as bin/captcha and the build's tests).
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done

stop_all() {
  local pids=()
  for f in "$dir"/*.pid; do
    [ -f "$f" ] || continue
    pids+=("$(cat "$f")")
    rm -f "$f"
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  # SIGTERM: each worker's shutdown hook stops the executors it launched.
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && return 0
    sleep 0.2
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

# Waits up to 60 s for a line in a log; on failure shows the log's end and stops what was started.
await() {
  local log="$1" text="$2" what="$3"
  for _ in $(seq 1 300); do
    grep -q "$text" "$log" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "spark-cluster: the $what did not start within 60 s; the end of $log:" >&2
  tail -n 20 "$log" >&2
  stop_all
  exit 1
}

case "$cmd" in
  start)
    if ! ls "$jars"/spark-core_*.jar >/dev/null 2>&1; then
      echo "spark-cluster: no Spark jars in $jars: build first (mvn -B -q package -DskipTests) or pass --jars DIR" >&2
      exit 1
    fi
    if ls "$dir"/*.pid >/dev/null 2>&1; then
      echo "spark-cluster: a cluster from $dir is running: stop it first ($0 stop --dir $dir)" >&2
      exit 1
    fi
    mkdir -p "$dir/home/jars"
    rm -f "$dir/home/jars/"*.jar
    # The Spark home the workers launch executors from: Spark and its libraries, not this project.
    for j in "$jars"/*.jar; do
      case "$(basename "$j")" in
        captcha-*|onnxruntime-*|imageio-*|common-image-*|common-io-3*|common-lang-3*|jackson-dataformat-csv-*|api-[0-9]*|pytorch-*) ;;
        *) ln -s "$(cd "$(dirname "$j")" && pwd)/$(basename "$j")" "$dir/home/jars/" ;;
      esac
    done
    export SPARK_HOME="$dir/home" SPARK_SCALA_VERSION=2.13
    cp="$dir/home/jars/*"
    java -Xmx512m "${opens[@]}" -cp "$cp" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$port" --webui-port 0 > "$dir/master.log" 2>&1 &
    echo $! > "$dir/master.pid"
    await "$dir/master.log" "I have been elected leader" master
    url="spark://127.0.0.1:$port"
    for i in $(seq 1 "$workers"); do
      mkdir -p "$dir/worker-$i"
      java -Xmx256m "${opens[@]}" -cp "$cp" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port 0 --work-dir "$dir/worker-$i" "$url" \
        > "$dir/worker-$i.log" 2>&1 &
      echo $! > "$dir/worker-$i.pid"
    done
    for i in $(seq 1 "$workers"); do
      await "$dir/worker-$i.log" "Successfully registered with master" "worker $i"
    done
    echo "$url" > "$dir/master-url"
    echo "$url"
    ;;
  stop)
    stop_all
    ;;
  sync-cost|replicas)
    if [ ! -f "$dir/master-url" ] || ! ls "$dir"/*.pid >/dev/null 2>&1; then
      echo "spark-cluster: no cluster running from $dir: start one first ($0 start)" >&2
      exit 1
    fi
    main=org.captchasolver.spark.SyncCost
    [ "$cmd" = replicas ] && main=org.captchasolver.spark.ReplicaTraining
    java -Xmx1g "${opens[@]}" -cp "$jars/*" "$main" "$(cat "$dir/master-url")" "${rest[@]}"
    ;;
  *)
    echo "usage: $0 start|stop|sync-cost|replicas [options] (see the header of $0)" >&2
    exit 2
    ;;
esac
