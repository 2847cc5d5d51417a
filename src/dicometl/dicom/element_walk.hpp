#pragma once
// DcmItem → plain Dataset. Internal to the bridge (includes DCMTK).
#include <string>

#include <dcmtk/dcmdata/dcitem.h>

#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/model/dataset.hpp"

namespace dicometl::dicom {

class CharsetDecoder;

//! Converts every element of `item`; text decoded with `decoder` (or a nested item's own
//! Specific Character Set). Returns false and sets `error` when nesting exceeds the limit.
bool walk_item(DcmItem& item, const CharsetDecoder& decoder, const ReadOptions& options, int depth,
               Dataset& out, std::string& error);

}  // namespace dicometl::dicom
