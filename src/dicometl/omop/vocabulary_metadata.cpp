// Facts of the OMOP v5.4 vocabulary model (Athena's VOCABULARY, DOMAIN, CONCEPT_CLASS and
// RELATIONSHIP tables and their metadata concepts), limited to what the rows dicometl writes
// refer to. Ids and names as Athena publishes them.
#include "dicometl/omop/vocabulary_metadata.hpp"

#include "dicometl/omop/vocabulary_data.hpp"

namespace dicometl::omop {

namespace {

struct Concept {
  std::int64_t id;
  const char *name, *domain, *vocabulary, *concept_class, *standard, *code;
};
constexpr const char* kGen = "OMOP generated";
constexpr Concept kConcepts[] = {
    // Concepts dicometl writes into CDM rows.
    {0, "No matching concept", "Metadata", "None", "Undefined", "", "No matching concept"},
    {32817, "EHR", "Type Concept", "Type Concept", "Type Concept", "S", "OMOP4976890"},
    {8507, "MALE", "Gender", "Gender", "Gender", "S", "M"},
    {8532, "FEMALE", "Gender", "Gender", "Gender", "S", "F"},
    {9202, "Outpatient Visit", "Visit", "Visit", "Visit", "S", "OP"},
    {756265, "OMOP CDM Version 5.4.0", "Metadata", "CDM", "CDM", "S", "CDM v5.4.0"},
    // vocabulary.vocabulary_concept_id
    {44819096, "OMOP Standardized Vocabularies", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {32808, "OMOP Type Concept", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {44819108, "OMOP Gender", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {44819119, "OMOP Visit", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {32485, "OMOP Common DataModel", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {44819232, "OMOP Vocabulary", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {44819233, "OMOP Concept Class", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {44819147, "OMOP Domain", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {44819235, "OMOP Relationship", "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    {kDicomVocabularyConceptId, "DICOM - Digital Imaging and Communications in Medicine",
     "Metadata", "Vocabulary", "Vocabulary", "", kGen},
    // domain.domain_concept_id
    {7, "Metadata", "Metadata", "Domain", "Domain", "", kGen},
    {58, "Type Concept", "Metadata", "Domain", "Domain", "", kGen},
    {2, "Gender", "Metadata", "Domain", "Domain", "", kGen},
    {8, "Visit", "Metadata", "Domain", "Domain", "", kGen},
    {21, "Measurement", "Metadata", "Domain", "Domain", "", kGen},
    // concept_class.concept_class_concept_id
    {44819044, "Undefined", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {581453, "Type Concept", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {44819086, "Gender", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {44819023, "OMOP Visit", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {32522, "CDM", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {44819279, "OMOP Vocabulary", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {44819247, "OMOP Concept Class", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {44819025, "Domain", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {44819274, "OMOP Relationship", "Metadata", "Concept Class", "Concept Class", "", kGen},
    {kAttributeClassConceptId, "DICOM Attributes", "Metadata", "Concept Class", "Concept Class", "",
     kGen},
    {kValueSetClassConceptId, "DICOM Value Sets", "Metadata", "Concept Class", "Concept Class", "",
     kGen},
    // relationship.relationship_concept_id
    {44818977, "Non-standard to Standard map (OMOP)", "Metadata", "Relationship", "Relationship",
     "", kGen},
    {44818976, "Standard to Non-standard map (OMOP)", "Metadata", "Relationship", "Relationship",
     "", kGen},
    {44819239, "Non-standard to value_as_concept map (OMOP)", "Metadata", "Relationship",
     "Relationship", "", kGen},
    {44819242, "Value_as_concept to non-standard map (OMOP)", "Metadata", "Relationship",
     "Relationship", "", kGen},
};

// A vocabulary, domain, concept_class or relationship row: its key, name and metadata concept.
struct ModelRow {
  const char* table;
  const char *key, *name;
  std::int64_t concept_id;
  const char* reverse = nullptr;  //!< relationship rows: the reverse relationship's id
};
constexpr ModelRow kRows[] = {
    {"vocabulary", "None", "OMOP Standardized Vocabularies", 44819096},
    {"vocabulary", "Type Concept", "OMOP Type Concept", 32808},
    {"vocabulary", "Gender", "OMOP Gender", 44819108},
    {"vocabulary", "Visit", "OMOP Visit", 44819119},
    {"vocabulary", "CDM", "OMOP Common DataModel", 32485},
    {"vocabulary", "Vocabulary", "OMOP Vocabulary", 44819232},
    {"vocabulary", "Concept Class", "OMOP Concept Class", 44819233},
    {"vocabulary", "Domain", "OMOP Domain", 44819147},
    {"vocabulary", "Relationship", "OMOP Relationship", 44819235},
    {"domain", "Metadata", "Metadata", 7},
    {"domain", "Type Concept", "Type Concept", 58},
    {"domain", "Gender", "Gender", 2},
    {"domain", "Visit", "Visit", 8},
    {"domain", "Measurement", "Measurement", 21},
    {"concept_class", "Undefined", "Undefined", 44819044},
    {"concept_class", "Type Concept", "Type Concept", 581453},
    {"concept_class", "Gender", "Gender", 44819086},
    {"concept_class", "Visit", "OMOP Visit", 44819023},
    {"concept_class", "CDM", "CDM", 32522},
    {"concept_class", "Vocabulary", "OMOP Vocabulary", 44819279},
    {"concept_class", "Concept Class", "OMOP Concept Class", 44819247},
    {"concept_class", "Domain", "Domain", 44819025},
    {"concept_class", "Relationship", "OMOP Relationship", 44819274},
    {"concept_class", "DICOM Attributes", "DICOM Attributes", kAttributeClassConceptId},
    {"concept_class", "DICOM Value Sets", "DICOM Value Sets", kValueSetClassConceptId},
    {"relationship", "Maps to", "Non-standard to Standard map (OMOP)", 44818977, "Mapped from"},
    {"relationship", "Mapped from", "Standard to Non-standard map (OMOP)", 44818976, "Maps to"},
    {"relationship", "Maps to value", "Non-standard to value_as_concept map (OMOP)", 44819239,
     "Value mapped from"},
    {"relationship", "Value mapped from", "Value_as_concept to non-standard map (OMOP)", 44819242,
     "Maps to value"},
};

// Literals below are constants of this file (no user text): quoting them inline is safe.
std::string lit(const char* s) { return std::string("'") + s + "'"; }

}  // namespace

void stage_metadata_concepts(storage::BulkWriter& w) {
  for (const Concept& c : kConcepts) {
    w.integer(c.id);
    w.text(c.name);
    w.text(c.domain);
    w.text(c.vocabulary);
    w.text(c.concept_class);
    w.opt_text(c.standard);
    w.text(c.code);
    w.text("1970-01-01");
    w.text("2099-12-31");
    w.null();
    w.end_row();
  }
}

void write_vocabulary_model_rows(storage::Database& db, const Names& n) {
  for (const ModelRow& r : kRows) {
    const std::string t = r.table, table = n.vocab_table(r.table),
                      id = std::to_string(r.concept_id);
    std::string cols, values;
    if (t == "vocabulary") {
      cols =
          "vocabulary_id, vocabulary_name, vocabulary_reference, vocabulary_version, "
          "vocabulary_concept_id";
      values = lit(r.key) + ", " + lit(r.name) + ", " + lit(kGen) + ", NULL, " + id;
    } else if (t == "relationship") {
      cols =
          "relationship_id, relationship_name, is_hierarchical, defines_ancestry, "
          "reverse_relationship_id, relationship_concept_id";
      values = lit(r.key) + ", " + lit(r.name) + ", '0', '0', " + lit(r.reverse) + ", " + id;
    } else {  // domain, concept_class: <table>_id, <table>_name, <table>_concept_id
      cols = t + "_id, " + t + "_name, " + t + "_concept_id";
      values = lit(r.key) + ", " + lit(r.name) + ", " + id;
    }
    db.execute("INSERT INTO " + table + " (" + cols + ") SELECT " + values +
               " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + t + "_id = " + lit(r.key) +
               ")");
  }
}

}  // namespace dicometl::omop
