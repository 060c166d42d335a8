#include "cli/jsonl_reader.h"

#include <simdjson.h>

#include "core/strings.h"
#include "core/utf8.h"

namespace carepost::cli {

struct JsonlReader::Impl {
  simdjson::dom::parser parser;
  std::string buffer;  // the line plus simdjson's padding
};

JsonlReader::JsonlReader(size_t max_record_bytes)
    : impl_(std::make_unique<Impl>()), max_record_bytes_(max_record_bytes) {}
JsonlReader::~JsonlReader() = default;

namespace {

absl::Status Invalid(const std::string& what) { return absl::InvalidArgumentError(what); }

const char* ErrorName(simdjson::error_code e) { return simdjson::error_message(e); }

}  // namespace

absl::Status JsonlReader::Parse(std::string_view line, Record* record) {
  *record = Record{};
  if (line.size() > max_record_bytes_) {
    return Invalid(core::Cat("record is ", line.size(), " bytes; the limit is ",
                                max_record_bytes_, " (--max-record-bytes)"));
  }
  if (const size_t nul = line.find('\0'); nul != std::string_view::npos) {
    return Invalid(core::Cat("NUL byte at byte ", nul + 1, " of the line"));
  }
  if (const core::Utf8Check u = core::ValidateUtf8(line); !u.ok) {
    return Invalid(core::Cat("invalid UTF-8 at byte ", u.error_offset + 1, " of the line"));
  }
  impl_->buffer.assign(line);
  impl_->buffer.append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::dom::element root;
  if (auto e = impl_->parser.parse(impl_->buffer.data(), line.size(), false).get(root); e) {
    if (e == simdjson::TRAILING_CONTENT) return Invalid("trailing characters after the JSON object");
    return Invalid(core::Cat("not JSON: ", ErrorName(e)));
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) {
    return Invalid("not a JSON object (expected {\"id\": ..., \"text\": \"...\"})");
  }
  bool have_id = false, have_text = false;
  for (auto [key, value] : obj) {
    if (key == "id") {
      record->id_json = simdjson::minify(value);
      have_id = true;
    } else if (key == "text") {
      std::string_view text;
      if (value.get_string().get(text)) return Invalid("\"text\" must be a string");
      if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
        return Invalid(core::Cat("\"text\" contains a NUL character at byte ", nul));
      }
      record->text.assign(text);
      have_text = true;
    } else if (key == "context") {
      std::string_view name;
      if (value.get_string().get(name)) return Invalid("\"context\" must be a string");
      auto c = guard::ParseContext(name);
      if (!c) return Invalid("\"context\" must be one of post, reply, inbound");
      record->context = *c;
    } else if (key == "platform") {
      std::string_view name;
      if (value.get_string().get(name)) return Invalid("\"platform\" must be a string");
      auto p = guard::ParsePlatform(name);
      if (!p) {
        return Invalid(
            "\"platform\" must be one of facebook, instagram, threads, x, linkedin, youtube, "
            "pinterest, tiktok, bluesky, mastodon");
      }
      record->platform = *p;
    } else if (key == "media") {
      simdjson::dom::array arr;
      if (value.get_array().get(arr)) return Invalid("\"media\" must be an array of objects");
      for (simdjson::dom::element item : arr) {
        simdjson::dom::object m;
        if (item.get_object().get(m)) return Invalid("\"media\" must be an array of objects");
        Record::Media media;
        std::string_view sv;
        if (auto t = m["type"]; !t.error()) {
          if (t.get_string().get(sv)) return Invalid("\"media\" type must be a string");
          media.is_image = sv == "image";
        }
        if (auto a = m["alt"]; !a.error()) {
          if (a.get_string().get(sv)) return Invalid("\"media\" alt must be a string");
          media.alt.assign(sv);
        }
        record->media.push_back(std::move(media));
      }
    }
  }
  if (!have_id) return Invalid("missing \"id\"");
  if (!have_text) return Invalid("missing \"text\"");
  return absl::OkStatus();
}

}  // namespace carepost::cli
