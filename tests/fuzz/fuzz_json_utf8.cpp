// libFuzzer target: whatever bytes a DICOM value holds, the writers' output is valid UTF-8 (and
// the DICOM JSON is valid JSON). nlohmann::json checks both independently of dicometl's own
// validator (model/utf8): its parser and serializer reject overlongs, surrogates and stray bytes.
// Built by tests/fuzz/run.sh json_utf8.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/model/utf8.hpp"
#include "dicometl/report/html_text.hpp"

namespace {

void require_utf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();  // throws type_error 316 on invalid UTF-8
  } catch (const nlohmann::json::exception&) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  // One dataset with the bytes as text of several VRs (PN splits into groups), as a multi-valued
  // string, and as binary.
  dicometl::Dataset ds;
  const char* vrs[] = {"LO", "PN", "UT", "DS", "SH"};
  for (std::uint16_t i = 0; i < 5; ++i) {
    dicometl::Element e;
    e.tag = dicometl::make_tag(0x0011, static_cast<std::uint16_t>(0x1000 + i));
    e.vr[0] = vrs[i][0];
    e.vr[1] = vrs[i][1];
    e.values.emplace_back(raw);
    e.values.emplace_back(raw.substr(0, size / 2));
    ds.elements.push_back(e);
  }
  dicometl::Element bin;
  bin.tag = dicometl::make_tag(0x0011, 0x2000);
  bin.vr[0] = 'O';
  bin.vr[1] = 'B';
  bin.binary = raw;
  ds.elements.push_back(bin);
  const std::string json = dicometl::to_dicom_json(ds);
  try {
    (void)nlohmann::json::parse(json);  // strict: invalid UTF-8 in a string is a parse error
  } catch (const nlohmann::json::exception&) {
    __builtin_trap();
  }
  require_utf8(dicometl::report::esc(raw));
  require_utf8(dicometl::to_valid_utf8(raw));
  // The validator agrees with nlohmann on what is valid.
  bool nlohmann_ok = true;
  try {
    (void)nlohmann::json(raw).dump();
  } catch (const nlohmann::json::exception&) {
    nlohmann_ok = false;
  }
  if (nlohmann_ok != (dicometl::utf8_valid_prefix(raw) == raw.size())) __builtin_trap();
  return 0;
}
