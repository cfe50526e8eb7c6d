// Package advice computes the advice figures of the growth API: the
// recommendations and best posting times (GET /api/growth/recommendations),
// the follower forecast (GET /api/growth/forecast) and the figures of a goal.
//
// The package is pure computation over values its caller reads from storage:
// no database, no HTTP, only the standard library. Every figure it returns is
// finite; an unknown figure is a nil pointer, never 0.
package advice
