// train_misinfo: trains the misinformation classifier shipped in
// src/guard/data/misinfo_model.bin from the Constraint training split, with the SAME
// preprocessing as the product (guard::Document + guard::MisinfoFeaturizer).
//
// Model: a linear L2-regularised, L2-loss SVM (liblinear's dual coordinate descent),
// optionally on NB-scaled features (Wang & Manning 2012, "NBSVM"), over hashed word
// n-grams, character n-grams and shape features. Deterministic: one thread, a fixed
// seed, our own shuffle.
//
//   train_misinfo --train Constraint_Train.csv --cv 5 [hyper-parameters]   # CV report
//   train_misinfo --train Constraint_Train.csv --search                      # CV grid
//   train_misinfo --train Constraint_Train.csv [hyper-parameters] --out model.bin
//   train_misinfo --model model.bin --eval Constraint_Val.csv [--ids-mod ...]
//
// Hyper-parameters: --char MIN-MAX (0-0 disables), --ngrams N, --bits B, --norm mean|sqrt,
// --shape 0|1, --punct 0|1, --c C, --nb ALPHA (0 disables), --epochs N, --seed S,
// --threshold T (default: the best threshold found by cross-validation),
// --gate 0|1 (default 1: texts outside MisinfoTopicGate are never flagged, as in the
// product; cross-validation and --eval measure the gated classifier).
// --print-scores 1 prints every out-of-fold (or --eval) score, for threshold studies.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "guard/document.h"
#include "guard/misinfo_features.h"
#include "guard/misinfo_model.h"

using carepost::guard::Document;
using carepost::guard::MisinfoFeatureOptions;
using carepost::guard::MisinfoFeaturizer;
using carepost::guard::MisinfoModel;
using carepost::guard::MisinfoNorm;

