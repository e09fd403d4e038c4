// Package store keeps the catalog in MongoDB, or in anything that speaks its
// wire protocol (the embedded FerretDB by default). It implements
// model.CatalogReader and the catalog's writes, one file per collection.
//
// It keeps to the subset of MongoDB that FerretDB v1 gets right: no
// transactions, no $lookup or expressions, no conditions inside arrays
// (docs/ARCHITECTURE.md lists what FerretDB lacks and what each command
// costs on it). Joins are the loaders' job.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/finder-platform/finder/model"
)

// Options says where the store is and whom to tell about each command.
type Options struct {
	URI      string
	Database string
	// OnCommand, when set, is called once for every command the driver
	// sends, when it completes: its name, how long it took, whether it failed.
	OnCommand func(name string, took time.Duration, failed bool)
	// SelectTimeout bounds how long a command waits for a server that
	// answers: past it, the command fails with SERVICE_UNAVAILABLE rather
	// than hang while the store is away. Default 1.5s.
	SelectTimeout time.Duration
}

// Store is a connection to the catalog's database.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	// logDB holds the change log, apart from the catalog's collections: on
	// FerretDB each database is one SQLite file with one writer at a time,
	// and a projection's replace reads a whole collection, so a commit in
	// the same file would wait for it.
	logDB      *mongo.Database
	changelog  *mongo.Collection // the change log: every edit, in order
	roles      *mongo.Collection // the projections of the log
	tools      *mongo.Collection
	resources  *mongo.Collection
	relations  *mongo.Collection
	meta       *mongo.Collection // a few fixed documents: seeding, projection
	keys       *mongo.Collection
	newsletter *mongo.Collection
}

// New returns a store for the database without waiting for it: the
// driver connects in the background, and every command fails fast while no
// server answers. The server uses it to start before the store does.
func New(o Options) (*Store, error) {
	if o.SelectTimeout == 0 {
		o.SelectTimeout = 1500 * time.Millisecond
	}
	opts := options.Client().ApplyURI(o.URI).
		SetServerSelectionTimeout(o.SelectTimeout).
		SetConnectTimeout(time.Second).
		// Notice sooner that a lost store is back.
		SetHeartbeatInterval(2 * time.Second).
		// A nil list is stored as [] so that every array field exists and
		// queries on arrays behave the same on both servers.
		SetBSONOptions(&options.BSONOptions{NilSliceAsEmpty: true, NilMapAsEmpty: true})
	if o.OnCommand != nil {
		opts.SetMonitor(commandMonitor(o.OnCommand))
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	db, logDB := client.Database(o.Database), client.Database(LogDatabase(o.Database))
	return &Store{
		client:     client,
		db:         db,
		logDB:      logDB,
		changelog:  logDB.Collection("changelog"),
		roles:      db.Collection("roles"),
		tools:      db.Collection("tools"),
		resources:  db.Collection("resources"),
		relations:  db.Collection(relationsCollection),
		meta:       db.Collection("meta"),
		keys:       db.Collection("apikeys"),
		newsletter: db.Collection("newsletter"),
	}, nil
}

// Open returns a store once the database answers, trying until ctx ends
// or for ten seconds: for tests and tools that need the store at once.
func Open(ctx context.Context, o Options) (*Store, error) {
	s, err := New(o)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		err = s.Ping(ctx)
		if err == nil {
			return s, nil
		}
		select {
		case <-ctx.Done():
			_ = s.Close(context.Background())
			return nil, fmt.Errorf("store: %s does not answer: %w", o.Database, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// commandMonitor reports each command once, when it ends.
func commandMonitor(report func(string, time.Duration, bool)) *event.CommandMonitor {
	return &event.CommandMonitor{
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			report(e.CommandName, e.Duration, false)
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			report(e.CommandName, e.Duration, true)
		},
	}
}

// Close ends the connection, waiting for commands in flight.
func (s *Store) Close(ctx context.Context) error {
	return s.client.Disconnect(ctx)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return wrap("ping", s.client.Ping(ctx, nil))
}

// LogDatabase names the database that holds the change log of the catalog
// in database db.
func LogDatabase(db string) string { return db + "_log" }

// Drop deletes the catalog's databases. Tests use it to clean up.
func (s *Store) Drop(ctx context.Context) error {
	return wrap("drop database", errors.Join(s.db.Drop(ctx), s.logDB.Drop(ctx)))
}

// wrap names the operation that failed. A store that cannot be reached is
// SERVICE_UNAVAILABLE; anything else stays internal, so its text is logged
// and never shown.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var me *model.Error
	if errors.As(err, &me) {
		return err
	}
	err = fmt.Errorf("store: %s: %w", op, err)
	if unavailable(err) {
		return model.Unavailable(err)
	}
	return err
}

func unavailable(err error) bool {
	var sse topology.ServerSelectionError
	// A command that was waiting for a connection when another one found
	// the store gone fails with the pool's "cleared" error, which carries
	// no network label: it is the store going away all the same, and an
	// edit that failed so may have been committed (see editor/uncertain.go).
	var cleared driver.RetryablePoolError
	return mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.As(err, &sse) ||
		(errors.As(err, &cleared) && cleared.Retryable()) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, mongo.ErrClientDisconnected)
}
