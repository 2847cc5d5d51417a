#pragma once
// How much of one file the header reader holds in memory, and the wording of its limits.
// Internal to the bridge; docs/reliability.md states the same numbers.
#include <cstddef>
#include <cstdint>
#include <string>

namespace dicometl::dicom {

//! Values longer than this are never read into memory (both parsers): they are recorded as bulk,
//! with their length, whatever their VR.
constexpr std::uint32_t kMaxLoadedValue = 64 * 1024;

//! The header bytes (everything before Pixel Data, inflated when deflated) held in memory at most.
//! Past it the fast parser hands a plain file to DCMTK, which leaves large values on disk; a
//! deflated file is rejected, as its values cannot be left on disk.
constexpr std::size_t kMaxHeaderBytes = 64u << 20;

//! The reject reason when a file's size is not what the walk saw (rewritten or truncated
//! meanwhile): `now` is what the reader found (where it ended, or its size afterwards).
inline std::string changed_while_reading(std::uint64_t walked_size, std::uint64_t now) {
  return "changed while reading: " + std::to_string(now) + " bytes, but " +
         std::to_string(walked_size) + " when the folder was walked; re-run to read it again";
}

}  // namespace dicometl::dicom
