#include "dicometl/fhir/terminology.hpp"

#include <cctype>
#include <map>
#include <stdexcept>
#include <vector>

#include "dicometl/fhir/embedded_terminology.hpp"

namespace dicometl::fhir {

namespace {

//! Splits one CSV line (RFC 4180 quoting, no embedded newlines in our tables).
std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back().push_back(c);
    }
  }
  return out;
}

//! key → (code, meaning) from an embedded 3-column CSV with a header line.
std::map<std::string, std::pair<std::string, std::string>> load_table(const char* name) {
  const char* text = embedded_terminology(name);
  if (!text) throw std::logic_error(std::string("terminology table not embedded: ") + name);
  std::map<std::string, std::pair<std::string, std::string>> table;
  std::string_view rest(text);
  bool header = true;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (header || line.empty()) {
      header = false;
      continue;
    }
    auto cols = split_csv_line(line);
    if (cols.size() >= 3) table[cols[0]] = {cols[1], cols[2]};
  }
  return table;
}

std::string normalise(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != ' ' && c != '\t') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

std::optional<Code> body_site(std::string_view body_part_examined) {
  static const auto kTable = load_table("bodypart_snomed_annex_l.csv");
  const std::string key = normalise(body_part_examined);
  if (key.empty()) return std::nullopt;
  const auto it = kTable.find(key);
  if (it == kTable.end()) return Code{"", key, ""};
  if (it->second.first.empty()) return Code{"", key, it->second.second};  // Annex L lists no code
  return Code{kSnomed, it->second.first, it->second.second};
}

std::optional<Code> laterality(std::string_view value) {
  static const auto kTable = load_table("laterality_snomed_cid244.csv");
  const auto it = kTable.find(normalise(value));
  if (it == kTable.end()) return std::nullopt;
  return Code{kSnomed, it->second.first, it->second.second};
}

std::string coding_system(std::string_view scheme) {
  // HL7 FHIR R4 "DICOM coding scheme designators" mapping for the schemes seen in practice.
  static const std::map<std::string, std::string, std::less<>> kSystems = {
      {"DCM", kDcm},
      {"SCT", kSnomed},
      {"LN", "http://loinc.org"},
      {"RADLEX", "http://www.radlex.org"},
      {"UCUM", "http://unitsofmeasure.org"},
      {"I10", "http://hl7.org/fhir/sid/icd-10"},
      {"I9C", "http://hl7.org/fhir/sid/icd-9-cm"},
      {"UMLS", "http://www.nlm.nih.gov/research/umls"},
      {"NCIt", "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"},
  };
  const auto it = kSystems.find(scheme);
  return it == kSystems.end() ? std::string{} : it->second;
}

}  // namespace dicometl::fhir
