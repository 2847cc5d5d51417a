#include "dicometl/omop/vocabulary_load.hpp"

#include "dicometl/model/utc_time.hpp"
#include "dicometl/omop/schema.hpp"
#include "dicometl/omop/vocabulary_data.hpp"
#include "dicometl/omop/vocabulary_metadata.hpp"

namespace dicometl::omop {

namespace {

// CSV dates are YYYYMMDD; the DDL's date columns take ISO dates.
std::string iso_date(const std::string& d) {
  return d.size() == 8 ? d.substr(0, 4) + '-' + d.substr(4, 2) + '-' + d.substr(6, 2) : d;
}

std::int64_t count(storage::Database& db, const std::string& sql) {
  auto q = db.prepare(sql);
  return q->step() ? q->column_int(0) : 0;
}

}  // namespace

VocabCounts load_vocabulary(storage::Database& db, const Options& o, bool truncate) {
  ensure_omop_schema(db, o);
  const Names n = make_names(o, db.dialect());
  const std::string concept_t = n.vocab_table("concept"),
                    rel = n.vocab_table("concept_relationship"), voc = n.vocab_table("vocabulary"),
                    cls = n.vocab_table("concept_class"),
                    dde = n.imaging_table("dicom_data_element");
  const std::string dicom_ids =
      "SELECT concept_id FROM " + concept_t + " WHERE vocabulary_id = 'DICOM'";
  VocabCounts out;
  storage::in_transaction(db, [&] {
    if (truncate) {
      auto before =
          count(db, "SELECT (SELECT count(*) FROM " + rel + " WHERE concept_id_1 IN (" + dicom_ids +
                        ")) + (" + "SELECT count(*) FROM " + concept_t +
                        " WHERE vocabulary_id = 'DICOM') + (SELECT count(*) FROM " + dde + ")");
      db.execute("DELETE FROM " + rel + " WHERE concept_id_1 IN (" + dicom_ids +
                 ") AND relationship_id IN ('Maps to', 'Maps to value')");
      db.execute("DELETE FROM " + concept_t + " WHERE vocabulary_id = 'DICOM'");
      db.execute("DELETE FROM " + cls +
                 " WHERE concept_class_id IN ('DICOM Attributes', 'DICOM Value Sets')");
      db.execute("DELETE FROM " + voc + " WHERE vocabulary_id = 'DICOM'");
      db.execute("DELETE FROM " + dde);
      out.removed = before;
    }
    db.execute("INSERT INTO " + voc +
               " (vocabulary_id, vocabulary_name, vocabulary_reference, "
               "vocabulary_version, vocabulary_concept_id) SELECT 'DICOM', "
               "'Digital Imaging and Communications in Medicine (DICOM2OMOP)', "
               "'https://github.com/paulnagy/DICOM2OMOP', '" +
               std::string(kVocabularyVersion) + "', 2128000000 WHERE NOT EXISTS (SELECT 1 FROM " +
               voc + " WHERE vocabulary_id = 'DICOM')");
    // The vocabulary, domain, class and relationship rows OHDSI's foreign keys need behind every
    // row written here (Athena has them; a fresh database gets them).
    write_vocabulary_model_rows(db, n);

    // Stage in a temporary table with the bulk path, then add only what is missing: the same
    // statement works whether or not the site's tables carry primary keys.
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS dicometl_stage_concept (concept_id bigint, "
        "concept_name text, domain_id text, vocabulary_id text, concept_class_id text, "
        "standard_concept text, concept_code text, valid_start_date date, "
        "valid_end_date date, invalid_reason text)");
    db.execute("DELETE FROM dicometl_stage_concept");
    {
      auto w = db.bulk_append("dicometl_stage_concept",
                              {"concept_id", "concept_name", "domain_id", "vocabulary_id",
                               "concept_class_id", "standard_concept", "concept_code",
                               "valid_start_date", "valid_end_date", "invalid_reason"});
      auto put = [&](std::int64_t id, const std::string& name, const std::string& domain,
                     const std::string& vocabulary, const std::string& klass,
                     const std::string& standard, const std::string& code, const std::string& start,
                     const std::string& end, const std::string& invalid) {
        w->integer(id);
        w->text(name);
        w->text(domain);
        w->text(vocabulary);
        w->text(klass);
        w->opt_text(standard);  // NULL, never ' ' (a d2e bug)
        w->text(code);
        w->text(iso_date(start));
        w->text(iso_date(end));
        w->opt_text(invalid);
        w->end_row();
      };
      for (const auto& c : vocab_concepts())
        put(c.concept_id, c.name, c.domain, c.vocabulary, c.concept_class, c.standard, c.code,
            c.valid_start, c.valid_end, c.invalid_reason);
      // Their metadata concepts and the standard concepts dicometl writes (0, 32817, genders,
      // 9202, 756265): added only where absent, so a site's Athena rows are never shadowed.
      stage_metadata_concepts(*w);
      w->flush();
    }
    db.execute(
        "INSERT INTO " + concept_t +
        " (concept_id, concept_name, domain_id, vocabulary_id, "
        "concept_class_id, standard_concept, concept_code, valid_start_date, valid_end_date, "
        "invalid_reason) SELECT s.concept_id, s.concept_name, s.domain_id, s.vocabulary_id, "
        "s.concept_class_id, s.standard_concept, s.concept_code, s.valid_start_date, "
        "s.valid_end_date, s.invalid_reason FROM dicometl_stage_concept s WHERE NOT EXISTS "
        "(SELECT 1 FROM " +
        concept_t + " c WHERE c.concept_id = s.concept_id)");

    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS dicometl_stage_rel (concept_id_1 bigint, "
        "concept_id_2 bigint, relationship_id text)");
    db.execute("DELETE FROM dicometl_stage_rel");
    {
      auto w =
          db.bulk_append("dicometl_stage_rel", {"concept_id_1", "concept_id_2", "relationship_id"});
      for (const auto& r : vocab_relationships()) {
        w->integer(r.concept_id_1);
        w->integer(r.concept_id_2);
        w->text(r.relationship);
        w->end_row();
      }
      w->flush();
    }
    // Valid from the vocabulary's start to its end (the d2e plugin had these two swapped). A row
    // whose target concept is absent (SNOMED targets before Athena is loaded) would dangle:
    // it waits, counted, until a later load finds its target.
    const std::string target_known =
        " AND EXISTS (SELECT 1 FROM " + concept_t + " c WHERE c.concept_id = s.concept_id_2)";
    db.execute("INSERT INTO " + rel +
               " (concept_id_1, concept_id_2, relationship_id, "
               "valid_start_date, valid_end_date, invalid_reason) SELECT DISTINCT s.concept_id_1, "
               "s.concept_id_2, s.relationship_id, CAST('1993-01-01' AS date), "
               "CAST('2099-12-31' AS date), CAST(NULL AS varchar(1)) FROM dicometl_stage_rel s "
               "WHERE NOT EXISTS (SELECT 1 FROM " +
               rel +
               " r WHERE r.concept_id_1 = s.concept_id_1 "
               "AND r.concept_id_2 = s.concept_id_2 AND r.relationship_id = s.relationship_id)" +
               target_known);
    out.waiting =
        count(db,
              "SELECT count(*) FROM (SELECT DISTINCT concept_id_1, concept_id_2, relationship_id "
              "FROM dicometl_stage_rel s WHERE NOT EXISTS (SELECT 1 FROM " +
                  concept_t + " c WHERE c.concept_id = s.concept_id_2)) w");

    if (count(db, "SELECT count(*) FROM " + dde) == 0) {
      const std::string now = utc_now_sql();
      auto w = db.bulk_append(
          dde, {"data_element_id", "data_element_tag", "data_element_name", "data_element_keyword",
                "value_representation", "value_multiplicity", "is_private", "is_retired",
                "retired_remarks", "etl_created_datetime", "etl_modified_datetime"});
      for (const auto& e : vocab_data_elements()) {
        w->integer(e.id);
        w->text(e.tag_paren);
        w->opt_text(e.name);
        w->opt_text(e.keyword);
        w->opt_text(e.vr);
        w->opt_text(e.vm);
        w->integer(0);
        w->integer(e.remarks.rfind("RET", 0) == 0 ? 1 : 0);
        w->opt_text(e.remarks);
        w->text(now);
        w->text(now);
        w->end_row();
      }
      w->flush();
    }
    db.execute("DROP TABLE dicometl_stage_concept");
    db.execute("DROP TABLE dicometl_stage_rel");
    out.concepts =
        count(db, "SELECT count(*) FROM " + concept_t + " WHERE vocabulary_id = 'DICOM'");
    out.relationships =
        count(db, "SELECT count(*) FROM " + rel + " WHERE concept_id_1 IN (" + dicom_ids + ")");
    out.data_elements = count(db, "SELECT count(*) FROM " + dde);
  });
  return out;
}

}  // namespace dicometl::omop
