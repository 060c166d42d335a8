#include "store/observed_database.h"

namespace carepost::store {

namespace {

class ObservedDatabase final : public Database {
 public:
  ObservedDatabase(std::unique_ptr<Database> inner, const core::Clock& clock,
                   DatabaseObserver observer)
      : inner_(std::move(inner)), clock_(clock), observer_(std::move(observer)) {}

  absl::StatusOr<int64_t> Execute(std::string_view sql, Params params) override {
    const absl::Time start = clock_.Now();
    absl::StatusOr<int64_t> n = inner_->Execute(sql, params);
    observer_("execute", n.ok(), clock_.Now() - start);
    return n;
  }

  absl::StatusOr<Rows> Query(std::string_view sql, Params params) override {
    const absl::Time start = clock_.Now();
    absl::StatusOr<Rows> rows = inner_->Query(sql, params);
    observer_("query", rows.ok(), clock_.Now() - start);
    return rows;
  }

  absl::Status WithTransaction(const std::function<absl::Status(Tx&)>& fn) override {
    const absl::Time start = clock_.Now();
    absl::Status s = inner_->WithTransaction(fn);
    observer_("transaction", s.ok(), clock_.Now() - start);
    return s;
  }

  Dialect dialect() const override { return inner_->dialect(); }

 private:
  std::unique_ptr<Database> inner_;
  const core::Clock& clock_;
  DatabaseObserver observer_;
};

}  // namespace

std::unique_ptr<Database> ObserveDatabase(std::unique_ptr<Database> inner,
                                          const core::Clock& clock, DatabaseObserver observer) {
  return std::make_unique<ObservedDatabase>(std::move(inner), clock, std::move(observer));
}

}  // namespace carepost::store
