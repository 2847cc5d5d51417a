#pragma once
// Results that arrive as text rather than pixels (structured reports, vendors' header results):
// their labels named by the table header vocabulary of layouts.cpp, their numbers as values with
// the checks that need no OCR.
#include <string>

#include "dicometl/dexa/page.hpp"

namespace dicometl::dexa {

//! The metric a label names ("BMD (g/cm²)", "Bone mineral density", "T-score", "PR (%)"), by the
//! header label rules; "" for none (also for the region column).
std::string metric_of_label(const std::string& label);

//! The canonical region `text` names exactly (no fuzzy match: text is not OCR); "" for none.
std::string region_of_label(const std::string& text);

//! A value from printed text: number, unit, and the range check (Diff. rows: 0 to diff_max);
//! "not a number" when `text` is none. Confidence 100: nothing was recognised from pixels.
Value value_from_text(const std::string& region, const std::string& metric,
                      const std::string& text);

}  // namespace dicometl::dexa
