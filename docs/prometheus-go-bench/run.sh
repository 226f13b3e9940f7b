#!/bin/sh
# Runs Prometheus 2.42's own Go storage benchmarks (Debian bookworm's source and Go 1.19, GOPATH
# mode as Debian builds it) plus head_scrape_bench_test.go from this folder. Needs root and a
# deb-src entry for bookworm in the apt sources. Works in /tmp/gobench; results in go-bench.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p /tmp/gobench && cd /tmp/gobench
[ -d prometheus-2.42.0+ds ] || apt-get source prometheus=2.42.0+ds-5+deb12u1
DEBIAN_FRONTEND=noninteractive apt-get build-dep -y prometheus >/dev/null   # golang-go and golang-*-dev
cd prometheus-2.42.0+ds
[ -d .build ] || dh_auto_configure --buildsystem=golang --builddirectory=.build  # GOPATH tree
cd .build/src/github.com/prometheus/prometheus
cp "$here/head_scrape_bench_test.go" tsdb/
export GOPATH=/tmp/gobench/prometheus-2.42.0+ds/.build GO111MODULE=off GOCACHE=/tmp/gobench/gocache
for p in chunkenc index; do go test -c -o /tmp/gobench/$p.test ./tsdb/$p; done
go test -c -o /tmp/gobench/tsdb.test ./tsdb
cd /tmp/gobench
{
  go version; uptime
  ./chunkenc.test -test.run '^$' -test.bench 'BenchmarkXOR(Appender|Iterator)$|BenchmarkXorRead$' -test.benchmem -test.count 3
  ./index.test -test.run '^$' -test.bench 'BenchmarkIntersect' -test.benchmem -test.count 3
  ./tsdb.test -test.run '^$' -test.bench 'BenchmarkHeadStripeSeriesCreate(Parallel)?$' -test.cpu 1,2 -test.benchmem -test.count 3
  ./tsdb.test -test.run '^$' -test.bench 'BenchmarkJavaTwinHeadScrape' -test.benchmem -test.count 3
} 2>&1 | grep -v '^num ' | tee go-bench.txt
