// Package testdb gives each test a fresh, migrated PostgreSQL database,
// dropped when the test ends. `make test` starts the server and sets
// TEST_DATABASE_URL; a test without it fails rather than skips.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/migrations"
)

// templateLock serialises template creation across test processes.
const templateLock = 7_204_118_999

// AdminURL returns TEST_DATABASE_URL or fails the test.
func AdminURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		tb.Fatal("TEST_DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL")
	}
	return u
}

// New returns a pool on a fresh database with every migration applied.
func New(tb testing.TB) *sql.DB {
	tb.Helper()
	db, _ := NewWithURL(tb)
	return db
}

// NewWithURL is New that also returns the database's URL, for tests that
// start a whole server on it.
func NewWithURL(tb testing.TB) (*sql.DB, string) {
	tb.Helper()
	admin := AdminURL(tb)
	tmpl := ensureTemplate(tb, admin)
	return create(tb, admin, tmpl)
}

// Empty returns the URL of a fresh database with no tables, for tests of
// migration itself.
func Empty(tb testing.TB) string {
	tb.Helper()
	_, u := create(tb, AdminURL(tb), "template0")
	return u
}

func create(tb testing.TB, admin, template string) (*sql.DB, string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	adb := openAdmin(tb, admin)
	name := "t_" + randomHex(8)
	if _, err := adb.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	u := withDatabase(tb, admin, name)
	db, err := postgres.Open(ctx, u)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := adb.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
		adb.Close()
	})
	return db, u
}

// ensureTemplate creates, once per set of migrations, a migrated template
// database that test databases are copied from.
func ensureTemplate(tb testing.TB, admin string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	name := "tmpl_" + migrationsHash(tb)

	adb := openAdmin(tb, admin)
	defer adb.Close()
	conn, err := adb.Conn(ctx)
	if err != nil {
		tb.Fatalf("admin conn: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		tb.Fatalf("template lock: %v", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, templateLock) //nolint:errcheck

	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		tb.Fatalf("look up template: %v", err)
	}
	if exists {
		return name
	}
	building := name + "_build"
	conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building)) //nolint:errcheck
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE template0`, building)); err != nil {
		tb.Fatalf("create template: %v", err)
	}
	tdb, err := postgres.Open(ctx, withDatabase(tb, admin, building))
	if err != nil {
		tb.Fatalf("open template: %v", err)
	}
	if _, err := postgres.Migrate(ctx, tdb, migrations.FS); err != nil {
		tdb.Close()
		tb.Fatalf("migrate template: %v", err)
	}
	tdb.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, name)); err != nil {
		tb.Fatalf("rename template: %v", err)
	}
	return name
}

func openAdmin(tb testing.TB, admin string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("postgres", admin)
	if err != nil {
		tb.Fatalf("open admin database: %v", err)
	}
	db.SetMaxOpenConns(2)
	return db
}

func withDatabase(tb testing.TB, raw, name string) string {
	tb.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		tb.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func migrationsHash(tb testing.TB) string {
	tb.Helper()
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			tb.Fatal(err)
		}
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails
	return hex.EncodeToString(b)
}

// NewAccount inserts a user with one linked Instagram account of the
// given follower count (nil: unknown) and returns the account as stored.
func NewAccount(tb testing.TB, db *sql.DB, followers *int64) postgres.Account {
	tb.Helper()
	ctx := context.Background()
	var userID string
	err := db.QueryRowContext(ctx, `INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`,
		randomHex(8)+"@example.test").Scan(&userID)
	if err != nil {
		tb.Fatalf("insert user: %v", err)
	}
	var id string
	err = db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token, followers)
		VALUES ($1, $2, 'creator', 'ciphertext', $3) RETURNING id`, userID, randomHex(8), followers).Scan(&id)
	if err != nil {
		tb.Fatalf("insert account: %v", err)
	}
	acc, err := postgres.NewAccounts(db).ByID(ctx, id)
	if err != nil {
		tb.Fatalf("read account: %v", err)
	}
	return acc
}
