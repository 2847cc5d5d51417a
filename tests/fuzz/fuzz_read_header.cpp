// libFuzzer target: arbitrary bytes through the whole header path (sniffing, the fast parser, the
// DCMTK fallback, character sets, DICOM JSON). Any crash, sanitizer report or exception is a bug:
// read_header() promises a Reject with a reason for every bad input. Built by tests/fuzz/run.sh.
#include <cstdint>
#include <cstdio>
#include <string>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dicometl::FileStat file;
  file.path = "fuzz.dcm";
  file.size = size;
  MemoryFile source(std::string(reinterpret_cast<const char*>(data), size));
  for (const bool dcmtk : {false, true}) {  // both parsers on every input
    dicometl::dicom::ReadOptions options;
    options.force_dcmtk = dcmtk;
    dicometl::ReadOutcome out = dicometl::dicom::read_header(file, source, options);
    if (auto* inst = std::get_if<dicometl::Instance>(&out)) {
      const std::string json = dicometl::to_dicom_json(inst->dataset, file.path);  // + URIs
      if (json.empty() || json.front() != '{') __builtin_trap();
    } else if (std::get<dicometl::Reject>(out).reason.empty()) {
      __builtin_trap();  // every rejection must say why
    }
  }
  return 0;
}
