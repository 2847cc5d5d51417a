// The page checks on many drawn pages (seeded, so the same every run) whose references are as
// real vendors' are: every vertebra and hip region scored against its own (μ, σ), each region
// with its own age adjustment around the patient's. The μ/σ below are assumed sizes (spine
// vertebrae 0.95–1.22 g/cm², σ 0.11–0.12; hip regions as NHANES III), not any vendor's table.
// Right pages must give no flag at all; one injected slip of the kind OCR makes and both reads
// share (a lost minus, a misread digit of a BMD, "-0.7" read as "-4.7") must be caught. The
// catch rates are printed; the test fails below the documented floors (docs/dexa.md, "QC").
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "dicometl/dexa/qc.hpp"

using namespace dicometl::dexa;

namespace {

struct Ref {
  double mu, sd, extra_age;  // extra_age: the region's age adjustment beyond the patient's
};

class Drawer {
 public:
  explicit Drawer(unsigned seed) : rng_(seed) {}
  double u(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng_); }
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  // One row: printed BMD (and Area/BMC), then scores and percentages from the region's reference.
  void row(std::vector<Value>& out, const std::string& region, double bmd, const Ref& r,
           double shift, bool pct, bool z, double area = 0, double bmc = 0) {
    auto add = [&](const char* metric, std::string text) {
      Value v;
      v.region = region;
      v.metric = metric;
      v.text = text;
      v.number = std::stod(text);
      out.push_back(v);
    };
    if (area > 0) {
      add("area", fmt::format("{:.2f}", area));
      add("bmc", fmt::format("{:.2f}", bmc));
    }
    const double b = std::stod(fmt::format("{:.3f}", bmd));
    add("bmd", fmt::format("{:.3f}", b));
    const double mu_am = r.mu - (shift + r.extra_age) * r.sd;
    add("t_score", fmt::format("{:.1f}", (b - r.mu) / r.sd));
    if (pct) add("ya_pct", fmt::format("{:.0f}", 100 * b / r.mu));
    if (z) add("z_score", fmt::format("{:.1f}", (b - mu_am) / r.sd));
    if (z && pct) add("am_pct", fmt::format("{:.0f}", 100 * b / mu_am));
  }

  // Hologic spine: Area, BMC, BMD (= BMC/Area), T, [PR], Z, [AM]; L1-L4 the sum of its parts.
  std::vector<Value> hologic_spine(bool pct) {
    static const Ref refs[] = {
        {0.95, 0.110, 0}, {1.03, 0.115, 0}, {1.08, 0.120, 0}, {1.09, 0.120, 0}};
    const double shift = u(0.0, 2.0);
    std::vector<Value> out;
    double area_sum = 0, bmc_sum = 0;
    for (int i = 0; i < 4; ++i) {
      const double area = std::round((u(12.5, 18.5) + i * 0.9) * 100) / 100;
      const double bmc = std::round(area * (u(0.6, 1.3) + 0.02 * i) * 100) / 100;
      area_sum += area;
      bmc_sum += bmc;
      Ref r = refs[i];
      r.extra_age = u(-0.2, 0.2);
      row(out, "L" + std::to_string(i + 1), bmc / area, r, shift, pct, true, area, bmc);
    }
    area_sum = std::round(area_sum * 100) / 100;
    bmc_sum = std::round(bmc_sum * 100) / 100;
    row(out, "L1-L4", bmc_sum / area_sum, {1.04, 0.110, u(-0.2, 0.2)}, shift, pct, true, area_sum,
        bmc_sum);
    return out;
  }

