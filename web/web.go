// Package web holds the pages the server serves, embedded in the binary:
// GraphiQL for analysts, the Finder web client, and partner role cards.
// They are plain HTML, CSS and JavaScript modules: no build step, and no
// request leaves the server's own origin.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed graphiql
var graphiql embed.FS

// csp allows only the server's own scripts, styles and images.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'"

// GraphiQL serves the in-browser IDE analysts use to explore the API:
// /graphiql is the page, /graphiql/{file} its assets.
func GraphiQL() http.Handler {
	sub, _ := fs.Sub(graphiql, "graphiql")
	files := http.StripPrefix("/graphiql/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path == "/graphiql" {
			http.ServeFileFS(w, r, sub, "index.html")
			return
		}
		files.ServeHTTP(w, r)
	})
}
