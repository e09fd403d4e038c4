// Package projector keeps the store's role, tool, resource and relation
// collections up to date from the change log, off the client's path: a
// commit is one insert, and its documents are written afterwards. One
// instance at a time projects (it holds a lease in the store), in log
// order, and records now and then how far it got; a start, or another
// instance taking over a lease left to expire, goes on from there. Since
// each change holds the whole new state of what it wrote, projecting a
// change again is harmless, so a crash between the commit and the
// projection loses nothing.
package projector

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// Store is what the projector reads and writes.
type Store interface {
	ChangeAt(ctx context.Context, seq int64) (*model.Change, error)
	Project(ctx context.Context, c *model.Change) error
	ProjectedSeq(ctx context.Context) (int64, error)
	SetProjectedSeq(ctx context.Context, seq int64) error
	HoldProjector(ctx context.Context, holder string, term time.Duration, force bool) (bool, error)
	ReleaseProjector(ctx context.Context, holder string) error
}

// Timings of the projector.
const (
	// leaseTerm is how long a lease lasts without renewal: how long the
	// others wait before taking over from an instance that died.
	leaseTerm = 15 * time.Second
	// renewEvery is how often the holder renews, and the others look.
	renewEvery = leaseTerm / 3
	// recordEvery is how often the holder records how far it got: a crash
	// projects again at most this much of the log, which is harmless.
	recordEvery = time.Second
	// maxOffered bounds the changes kept to save reading them again.
	maxOffered = 10_000
)

// Projector projects the log while this instance holds the lease.
type Projector struct {
	store  Store
	logger *slog.Logger
	holder string
	// force takes the lease even from a live holder: for the embedded
	// store, which has no other user.
	force bool

	wake chan struct{}

	mu      sync.Mutex
	offered map[int64]*model.Change
	// known is the newest change offered: the log is read for a change
	// only up to it (one missed or dropped), or to its end just after the
	// lease was taken (probe), so a quiet projector sends nothing.
	known    int64
	probe    bool
	holding  bool
	done     int64 // every change up to done is projected (while holding)
	recorded int64 // the place last recorded in the store
}

// New returns a projector; Run makes it work.
func New(store Store, logger *slog.Logger, force bool) *Projector {
	return &Projector{store: store, logger: logger, holder: uuid.Must(uuid.NewV7()).String(), force: force,
		wake: make(chan struct{}, 1), offered: map[int64]*model.Change{}}
}

// Offer hands the projector a change this instance has (committed or read
// from the log), so that it need not read it again, and wakes it.
func (p *Projector) Offer(c *model.Change) {
	p.mu.Lock()
	p.known = max(p.known, c.Seq)
	if p.holding && c.Seq > p.done && len(p.offered) < maxOffered {
		p.offered[c.Seq] = c
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Start takes the lease if it can and projects what the log has that the
// collections lack, before the instance serves: a change a crash left
// unprojected is written now.
func (p *Projector) Start(ctx context.Context) {
	p.hold(ctx)
	p.project(ctx)
	p.record(ctx)
}

// Run projects until ctx ends, then records how far it got and gives up
// the lease, so another instance or the next start goes on at once.
func (p *Projector) Run(ctx context.Context) {
	renew := time.NewTicker(renewEvery)
	defer renew.Stop()
	record := time.NewTicker(recordEvery)
	defer record.Stop()
	for {
		select {
		case <-ctx.Done():
			p.stop()
			return
		case <-p.wake:
		case <-record.C:
			p.record(ctx)
		case <-renew.C:
			p.hold(ctx)
		}
		p.project(ctx)
	}
}

// hold takes or renews the lease; on taking it, projection goes on from
// the place last recorded.
func (p *Projector) hold(ctx context.Context) {
	ok, err := p.store.HoldProjector(ctx, p.holder, leaseTerm, p.force)
	if err != nil {
		p.logger.Warn("projector: cannot reach the store for its lease", "error", err)
		return // keep what we had: a lease lasts leaseTerm
	}
	p.mu.Lock()
	was := p.holding
	p.mu.Unlock()
	if ok && !was {
		seq, err := p.store.ProjectedSeq(ctx)
		if err != nil {
			p.logger.Warn("projector: cannot read where projection got to", "error", err)
			return
		}
		p.mu.Lock()
		p.holding, p.done, p.recorded, p.probe = true, seq, seq, true
		p.mu.Unlock()
		p.logger.Info("projecting the change log", "from", seq+1)
	}
	if !ok && was {
		p.logger.Warn("projector: another instance took the lease")
		p.mu.Lock()
		p.holding, p.offered = false, map[int64]*model.Change{}
		p.mu.Unlock()
	}
}

// project writes every change after done, in order, until the log ends or
// a write fails (the next wake-up or tick tries again).
func (p *Projector) project(ctx context.Context) {
	for {
		p.mu.Lock()
		if !p.holding {
			p.mu.Unlock()
			return
		}
		next := p.done + 1
		c := p.offered[next]
		delete(p.offered, next)
		read := c == nil && (p.probe || next <= p.known)
		p.mu.Unlock()
		if c == nil && !read {
			return
		}
		if c == nil {
			var err error
			if c, err = p.store.ChangeAt(ctx, next); err != nil || c == nil {
				if err != nil && ctx.Err() == nil {
					p.logger.Warn("projector: cannot read the change log", "seq", next, "error", err)
				}
				if err == nil {
					p.mu.Lock()
					p.probe = false // the log's end
					p.mu.Unlock()
				}
				return
			}
		}
		if err := p.store.Project(ctx, c); err != nil {
			if ctx.Err() == nil {
				p.logger.Warn("projector: cannot write a change's documents; will try again", "seq", c.Seq, "error", err)
			}
			return
		}
		p.mu.Lock()
		p.done = next
		p.mu.Unlock()
	}
}

// record writes how far projection got, if it moved.
func (p *Projector) record(ctx context.Context) {
	p.mu.Lock()
	holding, done, recorded := p.holding, p.done, p.recorded
	p.mu.Unlock()
	if !holding || done == recorded {
		return
	}
	if err := p.store.SetProjectedSeq(ctx, done); err != nil {
		p.logger.Warn("projector: cannot record where projection got to", "error", err)
		return
	}
	p.mu.Lock()
	p.recorded = max(p.recorded, done)
	p.mu.Unlock()
}

// stop records the place and gives up the lease, with a little time of its
// own since the context that ran the projector has ended.
func (p *Projector) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	p.record(ctx)
	p.mu.Lock()
	holding := p.holding
	p.holding = false
	p.mu.Unlock()
	if holding {
		if err := p.store.ReleaseProjector(ctx, p.holder); err != nil {
			p.logger.Warn("projector: cannot release the lease", "error", err)
		}
	}
}

// Done returns the number up to which this instance has projected the
// log, 0 while it does not hold the lease.
func (p *Projector) Done() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.holding {
		return 0
	}
	return p.done
}

// Wait returns once change seq is in the collections, or when ctx ends.
// Reads that query the collections (FINDER_READ_FROM=store) wait so after
// a write, to see it.
func (p *Projector) Wait(ctx context.Context, seq int64) error {
	for {
		p.mu.Lock()
		holding, done := p.holding, p.done
		p.mu.Unlock()
		if holding && done >= seq {
			return nil
		}
		if !holding {
			// Another instance projects: ask the store how far it got.
			if got, err := p.store.ProjectedSeq(ctx); err != nil || got >= seq {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return model.Unavailable(ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
