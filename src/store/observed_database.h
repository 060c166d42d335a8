// File: store/observed_database.h
//
// A Database that reports how long each call took, for metrics:
//
//   db = ObserveDatabase(std::move(db), clock,
//       [&metrics](std::string_view op, bool ok, absl::Duration d) {
//         metrics.ObserveDatabase(op, ok, absl::ToDoubleSeconds(d));
//       });
//
// Operations are "execute", "query" and "transaction" (a whole WithTransaction call,
// the statements inside it included). The observer sees no SQL and no values.
//
// Thread safety: as the wrapped Database; the observer is called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "absl/time/time.h"
#include "core/clock.h"
#include "store/database.h"

namespace carepost::store {

using DatabaseObserver =
    std::function<void(std::string_view operation, bool ok, absl::Duration duration)>;

// `clock` must outlive the returned Database.
std::unique_ptr<Database> ObserveDatabase(std::unique_ptr<Database> inner,
                                          const core::Clock& clock, DatabaseObserver observer);

}  // namespace carepost::store
