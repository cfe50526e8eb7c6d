package main

import (
	"testing"
	"time"
)

func TestRunLogDoubled(t *testing.T) {
	l := newRunLog()
	l.holders["taken-over"] = []string{"host-100-aa#1", "host-200-bb#2"}   // killed replica (pid 100), then B
	l.holders["retried"] = []string{"host-200-bb#1", "host-300-cc#2"}      // a retry on another worker
	l.holders["same-attempt"] = []string{"host-200-bb#1", "host-300-cc#1"} // two workers in one attempt
	l.holders["once"] = []string{"host-200-bb#1"}
	same, moved := l.doubled(100)
	if len(same) != 1 || same[0] != "same-attempt" {
		t.Errorf("same attempt = %v", same)
	}
	if len(moved) != 2 || moved[0] != "retried" || moved[1] != "same-attempt" {
		t.Errorf("moved = %v", moved)
	}
}

func TestQuantiles(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if got := percentile(d, 0.5); got != 5 {
		t.Errorf("p50 = %v", got)
	}
	if got := percentile(d, 0.99); got != 10 {
		t.Errorf("p99 = %v", got)
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("empty p50 = %v", got)
	}
	f := []float64{0, 1, 2, 3}
	if got := quantile(f, 0.5); got != 1 {
		t.Errorf("quantile 0.5 = %v", got)
	}
	if got := quantile(f, 0.99); got != 3 {
		t.Errorf("quantile 0.99 = %v", got)
	}
}

func TestContains(t *testing.T) {
	if !contains("box-4711-0a1b2c3d", 4711) || contains("box-47110-0a1b2c3d", 4711) {
		t.Error("worker id match")
	}
}
