// Pure functions of the OMOP output: dates, truncation, ages, names, job files, CSV, vocabulary.
#include <gtest/gtest.h>

#include <tuple>

#include "dicometl/omop/ingest_sink.hpp"
#include "dicometl/omop/job.hpp"
#include "dicometl/omop/schema.hpp"
#include "dicometl/omop/values.hpp"
#include "dicometl/omop/vocabulary_data.hpp"

using namespace dicometl;
using namespace dicometl::omop;

TEST(OmopValues, IsoDate) {
  EXPECT_EQ(iso_date("20240229").value_or(""), "2024-02-29");
  EXPECT_FALSE(iso_date("20230229"));  // not a leap year
  EXPECT_FALSE(iso_date("20231301"));
  EXPECT_FALSE(iso_date(""));
  EXPECT_EQ(iso_date("2001.05.06").value_or(""), "2001-05-06");
}

TEST(OmopValues, IsoDatetime) {
  EXPECT_EQ(iso_datetime("2020-01-02", "101112.123").value_or(""), "2020-01-02 10:11:12");
  EXPECT_EQ(iso_datetime("2020-01-02", "1011").value_or(""), "2020-01-02 10:11:00");
  EXPECT_FALSE(iso_datetime("2020-01-02", "256000"));
}

TEST(OmopValues, TruncateCountsCharacters) {
  const std::string s = "Größe Größe Größe Größe Größe Größe Größe Größe Größe Größe";
  const std::string t = truncate_chars(s, 50);
  EXPECT_LT(t.size(), s.size());
  EXPECT_EQ(t, s.substr(0, t.size()));
  EXPECT_EQ(truncate_chars("abc", 50), "abc");
}

TEST(OmopValues, BirthYearFromAge) {
  EXPECT_EQ(birth_year_from_age("045Y", "2020-06-01").value_or(0), 1975);
  EXPECT_EQ(birth_year_from_age("006M", "2020-06-01").value_or(0), 2020);
  EXPECT_FALSE(birth_year_from_age("45", "2020-06-01"));
}

TEST(OmopSchema, IdentifiersAreValidatedAndQuoted) {
  EXPECT_EQ(quote_identifier("cdm_54"), "\"cdm_54\"");
  EXPECT_THROW(quote_identifier("cdm; DROP TABLE person"), storage::Error);
  EXPECT_THROW(quote_identifier("a\"b"), storage::Error);
  EXPECT_THROW(quote_identifier(""), storage::Error);
  Options o;
  o.cdm_schema = "cdm";
  EXPECT_EQ(make_names(o, storage::Dialect::kPostgres).cdm_table("person"), "\"cdm\".\"person\"");
  EXPECT_EQ(make_names(o, storage::Dialect::kSqlite).cdm_table("person"), "\"person\"");
}

TEST(OmopJob, ReadsTheD2eReadmeExampleAsWritten) {
  const std::string job = R"({
  "options": {
    "flow_action_type": "ingest_metadata",
    "database_code": "alpdev_pg",
    "medical_imaging_schema_name": "cdmmedicalimaging",
    "cdm_schema_name": "cdmdefault",
    "vocab_schema_name": "cdmvocab",
    "dicom_files_abs_path": "/tmp/files/",
    "to_truncate": False,
    "upload_files": False,
    "missing_person_id_options": "use_id_zero",
    "PersonPatientMapping": {
      schema_name: "cdmmedicalimaging",
      table_name: "mappingtable",
      person_id_column_name: "source_person_id",
      patient_id_column_name: "source_patient_id"
    }
  }
})";
  const Job j = parse_job(job);
  EXPECT_EQ(j.action, "ingest_metadata");
  EXPECT_EQ(j.options.imaging_schema, "cdmmedicalimaging");
  EXPECT_EQ(j.options.cdm_schema, "cdmdefault");
  EXPECT_EQ(j.options.vocab_schema, "cdmvocab");
  ASSERT_EQ(j.paths.size(), 1u);
  EXPECT_EQ(j.paths[0], "/tmp/files/");
  EXPECT_FALSE(j.truncate);
  EXPECT_EQ(j.options.missing_person, MissingPerson::kZero);
  EXPECT_EQ(j.options.person.table, "mappingtable");
  EXPECT_EQ(j.options.person.patient_id_column, "source_patient_id");
  EXPECT_THROW(parse_job(R"({"options": {"flow_action_type": "other"}})"), std::invalid_argument);
  EXPECT_EQ(
      parse_job(
          R"({"flow_action_type": "load_vocab", "to_truncate": true, "missing_person_id_options": "SKIP"})")
          .truncate,
      true);
}

