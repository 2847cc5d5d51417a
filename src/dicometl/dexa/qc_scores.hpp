#pragma once
// Page checks between BMD, T/Z-scores and YA%/AM%: a score is (BMD − μ)/σ and a percentage is
// 100·BMD/μ for the reference (young adult for T and YA%, age matched for Z and AM%) of the row's
// region. The checks never need the vendor's reference values: they ask whether one reference can
// explain the printed numbers within their printing rounding, so a lost minus sign or decimal
// point that both OCR reads share shows as numbers no reference explains. See docs/dexa.md, "QC".
#include <vector>

#include "dicometl/dexa/page.hpp"

namespace dicometl::dexa {

//! Flags every value a failed score check involves; the reason names the check.
void check_scores(std::vector<Value>& values);

}  // namespace dicometl::dexa
