#include "plan/ical_feed.h"

#include <libical/ical.h>

#include <cstdlib>
#include <ctime>
#include <memory>

#include "core/strings.h"
#include "core/utf8.h"

namespace carepost::plan {
namespace {

using core::Cat;

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

// iCalendar TEXT may not hold control characters other than tab (RFC 5545 3.3.11);
// line breaks are kept as "\n", which libical escapes. Anything else becomes a space.
std::string CleanText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(' ');
    }
  }
  return out;
}

bool IsSingleLineAscii(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) return false;
  }
  return true;
}

icaltimetype ToIcalUtc(absl::Time t) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(absl::ToUnixSeconds(t)), 0,
                                       icaltimezone_get_utc_timezone());
}

bool InWritableRange(absl::Time t) {
  // 1970-01-01 to 9999-12-31: what every client and time_t handle.
  return t >= absl::UnixEpoch() && t < absl::FromUnixSeconds(253402300800);
}

icalproperty_status StatusOf(PostStatus s) {
  switch (s) {
    case PostStatus::kDraft:
    case PostStatus::kInReview:
    case PostStatus::kFailed:
      return ICAL_STATUS_TENTATIVE;
    case PostStatus::kApproved:
    case PostStatus::kScheduled:
    case PostStatus::kPublishing:
    case PostStatus::kPublished:
      return ICAL_STATUS_CONFIRMED;
    case PostStatus::kCancelled:
      return ICAL_STATUS_CANCELLED;
  }
  return ICAL_STATUS_TENTATIVE;
}

// An X- property (libical folds the line and escapes backslashes, but leaves commas
// and semicolons as they are, and reads them back the same way; an X- value's type is
// unknown to a generic parser, so clients take the raw value to the end of the line).
// The value is kept on one line.
icalproperty* XProperty(const char* name, std::string_view value) {
  std::string line = CleanText(value);
  for (char& c : line) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  icalproperty* p = icalproperty_new_x(line.c_str());
  icalproperty_set_x_name(p, name);
  return p;
}

absl::Status CheckOptions(const FeedOptions& o) {
  if (o.uid_host.empty() || !IsSingleLineAscii(o.uid_host) ||
      o.uid_host.find_first_of("/@") != std::string::npos) {
    return absl::InvalidArgumentError(
        "feed uid_host must be a host name (ASCII, no spaces, '/' or '@')");
  }
  if (!(o.post_url_prefix.starts_with("https://") || o.post_url_prefix.starts_with("http://")) ||
      !IsSingleLineAscii(o.post_url_prefix)) {
    return absl::InvalidArgumentError(
        "feed post_url_prefix must be an http(s) URL without spaces or non-ASCII characters");
  }
  if (!core::ValidateUtf8(o.calendar_name).ok || !core::ValidateUtf8(o.product_id).ok) {
    return absl::InvalidArgumentError("feed calendar_name and product_id must be UTF-8");
  }
  if (o.duration <= absl::ZeroDuration() || o.duration > absl::Hours(24)) {
    return absl::InvalidArgumentError("feed event duration must be between 1 second and 24 hours");
  }
  if (o.refresh_interval < absl::Minutes(1) || o.refresh_interval > absl::Hours(24 * 7)) {
    return absl::InvalidArgumentError("feed refresh_interval must be between 1 minute and 7 days");
  }
  if (!InWritableRange(o.generated_at)) {
    return absl::InvalidArgumentError("feed generated_at is outside the years 1970-9999");
  }
  return absl::OkStatus();
}

}  // namespace

std::string FeedEventUid(int64_t post_id, std::string_view uid_host) {
  return Cat("post-", post_id, '@', uid_host);
}

std::string FeedEventSummary(const FeedEvent& event) {
  std::string s = event.campaign.empty() ? std::string("Post") : CleanText(event.campaign);
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  for (size_t i = 0; i < event.platforms.size(); ++i) {
    core::Append(&s, i == 0 ? " \xE2\x80\x94 " : ", ", PlatformLabel(event.platforms[i]));
  }
  return s;
}

absl::StatusOr<std::string> WriteCalendarFeed(std::span<const FeedEvent> events,
                                              const FeedOptions& options) {
  if (absl::Status st = CheckOptions(options); !st.ok()) return st;

  ComponentPtr calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid(options.product_id.c_str()));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  icalcomponent_add_property(calendar.get(), XProperty("X-WR-CALNAME", options.calendar_name));
  const icaldurationtype refresh =
      icaldurationtype_from_int(static_cast<int>(absl::ToInt64Seconds(options.refresh_interval)));
  icalproperty* refresh_prop = icalproperty_new_refreshinterval(refresh);
  icalproperty_add_parameter(refresh_prop, icalparameter_new_value(ICAL_VALUE_DURATION));
  icalcomponent_add_property(calendar.get(), refresh_prop);
  char* ttl = icaldurationtype_as_ical_string_r(refresh);
  icalcomponent_add_property(calendar.get(), XProperty("X-PUBLISHED-TTL", ttl));
  icalmemory_free_buffer(ttl);

  const icaltimetype stamp = ToIcalUtc(options.generated_at);
  const icaldurationtype duration =
      icaldurationtype_from_int(static_cast<int>(absl::ToInt64Seconds(options.duration)));
  for (size_t i = 0; i < events.size(); ++i) {
    const FeedEvent& e = events[i];
    const std::string where = Cat("feed event ", i, " (post ", e.post_id, ")");
    if (e.post_id <= 0) return absl::InvalidArgumentError(Cat(where, ": the id must be positive"));
    if (!InWritableRange(e.start)) {
      return absl::InvalidArgumentError(Cat(where, ": the start is outside the years 1970-9999"));
    }
    if (!core::ValidateUtf8(e.campaign).ok ||
        (options.include_text && !core::ValidateUtf8(e.text).ok)) {
      return absl::InvalidArgumentError(Cat(where, ": the campaign or text is not valid UTF-8"));
    }
    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_component(calendar.get(), event);  // owned by the calendar from here
    const std::string uid = FeedEventUid(e.post_id, options.uid_host);
    const std::string url = Cat(options.post_url_prefix, e.post_id);
    icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(event, icalproperty_new_dtstart(ToIcalUtc(e.start)));
    icalcomponent_add_property(event, icalproperty_new_duration(duration));
    icalcomponent_add_property(event, icalproperty_new_summary(FeedEventSummary(e).c_str()));
    icalcomponent_add_property(event, icalproperty_new_status(StatusOf(e.status)));
    icalcomponent_add_property(event, icalproperty_new_url(url.c_str()));
    icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    if (InWritableRange(e.updated)) {
      icalcomponent_add_property(event, icalproperty_new_lastmodified(ToIcalUtc(e.updated)));
    }
    std::string description =
        Cat("Status: ", PostStatusName(e.status), "\nOpen in carepost: ", url);
    if (options.include_text && !e.text.empty()) {
      description = Cat(CleanText(e.text), "\n\n", description);
    }
    icalcomponent_add_property(event, icalproperty_new_description(description.c_str()));
  }

  char* text = icalcomponent_as_ical_string_r(calendar.get());
  if (text == nullptr) return absl::InternalError("libical could not write the calendar");
  std::string out(text);
  icalmemory_free_buffer(text);
  return out;
}

}  // namespace carepost::plan
