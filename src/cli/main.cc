// carepost: one binary, many subcommands. This file only parses the command line and
// hands over to the subcommand's Run function.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/audit_cmd.h"
#include "cli/bench.h"
#include "cli/check.h"
#include "cli/config_cmd.h"
#include "cli/migrate_cmd.h"
#include "cli/serve_cmd.h"
#include "cli/user_cmd.h"

int main(int argc, char** argv) {
  using namespace carepost;
  CLI::App app{"carepost: the social media command center for hospitals and health systems"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "carepost 0.1.0");

  cli::CheckOptions check;
  std::string context = "post", platform;
  CLI::App* check_cmd = app.add_subcommand(
      "check", "Screen posts, replies or inbound messages for PHI, misinformation and more");
  check_cmd->add_option("--context", context, "post | reply | inbound")
      ->check(CLI::IsMember({"post", "reply", "inbound"}));
  check_cmd->add_option("--platform", platform,
                        "facebook instagram threads x linkedin youtube pinterest tiktok bluesky "
                        "mastodon")
      ->check(CLI::IsMember({"facebook", "instagram", "threads", "x", "linkedin", "youtube",
                             "pinterest", "tiktok", "bluesky", "mastodon"}));
  check_cmd->add_option("--format", check.format, "text (for people) or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}));
  check_cmd->add_option("--org", check.org_file, "organization profile (TOML)");
  check_cmd->add_flag("--redact", check.redact, "print the text with PHI replaced by [TYPE]");
  check_cmd->add_option("--max-record-bytes", check.max_record_bytes,
                        "reject records larger than this (default 65536)");
  check_cmd->add_option("--threads", check.threads, "worker threads (default: one per core)");
  check_cmd->add_option("input", check.input,
                        "file to screen, or - for standard input; a .jsonl file is read as "
                        "records (one JSON object per line)");

  cli::BenchOptions bench;
  CLI::App* bench_cmd = app.add_subcommand(
      "bench", "Measure screening throughput (MB/s, posts/s per core) on a corpus file");
  bench_cmd->add_option("corpus", bench.corpus, "JSONL file with a \"text\" field per line")
      ->required();
  bench_cmd->add_option("--seconds", bench.seconds, "minimum time per measurement (default 2)");
  bench_cmd->add_flag("--compile-patterns", bench.compile_patterns,
                      "compile every pattern at start instead of loading the built-in database");
  bench_cmd->add_option("--context", bench.context, "post | reply | inbound")
      ->check(CLI::IsMember({"post", "reply", "inbound"}));

  cli::UserCommand user_cmd;
  cli::AddUserCommand(app, &user_cmd);
  cli::AuditCommand audit_cmd;
  cli::AddAuditCommand(app, &audit_cmd);
  cli::MigrateCommand migrate_cmd;
  cli::AddMigrateCommand(app, &migrate_cmd);

  cli::ServeCommand serve_cmd;
  cli::AddServeCommand(app, &serve_cmd);
  cli::ConfigCommand config_cmd;
  cli::AddConfigCommand(app, &config_cmd);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (*check_cmd) {
    check.context = *guard::ParseContext(context);
    if (!platform.empty()) check.platform = *guard::ParsePlatform(platform);
    check.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == nullptr;
    return cli::RunCheck(check);
  }
  if (*bench_cmd) return cli::RunBench(bench);
  if (*user_cmd.user) return cli::RunUserCommand(user_cmd);
  if (*audit_cmd.audit) return cli::RunAuditCommand(audit_cmd);
  if (*migrate_cmd.migrate) return cli::RunMigrateCommand(migrate_cmd);
  if (*serve_cmd.serve) return cli::RunServeCommand(serve_cmd);
  if (*config_cmd.config) return cli::RunConfigCommand(config_cmd);
  return 2;
}
