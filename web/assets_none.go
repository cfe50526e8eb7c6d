//go:build !embedspa

// Package web holds the React app. Built with the embedspa tag (as make run
// and the Dockerfile do, after `npm run build`), the binary carries web/dist;
// without it, Assets is nil and the server serves web/dist from disk when
// it finds it.
package web

import "io/fs"

// Assets returns nil: this binary was built without the embedded app.
func Assets() fs.FS { return nil }
