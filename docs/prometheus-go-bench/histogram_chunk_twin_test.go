// The Go twin of head/src/test/java/dev/tsdb/head/bench/HistogramChunkBench.java: the same
// workload (120 scrapes of a counter histogram, schema 3, 24 positive buckets in 3 spans, 6
// negative buckets) through Prometheus's own histogram chunk encodings, ns per sample.
// run-histograms.sh builds it against Prometheus 3.5.3's source; figures in docs/benchmarks.md.
package chunkenc

import (
	"math"
	"math/rand"
	"testing"

	"github.com/prometheus/prometheus/model/histogram"
)

const twinN = 120

type twinData struct {
	ts  []int64
	hs  []*histogram.Histogram
	fhs []*histogram.FloatHistogram
}

func newTwinData() twinData {
	r := rand.New(rand.NewSource(1))
	pos := []histogram.Span{{Offset: -5, Length: 10}, {Offset: 2, Length: 8}, {Offset: 1, Length: 6}}
	neg := []histogram.Span{{Offset: 0, Length: 6}}
	pAbs := make([]int64, 24)
	nAbs := make([]int64, 6)
	var zero int64
	var sum float64
	t := int64(1_700_000_000_000)
	d := twinData{}
	for i := 0; i < twinN; i++ {
		t += 15_000 + int64(r.Intn(5)) - 2
		var count int64
		for b := range pAbs {
			n := 4
			if b < 12 {
				n = 30
			}
			pAbs[b] += int64(r.Intn(n))
			count += pAbs[b]
		}
		for b := range nAbs {
			nAbs[b] += int64(r.Intn(3))
			count += nAbs[b]
		}
		zero += int64(r.Intn(5))
		sum += r.Float64() * 1000
		h := &histogram.Histogram{
			Schema:          3,
			ZeroThreshold:   math.Ldexp(1, -128),
			ZeroCount:       uint64(zero),
			Count:           uint64(count + zero),
			Sum:             sum,
			PositiveSpans:   pos,
			NegativeSpans:   neg,
			PositiveBuckets: twinDeltas(pAbs),
			NegativeBuckets: twinDeltas(nAbs),
		}
		d.ts = append(d.ts, t)
		d.hs = append(d.hs, h)
		d.fhs = append(d.fhs, h.ToFloat(nil))
	}
	return d
}

func twinDeltas(abs []int64) []int64 {
	out := make([]int64, len(abs))
	var prev int64
	for i, v := range abs {
		out[i] = v - prev
		prev = v
	}
	return out
}

func twinIntChunk(b *testing.B, d twinData) Chunk {
	c := NewHistogramChunk()
	app, err := c.Appender()
	if err != nil {
		b.Fatal(err)
	}
	for i := range d.hs {
		nc, _, _, err := app.AppendHistogram(nil, d.ts[i], d.hs[i], false)
		if err != nil || nc != nil {
			b.Fatal("chunk cut or error", err)
		}
	}
	return c
}

func twinFloatChunk(b *testing.B, d twinData) Chunk {
	c := NewFloatHistogramChunk()
	app, err := c.Appender()
	if err != nil {
		b.Fatal(err)
	}
	for i := range d.fhs {
		nc, _, _, err := app.AppendFloatHistogram(nil, d.ts[i], d.fhs[i], false)
		if err != nil || nc != nil {
			b.Fatal("chunk cut or error", err)
		}
	}
	return c
}

// ns/op divided by 120 gives ns per sample, as the JMH benchmark reports.
func BenchmarkTwinIntAppend(b *testing.B) {
	d := newTwinData()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		twinIntChunk(b, d)
	}
}

func BenchmarkTwinIntIterate(b *testing.B) {
	d := newTwinData()
	c := twinIntChunk(b, d)
	var h histogram.Histogram
	var it Iterator
	b.ResetTimer()
	var acc uint64
	for n := 0; n < b.N; n++ {
		it = c.Iterator(it)
		for it.Next() == ValHistogram {
			_, hp := it.AtHistogram(&h)
			acc += hp.Count + uint64(it.AtT())
		}
	}
	_ = acc
}

func BenchmarkTwinIntIterateAsFloat(b *testing.B) {
	d := newTwinData()
	c := twinIntChunk(b, d)
	var fh histogram.FloatHistogram
	var it Iterator
	b.ResetTimer()
	var acc float64
	for n := 0; n < b.N; n++ {
		it = c.Iterator(it)
		for it.Next() == ValHistogram {
			_, fp := it.AtFloatHistogram(&fh)
			acc += fp.Count
		}
	}
	_ = acc
}

func BenchmarkTwinFloatAppend(b *testing.B) {
	d := newTwinData()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		twinFloatChunk(b, d)
	}
}

func BenchmarkTwinFloatIterate(b *testing.B) {
	d := newTwinData()
	c := twinFloatChunk(b, d)
	var fh histogram.FloatHistogram
	var it Iterator
	b.ResetTimer()
	var acc float64
	for n := 0; n < b.N; n++ {
		it = c.Iterator(it)
		for it.Next() == ValFloatHistogram {
			_, fp := it.AtFloatHistogram(&fh)
			acc += fp.Count
		}
	}
	_ = acc
}