  // Hologic hip: Neck, Troch, Inter, Total (sum of the three), Ward's; each its own reference.
  std::vector<Value> hologic_hip(bool pct) {
    const double shift = u(0.0, 1.8);
    struct Part {
      const char* name;
      Ref ref;
      double lo, hi, alo, ahi;
    };
    const Part parts[] = {{"Neck", {0.858, 0.120, 0.2}, 0.50, 1.00, 4.6, 5.6},
                          {"Troch", {0.708, 0.084, 0.0}, 0.45, 0.90, 10.5, 14.0},
                          {"Inter", {1.182, 0.147, 0.0}, 0.75, 1.30, 17.0, 22.0}};
    std::vector<Value> out;
    double area_sum = 0, bmc_sum = 0;
    for (const auto& p : parts) {
      const double area = std::round(u(p.alo, p.ahi) * 100) / 100;
      const double bmc = std::round(area * u(p.lo, p.hi) * 100) / 100;
      area_sum += area;
      bmc_sum += bmc;
      row(out, p.name, bmc / area, p.ref, shift, pct, true, area, bmc);
    }
    area_sum = std::round(area_sum * 100) / 100;
    bmc_sum = std::round(bmc_sum * 100) / 100;
    row(out, "Total", bmc_sum / area_sum, {0.942, 0.122, -0.2}, shift, pct, true, area_sum,
        bmc_sum);
    const double area = std::round(u(1.0, 1.3) * 100) / 100;
    const double bmc = std::round(area * u(0.35, 0.9) * 100) / 100;
    row(out, "Ward's", bmc / area, {0.692, 0.126, 0.8}, shift, pct, true, area, bmc);
    return out;
  }

  // GE enCORE 12 spine: BMD, YA %, T, AM %, Z (enCORE 17: BMD, T, Z); L1-L4 and L2-L4
  // area-weighted from the parts.
  std::vector<Value> lunar_spine(bool pct) {
    static const Ref refs[] = {{1.10, 0.12, 0}, {1.18, 0.12, 0}, {1.22, 0.12, 0}, {1.21, 0.12, 0}};
    const double shift = u(0.0, 2.0);
    double area[4], bmc[4];
    std::vector<Value> out;
    for (int i = 0; i < 4; ++i) {
      area[i] = u(12.0, 18.0) + i;
      bmc[i] = area[i] * (u(0.7, 1.35) + 0.02 * i);
      Ref r = refs[i];
      r.extra_age = u(-0.2, 0.2);
      row(out, "L" + std::to_string(i + 1), bmc[i] / area[i], r, shift, pct, true);
    }
    auto range = [&](int a, int b) {
      double s = 0, t = 0;
      for (int i = a; i <= b; ++i) s += bmc[i], t += area[i];
      return s / t;
    };
    row(out, "L1-L4", range(0, 3), {1.18, 0.12, u(-0.2, 0.2)}, shift, pct, true);
    row(out, "L2-L4", range(1, 3), {1.20, 0.12, u(-0.2, 0.2)}, shift, pct, true);
    return out;
  }

