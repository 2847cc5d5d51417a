// libFuzzer target: files whose size on disk is not the size the walk recorded (truncated or
// rewritten between walk and read; issue 13 item 1). The first three input bytes choose the
// difference, the rest is the file. read_header must return a value for every input, promptly:
// libFuzzer's -timeout turns a read loop that never ends into a reported finding.
// Built by tests/fuzz/run.sh changed_size.
#include <cstdint>
#include <cstdio>
#include <string>

#include "dicometl/dicom/header_reader.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  // byte 0: bit 0 = the walk saw more (the file shrank) or less (it grew); bytes 1-2: by how much,
  // scaled so that both small and multi-read differences occur.
  const bool shrank = (data[0] & 1) == 0;
  const std::uint64_t delta = (static_cast<std::uint64_t>(data[1]) | data[2] << 8)
                              << ((data[0] >> 1) & 7);
  const std::string bytes(reinterpret_cast<const char*>(data) + 3, size - 3);
  dicometl::FileStat file;
  file.path = "fuzz.dcm";
  file.size = shrank ? bytes.size() + delta : (delta > bytes.size() ? 0 : bytes.size() - delta);
  for (const bool dcmtk : {false, true}) {
    MemoryFile source(bytes);
    dicometl::dicom::ReadOptions options;
    options.force_dcmtk = dcmtk;
    const dicometl::ReadOutcome out = dicometl::dicom::read_header(file, source, options);
    if (const auto* rej = std::get_if<dicometl::Reject>(&out)) {
      if (rej->reason.empty()) __builtin_trap();  // every rejection must say why
    } else if (shrank && delta > 0 && bytes.size() < 16 * 1024) {
      __builtin_trap();  // the first read (16 KB) found the file shorter: it cannot be an instance
    }
  }
  return 0;
}
