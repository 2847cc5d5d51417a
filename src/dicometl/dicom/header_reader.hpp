#pragma once
// The DCMTK bridge's public face: file in, plain record out. No DCMTK type crosses this header.
#include <cstddef>
#include <string>

#include "dicometl/model/byte_source.hpp"
#include "dicometl/model/instance.hpp"

namespace dicometl::dicom {

struct ReadOptions {
  //! Binary values up to this size are kept inline (base64 in DICOM JSON); larger ones are bulk.
  std::size_t max_inline_binary = 1024;
  //! Deeper nesting than this is rejected as corrupt: real objects stay far below it, and the
  //! limit keeps hostile files from exhausting memory or stack.
  int max_sequence_depth = 64;
  //! Parse with DCMTK even where the fast parser would do (tests compare the two).
  bool force_dcmtk = false;
};

//! Reads the header of one file (everything before Pixel Data) and never loads bulk values.
//! Never throws for bad input: every problem becomes a Reject with a reason.
ReadOutcome read_header(const FileStat& file, const ReadOptions& options = {});
//! The same, reading through `bytes` (e.g. ranged GETs from S3); `file` names and sizes it.
ReadOutcome read_header(const FileStat& file, ByteSource& bytes, const ReadOptions& options = {});

//! The bytes read_header() reads first from a file: the size of recent headers rounded up to
//! whole pages (one read per file, little past Pixel Data's tag), 8 KiB before any header was
//! read. Readers that fetch ahead of parsing (--io-depth) ask for as much. Thread-safe.
std::size_t first_read_size();

//! Loads DCMTK's data dictionary and quiets its logger, once per process (thread-safe;
//! read_header() calls it).
void initialise();

}  // namespace dicometl::dicom
