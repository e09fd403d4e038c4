package edge

import (
	"net/http"
	"time"
)

// healthz answers 200 while the process runs.
func healthz(w http.ResponseWriter, _ *http.Request, _ Request) Answer {
	return write(w, http.StatusOK, []byte("ok\n"))
}

// readyz answers 200 only while the catalog is loaded, the store answered
// in the last few seconds, and the catalog in memory is current. It
// answers at once: the store is checked in the background.
func (e *Edge) readyz(w http.ResponseWriter, _ *http.Request, _ Request) Answer {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	silence, age := e.health.StoreSilence(), e.catalog.Age()
	switch {
	case !e.health.Ready():
		return write(w, http.StatusServiceUnavailable, []byte("not ready: starting or stopping\n"))
	case silence > 3*time.Second:
		return write(w, http.StatusServiceUnavailable, []byte("not ready: the store has not answered for "+silence.Round(time.Second).String()+"\n"))
	case age > e.cfg.MaxDataAge:
		return write(w, http.StatusServiceUnavailable, []byte("not ready: the in-memory catalog has not synced for "+age.Round(time.Second).String()+"\n"))
	}
	return write(w, http.StatusOK, []byte("ready\n"))
}
