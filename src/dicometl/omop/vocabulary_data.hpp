#pragma once
// The DICOM vocabulary shipped in the binary (data/vocab/dicom2omop, DICOM2OMOP v5) and in-memory
// look-ups built from it: attribute and value concepts, Maps to targets, the data dictionary.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dicometl/model/tag.hpp"

namespace dicometl::omop {

inline constexpr const char* kVocabularyVersion = "DICOM2OMOP v5 (January 2026)";
inline constexpr std::int64_t kDicomVocabularyConceptId = 2128000000;
inline constexpr std::int64_t kAttributeClassConceptId = 2128000001;
inline constexpr std::int64_t kValueSetClassConceptId = 2128000002;
inline constexpr std::int64_t kModalityAttribute = 2128000050;
inline constexpr std::int64_t kBodyPartAttribute = 2128000792;

//! The text of an embedded CSV file (e.g. "omop_table_staging_v5.csv"); empty if unknown.
std::string_view embedded_vocab_file(std::string_view name);

//! Splits RFC 4180 CSV text into rows of fields (quotes and doubled quotes handled).
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

struct ConceptRow {
  std::int64_t concept_id = 0;
  std::string name, domain, vocabulary, concept_class, standard, code, valid_start, valid_end,
      invalid_reason;
};
struct RelationshipRow {
  std::int64_t concept_id_1 = 0, concept_id_2 = 0;
  std::string relationship;
};
struct DataElementRow {
  std::int64_t id = 0;  //!< 1-based row of part6_attributes.csv: stable for one vocabulary version
  std::string tag_paren, name, keyword, vr, vm, remarks;
  std::string code;     //!< 8 hex digits, may hold 'x' for repeating groups
};

std::vector<ConceptRow> vocab_concepts();
std::vector<RelationshipRow> vocab_relationships();  //!< Maps to and Maps to value
std::vector<DataElementRow> vocab_data_elements();

//! Read-only look-ups over the shipped vocabulary, built once.
class Vocabulary {
 public:
  static const Vocabulary& get();
  //! Attribute concept for a tag, or 0.
  std::int64_t attribute_concept(Tag tag) const;
  //! Value-set concept of attribute `attribute_concept` with code `value`, or 0.
  std::int64_t value_concept(std::int64_t attribute_concept, std::string_view value) const;
  //! Standard concept a value concept Maps to (as shipped), or 0.
  std::int64_t maps_to(std::int64_t value_concept) const;
  //! dicom_data_element row for a tag, or nullptr.
  const DataElementRow* element(Tag tag) const;

 private:
  Vocabulary();
  std::unordered_map<Tag, std::int64_t> attribute_;
  std::unordered_map<std::string, std::int64_t> value_;  // "<attribute id>|<code>"
  std::unordered_map<std::int64_t, std::int64_t> maps_to_;
  std::vector<DataElementRow> elements_;
  std::unordered_map<Tag, std::size_t> element_index_;
};

}  // namespace dicometl::omop
