// libFuzzer target: arbitrary bytes through the whole header path (sniffing, the fast parser, the
// DCMTK fallback, character sets, DICOM JSON). Any crash, sanitizer report or exception is a bug:
// read_header() promises a Reject with a reason for every bad input. Built by tests/fuzz/run.sh.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"

namespace {

// The fuzz input as a file: prefix reads from memory, a real file for DCMTK's fallback path.
class MemorySource final : public dicometl::ByteSource {
 public:
  MemorySource(const std::uint8_t* data, std::size_t size)
      : bytes_(reinterpret_cast<const char*>(data), size) {}
  ~MemorySource() override {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  bool read_prefix(std::size_t want, std::string& buf, std::string&) override {
    buf.assign(bytes_.substr(0, std::min(want, bytes_.size())));
    return true;
  }
  std::string local_path(std::string& error) override {
    if (!path_.empty()) return path_;
    char name[] = "/tmp/dicometl-fuzz-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) {
      error = "mkstemp failed";
      return {};
    }
    const bool ok = ::write(fd, bytes_.data(), bytes_.size()) == static_cast<ssize_t>(bytes_.size());
    ::close(fd);
    path_ = name;
    if (!ok) error = "write failed";
    return ok ? path_ : std::string();
  }

 private:
  std::string bytes_;
  std::string path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dicometl::FileStat file;
  file.path = "fuzz.dcm";
  file.size = size;
  MemorySource source(data, size);
  for (const bool dcmtk : {false, true}) {  // both parsers on every input
    dicometl::dicom::ReadOptions options;
    options.force_dcmtk = dcmtk;
    dicometl::ReadOutcome out = dicometl::dicom::read_header(file, source, options);
    if (auto* inst = std::get_if<dicometl::Instance>(&out)) {
      const std::string json = dicometl::to_dicom_json(inst->dataset);
      if (json.empty() || json.front() != '{') __builtin_trap();
    } else if (std::get<dicometl::Reject>(out).reason.empty()) {
      __builtin_trap();  // every rejection must say why
    }
  }
  return 0;
}
