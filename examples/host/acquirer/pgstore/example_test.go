package pgstore_test

import (
	"context"
	"log"
	"net"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
)

// Two host instances on one PostgreSQL database: each opens its own store
// and serves its own port; a TCP load balancer in front spreads the
// terminals' connections. (Not run: it needs a server.)
func ExampleOpen() {
	ctx := context.Background()
	cfg, err := acquirer.LoadConfig("examples/host/testdata/seed.json")
	if err != nil {
		log.Fatal(err)
	}
	for _, addr := range []string{"127.0.0.1:8583", "127.0.0.1:8584"} {
		s, err := pgstore.Open(ctx, "host=db.example dbname=acquirer user=host") // password from PGPASSWORD
		if err != nil {
			log.Fatal(err)
		}
		c := *cfg
		c.Store = s // instead of SQLite at cfg.Database
		h, err := acquirer.New(c)
		if err != nil {
			log.Fatal(err)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			log.Fatal(err)
		}
		go h.Serve(ln)
	}
}