namespace {

struct Record {
  std::string id;
  std::string text;
  int label = 0;  // +1 fake, -1 real
};

// RFC 4180 CSV with a header row (fields may be quoted and hold newlines).
bool ReadCsv(const std::string& path, std::vector<Record>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < data.size() && data[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return false;
  int id_col = -1, text_col = -1, label_col = -1;
  for (size_t k = 0; k < rows[0].size(); ++k) {
    if (rows[0][k] == "id") id_col = static_cast<int>(k);
    if (rows[0][k] == "tweet" || rows[0][k] == "text") text_col = static_cast<int>(k);
    if (rows[0][k] == "label") label_col = static_cast<int>(k);
  }
  if (text_col < 0 || label_col < 0) return false;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& f = rows[r];
    if (f.size() <= static_cast<size_t>(std::max(text_col, label_col))) continue;
    Record rec;
    rec.id = id_col >= 0 ? f[id_col] : std::to_string(r);
    rec.text = f[text_col];
    std::string label = f[label_col];
    while (!label.empty() && (label.back() == ' ' || label.back() == '\r')) label.pop_back();
    rec.label = label == "fake" ? 1 : -1;
    out->push_back(std::move(rec));
  }
  return true;
}

struct Params {
  MisinfoFeatureOptions features;
  int bits = 20;
  MisinfoNorm norm = MisinfoNorm::kSqrt;
  double c = 1.0;
  double nb_alpha = 0.0;  // 0: plain SVM
  int epochs = 60;
  uint64_t seed = 20240601;
};

std::string Describe(const Params& p) {
  char buf[256];
  snprintf(buf, sizeof buf,
           "--char %d-%d --ngrams %d --shape %d --punct %d --bits %d --norm %s --c %g --nb %g "
           "--epochs %d",
           p.features.char_min, p.features.char_max, p.features.word_ngrams, p.features.shape ? 1 : 0,
           p.features.punctuation ? 1 : 0, p.bits,
           p.norm == MisinfoNorm::kMean ? "mean" : "sqrt", p.c, p.nb_alpha, p.epochs);
  return buf;
}

// Featurised corpus: raw feature hashes per record (what the product computes).
struct Corpus {
  std::vector<std::vector<uint32_t>> hashes;
  std::vector<int> labels;
  std::vector<bool> admitted;  // MisinfoTopicGate::Admits
};

bool g_gate = true;
constexpr double kGatedOut = -1e9;  // the score of a text the gate keeps from the model

Corpus Featurise(const std::vector<Record>& records, const MisinfoFeatureOptions& opts) {
  Corpus c;
  MisinfoFeaturizer featurizer(opts);
  carepost::guard::MisinfoTopicGate gate;
  Document doc;
  std::vector<uint32_t> buf;
  for (const Record& r : records) {
    doc.Analyze(r.text);
    featurizer.Extract(doc, &buf);
    c.hashes.push_back(buf);
    c.labels.push_back(r.label);
    c.admitted.push_back(gate.Admits(doc));
  }
  return c;
}

struct SparseRow {
  std::vector<uint32_t> idx;
  std::vector<float> val;
};

SparseRow ToRow(const std::vector<uint32_t>& hashes, const Params& p) {
  const uint32_t mask = (uint32_t{1} << p.bits) - 1;
  std::vector<uint32_t> b(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) b[i] = hashes[i] & mask;
  std::sort(b.begin(), b.end());
  SparseRow row;
  const double n = static_cast<double>(hashes.size());
  const double denom = n == 0 ? 1.0 : (p.norm == MisinfoNorm::kMean ? n : std::sqrt(n));
  for (size_t i = 0; i < b.size();) {
    size_t j = i;
    while (j < b.size() && b[j] == b[i]) ++j;
    row.idx.push_back(b[i]);
    row.val.push_back(static_cast<float>((j - i) / denom));
    i = j;
  }
  return row;
}

// Deterministic Fisher-Yates (std::shuffle's algorithm is implementation-defined).
void Shuffle(std::vector<size_t>* v, std::mt19937_64* rng) {
  for (size_t i = v->size(); i > 1; --i) {
    const size_t j = static_cast<size_t>((*rng)() % i);
    std::swap((*v)[i - 1], (*v)[j]);
  }
}

struct Trained {
  std::vector<float> w;  // per bucket, NB scaling folded in
  float bias = 0;
};

// L2-regularised L2-loss SVM, dual coordinate descent (Hsieh et al. 2008), with the
// bias as an extra feature of value 1.
Trained TrainSvm(const std::vector<SparseRow>& rows, const std::vector<int>& y,
                 const std::vector<size_t>& subset, const Params& p) {
  const size_t dim = size_t{1} << p.bits;
  std::vector<float> r;  // NB log-count ratios
  if (p.nb_alpha > 0) {
    std::vector<double> pos(dim, p.nb_alpha), neg(dim, p.nb_alpha);
    for (size_t s : subset) {
      auto& tgt = y[s] > 0 ? pos : neg;
      for (uint32_t k : rows[s].idx) tgt[k] += 1.0;
    }
    double sp = 0, sn = 0;
    for (size_t k = 0; k < dim; ++k) {
      sp += pos[k];
      sn += neg[k];
    }
    r.resize(dim);
    for (size_t k = 0; k < dim; ++k) r[k] = static_cast<float>(std::log((pos[k] / sp) / (neg[k] / sn)));
  }
  auto scaled = [&](size_t s, size_t k) {
    const float v = rows[s].val[k];
    return r.empty() ? v : v * r[rows[s].idx[k]];
  };
  std::vector<double> w(dim, 0.0);
  double bias = 0;
  const double diag = 0.5 / p.c;
  std::vector<double> alpha(subset.size(), 0.0), qii(subset.size());
  for (size_t t = 0; t < subset.size(); ++t) {
    double q = 1.0 + diag;  // bias feature
    for (size_t k = 0; k < rows[subset[t]].idx.size(); ++k) {
      const double v = scaled(subset[t], k);
      q += v * v;
    }
    qii[t] = q;
  }
  std::vector<size_t> order(subset.size());
  for (size_t t = 0; t < order.size(); ++t) order[t] = t;
  std::mt19937_64 rng(p.seed);
  for (int epoch = 0; epoch < p.epochs; ++epoch) {
    Shuffle(&order, &rng);
    double max_pg = -1e300, min_pg = 1e300;
    for (size_t t : order) {
      const size_t s = subset[t];
      const SparseRow& row = rows[s];
      double dot = bias;
      for (size_t k = 0; k < row.idx.size(); ++k) dot += w[row.idx[k]] * scaled(s, k);
      const double g = y[s] * dot - 1.0 + diag * alpha[t];
      const double pg = alpha[t] == 0 ? std::min(g, 0.0) : g;
      max_pg = std::max(max_pg, pg);
      min_pg = std::min(min_pg, pg);
      if (std::fabs(pg) < 1e-12) continue;
      const double old = alpha[t];
      alpha[t] = std::max(old - g / qii[t], 0.0);
      const double d = (alpha[t] - old) * y[s];
      for (size_t k = 0; k < row.idx.size(); ++k) w[row.idx[k]] += d * scaled(s, k);
      bias += d;
    }
    if (max_pg - min_pg < 0.01) break;
  }
  Trained out;
  out.w.resize(dim);
  for (size_t k = 0; k < dim; ++k) out.w[k] = static_cast<float>(r.empty() ? w[k] : w[k] * r[k]);
  out.bias = static_cast<float>(bias);
  return out;
}

struct Scores {
  double weighted_f1 = 0, f1_fake = 0, f1_real = 0;
};

Scores WeightedF1(const std::vector<double>& margin, const std::vector<int>& y, double threshold) {
  long tp = 0, fp = 0, fn = 0, tn = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const bool flagged = margin[i] > threshold;
    const bool fake = y[i] > 0;
    tp += flagged && fake;
    fp += flagged && !fake;
    fn += !flagged && fake;
    tn += !flagged && !fake;
  }
  auto f1 = [](long a, long b, long c) { return a ? 2.0 * a / (2.0 * a + b + c) : 0.0; };
  Scores s;
  s.f1_fake = f1(tp, fp, fn);
  s.f1_real = f1(tn, fn, fp);
  const double nf = tp + fn, nr = tn + fp;
  s.weighted_f1 = (s.f1_fake * nf + s.f1_real * nr) / (nf + nr);
  return s;
}

