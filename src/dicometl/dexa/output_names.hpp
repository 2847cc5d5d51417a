#pragma once
// File and folder names built from DICOM values (--png-dir, --words-dir). Those values come from
// the archive: "SOPInstanceUID=../../x" must not write outside the output folder.
#include <string>
#include <string_view>

namespace dicometl::dexa {

//! A name safe as one path component: letters, digits, '.', '_', '-' kept, anything else '_';
//! no leading dot ("." / ".." / hidden files), at most 100 bytes, `fallback` when empty.
std::string safe_name(std::string_view raw, std::string_view fallback);

//! `dir`/[safe folder/]safe name + `extension`; empty when the result would not lie inside
//! `dir` (it always does for sanitised names; checked again because this guards patient data).
std::string output_path(const std::string& dir, std::string_view folder, std::string_view name,
                        std::string_view extension);

}  // namespace dicometl::dexa
