#pragma once
// Which files may be report pages, from their header alone (before any pixel is decoded), and
// which body site a page is about. The page's content confirms it later (table_parser.hpp).
#include <string>
#include <vector>

#include "dicometl/model/instance.hpp"

namespace dicometl::dexa {

struct FilterOptions {
  //! Modalities DXA systems store result pages under (spec: SC / OT / BMD / CR).
  std::vector<std::string> modalities = {"OT", "BMD", "CR", "SC"};
  //! Lower-case words; one must occur in ProtocolName, SeriesDescription or StudyDescription.
  std::vector<std::string> keywords = {
      "spine",  "femur",     "hip", "forearm", "total body",   "whole body",  "radius",
      "lumbar", "dualfemur", "dxa", "dexa",    "bone density", "densitometry"};
  bool any_image = false;  //!< skip the header filter: every image is a candidate
};

struct Candidate {
  bool ok = false;
  std::string reason;  //!< why not, when !ok
};

//! Secondary Capture (any SOP class 1.2.840.10008.5.1.4.1.1.7*) or a listed modality, with a
//! keyword in its descriptions, and pixel data.
Candidate classify(const Instance& inst, const FilterOptions& options);

//! The body site named by a description: spine, left_femur, right_femur, dual_femur, femur,
//! forearm, total_body, or "" when none.
std::string site_from_text(const std::string& text);

//! The site implied by the regions read (L1… → spine; "Neck Left" → dual_femur; Neck → femur).
std::string site_from_regions(const std::vector<std::string>& regions);

}  // namespace dicometl::dexa
