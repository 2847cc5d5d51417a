#pragma once
// Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99): the dataset after the meta header
// is one raw deflate stream. A few MB of it can inflate to GBs, so it is inflated here step by
// step, only as far as the parser asks, and never past a cap. Internal to the bridge.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "dicometl/model/byte_source.hpp"

namespace dicometl::dicom {

class HeaderInflater {
 public:
  //! `head` holds the file's first bytes (at least `stream_start`); the deflate stream starts at
  //! `stream_start` and the file has `file_size` bytes as walked. `out` starts as the meta header.
  HeaderInflater(ByteSource& bytes, std::string& head, std::uint64_t file_size,
                 std::size_t stream_start);
  ~HeaderInflater();
  HeaderInflater(const HeaderInflater&) = delete;
  HeaderInflater& operator=(const HeaderInflater&) = delete;

  enum class Step { kOk, kCapped, kFailed };
  //! Inflates until `out()` holds `want` bytes or the stream ends. kCapped when `want` passes
  //! `cap` (nothing inflated then); kFailed with `error` for corrupt data or a failed read.
  Step grow_to(std::size_t want, std::size_t cap, std::string& error);
  //! The meta header followed by the inflated bytes so far.
  const std::string& out() const { return out_; }
  //! True once the deflate stream (or the file) has ended: out() then holds all there is.
  bool complete() const { return complete_; }

 private:
  struct Stream;
  ByteSource& bytes_;
  std::string& head_;
  std::uint64_t file_size_;
  std::size_t fed_;  // compressed bytes handed to zlib
  std::string out_;
  bool complete_ = false;
  std::unique_ptr<Stream> z_;
};

}  // namespace dicometl::dicom
