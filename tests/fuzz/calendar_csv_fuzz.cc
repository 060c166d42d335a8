// Fuzzes the calendar CSV import: any bytes give rows or problems, never a crash, and
// every accepted file survives export and import again unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plan/calendar_csv.h"

namespace {

bool SameRow(const carepost::plan::CalendarRow& a, const carepost::plan::CalendarRow& b) {
  return a.id == b.id && a.local_time == b.local_time && a.time_zone == b.time_zone &&
         a.brand == b.brand && a.campaign == b.campaign && a.platforms == b.platforms &&
         a.text == b.text && a.link == b.link && a.first_comment == b.first_comment &&
         a.hashtags == b.hashtags && a.status == b.status;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carepost::plan;
  static const CsvImportOptions options = [] {
    CsvImportOptions o;
    o.max_rows = 200;
    o.max_cell_bytes = 2048;
    o.max_problems = 20;
    o.default_time_zone = "UTC";
    o.allowed_statuses.assign(kAllPostStatuses.begin(), kAllPostStatuses.end());
    return o;
  }();
  const CsvImport result =
      ImportCalendarCsv(std::string_view(reinterpret_cast<const char*>(data), size), options);
  for (const CsvProblem& p : result.problems) {
    if (p.message.empty()) abort();
  }
  if (!result.ok()) {
    if (!result.rows.empty() || result.ToStatus().ok()) abort();
    return 0;
  }
  // Round trip: what import accepted, export writes and import reads back the same.
  const absl::StatusOr<std::string> csv = ExportCalendarCsv(result.rows);
  if (!csv.ok()) abort();
  const CsvImport again = ImportCalendarCsv(*csv, options);
  if (!again.ok() || again.rows.size() != result.rows.size()) abort();
  for (size_t i = 0; i < again.rows.size(); ++i) {
    if (!SameRow(again.rows[i], result.rows[i])) abort();
  }
  return 0;
}
