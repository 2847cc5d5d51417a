#pragma once
// DXA results carried as a DICOM Structured Report: read from the content tree, no OCR. Generic,
// because vendors use private templates: a NUM content item is a value when its concept name
// names a metric (BMD, BMC, Area, T-score, Z-score, YA%/AM%, by the same label rules as table
// headers); its region is a "Finding Site" (or "Target Region") concept modifier of the item, else
// the nearest enclosing CONTAINER or preceding TEXT/CODE item whose name or value is a known
// region. Plain C++ on the dataset the header reader already holds (sequences included).
#include <optional>

#include "dicometl/dexa/page.hpp"
#include "dicometl/model/instance.hpp"

namespace dicometl::dexa {

//! True for SR storage SOP classes (1.2.840.10008.5.1.4.1.1.88.*).
bool is_structured_report(const Instance& inst);

//! The DXA values of an SR (layout "sr", qc per value as for OCR pages minus the OCR checks);
//! nullopt when the document holds none.
std::optional<Page> page_from_sr(const Instance& inst);

}  // namespace dicometl::dexa
