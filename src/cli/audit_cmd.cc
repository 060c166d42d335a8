#include "cli/audit_cmd.h"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/time/time.h"
#include "core/status_macros.h"
#include "core/strings.h"

namespace carepost::cli {

namespace {

absl::StatusOr<absl::Time> ParseSince(const std::string& text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &err)) return t;
  return absl::InvalidArgumentError(
      core::Cat("--since '", text,
                "' is not an ISO 8601 time: use 2026-01-31T09:00:00Z (or an offset such as "
                "-05:00), or a date 2026-01-31"));
}

int Verify(const DomainFlags& flags) {
  absl::StatusOr<DomainEnv> env = OpenDomainEnv(flags);
  if (!env.ok()) {
    PrintError(env.status());
    return 1;
  }
  absl::StatusOr<domain::AuditVerifyReport> r = env->audit->Verify();
  if (!r.ok()) {
    PrintError(r.status());
    return 1;
  }
  if (!r->warning.empty()) std::fprintf(stderr, "warning: %s\n", r->warning.c_str());
  if (r->ok) {
    std::printf("audit log intact: %lld events, %lld checkpoint signatures checked\n",
                static_cast<long long>(r->events_checked),
                static_cast<long long>(r->checkpoints_checked));
    return 0;
  }
  std::printf("audit log BROKEN at event %lld: %s\n(%lld events before it check out)\n",
              static_cast<long long>(r->first_broken_seq), r->problem.c_str(),
              static_cast<long long>(r->events_checked));
  return 1;
}

int Export(const AuditCommand& c) {
  absl::StatusOr<absl::Time> since = ParseSince(c.since);
  if (!since.ok()) {
    PrintError(since.status());
    return 2;
  }
  absl::StatusOr<DomainEnv> env = OpenDomainEnv(c.export_flags);
  if (!env.ok()) {
    PrintError(env.status());
    return 1;
  }
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (c.output != "-") {
    file.open(c.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      PrintError(absl::UnavailableError(core::Cat("cannot write ", c.output)));
      return 1;
    }
    out = &file;
  }
  absl::StatusOr<int64_t> n = env->audit->Export(
      *since, c.format == "csv" ? domain::ExportFormat::kCsv : domain::ExportFormat::kJsonl,
      [&](std::string_view s) { out->write(s.data(), static_cast<std::streamsize>(s.size())); });
  out->flush();
  if (!n.ok()) {
    PrintError(n.status());
    return 1;
  }
  if (!*out) {
    PrintError(absl::UnavailableError("writing the export failed"));
    return 1;
  }
  std::fprintf(stderr, "exported %lld events\n", static_cast<long long>(*n));
  return 0;
}

}  // namespace

void AddAuditCommand(CLI::App& app, AuditCommand* c) {
  c->audit = app.add_subcommand("audit", "Check and export the audit log");
  c->audit->require_subcommand(1);
  c->verify = c->audit->add_subcommand(
      "verify", "Check the hash chain and signed checkpoints; name the first broken event");
  AddDomainFlags(c->verify, &c->verify_flags, /*with_key=*/true);
  c->exporter = c->audit->add_subcommand("export", "Export audit events as CSV or JSON lines");
  c->exporter->add_option("--since", c->since, "first instant, ISO 8601 (e.g. 2026-01-31T00:00:00Z)")
      ->required();
  c->exporter->add_option("--format", c->format, "csv or jsonl (default jsonl)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  c->exporter->add_option("--output", c->output, "file to write (default: standard output)");
  AddDomainFlags(c->exporter, &c->export_flags, /*with_key=*/true);
}

int RunAuditCommand(const AuditCommand& c) {
  if (*c.verify) return Verify(c.verify_flags);
  if (*c.exporter) return Export(c);
  return 2;
}

}  // namespace carepost::cli
