// File: plan/calendar_csv.h
//
// The content calendar as a CSV file, the way a social team keeps it in a spreadsheet
// (the format is documented in docs/calendar-csv.md). Import turns the bytes of an
// uploaded file into rows or into a list of problems; export writes rows as a file
// Excel and LibreOffice open and that imports back unchanged.
//
//   plan::CsvImportOptions options;
//   options.check_time_zone = [&](std::string_view zone) { return zones.Check(zone); };
//   plan::CsvImport result = plan::ImportCalendarCsv(upload, options);
//   if (!result.ok()) return result.ToStatus();   // nothing is imported
//   for (const plan::CalendarRow& row : result.rows) { ... }   // one transaction
//
// Import is all-or-nothing: when any row has a problem, `rows` is empty and `problems`
// lists every problem found (up to a limit), each naming the row as a spreadsheet shows
// it (the header is row 1), the column and what is wrong. A problem never quotes the
// content of a cell: calendar text may hold PHI, and problems reach the UI and the log.
//
// No I/O and no global state: every function is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "plan/vocabulary.h"

namespace carepost::plan {

// One planned post, as one row of the calendar file.
struct CalendarRow {
  // The spreadsheet row it came from (the header is row 1); 0 for rows built in code.
  int row = 0;
  // The post's id in carepost; empty for a post the file adds.
  std::optional<int64_t> id;
  // Date and time on the wall clock of `time_zone`, to the minute. The caller turns it
  // into a UTC instant with the zone library (a non-existent or ambiguous local time is
  // the caller's to resolve).
  absl::CivilMinute local_time;
  // IANA zone name, e.g. "America/Chicago".
  std::string time_zone;
  // Brand and campaign as the team writes them (names or slugs; the caller resolves
  // them within the organization). The campaign may be empty.
  std::string brand;
  std::string campaign;
  // At least one, no repeats, in the order of the file.
  std::vector<Platform> platforms;
  // The master text; line breaks are "\n" (CRLF and lone CR are converted).
  std::string text;
  // Empty, or an absolute http(s) URL.
  std::string link;
  // Comment posted under the post where the platform allows it; may be empty.
  std::string first_comment;
  // Without the leading '#', in the order of the file.
  std::vector<std::string> hashtags;
  PostStatus status = PostStatus::kDraft;
};

// The columns, in the order export writes them.
inline constexpr std::string_view kCalendarCsvColumns[] = {
    "id",        "date", "time", "time_zone",     "brand",    "campaign",
    "platforms", "text", "link", "first_comment", "hashtags", "status"};

struct CsvImportOptions {
  // Data rows (blank rows included) a file may hold; past that the import stops.
  size_t max_rows = 5000;
  // Bytes one cell may hold (Facebook's post limit is about 63,000 characters).
  size_t max_cell_bytes = 64 * 1024;
  // Bytes the whole file may hold; checked before any parsing.
  size_t max_file_bytes = 16 * 1024 * 1024;
  // Problems reported; the rest are counted in CsvImport::problems_left_off.
  size_t max_problems = 100;
  // Zone used when the time_zone column is absent or a cell is empty (the
  // organization's zone). Empty: the column and every cell are required.
  std::string default_time_zone;
  // Checks a zone name against the time-zone database; its message (which must not
  // quote the name) becomes the problem's. Unset: any well-formed name is accepted and
  // the caller must check it before use.
  std::function<absl::Status(std::string_view zone)> check_time_zone;
  // Statuses a row may carry. By default only drafts: an imported post goes through
  // review like any other. An empty status cell always means draft.
  std::vector<PostStatus> allowed_statuses = {PostStatus::kDraft};
};

// What is wrong with the file, one row and column at a time.
struct CsvProblem {
  int row = 0;           // spreadsheet row (header = 1); 0 for the file as a whole
  int column_index = 0;  // 1-based position in the file (column A = 1); 0 if none
  std::string column;    // the column's name when known ("date"), else empty
  std::string message;   // what is wrong and how to fix it; never the cell's text

  // "row 7, column date (B): ..." / "row 1, column E: ..." / "file: ...".
  std::string ToString() const;
};

struct CsvImport {
  std::vector<CalendarRow> rows;     // every data row, or none when problems exist
  std::vector<CsvProblem> problems;  // in file order
  size_t problems_left_off = 0;      // problems past CsvImportOptions::max_problems
  // The header's column names in file order (column A first), "" for a cell that names
  // no column; lets a caller name the column of a problem it finds in a row.
  std::vector<std::string> columns;

  bool ok() const { return problems.empty(); }
  // OK, or InvalidArgument listing the first problems (one per line).
  absl::Status ToStatus() const;
};

// The 1-based position of `column` in `import.columns`, 0 when the file has none.
int CsvColumnIndex(const CsvImport& import, std::string_view column);

// Parses a calendar file (UTF-8, optional UTF-8 BOM, comma-separated, CRLF or LF).
// Blank rows (no cell, or only empty cells) are skipped but keep their row numbers.
[[nodiscard]] CsvImport ImportCalendarCsv(std::string_view data,
                                          const CsvImportOptions& options = {});

struct CsvExportOptions {
  // Starts the file with a UTF-8 byte order mark, which is how Excel recognises
  // UTF-8 in a CSV file (LibreOffice and import accept it).
  bool write_bom = true;
  // Writes the id column (for re-import as updates).
  bool include_id = true;
};

// Writes `rows` as a calendar file: header row, CRLF line ends, cells quoted only when
// they need it, and cells that a spreadsheet would run as a formula (starting with
// = + - @, tab or CR) prefixed with an apostrophe, which import removes again.
// InvalidArgument (naming the row's index and column) when a row would not import back
// (invalid UTF-8, a bad link or hashtag, no platform...); statuses and zone names are
// not restricted here.
[[nodiscard]] absl::StatusOr<std::string> ExportCalendarCsv(std::span<const CalendarRow> rows,
                                                            const CsvExportOptions& options = {});

// Spreadsheet column letters for a 1-based index: 1 -> "A", 27 -> "AA".
std::string SpreadsheetColumnName(int index);

}  // namespace carepost::plan
