#include "guard/misinfo_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/strings.h"

namespace carepost::guard {
namespace {

constexpr char kMagic[8] = {'C', 'P', 'M', 'I', 'S', 'v', '1', '\0'};
constexpr size_t kHeaderSize = sizeof kMagic + 6 * 4 + 3 * 4;
constexpr int32_t kFlagShape = 1;
constexpr int32_t kFlagPunctuation = 2;
constexpr int kMaxTableBits = 24;

template <typename T>
T ReadLE(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // the project targets little-endian x86-64 and arm64
  return v;
}

template <typename T>
void WriteLE(std::string* out, T v) {
  char buf[sizeof v];
  std::memcpy(buf, &v, sizeof v);
  out->append(buf, sizeof v);
}

}  // namespace

absl::StatusOr<MisinfoModel> MisinfoModel::Parse(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return absl::InvalidArgumentError("misinformation model: not a CPMISv1 model file");
  }
  const char* p = bytes.data() + sizeof kMagic;
  MisinfoModel m;
  m.features_.char_min = ReadLE<int32_t>(p);
  m.features_.char_max = ReadLE<int32_t>(p + 4);
  m.features_.word_ngrams = ReadLE<int32_t>(p + 8);
  const int32_t flags = ReadLE<int32_t>(p + 12);
  m.features_.shape = (flags & kFlagShape) != 0;
  m.features_.punctuation = (flags & kFlagPunctuation) != 0;
  m.table_bits_ = ReadLE<int32_t>(p + 16);
  const int32_t norm = ReadLE<int32_t>(p + 20);
  m.scale_ = ReadLE<float>(p + 24);
  m.bias_ = ReadLE<float>(p + 28);
  m.threshold_ = ReadLE<float>(p + 32);
  if (m.table_bits_ < 1 || m.table_bits_ > kMaxTableBits || (norm != 0 && norm != 1) ||
      m.features_.char_min < 0 || m.features_.char_max > 16 || !std::isfinite(m.scale_) ||
      !std::isfinite(m.bias_) || !std::isfinite(m.threshold_)) {
    return absl::InvalidArgumentError("misinformation model: header out of range");
  }
  m.norm_ = static_cast<MisinfoNorm>(norm);
  const size_t table_size = size_t{1} << m.table_bits_;
  if (bytes.size() != kHeaderSize + table_size) {
    return absl::InvalidArgumentError(core::Cat("misinformation model: expected ",
                                                kHeaderSize + table_size, " bytes, got ",
                                                bytes.size()));
  }
  m.mask_ = static_cast<uint32_t>(table_size - 1);
  m.table_.resize(table_size);
  std::memcpy(m.table_.data(), bytes.data() + kHeaderSize, table_size);
  return m;
}

MisinfoModel MisinfoModel::FromWeights(const MisinfoFeatureOptions& features, int table_bits,
                                       MisinfoNorm norm, std::span<const float> weights,
                                       float bias, float threshold) {
  MisinfoModel m;
  m.features_ = features;
  m.table_bits_ = table_bits;
  m.mask_ = static_cast<uint32_t>((size_t{1} << table_bits) - 1);
  m.norm_ = norm;
  m.bias_ = bias;
  m.threshold_ = threshold;
  float max_abs = 0;
  for (float w : weights) max_abs = std::max(max_abs, std::fabs(w));
  m.scale_ = max_abs > 0 ? max_abs / 127.0f : 1.0f;
  m.table_.resize(size_t{1} << table_bits);
  for (size_t i = 0; i < m.table_.size(); ++i) {
    const float w = i < weights.size() ? weights[i] : 0.0f;
    m.table_[i] = static_cast<int8_t>(std::clamp(std::lround(w / m.scale_), -127L, 127L));
  }
  return m;
}

std::string MisinfoModel::Serialize() const {
  std::string out(kMagic, sizeof kMagic);
  WriteLE<int32_t>(&out, features_.char_min);
  WriteLE<int32_t>(&out, features_.char_max);
  WriteLE<int32_t>(&out, features_.word_ngrams);
  WriteLE<int32_t>(&out, (features_.shape ? kFlagShape : 0) |
                             (features_.punctuation ? kFlagPunctuation : 0));
  WriteLE<int32_t>(&out, table_bits_);
  WriteLE<int32_t>(&out, static_cast<int32_t>(norm_));
  WriteLE<float>(&out, scale_);
  WriteLE<float>(&out, bias_);
  WriteLE<float>(&out, threshold_);
  out.append(reinterpret_cast<const char*>(table_.data()), table_.size());
  return out;
}

double MisinfoModel::Score(std::span<const uint32_t> features) const {
  if (features.empty() || table_.empty()) return bias_;
  int64_t sum = 0;
  const int8_t* table = table_.data();
  for (uint32_t f : features) sum += table[f & mask_];
  const double n = static_cast<double>(features.size());
  const double denom = norm_ == MisinfoNorm::kMean ? n : std::sqrt(n);
  return bias_ + scale_ * static_cast<double>(sum) / denom;
}

}  // namespace carepost::guard