  // GE enCORE 17 dual femur: BMD, T, Z for Neck/Total Left, Right, Mean; Diff. = |L − R|.
  std::vector<Value> lunar17_dual() {
    const double shift = u(0.0, 1.8);
    std::vector<Value> out;
    for (const auto& [name, ref, lo, hi] :
         {std::tuple<const char*, Ref, double, double>{"Neck", {0.98, 0.12, 0.2}, 0.55, 1.05},
          {"Total", {1.00, 0.12, -0.2}, 0.65, 1.15}}) {
      const double left = std::stod(fmt::format("{:.3f}", u(lo, hi)));
      const double right = std::stod(fmt::format("{:.3f}", left + u(-0.06, 0.06)));
      const double mean = std::stod(fmt::format("{:.3f}", (left + right) / 2));
      row(out, std::string(name) + " Left", left, ref, shift, false, true);
      row(out, std::string(name) + " Right", right, ref, shift, false, true);
      row(out, std::string(name) + " Mean", mean, ref, shift, false, true);
      const double tl = std::stod(fmt::format("{:.1f}", (left - ref.mu) / ref.sd));
      const double tr = std::stod(fmt::format("{:.1f}", (right - ref.mu) / ref.sd));
      for (const auto& [metric, text] : {std::pair<const char*, std::string>{
                                             "bmd", fmt::format("{:.3f}", std::abs(left - right))},
                                         {"t_score", fmt::format("{:.1f}", std::abs(tl - tr))}}) {
        Value v;
        v.region = std::string(name) + " Diff.";
        v.metric = metric;
        v.text = text;
        v.number = std::stod(text);
        out.push_back(v);
      }
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

// Slips that both OCR reads can share.
enum class Slip { kLostMinus, kZeroReadAsFour, kBmdDigit };

// Applies `slip` to a fitting value of `page` (chosen by `d`); its index, or -1 when none fits.
int inject(std::vector<Value>& page, Slip slip, Drawer& d) {
  std::vector<int> fits;
  for (int i = 0; i < static_cast<int>(page.size()); ++i) {
    const Value& v = page[i];
    if (v.region.find("Diff") != std::string::npos) continue;
    const bool score = v.metric == "t_score" || v.metric == "z_score";
    if (slip == Slip::kLostMinus && score && *v.number <= -1.0) fits.push_back(i);
    if (slip == Slip::kZeroReadAsFour && score && v.text.rfind("-0.", 0) == 0 && *v.number <= -0.3)
      fits.push_back(i);
    if (slip == Slip::kBmdDigit && v.metric == "bmd") fits.push_back(i);
  }
  if (fits.empty()) return -1;
  const int i = fits[d.pick(fits.size())];
  Value& v = page[i];
  if (slip == Slip::kLostMinus) v.text = v.text.substr(1);
  if (slip == Slip::kZeroReadAsFour) v.text = "-4" + v.text.substr(2);
  if (slip == Slip::kBmdDigit) {  // the first decimal misread: 0.804 → 0.304
    const int digit = v.text[2] - '0';
    v.text[2] = static_cast<char>('0' + (digit + 5) % 10);
  }
  v.number = std::stod(v.text);
  return i;
}

}  // namespace

TEST(DexaQcInject, RightPagesPassSlipsAreCaught) {
  Drawer d(20261202);
  const std::vector<std::string> kinds = {
      "hologic spine + PR/AM", "hologic spine", "hologic hip + PR/AM", "hologic hip",
      "lunar12 spine",         "lunar17 spine", "lunar17 dual femur"};
  auto draw = [&](std::size_t k) {
    switch (k) {
      case 0: return d.hologic_spine(true);
      case 1: return d.hologic_spine(false);
      case 2: return d.hologic_hip(true);
      case 3: return d.hologic_hip(false);
      case 4: return d.lunar_spine(true);
      case 5: return d.lunar_spine(false);
      default: return d.lunar17_dual();
    }
  };
  const std::pair<Slip, const char*> slips[] = {{Slip::kLostMinus, "lost minus (|score| >= 1)"},
                                                {Slip::kZeroReadAsFour, "-0.x read as -4.x"},
                                                {Slip::kBmdDigit, "BMD first decimal misread"}};
  constexpr int kPages = 300;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    int right_values = 0, right_flagged = 0;
    std::map<std::string, int> reasons;
    std::map<int, std::pair<int, int>> caught;  // slip → caught, tried
    for (int n = 0; n < kPages; ++n) {
      auto page = draw(k);
      auto checked = page;
      check_page(checked);
      for (const auto& v : checked) {
        ++right_values;
        if (!v.ok()) {
          ++right_flagged;
          ++reasons[v.qc_reason.substr(0, v.qc_reason.find(':'))];
        }
      }
      for (int s = 0; s < 3; ++s) {
        auto bad = page;
        const int i = inject(bad, slips[s].first, d);
        if (i < 0) continue;
        check_page(bad);
        ++caught[s].second;
        caught[s].first += !bad[i].ok();
      }
    }
    std::cout << fmt::format("{:24} right values {:5}, flagged {:3}", kinds[k], right_values,
                             right_flagged);
    for (const auto& [reason, count] : reasons)
      std::cout << fmt::format(" [{}: {}]", reason, count);
    std::cout << "\n";
    EXPECT_EQ(right_flagged, 0) << kinds[k];
    for (int s = 0; s < 3; ++s) {
      const auto [c, t] = caught[s];
      if (t == 0) continue;
      const double pct = 100.0 * c / t;
      std::cout << fmt::format("{:24}   {:28} caught {:4}/{:4} = {:5.1f} %\n", "", slips[s].second,
                               c, t, pct);
      // Floors: a lost minus or "-4.x" wherever a second number speaks about the score (Ward's
      // T on a Hologic hip page without PR/AM has only the wider Z - T band: about 94 %); a BMD
      // digit wherever BMC/Area, YA% or the other side speaks about the BMD. A GE enCORE 17
      // spine page has none of these: only the totals' range and the plausible range remain.
      if (kinds[k] != "lunar17 spine" || s != 2) {
        EXPECT_GE(pct, s == 2 ? 95.0 : 90.0) << kinds[k] << " " << slips[s].second;
      }
    }
  }
}
