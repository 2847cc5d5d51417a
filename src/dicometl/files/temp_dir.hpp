#pragma once
// A private temporary folder: created by mkdtemp (mode 0700, a fresh unpredictable name) under
// the system's temporary directory, removed with its contents when the object goes.
#include <filesystem>
#include <string>

namespace dicometl::files {

class TempDir {
 public:
  //! `prefix` names the folder ("dicometl-fhir-" → /tmp/dicometl-fhir-Ab12Cd). Throws
  //! std::runtime_error when it cannot be created.
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace dicometl::files
