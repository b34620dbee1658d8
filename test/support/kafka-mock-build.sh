#!/usr/bin/env bash
# Builds test/.kafka-mock/kafka-mock: test/support/kafka-mock.c linked statically against
# librdkafka 2.15.1, whose source ships in the npm tarball of @confluentinc/kafka-javascript
# (deps/librdkafka). Debian's librdkafka (2.0.2) lacks rd_kafka_mock_set_controller_id, which
# kafkajs needs (see README, "Kafka"). Needs gcc, make and npm; idempotent: does nothing when the
# binary is newer than its source and this script.
set -euo pipefail
cd "$(dirname "$0")/../.."

CKJS_VERSION=1.10.1 # its deps/librdkafka is librdkafka 2.15.1
OUT=${KAFKA_MOCK_OUT:-test/.kafka-mock}
SRC=test/support/kafka-mock.c
SELF=test/support/kafka-mock-build.sh
BIN=$OUT/kafka-mock
LIB=$OUT/prefix/lib/librdkafka.a

if [[ -x $BIN && $BIN -nt $SRC && $BIN -nt $SELF ]]; then exit 0; fi
mkdir -p "$OUT"

if [[ ! -f $LIB ]]; then
  tarball=$OUT/confluentinc-kafka-javascript-$CKJS_VERSION.tgz
  [[ -f $tarball ]] || npm pack --silent --pack-destination "$OUT" "@confluentinc/kafka-javascript@$CKJS_VERSION" >/dev/null
  rm -rf "$OUT/librdkafka"
  mkdir -p "$OUT/librdkafka"
  tar -xzf "$tarball" -C "$OUT/librdkafka" --strip-components=3 package/deps/librdkafka
  prefix=$(pwd)/$OUT/prefix
  # The mock only stores record batches, it never opens them: no compression, TLS or SASL needed.
  (
    cd "$OUT/librdkafka"
    ./configure --prefix="$prefix" --disable-gssapi --disable-ssl --disable-zstd --disable-zlib --disable-curl --disable-lz4-ext --disable-syslog
    make -C src -j"${KAFKA_MOCK_JOBS:-2}" lib # the C library only, not the C++ one
    make -C src install
  ) >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; echo "librdkafka build failed (log: $OUT/build.log)" >&2; exit 1; }
fi

gcc -O2 -Wall -o "$BIN.tmp" "$SRC" -I"$OUT/prefix/include" "$LIB" -lpthread -lm -ldl -lrt
mv "$BIN.tmp" "$BIN"
echo "built $BIN"
