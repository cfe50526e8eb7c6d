package growth

import (
	"context"
	"database/sql"
	"math"
	"slices"
	"testing"

	"github.com/lib/pq"

	"creatorgrowth/internal/testdb"
)

// The scanners read what PostgreSQL writes, as lib/pq's generic ones do.
func TestArrayScanners_ReadPostgresOutput(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	ints := []int64{0, 1, -1, 42, math.MaxInt64, math.MinInt64}
	texts := []string{"", "IMAGE", "NULL", "null", "a b", "a,b", "{x}", `say "hi"`, `back\slash`, "tab\there", "#東京", " lead"}
	var (
		gotInts, emptyInts, nullInts int64s
		gotNull                      nullInt64s
		gotTexts, emptyTexts         strs
	)
	err := db.QueryRowContext(ctx, `SELECT $1::bigint[], '{}'::bigint[], NULL::bigint[],
			ARRAY[1, NULL, -7, NULL]::bigint[], $2::text[], '{}'::text[]`,
		pq.Array(ints), pq.Array(texts)).
		Scan(&gotInts, &emptyInts, &nullInts, &gotNull, &gotTexts, &emptyTexts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotInts, ints) || len(emptyInts) != 0 || len(nullInts) != 0 {
		t.Errorf("bigint[]: got %v, %v, %v", gotInts, emptyInts, nullInts)
	}
	wantNull := nullInt64s{{Int64: 1, Valid: true}, {}, {Int64: -7, Valid: true}, {}}
	if !slices.Equal(gotNull, wantNull) {
		t.Errorf("bigint[] with NULL: got %v, want %v", gotNull, wantNull)
	}
	if !slices.Equal(gotTexts, strs(texts)) || len(emptyTexts) != 0 {
		t.Errorf("text[]: got %q, %q, want %q", gotTexts, emptyTexts, texts)
	}

	// A NULL element is refused where none may be, and a scanner reused
	// for a shorter array keeps nothing of the longer one.
	var refused strs
	if err := db.QueryRowContext(ctx, `SELECT ARRAY['a', NULL]`).Scan(&refused); err == nil {
		t.Errorf("text[] with NULL: scanned %q, want an error", refused)
	}
	reused := int64s{9, 9, 9}
	if err := reused.Scan([]byte("{5}")); err != nil || !slices.Equal(reused, int64s{5}) {
		t.Errorf("reused: %v, %v", reused, err)
	}
}

func TestParseArray_RefusesMalformed(t *testing.T) {
	for _, in := range []string{"", "{", "}", "1,2", "{1,}", "{,1}", "{1,,2}", `{"a}`, `{"a"b}`, `{"a\`, "{{1,2}}",
		"[0:1]={1,2}", "{a b}", `{a"b}`, "{1}x"} {
		var s strs
		if err := s.Scan([]byte(in)); err == nil {
			t.Errorf("%q: scanned %q, want an error", in, s)
		}
	}
	var n int64s
	if err := n.Scan([]byte("{1,x}")); err == nil {
		t.Errorf("{1,x}: scanned %v, want an error", n)
	}
	if err := n.Scan(42); err == nil {
		t.Errorf("an int: scanned %v, want an error", n)
	}
}

// Whatever the scanners accept, lib/pq's generic scanners read the same.
func FuzzParseArray(f *testing.F) {
	for _, s := range []string{"{}", "{1,2,-3}", "{NULL,4}", `{"",IMAGE,"a b","\"q\"","\\"}`, "{9223372036854775807}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var ours strs
		if ours.Scan(in) == nil {
			var theirs pq.StringArray
			if err := theirs.Scan(in); err != nil || !slices.Equal([]string(ours), []string(theirs)) {
				t.Errorf("text[] %q: ours %q, lib/pq %q (%v)", in, ours, theirs, err)
			}
		}
		var oursInt int64s
		if oursInt.Scan(in) == nil {
			var theirs pq.Int64Array
			if err := theirs.Scan(in); err != nil || !slices.Equal([]int64(oursInt), []int64(theirs)) {
				t.Errorf("bigint[] %q: ours %v, lib/pq %v (%v)", in, oursInt, theirs, err)
			}
		}
		var oursNull nullInt64s
		if oursNull.Scan(in) == nil {
			var theirs []sql.NullInt64
			if err := pq.Array(&theirs).Scan(in); err != nil || !slices.Equal([]sql.NullInt64(oursNull), theirs) {
				t.Errorf("bigint[] with NULL %q: ours %v, lib/pq %v (%v)", in, oursNull, theirs, err)
			}
		}
	})
}