double BestThreshold(const std::vector<double>& margin, const std::vector<int>& y) {
  std::vector<double> cands = margin;
  std::sort(cands.begin(), cands.end());
  double best = 0, best_f1 = -1;
  for (size_t i = 0; i + 1 < cands.size(); ++i) {
    const double t = 0.5 * (cands[i] + cands[i + 1]);
    if (std::fabs(t) > 1.0) continue;  // also skips the gated-out scores
    const double f = WeightedF1(margin, y, t).weighted_f1;
    if (f > best_f1 + 1e-12 || (std::fabs(f - best_f1) <= 1e-12 && std::fabs(t) < std::fabs(best))) {
      best_f1 = f;
      best = t;
    }
  }
  return best;
}

struct CvResult {
  double f1_at_zero = 0;
  double best_threshold = 0;
  double f1_at_best = 0;
};

// K-fold cross-validation; scores come from the QUANTISED model through the product's
// own scoring code.
bool g_print_scores = false;

CvResult CrossValidate(const Corpus& corpus, const Params& p, int folds, bool verbose) {
  std::vector<SparseRow> rows;
  rows.reserve(corpus.hashes.size());
  for (const auto& h : corpus.hashes) rows.push_back(ToRow(h, p));
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(p.seed ^ 0x5eed);
  Shuffle(&order, &rng);
  std::vector<double> margin(rows.size());
  for (int f = 0; f < folds; ++f) {
    std::vector<size_t> train, test;
    for (size_t i = 0; i < order.size(); ++i) {
      (static_cast<int>(i % folds) == f ? test : train).push_back(order[i]);
    }
    Trained t = TrainSvm(rows, corpus.labels, train, p);
    MisinfoModel m = MisinfoModel::FromWeights(p.features, p.bits, p.norm, t.w, t.bias, 0);
    for (size_t s : test) {
      margin[s] = g_gate && !corpus.admitted[s] ? kGatedOut : m.Score(corpus.hashes[s]);
    }
  }
  if (g_print_scores) {
    for (size_t i = 0; i < margin.size(); ++i) printf("oof\t%zu\t%d\t%.4f\n", i, corpus.labels[i], margin[i]);
  }
  CvResult r;
  r.f1_at_zero = WeightedF1(margin, corpus.labels, 0).weighted_f1;
  r.best_threshold = BestThreshold(margin, corpus.labels);
  r.f1_at_best = WeightedF1(margin, corpus.labels, r.best_threshold).weighted_f1;
  if (verbose) {
    printf("cv%d %s: weighted_f1@0 = %.4f, best threshold %.3f -> %.4f\n", folds, Describe(p).c_str(),
           r.f1_at_zero, r.best_threshold, r.f1_at_best);
    fflush(stdout);
  }
  return r;
}

bool ParseChar(const char* s, MisinfoFeatureOptions* o) {
  int a = 0, b = 0;
  if (sscanf(s, "%d-%d", &a, &b) != 2) return false;
  o->char_min = a;
  o->char_max = b;
  return true;
}

int Usage() {
  fprintf(stderr,
          "usage: train_misinfo --train CSV [--cv K] [--search] [--out MODEL] [hyper-parameters]\n"
          "       train_misinfo --model MODEL --eval CSV [--half tune|check]\n");
  return 2;
}

