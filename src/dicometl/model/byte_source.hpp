#pragma once
// Where a file's bytes come from: a local file, or an object store read with ranged requests.
// The header reader asks only for the prefix it needs, so remote sources never fetch pixel data.
#include <cstddef>
#include <string>

namespace dicometl {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  //! Extends `buf` (which holds bytes [0, buf.size()) of the object) to [0, want), or to the end
  //! of the object if it is shorter. False with a reason a person understands on failure.
  virtual bool read_prefix(std::size_t want, std::string& buf, std::string& error) = 0;
  //! A local file with the whole object, for parsers that need a file (DCMTK's fallback path).
  //! A remote source downloads it to a temporary file it owns. Empty with `error` on failure.
  virtual std::string local_path(std::string& error) = 0;
};

}  // namespace dicometl
