#pragma once
// DCMTK's fallback path reading a file the way the fast path does: preads of what the parser asks
// for, read-ahead off, values longer than the load limit skipped on disk, nothing read past the
// stop tag. (DCMTK's own file stream reads through stdio and the kernel's read-ahead, which on a
// cold cache fetches a large part of the pixel data.) Internal to the bridge.
#include <dcmtk/dcmdata/dcfilefo.h>

#include <string>

namespace dicometl::dicom {

//! What DcmFileFormat::loadFileUntilTag does, through the header stream: `mode` ERM_fileOnly,
//! ERM_dataset (no Part 10 header) or ERM_metaOnly; parsing stops at `stop` (its value unread).
OFCondition load_header(DcmFileFormat& format, const std::string& path, E_FileReadMode mode,
                        Uint32 max_read_length, const DcmTagKey& stop);

}  // namespace dicometl::dicom
