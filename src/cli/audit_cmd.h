// File: cli/audit_cmd.h
//
// `carepost audit verify`: checks the hash chain, the signed checkpoints in the
// database and the checkpoint file; prints the first broken event. Exit status: 0 the
// log is intact, 1 it is not (or could not be checked), 2 usage error.
//
// `carepost audit export --since ISO8601 --format csv|jsonl [--output FILE]`: writes
// the events at or after --since (RFC 3339, e.g. 2026-01-31T00:00:00Z, or a date
// 2026-01-31 meaning midnight UTC) for the privacy officer.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/domain_env.h"

namespace carepost::cli {

struct AuditCommand {
  CLI::App* audit = nullptr;
  CLI::App* verify = nullptr;
  CLI::App* exporter = nullptr;
  DomainFlags verify_flags;
  DomainFlags export_flags;
  std::string since;
  std::string format = "jsonl";
  std::string output = "-";
};

// Registers `audit` and its subcommands on `app`.
void AddAuditCommand(CLI::App& app, AuditCommand* command);
// Runs the parsed `audit` subcommand; returns the exit status.
int RunAuditCommand(const AuditCommand& command);

}  // namespace carepost::cli
