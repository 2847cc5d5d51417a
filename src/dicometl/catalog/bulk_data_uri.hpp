#pragma once
// Where a bulk value lives, as the DICOM JSON model's BulkDataURI (PS3.18 F.2.6): the file's URI
// with the value's byte range as query parameters, the form dcm4che writes and reads
// ("file:///archive/a.dcm?offset=1234&length=5678"). docs/catalog.md describes it.
#include <cstdint>
#include <string>
#include <string_view>

namespace dicometl {

//! The BulkDataURI of `length` bytes at `offset` in the file at `catalog_path` (as the catalog
//! stores it, model/path_text.hpp: a local path, made absolute, or "s3://bucket/key"); "" when the
//! place is unknown (offset 0, undefined length, no path). Bytes outside RFC 3986's unreserved set
//! and '/' are percent-encoded, so any file name (not UTF-8 either) gives a valid, reversible URI.
std::string bulk_data_uri(std::string_view catalog_path, std::uint64_t offset,
                          std::uint32_t length);

}  // namespace dicometl
