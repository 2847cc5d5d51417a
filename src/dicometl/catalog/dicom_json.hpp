#pragma once
// Dataset → DICOM JSON model (PS3.18 Annex F). Hand-written rather than built with a JSON
// library: it runs once per file on the hot path, and the model is a fixed, small grammar.
#include <string>

#include "dicometl/model/dataset.hpp"

namespace dicometl {

//! Appends `ds` as one JSON object. Bulk values (pixel data, large binary) are listed with their
//! VR only, as the model allows; small binary values are written as InlineBinary.
void append_dicom_json(const Dataset& ds, std::string& out);
std::string to_dicom_json(const Dataset& ds);

//! Appends `text` as a JSON string literal (quotes, escapes, invalid UTF-8 replaced by U+FFFD).
void append_json_string(std::string_view text, std::string& out);
//! Appends one PN value as the model's object: {"Alphabetic":…,"Ideographic":…,"Phonetic":…}
//! (component groups split at '=', empty groups left out).
void append_person_name(std::string_view pn, std::string& out);

}  // namespace dicometl
