#pragma once
// Output files written whole or not at all: the bytes go to a new, unpredictably named file beside
// the target (mkstemp: O_CREAT|O_EXCL, so no planted file or symlink is followed), then a rename
// replaces the target. A reader sees the old file or the new one, never half of either. No fsync:
// the promise is about readers and planted names, not about surviving a power cut.
// A target that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is written
// directly: renaming over it would replace the device or pipe with a plain file.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace dicometl::files {

//! One output file being written: bytes go to the temporary file until commit() renames it over
//! the target. Destroyed uncommitted (an error, an exception), it removes the temporary file.
class AtomicFile {
 public:
  //! Creates the temporary file beside `target`. Throws std::runtime_error.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;

  void write(std::string_view bytes);  //!< throws std::runtime_error
  //! Flushes and renames over the target (mode: the old file's, or 0666 minus the umask).
  void commit();
  const std::filesystem::path& target() const { return target_; }

 private:
  [[noreturn]] void fail(const char* what, int err);
  std::filesystem::path target_;
  std::string temp_;
  std::FILE* file_ = nullptr;
  bool direct_ = false;  // writing straight into a device or pipe: nothing to rename or remove
};

//! Writes `bytes` to `path` atomically. The new file gets the old one's mode, or 0666 minus the
//! umask. Throws std::runtime_error naming the path and the cause; the target is then untouched.
void write_atomically(const std::filesystem::path& path, std::string_view bytes);

//! The same, with the content produced by `fill` (a CSV writer, a serializer…).
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(std::ostream&)>& fill);

}  // namespace dicometl::files
