// Head append benchmark for Prometheus 2.42's tsdb package, written for this project (2.42 has no
// benchmark of appending samples to existing series). It is the Go twin of our JMH
// HeadAppendBench: each writer goroutine owns 1000 series and commits one scrape (one sample per
// series, series refs cached as the scrape loop caches them) per appender; no WAL. One op = one
// sample, so with -bench ...Writers2 ns/op is wall time over the samples of both writers.
// Copy into tsdb/ of the Prometheus source tree; see run.sh beside this file.

package tsdb

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
)

const scrapeSeries = 1000

func BenchmarkJavaTwinHeadScrapeWriters1(b *testing.B) { benchHeadScrape(b, 1) }
func BenchmarkJavaTwinHeadScrapeWriters2(b *testing.B) { benchHeadScrape(b, 2) }

type scrapeWriter struct {
	lsets []labels.Labels
	refs  []storage.SeriesRef
	v     float64
}

func benchHeadScrape(b *testing.B, writers int) {
	opts := DefaultHeadOptions()
	opts.ChunkDirRoot = b.TempDir()
	h, err := NewHead(nil, nil, nil, nil, opts, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()

	// One clock for all writers, so no writer falls behind the head's appendable window.
	var clock atomic.Int64
	clock.Store(1_700_000_000_000)

	ws := make([]*scrapeWriter, writers)
	for w := range ws {
		sw := &scrapeWriter{lsets: make([]labels.Labels, scrapeSeries), refs: make([]storage.SeriesRef, scrapeSeries)}
		for i := range sw.lsets {
			sw.lsets[i] = labels.FromStrings("__name__", "http_requests_total", "instance", "host-"+strconv.Itoa(w),
				"job", "bench", "path", "/api/v1/item/"+strconv.Itoa(i), "code", "200")
		}
		ws[w] = sw
		scrape(b, h, sw, &clock, scrapeSeries) // creates the series: not what is measured
	}

	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for w, sw := range ws {
		n := b.N / writers
		if w == 0 {
			n += b.N % writers
		}
		wg.Add(1)
		go func(sw *scrapeWriter, n int) {
			defer wg.Done()
			for n > 0 {
				k := n
				if k > scrapeSeries {
					k = scrapeSeries
				}
				scrape(b, h, sw, &clock, k)
				n -= k
			}
		}(sw, n)
	}
	wg.Wait()
}

// scrape appends one sample to each of the writer's first k series and commits.
func scrape(b *testing.B, h *Head, sw *scrapeWriter, clock *atomic.Int64, k int) {
	t := clock.Add(15_000)
	sw.v += 3
	app := h.Appender(context.Background())
	for i := 0; i < k; i++ {
		ref, err := app.Append(sw.refs[i], sw.lsets[i], t, sw.v+float64(i))
		if err != nil {
			b.Error(err)
			return
		}
		sw.refs[i] = ref
	}
	if err := app.Commit(); err != nil {
		b.Error(err)
	}
}
