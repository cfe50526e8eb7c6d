package main

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// serveBareGin serves the yardstick of the /health comparison on addr
// (loopback only) until ctx ends: a Gin engine with nothing but one
// handler, as a minimal Gin service would write it — gin.New() in release
// mode, GET /health answering c.JSON of a struct with the contract's body, served the
// way engine.Run serves (an http.Server with no settings of its own).
func serveBareGin(ctx context.Context, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("-bare-gin must be a loopback address")
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	type health struct {
		Status   string `json:"status"`
		Database string `json:"database"`
	}
	r.GET("/health", func(c *gin.Context) {
		c.JSON(http.StatusOK, health{Status: "ok", Database: "ok"})
	})
	srv := &http.Server{Addr: addr, Handler: r.Handler()}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		srv.Close() //nolint:errcheck // the process is ending
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