TEST(OmopJob, NewerD2eCamelCaseSpelling) {
  // The same job in the plugin's snake_case and in newer d2e forms' camelCase (spec/omop-imaging.md).
  const Job snake = parse_job(R"({"options": {"to_truncate": true, "upload_files": false,
    "database_code": "alpdev_pg", "cdm_schema_name": "cdmdefault", "flow_action_type": "ingest_metadata",
    "vocab_schema_name": "cdmvocab", "dicom_files_abs_path": "/app/pysrc", "missing_person_id_options": "use_id_zero",
    "person_to_patient_mapping": {"table_name": "mappingtable", "schema_name": "testdicom",
      "person_id_column_name": "source_person_id", "patient_id_column_name": "source_patient_id"},
    "medical_imaging_schema_name": "testdicom"}})");
  const Job camel = parse_job(R"({"options": {"toTruncate": true, "uploadFiles": false, "databaseCode": "alpdev_pg",
    "cdmSchemaName": "cdmdefault", "flowActionType": "ingest_metadata", "vocabSchemaName": "cdmvocab",
    "dicomFilesAbsPath": "/app/pysrc", "missingPersonIdOptions": "use_id_zero",
    "personToPatientMapping": {"tableName": "mappingtable", "schemaName": "testdicom",
      "personIdColumnName": "source_person_id", "patientIdColumnName": "source_patient_id"},
    "medicalImagingSchemaName": "testdicom"}})");
  auto fields = [](const Job& j) {
    const auto& o = j.options;
    return std::make_tuple(j.action, j.database_code, o.imaging_schema, o.cdm_schema, o.vocab_schema, j.paths,
                           j.truncate, o.missing_person, o.person.schema, o.person.table, o.person.person_id_column,
                           o.person.patient_id_column, o.modality_concepts);
  };
  EXPECT_EQ(fields(camel), fields(snake));
  EXPECT_EQ(camel.options.imaging_schema, "testdicom");  // read, not defaulted
  EXPECT_EQ(camel.options.person.patient_id_column, "source_patient_id");
  EXPECT_EQ(camel.options.modality_concepts, ModalityConcepts::kSnomed);  // d2e's reading by default
  const Job v = parse_job(R"({"options": {"flowActionType": "load_vocab", "dicomFilesAbsPath": "",
    "missingPersonIdOptions": "", "modalityConcepts": "dicom",
    "personToPatientMapping": {"tableName": "", "schemaName": ""}}})");
  EXPECT_TRUE(v.paths.empty());
  EXPECT_EQ(v.options.missing_person, MissingPerson::kSkip);
  EXPECT_EQ(v.options.person.table, "person");
  EXPECT_EQ(v.options.modality_concepts, ModalityConcepts::kDicom);
}

TEST(OmopValues, CountsCharactersNotBytes) {
  EXPECT_EQ(count_chars("山田^太郎"), 5u);
  EXPECT_EQ(count_chars("abc"), 3u);
  EXPECT_EQ(count_chars(""), 0u);
  // A stray lead byte is one character, not the start of one that swallows the next two.
  EXPECT_EQ(count_chars("\xE0"
                        "ab"),
            3u);
  EXPECT_EQ(truncate_chars("\xE0"
                           "abc",
                           2),
            "\xE0"
            "a");
}

// Python-flavoured jobs: an escaped quote inside a single-quoted string is a quote (issue 13).
TEST(OmopJob, EscapedQuotesInPythonStrings) {
  const Job j = parse_job(R"({'options': {'flow_action_type': 'ingest_metadata',
    'database_code': 'O\'Brien "the" db', 'dicom_files_abs_path': ['/data/it\'s', "/x/\"q\""],
    'to_truncate': True,}})");
  EXPECT_EQ(j.database_code, "O'Brien \"the\" db");
  ASSERT_EQ(j.paths.size(), 2u);
  EXPECT_EQ(j.paths[0], "/data/it's");
  EXPECT_EQ(j.paths[1], "/x/\"q\"");
  EXPECT_TRUE(j.truncate);
}

TEST(OmopVocabulary, ShippedFilesAsTheSpecDescribes) {
  const auto& v = Vocabulary::get();
  EXPECT_EQ(v.attribute_concept(tags::kModality), 2128000050);
  EXPECT_EQ(v.attribute_concept(tags::kBodyPartExamined), 2128000792);
  EXPECT_EQ(v.value_concept(kModalityAttribute, "CT"), 2128009190);
  EXPECT_EQ(v.value_concept(kModalityAttribute, "MR"), 2128009230);
  EXPECT_EQ(v.maps_to(v.value_concept(kBodyPartAttribute, "CHEST")), 4184181);
  EXPECT_EQ(v.maps_to(v.value_concept(kBodyPartAttribute, "BRAIN")), 4133034);
  const auto* e = v.element(tags::kModality);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->keyword, "Modality");
  EXPECT_EQ(vocab_concepts().size(), 8811u);
  for (const auto& d : vocab_data_elements())
    EXPECT_EQ(d.keyword.find("\xE2\x80\x8B"), std::string::npos) << d.keyword;  // no U+200B
}

TEST(OmopCsv, QuotesAndEmptyFields) {
  auto rows = parse_csv("a,\"b,c\",\"d\"\"e\",\n1,,3,4\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], "b,c");
  EXPECT_EQ(rows[0][2], "d\"e");
  EXPECT_EQ(rows[0][3], "");
  EXPECT_EQ(rows[1][1], "");
}

TEST(OmopCatalogJson, RestoresSequencesNamesAndPrivateCreators) {
  const Dataset ds = dataset_from_dicom_json(
      R"({"00080060":{"vr":"CS","Value":["CT"]},"00082218":{"vr":"SQ","Value":[{"00080100":{"vr":"SH","Value":["51185008"]}},{}]},)"
      R"("00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe^J","Ideographic":"X"}]},)"
      R"("00280010":{"vr":"US","Value":[512]},"00290010":{"vr":"LO","Value":["ACME 1"]},"00291001":{"vr":"LO","Value":["x"]}})");
  EXPECT_EQ(ds.text(tags::kModality), "CT");
  const Element* seq = ds.find(make_tag(0x0008, 0x2218));
  ASSERT_NE(seq, nullptr);
  EXPECT_EQ(seq->items.size(), 2u);
  EXPECT_EQ(ds.text(tags::kPatientName), "Doe^J=X");
  EXPECT_EQ(ds.text(tags::kRows), "512");
  EXPECT_EQ(ds.find(make_tag(0x0029, 0x1001))->private_creator, "ACME 1");
}
