// File: guard/misinfo_model.h
//
// The statistical misinformation classifier: a linear model over hashed features
// (misinfo_features.h). A text's score is
//
//   score = bias + scale * sum over feature occurrences f of table[f mod 2^bits] / norm
//
// where `norm` is the number of occurrences (mean) or its square root, and `table`
// holds int8 weights. Scoring is one table read per feature: no allocation, no
// dictionary, no string built per word. A score above `threshold()` means the text
// resembles the fact-checked false claims the model was trained on.
//
// The model file (src/guard/data/misinfo_model.bin) is written by
// tools/misinfo/train_misinfo from the Constraint training split; see
// docs/misinfo-classifier.md. Layout, little-endian:
//
//   "CPMISv1\0"  magic (8 bytes)
//   int32 char_min, char_max, word_ngrams, flags (1 shape, 2 punctuation), table_bits, norm
//   float32 scale, bias, threshold
//   int8[2^table_bits] table
//
// Thread-safety: immutable after Parse; Score may be called from many threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "guard/misinfo_features.h"

namespace carepost::guard {

enum class MisinfoNorm : int32_t {
  kMean = 0,  // divide the sum by the number of feature occurrences
  kSqrt = 1,  // divide by its square root (an L2-normalised binary vector)
};

class MisinfoModel {
 public:
  MisinfoModel() = default;

  // Reads a model file. Fails when the bytes are not a complete model of this version.
  static absl::StatusOr<MisinfoModel> Parse(std::string_view bytes);

  // Quantises float weights (one per table bucket, 2^table_bits of them) to int8.
  // Used by the trainer.
  static MisinfoModel FromWeights(const MisinfoFeatureOptions& features, int table_bits,
                                  MisinfoNorm norm, std::span<const float> weights, float bias,
                                  float threshold);

  std::string Serialize() const;

  // The decision value for a text's features (as produced by MisinfoFeaturizer).
  double Score(std::span<const uint32_t> features) const;

  // Above this score a text is flagged: chosen by cross-validation on the training split.
  double threshold() const { return threshold_; }
  void set_threshold(float t) { threshold_ = t; }
  const MisinfoFeatureOptions& feature_options() const { return features_; }
  int table_bits() const { return table_bits_; }
  MisinfoNorm norm() const { return norm_; }

 private:
  MisinfoFeatureOptions features_;
  int table_bits_ = 0;
  uint32_t mask_ = 0;
  MisinfoNorm norm_ = MisinfoNorm::kSqrt;
  float scale_ = 0;
  float bias_ = 0;
  float threshold_ = 0;
  std::vector<int8_t> table_;
};

}  // namespace carepost::guard
