#pragma once
// The scan date printed on a report page, read from the OCR words and checked against the DICOM
// date: a page filed under the wrong study would otherwise put right values on the wrong exam.
#include <string>
#include <vector>

#include "dicometl/dexa/page.hpp"

namespace dicometl::dexa {

//! The date after a "Scan Date", "Exam Date", "Study Date", "Acquired" or "Measured:" label, on
//! the label's line, as printed: "04.05.2020", "December 04, 2019", "Dec 4, 2019", "04-Dec-2019",
//! "2019-12-04". "" when the page has no such label (GE iDXA pages print none): no comparison.
std::string find_scan_date(const std::vector<OcrWord>& words);

//! Whether `printed` (a month-name date, d.m.y, d/m/y, m/d/y or y-m-d) can be `dicom_date`
//! (YYYYMMDD). For all-numeric dates day-first and month-first readings are both tried: a page's
//! locale is not known. English month names, full or abbreviated to three or more letters.
bool same_date(const std::string& printed, const std::string& dicom_date);

//! The first date in `text` (e.g. the words of one line joined), as printed; "" when none.
std::string first_date_in(const std::string& text);

//! Flags every value of `page` when its printed scan date cannot be its DICOM exam date: right
//! numbers filed under another exam are wrong rows. No date printed (GE iDXA) → nothing to do.
void check_scan_date(Page& page);

}  // namespace dicometl::dexa
