package guard

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchEvent builds an API Gateway v1 event whose JSON body holds
// realistic order data, padded to about size bytes.
func benchEvent(size int) []byte {
	type item struct {
		SKU   string  `json:"sku"`
		Name  string  `json:"name"`
		Qty   int     `json:"qty"`
		Price float64 `json:"price"`
		Note  string  `json:"note"`
	}
	body := map[string]any{"customer": map[string]any{"name": "Zoë O'Brien", "email": "zoe@example.com", "address": "1 Main St, Springfield"}}
	var items []item
	base := v1("orders", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)", "gift", "express", "")
	one, _ := json.Marshal(item{SKU: "SKU-00000", Name: "Blue cotton shirt, size M", Qty: 1, Price: 19.99,
		Note: "Please deliver after 5pm; leave at the door & ring twice."})
	n := max(1, (size-len(base)-100)*5/6/(len(one)+1))
	for i := range n {
		// distinct values, so that the engine's per-event deduplication does not flatter the figures
		items = append(items, item{SKU: fmt.Sprintf("SKU-%05d", i), Name: fmt.Sprintf("Blue cotton shirt no. %d, size M", i), Qty: i%3 + 1, Price: 19.99,
			Note: fmt.Sprintf("Please deliver after %dpm; leave at door %d & ring twice.", i%12+1, i)})
	}
	body["items"] = items
	b, _ := json.Marshal(body)
	q, _ := json.Marshal(string(b))
	return []byte(strings.Replace(base, `"body":""`, `"body":`+string(q), 1))
}

// cpuTime returns the process's user+system CPU time, which unlike wall
// time is not inflated when other processes share the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInspect reports the time per event by size at GOMAXPROCS=1,
// with p50 and p99 over the run (run with -benchtime to taste).
func BenchmarkInspect(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	eng := mustEngine(b, Policy{})
	for _, size := range []int{1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10} {
		ev := benchEvent(size)
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			if v := eng.Inspect(context.Background(), ev); v.Action != Allow {
				b.Fatalf("benchmark event is flagged: %s", v.Summary())
			}
			durs := make([]time.Duration, 0, b.N)
			b.SetBytes(int64(len(ev)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				t := time.Now()
				eng.Inspect(context.Background(), ev)
				durs = append(durs, time.Since(t))
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(len(durs)), "cpu-µs/op")
			sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
			b.ReportMetric(float64(durs[len(durs)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkAttack measures an event that is flagged (the slow path).
func BenchmarkAttack(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	eng := mustEngine(b, Policy{})
	ev := []byte(v1("a", "curl", "x", "1' OR '1'='1", `{\"c\":\"<img src=x onerror=alert(1)>\"}`))
	b.ReportAllocs()
	for b.Loop() {
		eng.Inspect(context.Background(), ev)
	}
}

// BenchmarkNew measures engine initialisation (the cold-start cost).
func BenchmarkNew(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Policy{}, WithEventsTo(nil)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMemoryAdded reports the heap an engine and a 16 KiB inspection add.
func TestMemoryAdded(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	eng := mustEngine(t, Policy{})
	ev := benchEvent(16 << 10)
	for range 100 {
		eng.Inspect(context.Background(), ev)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap added by an engine after 100 inspections of 16 KiB: %d KiB; total allocated: %d KiB", live>>10, (after.TotalAlloc-before.TotalAlloc)>>10)
	if live > 15<<20 {
		t.Errorf("engine keeps %d MiB live", live>>20)
	}
	runtime.KeepAlive(eng)
}

// BenchmarkBaselineJSONValid is a yardstick for the machine the figures
// come from: encoding/json.Valid over the same events.
func BenchmarkBaselineJSONValid(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	for _, size := range []int{1 << 10, 16 << 10} {
		ev := benchEvent(size)
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(ev)))
			for b.Loop() {
				if !json.Valid(ev) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
