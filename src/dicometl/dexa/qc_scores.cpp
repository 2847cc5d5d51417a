#include "dicometl/dexa/qc_scores.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <string>

namespace dicometl::dexa {

namespace {

constexpr double kEps = 1e-9;

// One kind of score and the percentage printed beside it, both from one reference population.
struct Kind {
  const char* score;
  const char* pct;
  const char* score_label;
  const char* pct_label;
  const char* reference;
  // σ/μ of the reference. Typical young-adult sizes: spine ≈ 0.10, hip regions 0.12–0.14
  // (NHANES III total hip 0.122/0.942), Ward's ≈ 0.18, forearm 0.07–0.14, total body ≈ 0.08;
  // the bounds leave room for other databases. The age-matched μ is lower at old age with
  // about the same σ, hence the higher bound.
  double cv_lo, cv_hi;
  // Percentage points a percentage may stray beyond its rounding: GE adjusts Z-scores for weight
  // and ethnicity, and whether AM% carries the same adjustment is not documented.
  double pct_slack;
};
constexpr Kind kKinds[] = {
    {"t_score", "ya_pct", "T-score", "YA%", "young-adult", 0.04, 0.25, 0},
    {"z_score", "am_pct", "Z-score", "AM%", "age-matched", 0.04, 0.40, 3},
};

// Any adult reference mean of a DXA site: the densest scored sites (total body, femoral shaft,
// intertrochanteric region) have young-adult means near 1.2 g/cm², the lightest (ultradistal
// radius) near 0.4; the bounds leave room for other databases. A BMD digit misread as 1 → 2
// moves the mean a score or percentage implies beyond them.
constexpr double kMuLo = 0.2, kMuHi = 1.6;
// Vertebrae and vertebra ranges each have their own reference; their means are assumed to lie
// within this factor of the page's median (L1's is the lowest, some 10–15 % below L3/L4's).
constexpr double kSpineMeanSpread = 1.25;
// Z − T = (μ_YA − μ_AM)/σ varies between regions of one page by a few tenths (the femoral neck
// loses more with age than the total hip); a lost sign moves it by twice the score.
constexpr double kZtSpread = 1.0;
// Ward's triangle loses far more with age than the other regions (its own, larger age
// adjustment): compared with the others' median, it may stray this much more.
constexpr double kWardsExtraSpread = 1.0;
// How far the score of a vertebra range may lie outside its vertebrae's scores (the range's σ
// is a little smaller than theirs).
constexpr double kTotalScoreMargin = 0.5;

// Vertebrae and vertebra ranges: their young-adult means differ (L1's is the lowest, some
// 10–20 % below L3/L4's), their σ hardly (within this factor of one another).
constexpr double kSpineMeanRatio = 1.25;  // largest mean / smallest mean of one page
constexpr double kSpineSigmaSpread = 1.15;

// What check_left_right (qc.cpp) allows between Mean and (Left + Right)/2 for BMD.
constexpr double kMeanBmdTolerance = 0.001 + 1e-6;

// Half a unit of the last printed place: the rounding a printed number carries.
double half_step(const Value& v) {
  const auto dot = v.text.find('.');
  int decimals = 0;
  if (dot != std::string::npos)
    for (std::size_t i = dot + 1;
         i < v.text.size() && std::isdigit(static_cast<unsigned char>(v.text[i])); ++i)
      ++decimals;
  return 0.5 * std::pow(10.0, -decimals);
}

Value* get(std::vector<Value>& values, const std::string& region, const char* metric) {
  for (auto& v : values)
    if (v.region == region && v.metric == metric && v.number) return &v;
  return nullptr;
}

std::vector<std::string> regions_of(const std::vector<Value>& values) {
  std::vector<std::string> out;
  for (const auto& v : values)
    if (std::find(out.begin(), out.end(), v.region) == out.end()) out.push_back(v.region);
  return out;
}

bool is_diff(const std::string& r) { return r.find("Diff") != std::string::npos; }
bool is_spine(const std::string& r) {
  return r == "T12" ||
         (r.size() >= 2 && r[0] == 'L' && std::isdigit(static_cast<unsigned char>(r[1])));
}

// "Neck Left" → "Neck": both sides and their mean are scored against one reference.
std::string side_group(const std::string& r) {
  for (const std::string suffix : {" Left", " Right", " Mean"})
    if (r.size() > suffix.size() && r.compare(r.size() - suffix.size(), suffix.size(), suffix) == 0)
      return r.substr(0, r.size() - suffix.size());
  return "";
}

void flag_all(const std::vector<Value*>& vs, const std::string& reason) {
  for (Value* v : vs)
    if (v) v->flag(reason);
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  const std::size_t n = xs.size();
  return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

// Score vs percentage of one row: (P − 100)/100 = S·σ/μ, so one reference explains both only
// when their ratio is a plausible σ/μ (and their signs agree).
void check_score_vs_pct(std::vector<Value>& values, const Kind& k) {
  for (const auto& r : regions_of(values)) {
    if (is_diff(r)) continue;
    Value* s = get(values, r, k.score);
    Value* p = get(values, r, k.pct);
    if (!s || !p) continue;
    const double hs = half_step(*s), hp = half_step(*p) + k.pct_slack;
    const double lo_p = *p->number - 100 - hp, hi_p = *p->number - 100 + hp;
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    for (double cv : {k.cv_lo, k.cv_hi})
      for (double x : {*s->number - hs, *s->number + hs}) {
        lo = std::min(lo, 100 * cv * x);
        hi = std::max(hi, 100 * cv * x);
      }
    if (hi < lo_p - kEps || lo > hi_p + kEps)
      flag_all({s, p}, fmt::format("{} vs {}: {} and {} fit no {} reference ({} - 100 = 100 x {} "
                                   "x sigma/mu, sigma/mu {:.0f}-{:.0f} %)",
                                   k.score_label, k.pct_label, s->text, p->text, k.reference,
                                   k.pct_label, k.score_label, 100 * k.cv_lo, 100 * k.cv_hi));
  }
}

// The reference mean a row implies, μ = 100·BMD/P, within the rounding of both.
struct MeanRow {
  Value* bmd;
  Value* pct;
  double lo, hi, mid;
};

void check_implied_mean(std::vector<Value>& values, const Kind& k) {
  std::vector<MeanRow> spine;
  std::map<std::string, std::vector<MeanRow>> sides;
  for (const auto& r : regions_of(values)) {
    if (is_diff(r)) continue;
    Value* b = get(values, r, "bmd");
    Value* p = get(values, r, k.pct);
    if (!b || !p) continue;
    const double hb = half_step(*b), hp = half_step(*p);
    if (*p->number - hp <= 0) continue;
    const MeanRow row{b, p, 100 * (*b->number - hb) / (*p->number + hp),
                      100 * (*b->number + hb) / (*p->number - hp), 100 * *b->number / *p->number};
    if (is_spine(r))
      spine.push_back(row);
    else if (auto g = side_group(r); !g.empty())
      sides[g].push_back(row);
  }
  if (spine.size() >= 3) {
    std::vector<double> mids;
    for (const auto& row : spine) mids.push_back(row.mid);
    const double m = median(mids);
    for (const auto& row : spine)
      if (row.hi < m / kSpineMeanSpread - kEps || row.lo > m * kSpineMeanSpread + kEps)
        flag_all({row.bmd, row.pct},
                 fmt::format("{} mean: BMD {} and {} {} give mu {:.3f}, the other spine rows "
                             "about {:.3f}",
                             k.reference, row.bmd->text, k.pct_label, row.pct->text, row.mid, m));
  }
  for (auto& [group, rows] : sides) {
    if (rows.size() < 2) continue;
    double lo = std::numeric_limits<double>::lowest(), hi = std::numeric_limits<double>::max();
    for (const auto& row : rows) {
      lo = std::max(lo, row.lo);
      hi = std::min(hi, row.hi);
    }
    if (lo <= hi + kEps) continue;
    std::vector<Value*> vs;
    for (const auto& row : rows) vs.insert(vs.end(), {row.bmd, row.pct});
    flag_all(vs, fmt::format("{} mean: the {} rows share one reference, but BMD and {} give "
                             "different means",
                             k.reference, group, k.pct_label));
  }
}

// Z − T is the same age adjustment in every row of a page, up to the regions' differences.
void check_z_minus_t(std::vector<Value>& values) {
  struct Row {
    std::string region;
    Value* t;
    Value* z;
    double d, h;
    bool wards;
  };
  std::vector<Row> rows;
  for (const auto& r : regions_of(values)) {
    if (is_diff(r)) continue;
    Value* t = get(values, r, "t_score");
    Value* z = get(values, r, "z_score");
    if (t && z)
      rows.push_back({r, t, z, *z->number - *t->number, half_step(*t) + half_step(*z),
                      r.find("Ward") != std::string::npos});
  }
  std::vector<double> ds;  // the median comes from the regions that share one adjustment
  for (const auto& row : rows)
    if (!row.wards) ds.push_back(row.d);
  if (ds.size() < 2) return;
  const double m = median(ds);
  for (const auto& row : rows) {
    // With two rows either may be the wrong one: both are compared with their mean.
    double tol = ds.size() == 2 && !row.wards ? kZtSpread / 2 + row.h : kZtSpread + 2 * row.h;
    if (row.wards) tol += kWardsExtraSpread;
    if (std::abs(row.d - m) > tol + kEps)
      flag_all({row.t, row.z}, fmt::format("Z - T: {} has Z - T = {:.1f}, the page's other rows "
                                           "about {:.1f} (one age adjustment per page)",
                                           row.region, row.d, m));
  }
}

// A vertebra range's score lies within its vertebrae's scores (its BMD is their area-weighted
// mean, its reference close to theirs).
void check_total_scores(std::vector<Value>& values, const std::string& total,
                        const std::vector<std::string>& parts) {
  for (const auto& k : kKinds) {
    Value* t = get(values, total, k.score);
    if (!t) continue;
    std::vector<Value*> vs{t};
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    for (const auto& p : parts) {
      Value* v = get(values, p, k.score);
      if (!v) return;
      lo = std::min(lo, *v->number);
      hi = std::max(hi, *v->number);
      vs.push_back(v);
    }
    if (*t->number < lo - kTotalScoreMargin - kEps || *t->number > hi + kTotalScoreMargin + kEps)
      flag_all(vs, fmt::format("total within parts: {} {} {} outside its parts' {:.1f} to {:.1f}",
                               total, k.score_label, t->text, lo, hi));
  }
}

// Linear feasibility in (a, b) = (1/σ, −μ/σ): each constraint bounds b between two lines in a.
// The width of the feasible b-interval is concave in a, so a ternary search finds its maximum.
struct Band {
  double k_lo, c_lo, k_hi, c_hi;  //!< k_lo·a + c_lo ≤ b ≤ k_hi·a + c_hi
};

bool feasible(const std::vector<Band>& bands, double a_lo, double a_hi) {
  auto width = [&](double a) {
    double lo = std::numeric_limits<double>::lowest(), hi = std::numeric_limits<double>::max();
    for (const auto& c : bands) {
      lo = std::max(lo, c.k_lo * a + c.c_lo);
      hi = std::min(hi, c.k_hi * a + c.c_hi);
    }
    return hi - lo;
  };
  double l = a_lo, r = a_hi;
  for (int i = 0; i < 200; ++i) {
    const double m1 = l + (r - l) / 3, m2 = r - (r - l) / 3;
    if (width(m1) < width(m2))
      l = m1;
    else
      r = m2;
  }
  return std::max({width((l + r) / 2), width(a_lo), width(a_hi)}) >= -1e-7;
}

// Rows that share one reference (both sides and their mean): one μ and σ must give every
// printed score from its BMD, S = (BMD − μ)/σ, and every printed percentage, P = 100·BMD/μ.
void check_side_fit(std::vector<Value>& values, const Kind& k) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& r : regions_of(values))
    if (auto g = side_group(r); !g.empty() && !is_diff(r)) groups[g].push_back(r);
  for (const auto& [group, regions] : groups) {
    std::vector<Band> bands = {{0, -1 / k.cv_lo, 0, -1 / k.cv_hi}, {-kMuHi, 0, -kMuLo, 0}};
    std::vector<Value*> involved, bmds;
    int rows = 0;
    for (const auto& r : regions) {
      Value* b = get(values, r, "bmd");
      Value* s = get(values, r, k.score);
      if (!b || !s) continue;
      ++rows;
      const double B = *b->number, hb = half_step(*b), S = *s->number, hs = half_step(*s);
      bands.push_back({-(B + hb), S - hs, -(B - hb), S + hs});
      involved.push_back(s);
      bmds.push_back(b);
      if (Value* p = get(values, r, k.pct); p && *p->number - half_step(*p) > 0) {
        const double hp = half_step(*p);
        bands.push_back(
            {-100 * (B + hb) / (*p->number - hp), 0, -100 * (B - hb) / (*p->number + hp), 0});
        involved.push_back(p);
      }
    }
    if (rows < 2) continue;
    // Left, Right and Mean BMD that agree (Mean = (Left + Right)/2) are vouched for by that
    // check: one slip among them would break it, so a failed fit lies in the scores.
    Value* l = get(values, group + " Left", "bmd");
    Value* r = get(values, group + " Right", "bmd");
    Value* m = get(values, group + " Mean", "bmd");
    const bool bmds_agree =
        l && r && m && std::abs((*l->number + *r->number) / 2 - *m->number) <= kMeanBmdTolerance;
    if (!bmds_agree) involved.insert(involved.end(), bmds.begin(), bmds.end());
    if (!feasible(bands, 1 / (k.cv_hi * kMuHi), 1 / (k.cv_lo * kMuLo)))
      flag_all(involved, fmt::format("reference fit: the {} rows' {}s fit no one {} reference "
                                     "({} = (BMD - mu)/sigma)",
                                     group, k.score_label, k.reference, k.score_label));
  }
}

// One row's score alone: some reference of a DXA site (μ within kMuLo–kMuHi, σ/μ within the
// kind's bounds) must give it from the row's BMD, μ = BMD/(1 + S·σ/μ); with the percentage,
// μ = 100·BMD/P must be such a mean too.
void check_row_mean(std::vector<Value>& values, const Kind& k) {
  for (const auto& r : regions_of(values)) {
    if (is_diff(r)) continue;
    Value* b = get(values, r, "bmd");
    if (!b) continue;
    const double hb = half_step(*b);
    if (Value* p = get(values, r, k.pct); p && *p->number - half_step(*p) > 0) {
      const double hp = half_step(*p);
      const double lo = 100 * (*b->number - hb) / (*p->number + hp);
      const double hi = 100 * (*b->number + hb) / (*p->number - hp);
      if (hi < kMuLo - kEps || lo > kMuHi + kEps)
        flag_all({b, p}, fmt::format("{} mean: BMD {} and {} {} give mu {:.2f}, no site's mean "
                                     "({:.1f}-{:.1f})",
                                     k.reference, b->text, k.pct_label, p->text,
                                     100 * *b->number / *p->number, kMuLo, kMuHi));
    }
    Value* s = get(values, r, k.score);
    if (!s) continue;
    const double hs = half_step(*s);
    bool fits = false;
    for (int i = 0; i <= 40 && !fits; ++i) {
      const double cv = k.cv_lo + (k.cv_hi - k.cv_lo) * i / 40.0;
      const double d_lo = 1 + cv * (*s->number - hs), d_hi = 1 + cv * (*s->number + hs);
      if (d_hi <= 0) continue;  // a score below −1/cv: no mean with this σ/μ
      const double mu_lo = (*b->number - hb) / d_hi;
      const double mu_hi = d_lo > 0 ? (*b->number + hb) / d_lo : kMuHi;
      fits = mu_hi >= kMuLo - kEps && mu_lo <= kMuHi + kEps;
    }
    if (!fits)
      flag_all({b, s}, fmt::format("{} mean: BMD {} and {} {} fit no site's reference "
                                   "(mu {:.1f}-{:.1f}, sigma/mu {:.0f}-{:.0f} %)",
                                   k.reference, b->text, k.score_label, s->text, kMuLo, kMuHi,
                                   100 * k.cv_lo, 100 * k.cv_hi));
  }
}

// The spine rows of one page (3 or more with BMD and a score): their references share about one
// σ (the young-adult and the age-matched one alike) and have means within kSpineMeanRatio of
// one another, so some σ and smallest means must give every row means μᵢ = BMDᵢ − σᵢ·Sᵢ in
// [m, kSpineMeanRatio·m], for T and for Z. A lost minus or misread digit moves a row's implied
// mean by a score's worth of σ and breaks the fit.
struct SpineRow {
  Value* b;
  Value* s[2];  // T, Z (or null)
};

bool spine_fits(const std::vector<SpineRow>& rows) {
  for (int i = 0; i <= 300; ++i) {
    const double sigma = 0.02 + 0.30 * i / 300.0;
    bool all = true;
    for (std::size_t kind = 0; kind < 2 && all; ++kind) {
      const Kind& k = kKinds[kind];
      double m_lo = std::max(kMuLo, sigma / k.cv_hi / kSpineMeanRatio);
      double m_hi = std::min(kMuHi / kSpineMeanRatio, sigma / k.cv_lo);
      int n = 0;
      for (const auto& row : rows) {
        if (!row.s[kind]) continue;
        ++n;
        const Value& b = *row.b;
        const Value& s = *row.s[kind];
        const double hb = half_step(b), hs = half_step(s);
        double lo = std::numeric_limits<double>::max();
        double hi = std::numeric_limits<double>::lowest();
        for (double sg : {sigma / kSpineSigmaSpread, sigma * kSpineSigmaSpread})
          for (double sc : {*s.number - hs, *s.number + hs}) {
            lo = std::min(lo, *b.number - hb - sg * sc);
            hi = std::max(hi, *b.number + hb - sg * sc);
          }
        m_lo = std::max(m_lo, lo / kSpineMeanRatio);
        m_hi = std::min(m_hi, hi);
      }
      all = n < 3 || m_lo <= m_hi + kEps;
    }
    if (all) return true;
  }
  return false;
}

// A check of the row's own numbers already doubts this value (not one that compares the row with
// the page's other rows, which a page of many slips fools alike).
bool doubted_on_its_own(const Value* v) {
  if (!v) return false;
  for (const char* own : {"!= BMC/Area", " vs YA%", " vs AM%", "no site's", "outside plausible"})
    if (v->qc_reason.find(own) != std::string::npos) return true;
  return false;
}

// Which rows are wrong is not known: one wrong row, or all rows but that one (a page whose minus
// signs OCR lost), can fail the fit alike. Every spine row's BMD and scores are flagged — unless
// one row alone spoils the fit and a check of its own numbers already doubts it (a BMD that is
// not BMC/Area): then that row.
void check_spine_fit(std::vector<Value>& values) {
  std::vector<SpineRow> rows;
  for (const auto& r : regions_of(values))
    if (is_spine(r))
      if (Value* b = get(values, r, "bmd"))
        if (Value* t = get(values, r, "t_score"), *z = get(values, r, "z_score"); t || z)
          rows.push_back({b, {t, z}});
  if (rows.size() < 3 || spine_fits(rows)) return;
  std::vector<std::size_t> spoilers;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto rest = rows;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(r));
    if (rest.size() < 3 || spine_fits(rest)) spoilers.push_back(r);
  }
  std::vector<Value*> vs;
  if (spoilers.size() == 1) {
    const SpineRow& row = rows[spoilers.front()];
    if (doubted_on_its_own(row.b) || doubted_on_its_own(row.s[0]) || doubted_on_its_own(row.s[1]))
      vs = {row.b, row.s[0], row.s[1]};
  }
  if (vs.empty())
    for (const auto& row : rows) vs.insert(vs.end(), {row.b, row.s[0], row.s[1]});
  flag_all(vs, fmt::format("reference fit: the spine rows' BMD and scores fit no references "
                           "(score = (BMD - mu)/sigma, one sigma, means within {:.0f} %)",
                           100 * (kSpineMeanRatio - 1)));
}

}  // namespace

void check_scores(std::vector<Value>& values) {
  for (const auto& k : kKinds) {
    check_score_vs_pct(values, k);
    check_implied_mean(values, k);
    check_side_fit(values, k);
    check_row_mean(values, k);
  }
  check_spine_fit(values);
  check_z_minus_t(values);
  for (const auto& [total, parts] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"L1-L4", {"L1", "L2", "L3", "L4"}},
           {"L2-L4", {"L2", "L3", "L4"}},
           {"L1-L3", {"L1", "L2", "L3"}},
           {"L1-L2", {"L1", "L2"}},
           {"L2-L3", {"L2", "L3"}},
           {"L3-L4", {"L3", "L4"}}})
    check_total_scores(values, total, parts);
}

}  // namespace dicometl::dexa
