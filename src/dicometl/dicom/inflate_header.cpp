#include "dicometl/dicom/inflate_header.hpp"

#include <zlib.h>

#include <algorithm>

#include "dicometl/dicom/read_limits.hpp"

namespace dicometl::dicom {

struct HeaderInflater::Stream {
  z_stream z{};
  bool ok = false;
  Stream() { ok = inflateInit2(&z, -MAX_WBITS) == Z_OK; }  // raw deflate, as PS3.5 A.5 says
  ~Stream() {
    if (ok) inflateEnd(&z);
  }
};

HeaderInflater::HeaderInflater(ByteSource& bytes, std::string& head, std::uint64_t file_size,
                               std::size_t stream_start)
    : bytes_(bytes),
      head_(head),
      file_size_(file_size),
      fed_(stream_start),
      out_(head.substr(0, stream_start)),
      z_(std::make_unique<Stream>()) {}

HeaderInflater::~HeaderInflater() = default;

HeaderInflater::Step HeaderInflater::grow_to(std::size_t want, std::size_t cap,
                                             std::string& error) {
  if (!z_->ok) {
    error = "cannot start zlib";
    return Step::kFailed;
  }
  if (want > cap) return Step::kCapped;
  constexpr std::size_t kChunk = 64 * 1024;
  while (!complete_ && out_.size() < want) {
    if (fed_ == head_.size()) {  // zlib has used every byte read so far: read more of the file
      if (head_.size() >= file_size_) {
        complete_ = true;  // the stream ends without its end marker: the parser sees truncation
        break;
      }
      const auto more = static_cast<std::size_t>(
          std::min<std::uint64_t>(file_size_, std::max(head_.size() * 2, head_.size() + kChunk)));
      if (!bytes_.read_prefix(more, head_, error)) return Step::kFailed;
      if (head_.size() < more) {
        error = changed_while_reading(file_size_, head_.size());
        return Step::kFailed;
      }
    }
    const std::size_t before = out_.size();
    const std::size_t room = std::min(kChunk, want - before);
    out_.resize(before + room);
    z_stream& z = z_->z;
    z.next_in = reinterpret_cast<Bytef*>(head_.data() + fed_);
    z.avail_in = static_cast<uInt>(std::min<std::size_t>(head_.size() - fed_, 1u << 30));
    z.next_out = reinterpret_cast<Bytef*>(out_.data() + before);
    z.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&z, Z_NO_FLUSH);
    fed_ = static_cast<std::size_t>(reinterpret_cast<char*>(z.next_in) - head_.data());
    out_.resize(before + room - z.avail_out);
    if (rc == Z_STREAM_END) {
      complete_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error = std::string("corrupt deflated data set: ") + (z.msg ? z.msg : "zlib error");
      return Step::kFailed;
    }
  }
  return Step::kOk;
}

}  // namespace dicometl::dicom
