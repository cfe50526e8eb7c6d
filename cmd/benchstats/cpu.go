package main

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuMeter measures the CPU time that a run costs this process and the
// PostgreSQL backends serving the benchmark database, so that the cost of
// a request can be told apart from waiting for a busy machine.
type cpuMeter struct {
	db     *sql.DB
	self   time.Duration
	before map[int]time.Duration
}

// clockTick is the unit of utime and stime in /proc/<pid>/stat (USER_HZ,
// 100 on every Linux platform Go supports).
const clockTick = 10 * time.Millisecond

func startCPU(ctx context.Context, db *sql.DB) *cpuMeter {
	m := &cpuMeter{db: db, self: selfCPU(), before: map[int]time.Duration{}}
	for _, pid := range backendPIDs(ctx, db) {
		m.before[pid] = procCPU(pid)
	}
	return m
}

// stop returns the CPU time used since start by this process and by the
// backends; backends that are gone by then are not counted, and ok is
// false when /proc could not be read.
func (m *cpuMeter) stop(ctx context.Context) (self, backends time.Duration, ok bool) {
	self = selfCPU() - m.self
	pids := backendPIDs(ctx, m.db)
	for _, pid := range pids {
		if c := procCPU(pid); c >= 0 {
			backends += c - max(m.before[pid], 0)
			ok = true
		}
	}
	return self, backends, ok
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendPIDs lists the server processes connected to the database.
func backendPIDs(ctx context.Context, db *sql.DB) []int {
	rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// procCPU returns the user + system time of pid, or -1.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	// The command name, in parentheses, may hold spaces: fields count
	// from the last ')'. utime and stime are fields 14 and 15.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return -1
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(u+st) * clockTick
}
