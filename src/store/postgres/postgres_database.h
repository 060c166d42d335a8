// File: store/postgres/postgres_database.h
//
// The PostgreSQL backend (libpq, the C API): shared state for several `carepost serve`
// nodes. The Database keeps a pool of up to `pool_size` connections, opened on demand;
// each statement or transaction borrows one. A connection that breaks is closed and
// replaced on next use (the statement that saw the break fails with Unavailable; it is
// not retried, since it may have run).
//
//   ASSIGN_OR_RETURN(auto db, OpenPostgres({.url = "postgres://carepost@db:5432/carepost"}));
//
// Parameters travel as text (`PQexecParams`, text format), typed BIGINT, DOUBLE
// PRECISION or BYTEA (hex) where the Value says so and left for the server to infer for
// text. Server notices are dropped (they are not errors and could quote data).
//
// When carepost is built with CAREPOST_WITH_POSTGRES=OFF, OpenPostgres() fails with
// Unimplemented.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/database.h"

namespace carepost::store {

struct PostgresOptions {
  // A libpq URL, postgres://user:password@host:port/dbname?sslmode=require (also
  // postgresql://). Settings the URL gives win over the ones below, except the client
  // encoding, which is always UTF8.
  std::string url;

  // Most connections open at once. Each is a server process (several MB on the server)
  // and counts against the server's max_connections, for every carepost node.
  int pool_size = 8;

  // Limit on opening one connection (libpq rounds up to whole seconds).
  absl::Duration connect_timeout = absl::Seconds(10);

  // How long a statement waits for a free connection before DeadlineExceeded.
  absl::Duration acquire_timeout = absl::Seconds(30);

  // Server-side limit on one statement (statement_timeout); zero for none. A statement
  // that runs longer fails with DeadlineExceeded.
  absl::Duration statement_timeout = absl::ZeroDuration();

  // Shown in pg_stat_activity.
  std::string application_name = "carepost";
};

// Connects once (so a wrong URL or a server that is down fails here, with the password
// masked in the message) and returns the pooled Database.
// Errors: InvalidArgument for a malformed URL, Unavailable when the server cannot be
// reached or refuses the login, Unimplemented when PostgreSQL support is compiled out.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(
    const PostgresOptions& options);

}  // namespace carepost::store
