#pragma once
// Duplicates: pages of the same patient, exam date and site (the same report exported twice, or
// a re-print with fewer cells). Identical pages collapse to one; otherwise the most complete page
// is kept (most values, then fewest flagged, then walk order) and the conflict is recorded on it.
// Pages with no patient ID or no date are never merged: nothing proves they are the same exam.
#include <string>
#include <vector>

#include "dicometl/dexa/page.hpp"

namespace dicometl::dexa {

struct DedupSummary {
  std::size_t collapsed_groups = 0;  //!< groups of identical pages
  std::size_t conflict_groups = 0;   //!< groups whose pages differ
  std::size_t pages_dropped = 0;
  //! One line per dropped page: "<kept path> kept over <dropped path> (identical|differs)".
  std::vector<std::string> notes;
};

//! Removes duplicate pages from `pages` (order kept) and sets Page::duplicate on kept ones:
//! "collapsed:N" (N identical pages) or "conflict:N" (N differing pages).
DedupSummary dedup(std::vector<Page>& pages);

}  // namespace dicometl::dexa
