#!/bin/sh
# Runs histogram_chunk_twin_test.go (the Go twin of our HistogramChunkBench) against Prometheus
# 3.5.3's own histogram chunk encodings, with Debian's Go 1.19 (apt-get install golang-1.19-go).
# PROMETHEUS_GIT: a git clone of github.com/prometheus/prometheus holding the tag v3.5.3.
# Only model/histogram, model/value and tsdb/chunkenc are needed (they import nothing else);
# Go 1.19 lacks slices.Equal (Go 1.21), so a local stand-in replaces the two calls.
# Works in /tmp/gotwin; results in histogram-twin.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${PROMETHEUS_GIT:?set PROMETHEUS_GIT to a prometheus git clone}
rm -rf /tmp/gotwin && mkdir -p /tmp/gotwin && cd /tmp/gotwin
for d in model/histogram model/value tsdb/chunkenc; do
  mkdir -p "$d"
  for f in $(git -C "$src" ls-tree --name-only v3.5.3 "$d/" | grep '\.go$' | grep -v '_test\.go$'); do
    git -C "$src" show "v3.5.3:$f" > "$f"
  done
done
rm -f model/histogram/test_utils.go
sed -i -e '/^\t"slices"$/d' -e 's/slices\.Equal(/sliceEqual(/g' model/histogram/histogram.go
cat >> model/histogram/histogram.go <<'GO'

func sliceEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
GO
printf 'module github.com/prometheus/prometheus\n\ngo 1.19\n' > go.mod
cp "$here/histogram_chunk_twin_test.go" tsdb/chunkenc/
export PATH=/usr/lib/go-1.19/bin:$PATH GOFLAGS=-mod=mod GOPROXY=off
go test -c -o chunkenc.test ./tsdb/chunkenc
{
  go version; uptime
  ./chunkenc.test -test.run '^$' -test.bench 'Twin' -test.benchmem -test.count 3
} 2>&1 | tee histogram-twin.txt