// The TUNE/CHECK split every dev corpus uses: sha256("carepost-tune-v1:" + id) even -> TUNE.
// Implemented here (tiny SHA-256) so --eval can report each half.
struct Sha256 {
  static std::string Hex(const std::string& msg) {
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::string m = msg;
    const uint64_t bits = static_cast<uint64_t>(msg.size()) * 8;
    m += static_cast<char>(0x80);
    while (m.size() % 64 != 56) m += '\0';
    for (int i = 7; i >= 0; --i) m += static_cast<char>((bits >> (i * 8)) & 0xff);
    auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    for (size_t off = 0; off < m.size(); off += 64) {
      uint32_t w[64];
      for (int i = 0; i < 16; ++i) {
        w[i] = (uint32_t(uint8_t(m[off + 4 * i])) << 24) | (uint32_t(uint8_t(m[off + 4 * i + 1])) << 16) |
               (uint32_t(uint8_t(m[off + 4 * i + 2])) << 8) | uint32_t(uint8_t(m[off + 4 * i + 3]));
      }
      for (int i = 16; i < 64; ++i) {
        const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
      }
      uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (int i = 0; i < 64; ++i) {
        const uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const uint32_t ch = (e & f) ^ (~e & g);
        const uint32_t t1 = hh + S1 + ch + k[i] + w[i];
        const uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const uint32_t t2 = S0 + maj;
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    char out[65];
    for (int i = 0; i < 8; ++i) snprintf(out + 8 * i, 9, "%08x", h[i]);
    return std::string(out, 64);
  }
};

bool InTuneHalf(const std::string& id) {
  const std::string hex = Sha256::Hex("carepost-tune-v1:" + id);
  const char last = hex.back();
  const int v = last <= '9' ? last - '0' : last - 'a' + 10;
  return v % 2 == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string train_path, out_path, model_path, eval_path, half;
  bool print_scores = false;
  int cv = 0;
  bool search = false;
  bool threshold_set = false;
  float threshold = 0;
  Params p;
  p.features.char_min = 3;
  p.features.char_max = 5;
  p.features.word_ngrams = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--search") {
      search = true;
      continue;
    }
    if ((v = next()) == nullptr) return Usage();
    if (a == "--train") train_path = v;
    else if (a == "--out") out_path = v;
    else if (a == "--model") model_path = v;
    else if (a == "--eval") eval_path = v;
    else if (a == "--half") half = v;
    else if (a == "--print-scores") print_scores = atoi(v) != 0;
    else if (a == "--cv") cv = atoi(v);
    else if (a == "--char") { if (!ParseChar(v, &p.features)) return Usage(); }
    else if (a == "--ngrams") p.features.word_ngrams = atoi(v);
    else if (a == "--shape") p.features.shape = atoi(v) != 0;
    else if (a == "--punct") p.features.punctuation = atoi(v) != 0;
    else if (a == "--bits") p.bits = atoi(v);
    else if (a == "--norm") p.norm = std::string(v) == "mean" ? MisinfoNorm::kMean : MisinfoNorm::kSqrt;
    else if (a == "--c") p.c = atof(v);
    else if (a == "--nb") p.nb_alpha = atof(v);
    else if (a == "--epochs") p.epochs = atoi(v);
    else if (a == "--seed") p.seed = strtoull(v, nullptr, 10);
    else if (a == "--threshold") { threshold = static_cast<float>(atof(v)); threshold_set = true; }
    else if (a == "--gate") g_gate = atoi(v) != 0;
    else return Usage();
  }

