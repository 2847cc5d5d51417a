#pragma once
// Dataset → DICOM JSON model (PS3.18 Annex F). Hand-written rather than built with a JSON
// library: it runs once per file on the hot path, and the model is a fixed, small grammar.
#include <string>

#include "dicometl/model/dataset.hpp"

namespace dicometl {

//! Appends `ds` as one JSON object. Binary values up to ReadOptions::max_inline_binary are
//! InlineBinary (base64); bulk values (larger binary, any value over 64 KiB) are a BulkDataURI into
//! the file at `file_path` (bulk_data_uri.hpp), or their VR only where their place is unknown.
void append_dicom_json(const Dataset& ds, std::string& out, std::string_view file_path = {});
std::string to_dicom_json(const Dataset& ds, std::string_view file_path = {});

//! Appends `text` as a JSON string literal (quotes, escapes, invalid UTF-8 replaced by U+FFFD).
void append_json_string(std::string_view text, std::string& out);
//! Appends one PN value as the model's object: {"Alphabetic":…,"Ideographic":…,"Phonetic":…}
//! (component groups split at '=', empty groups left out).
void append_person_name(std::string_view pn, std::string& out);

}  // namespace dicometl
