#pragma once
// The scan date printed on a report page, read from the OCR words and checked against the DICOM
// date: a page filed under the wrong study would otherwise put right values on the wrong exam.
#include <string>
#include <vector>

#include "dicometl/dexa/page.hpp"

namespace dicometl::dexa {

//! The date after "Scan Date", "Exam Date", "Acquired" or "Measured:" labels on the page's first
//! lines, as read ("04.05.2020"); "" when none.
std::string find_scan_date(const std::vector<OcrWord>& words);

//! Whether `printed` (d.m.y, d/m/y, m/d/y or y-m-d) can be `dicom_date` (YYYYMMDD). Day-first
//! and month-first readings are both tried: a page's locale is not known.
bool same_date(const std::string& printed, const std::string& dicom_date);

}  // namespace dicometl::dexa