  if (!eval_path.empty()) {
    std::ifstream in(model_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    auto model = MisinfoModel::Parse(bytes);
    if (!model.ok()) {
      fprintf(stderr, "%s\n", std::string(model.status().message()).c_str());
      return 1;
    }
    std::vector<Record> records;
    if (!ReadCsv(eval_path, &records)) return Usage();
    MisinfoFeaturizer featurizer(model->feature_options());
    carepost::guard::MisinfoTopicGate gate;
    Document doc;
    std::vector<uint32_t> buf;
    std::vector<double> margin[3];
    std::vector<int> labels[3];
    const char* names[3] = {"all", "tune", "check"};
    const auto start = std::chrono::steady_clock::now();
    double classify_secs = 0;
    for (const Record& r : records) {
      doc.Analyze(r.text);
      const auto t0 = std::chrono::steady_clock::now();
      const bool admitted = !g_gate || gate.Admits(doc);
      featurizer.Extract(doc, &buf);
      const double m = admitted ? model->Score(buf) : kGatedOut;
      classify_secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (print_scores) printf("score\t%s\t%d\t%.4f\n", r.id.c_str(), r.label, m);
      const int h = InTuneHalf(r.id) ? 1 : 2;
      for (int k : {0, h}) {
        margin[k].push_back(m);
        labels[k].push_back(r.label);
      }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (int k = 0; k < 3; ++k) {
      if (!half.empty() && half != names[k] && k != 0) continue;
      const Scores s = WeightedF1(margin[k], labels[k], model->threshold());
      printf("%s (%zu records): weighted_f1 = %.4f (fake %.4f, real %.4f) at threshold %.3f\n",
             names[k], labels[k].size(), s.weighted_f1, s.f1_fake, s.f1_real, model->threshold());
    }
    printf("Document::Analyze + gate + featurise + score: %.2f us/post; gate + featurise + score "
           "alone: %.2f us/post\n",
           1e6 * secs / records.size(), 1e6 * classify_secs / records.size());
    return 0;
  }

  g_print_scores = print_scores;
  if (train_path.empty()) return Usage();
  std::vector<Record> records;
  if (!ReadCsv(train_path, &records)) {
    fprintf(stderr, "cannot read %s\n", train_path.c_str());
    return 2;
  }
  fprintf(stderr, "%zu training records\n", records.size());

  if (search) {
    // Coarse-to-fine grid by 5-fold CV on the training split only.
    std::map<std::string, Corpus> cache;
    auto corpus_for = [&](const MisinfoFeatureOptions& o) -> const Corpus& {
      const std::string key = std::to_string(o.char_min) + "-" + std::to_string(o.char_max) + "/" +
                              std::to_string(o.word_ngrams) + "/" + std::to_string(o.shape) + "/" + std::to_string(o.punctuation);
      auto it = cache.find(key);
      if (it == cache.end()) it = cache.emplace(key, Featurise(records, o)).first;
      return it->second;
    };
    Params best = p;
    double best_f1 = -1;
    auto consider = [&](const Params& q) {
      const CvResult r = CrossValidate(corpus_for(q.features), q, 5, true);
      if (r.f1_at_best > best_f1) {
        best_f1 = r.f1_at_best;
        best = q;
      }
    };
    // Stage 1: features x regularisation x NB scaling, jointly.
    for (auto [mn, mx] : std::vector<std::pair<int, int>>{{0, 0}, {2, 4}, {3, 5}}) {
      for (int ng : {1, 2, 3}) {
        for (double c : {1.0, 3.0, 10.0}) {
          for (double nb : {0.0, 0.5, 1.0}) {
            Params q = p;
            q.features.char_min = mn;
            q.features.char_max = mx;
            q.features.word_ngrams = ng;
            q.c = c;
            q.nb_alpha = nb;
            q.norm = MisinfoNorm::kSqrt;
            consider(q);
          }
        }
      }
    }
    // Stage 2: the rest, one at a time around the best.
    for (MisinfoNorm norm : {MisinfoNorm::kSqrt, MisinfoNorm::kMean}) {
      Params q = best;
      q.norm = norm;
      consider(q);
    }
    for (int punct : {0, 1}) {
      Params q = best;
      q.features.punctuation = punct != 0;
      consider(q);
    }
    for (int epochs : {30, 60, 200}) {
      Params q = best;
      q.epochs = epochs;
      consider(q);
    }
    for (int bits : {18, 19, 20, 21, 22}) {
      Params q = best;
      q.bits = bits;
      consider(q);
    }
    for (int shape : {0, 1}) {
      Params q = best;
      q.features.shape = shape != 0;
      consider(q);
    }
    printf("best: %s (cv5 weighted_f1 %.4f)\n", Describe(best).c_str(), best_f1);
    return 0;
  }

  const Corpus corpus = Featurise(records, p.features);
  if (cv > 1) {
    const CvResult r = CrossValidate(corpus, p, cv, true);
    if (!threshold_set) threshold = static_cast<float>(r.best_threshold);
  }
  if (!out_path.empty()) {
    std::vector<SparseRow> rows;
    for (const auto& h : corpus.hashes) rows.push_back(ToRow(h, p));
    std::vector<size_t> all(rows.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    Trained t = TrainSvm(rows, corpus.labels, all, p);
    MisinfoModel m = MisinfoModel::FromWeights(p.features, p.bits, p.norm, t.w, t.bias, threshold);
    std::ofstream out(out_path, std::ios::binary);
    const std::string bytes = m.Serialize();
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    printf("wrote %s (%zu bytes): %s --gate %d --threshold %.4f\n", out_path.c_str(),
           bytes.size(), Describe(p).c_str(), g_gate ? 1 : 0, m.threshold());
  }
  return 0;
}
