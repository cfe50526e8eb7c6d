package postgres_test

import (
	"context"
	"database/sql"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/migrations"
)

// migrationVersions are the versions of the embedded migrations, in order.
func migrationVersions(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("embedded migrations: %v %v", names, err)
	}
	slices.Sort(names)
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, ".sql")
	}
	return names
}

func openURL(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func recordedVersions(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	want := migrationVersions(t)

	t.Run("OK", func(t *testing.T) {
		db := openURL(t, testdb.Empty(t))
		applied, err := postgres.Migrate(ctx, db, migrations.FS)
		if err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if !slices.Equal(applied, want) {
			t.Errorf("applied = %v, want %v", applied, want)
		}
		if got := recordedVersions(t, db); !slices.Equal(got, want) {
			t.Errorf("schema_migrations = %v, want %v", got, want)
		}
		// The seed's tables keep their names.
		for _, table := range []string{"users", "waitlist", "instagram_accounts", "instagram_posts"} {
			var exists bool
			if err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, "public."+table).Scan(&exists); err != nil || !exists {
				t.Errorf("table %s missing (%v)", table, err)
			}
		}

		again, err := postgres.Migrate(ctx, db, migrations.FS)
		if err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if len(again) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", again)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		// Replicas starting together, each with its own pool: every file is
		// applied once in all.
		url := testdb.Empty(t)
		const n = 6
		applied := make([][]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				db, err := postgres.Open(ctx, url)
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				applied[i], errs[i] = postgres.Migrate(ctx, db, migrations.FS)
			})
		}
		wg.Wait()
		var all []string
		for i := range n {
			if errs[i] != nil {
				t.Errorf("replica %d: %v", i, errs[i])
			}
			all = append(all, applied[i]...)
		}
		slices.Sort(all)
		if !slices.Equal(all, want) {
			t.Errorf("applied across replicas = %v, want each of %v once", all, want)
		}
		if got := recordedVersions(t, openURL(t, url)); !slices.Equal(got, want) {
			t.Errorf("schema_migrations = %v, want %v", got, want)
		}
	})

	t.Run("ErrBadFile", func(t *testing.T) {
		url := testdb.Empty(t)
		db := openURL(t, url)
		files := fstest.MapFS{
			"0001_good.sql":  {Data: []byte(`CREATE TABLE good (id int);`)},
			"0002_bad.sql":   {Data: []byte(`CREATE TABLE half (id int); SELEC nonsense;`)},
			"0003_later.sql": {Data: []byte(`CREATE TABLE later (id int);`)},
		}
		applied, err := postgres.Migrate(ctx, db, files)
		if err == nil || !strings.Contains(err.Error(), "0002_bad.sql") {
			t.Fatalf("Migrate = %v, want an error naming 0002_bad.sql", err)
		}
		if got, want := strings.Join(applied, ","), "0001_good"; got != want {
			t.Errorf("applied = %q, want %q", got, want)
		}
		if got, want := strings.Join(recordedVersions(t, db), ","), "0001_good"; got != want {
			t.Errorf("schema_migrations = %q, want %q", got, want)
		}
		// The failed file left nothing behind: it ran in a transaction.
		var half bool
		if err := db.QueryRowContext(ctx, `SELECT to_regclass('public.half') IS NOT NULL`).Scan(&half); err != nil || half {
			t.Errorf("table half exists = %v (%v), want rolled back", half, err)
		}

		// The lock was released: a fixed set of files applies at once, from
		// another pool (a session lock is re-entrant within its session).
		files["0002_bad.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE half (id int);`)}
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		applied, err = postgres.Migrate(ctx, openURL(t, url), files)
		if err != nil {
			t.Fatalf("Migrate after the fix: %v", err)
		}
		if got, want := strings.Join(applied, ","), "0002_bad,0003_later"; got != want {
			t.Errorf("applied = %q, want %q", got, want)
		}
	})
}
