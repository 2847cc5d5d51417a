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

struct Row {
  const char* key;
  const char* name;
  std::int64_t concept_id;
};
constexpr Row kVocabularies[] = {
    {"None", "OMOP Standardized Vocabularies", 44819096},
    {"Type Concept", "OMOP Type Concept", 32808},
    {"Gender", "OMOP Gender", 44819108},
    {"Visit", "OMOP Visit", 44819119},
    {"CDM", "OMOP Common DataModel", 32485},
    {"Vocabulary", "OMOP Vocabulary", 44819232},
    {"Concept Class", "OMOP Concept Class", 44819233},
    {"Domain", "OMOP Domain", 44819147},
    {"Relationship", "OMOP Relationship", 44819235},
};
constexpr Row kDomains[] = {
    {"Metadata", "Metadata", 7}, {"Type Concept", "Type Concept", 58}, {"Gender", "Gender", 2},
    {"Visit", "Visit", 8},       {"Measurement", "Measurement", 21},
};
constexpr Row kClasses[] = {
    {"Undefined", "Undefined", 44819044},
    {"Type Concept", "Type Concept", 581453},
    {"Gender", "Gender", 44819086},
    {"Visit", "OMOP Visit", 44819023},
    {"CDM", "CDM", 32522},
    {"Vocabulary", "OMOP Vocabulary", 44819279},
    {"Concept Class", "OMOP Concept Class", 44819247},
    {"Domain", "Domain", 44819025},
    {"Relationship", "OMOP Relationship", 44819274},
    {"DICOM Attributes", "DICOM Attributes", kAttributeClassConceptId},
    {"DICOM Value Sets", "DICOM Value Sets", kValueSetClassConceptId},
};
struct Relationship {
  const char *id, *name, *reverse;
  std::int64_t concept_id;
};
constexpr Relationship kRelationships[] = {
    {"Maps to", "Non-standard to Standard map (OMOP)", "Mapped from", 44818977},
    {"Mapped from", "Standard to Non-standard map (OMOP)", "Maps to", 44818976},
    {"Maps to value", "Non-standard to value_as_concept map (OMOP)", "Value mapped from", 44819239},
    {"Value mapped from", "Value_as_concept to non-standard map (OMOP)", "Maps to value", 44819242},
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
  const std::string voc = n.vocab_table("vocabulary"), dom = n.vocab_table("domain"),
                    cls = n.vocab_table("concept_class"), rel = n.vocab_table("relationship");
  for (const Row& v : kVocabularies)
    db.execute("INSERT INTO " + voc +
               " (vocabulary_id, vocabulary_name, vocabulary_reference, "
               "vocabulary_version, vocabulary_concept_id) SELECT " +
               lit(v.key) + ", " + lit(v.name) + ", " + lit(kGen) + ", NULL, " +
               std::to_string(v.concept_id) + " WHERE NOT EXISTS (SELECT 1 FROM " + voc +
               " WHERE vocabulary_id = " + lit(v.key) + ")");
  for (const Row& d : kDomains)
    db.execute("INSERT INTO " + dom + " (domain_id, domain_name, domain_concept_id) SELECT " +
               lit(d.key) + ", " + lit(d.name) + ", " + std::to_string(d.concept_id) +
               " WHERE NOT EXISTS (SELECT 1 FROM " + dom + " WHERE domain_id = " + lit(d.key) +
               ")");
  for (const Row& c : kClasses)
    db.execute("INSERT INTO " + cls +
               " (concept_class_id, concept_class_name, concept_class_concept_id) "
               "SELECT " +
               lit(c.key) + ", " + lit(c.name) + ", " + std::to_string(c.concept_id) +
               " WHERE NOT EXISTS (SELECT 1 FROM " + cls +
               " WHERE concept_class_id = " + lit(c.key) + ")");
  for (const Relationship& r : kRelationships)
    db.execute("INSERT INTO " + rel +
               " (relationship_id, relationship_name, is_hierarchical, "
               "defines_ancestry, reverse_relationship_id, relationship_concept_id) SELECT " +
               lit(r.id) + ", " + lit(r.name) + ", '0', '0', " + lit(r.reverse) + ", " +
               std::to_string(r.concept_id) + " WHERE NOT EXISTS (SELECT 1 FROM " + rel +
               " WHERE relationship_id = " + lit(r.id) + ")");
}

}  // namespace dicometl::omop
