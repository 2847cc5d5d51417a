#include "dicometl/omop/omop_writer.hpp"

#include "dicometl/catalog/catalog_writer.hpp"
#include "dicometl/model/utc_time.hpp"
#include "dicometl/omop/site_columns.hpp"
#include "dicometl/omop/values.hpp"
#include "dicometl/omop/vocabulary_data.hpp"
#include "dicometl/omop/writer_state.hpp"

namespace dicometl::omop {

namespace {
constexpr std::int64_t kEhrType = 32817;
constexpr std::int64_t kOutpatientVisit = 9202;
constexpr Tag kAnatomicRegionSequence = make_tag(0x0008, 0x2218);
constexpr Tag kCodeValue = make_tag(0x0008, 0x0100);
constexpr Tag kCodingScheme = make_tag(0x0008, 0x0102);
constexpr Tag kPatientPosition = make_tag(0x0018, 0x5100);
constexpr Tag kMagneticField = make_tag(0x0018, 0x0087);
constexpr Tag kExposureTime = make_tag(0x0018, 0x1150);
constexpr Tag kWindowCenter = make_tag(0x0028, 0x1050);
constexpr Tag kWindowWidth = make_tag(0x0028, 0x1051);

std::vector<std::string> quoted(std::initializer_list<const char*> cols) {
  std::vector<std::string> out;
  for (const char* c : cols) out.push_back(std::string("\"") + c + '"');
  return out;
}
}  // namespace

OmopWriter::OmopWriter(storage::Database& db, Options options)
    : db_(db),
      o_(std::move(options)),
      n_(make_names(o_, db.dialect())),
      ids_(db, n_.imaging_table("dicometl_omop_id")),
      w_(std::make_unique<Writers>()) {
  auto max_of = [](const std::string& col, const std::string& table) {
    return "SELECT max(" + col + ") FROM " + table;
  };
  ids_.add_kind("person", max_of("person_id", n_.cdm_table("person")));
  ids_.add_kind("visit", max_of("visit_occurrence_id", n_.cdm_table("visit_occurrence")));
  ids_.add_kind("procedure",
                max_of("procedure_occurrence_id", n_.cdm_table("procedure_occurrence")));
  ids_.add_kind("image_occurrence",
                max_of("image_occurrence_id", n_.imaging_table("image_occurrence")));
  ids_.add_kind("radiology_occurrence",
                max_of("radiology_occurrence_id", n_.imaging_table("radiology_occurrence")));
  ids_.add_kind("radiology_image", max_of("image_id", n_.imaging_table("radiology_image")));

  w_->person = db.bulk_append(
      n_.cdm_table("person"),
      quoted({"person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth",
              "birth_datetime", "race_concept_id", "ethnicity_concept_id", "person_source_value",
              "gender_source_value"}));
  w_->visit = db.bulk_append(n_.cdm_table("visit_occurrence"),
                             quoted({"visit_occurrence_id", "person_id", "visit_concept_id",
                                     "visit_start_date", "visit_start_datetime", "visit_end_date",
                                     "visit_end_datetime", "visit_type_concept_id"}));
  w_->procedure = db.bulk_append(
      n_.cdm_table("procedure_occurrence"),
      quoted({"procedure_occurrence_id", "person_id", "procedure_concept_id", "procedure_date",
              "procedure_datetime", "procedure_type_concept_id", "visit_occurrence_id",
              "procedure_source_value", "procedure_source_concept_id"}));
  w_->image = db.bulk_append(
      n_.imaging_table("image_occurrence"),
      quoted({"image_occurrence_id", "person_id", "procedure_occurrence_id", "visit_occurrence_id",
              "anatomic_site_concept_id", "wadors_uri", "local_path", "image_occurrence_date",
              "image_study_uid", "image_series_uid", "modality_concept_id"}));
  w_->radiology = db.bulk_append(
      n_.imaging_table("radiology_occurrence"),
      quoted({"radiology_occurrence_id", "radiology_occurrence_date",
              "radiology_occurrence_datetime", "person_id", "device_concept_id",
              "radiology_modality_concept_id", "radiology_protocol_concept_id",
              "person_position_concept_id", "image_total_count", "anatomic_site_concept_id",
              "radiology_comment", "image_dosage_unit_concept", "dosage_value_as_number",
              "image_exposure_time_unit_concept", "image_exposure_time", "visit_occurrence_id",
              "radiology_dirpath"}));
  w_->radiology_image = db.bulk_append(
      n_.imaging_table("radiology_image"),
      quoted({"image_id", "radiology_occurrence_id", "person_id", "image_type",
              "radiology_phase_concept_id", "image_no", "phase_total_no", "image_resolution_rows",
              "image_resolution_columns", "image_window_level_center", "image_window_level_width",
              "image_slice_thickness", "image_filepath"}));
  open_metadata_writer();
  // Widths of the site's R-CDM tables (RadETL's DDL has image_filepath and image_type 255):
  // what does not fit is never cut silently (fit_text, write_image).
  auto ro = site_columns(db, o_.imaging_schema, "radiology_occurrence");
  auto ri = site_columns(db, o_.imaging_schema, "radiology_image");
  width_.dirpath = ro["radiology_dirpath"].max_chars;
  width_.comment = ro["radiology_comment"].max_chars;
  width_.image_type = ri["image_type"].max_chars;
  width_.filepath = ri["image_filepath"].max_chars;
  width_.window_center = ri["image_window_level_center"].max_chars;
  width_.window_width = ri["image_window_level_width"].max_chars;

  const PersonMapping& m = o_.person;
  const std::string map_table =
      db.dialect() == storage::Dialect::kPostgres
          ? quote_identifier(m.schema.empty() ? o_.cdm_schema : m.schema) + '.' +
                quote_identifier(m.table)
          : quote_identifier(m.table);
  // Case-insensitive, as the d2e plugin matches PatientID.
  w_->find_person =
      db.prepare("SELECT " + quote_identifier(m.person_id_column) + " FROM " + map_table +
                 " WHERE lower(CAST(" + quote_identifier(m.patient_id_column) +
                 " AS varchar(255))) = lower(?) ORDER BY 1 LIMIT 1");
  w_->record_skip =
      db.prepare("INSERT INTO " + n_.imaging_table("dicometl_omop_skip") +
                 " (kind, source_key, reason, "
                 "recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, source_key) DO UPDATE SET "
                 "reason = excluded.reason, recorded_at = excluded.recorded_at");
  if (o_.modality_concepts == ModalityConcepts::kSnomed)
    // d2e's reading: the standard SNOMED procedure named as the DICOM value concept.
    w_->site_modality =
        db.prepare("SELECT concept_id FROM " + n_.vocab_table("concept") +
                   " WHERE vocabulary_id = 'SNOMED' AND domain_id = 'Procedure' AND "
                   "standard_concept = 'S' AND invalid_reason IS NULL AND "
                   "upper(concept_name) = upper(?) ORDER BY concept_id LIMIT 1");
  w_->site_snomed = db.prepare("SELECT concept_id FROM " + n_.vocab_table("concept") +
                               " WHERE vocabulary_id = 'SNOMED' AND concept_code = ? AND "
                               "standard_concept = 'S' AND invalid_reason IS NULL");

  load_maps_to();
  now_ = utc_now_sql();
}

OmopWriter::~OmopWriter() = default;

void OmopWriter::open_metadata_writer() {
  // dicometl's columns, in the order write_metadata gives them. A table made by d2e's
  // data-management plugin lacks some (data_element_id, the multiplicity, parent_dataset_id) and
  // types others as text (metadata_id as uuid text, the group number as hex "0008"): the site's
  // columns decide what is written, in their types.
  static const char* const kColumns[] = {"metadata_id",
                                         "data_element_id",
                                         "data_element_concept_id",
                                         "metadata_source_name",
                                         "metadata_source_keyword",
                                         "metadata_source_tag",
                                         "metadata_source_group_number",
                                         "metadata_source_value_representation",
                                         "metadata_source_value_multiplicity",
                                         "metadata_source_value",
                                         "value_as_number",
                                         "value_as_concept_id",
                                         "is_sequence",
                                         "sequence_length",
                                         "parent_sequence_id",
                                         "parent_dataset_id",
                                         "is_private",
                                         "private_creator",
                                         "sop_instance_id",
                                         "instance_number",
                                         "person_id",
                                         "image_occurrence_id",
                                         "etl_created_datetime",
                                         "etl_modified_datetime"};
  const std::string table = n_.imaging_table("dicom_file_metadata");
  const auto site = site_columns(db_, o_.imaging_schema, "dicom_file_metadata");
  std::vector<const char*> kept;
  std::vector<Fit> fits;
  for (const char* c : kColumns) {
    auto it = site.find(c);
    if (it == site.end()) {
      fits.push_back(Fit::kDrop);
      continue;
    }
    kept.push_back(c);
    const std::string name = c;
    const bool text = it->second.text;
    fits.push_back(!text                                                   ? Fit::kAsIs
                   : name == "metadata_source_group_number"                ? Fit::kIntAsHex
                   : name == "metadata_id" || name == "parent_sequence_id" ? Fit::kIntAsText
                                                                           : Fit::kAsIs);
  }
  for (const char* required : {"metadata_id", "image_occurrence_id"})
    if (!site.count(required))
      throw storage::Error(table + " has no " + required +
                           " column: not a d2e or dicometl metadata table");
  std::vector<std::string> cols;
  for (const char* c : kept) cols.push_back(std::string("\"") + c + '"');
  w_->metadata = fitted_writer(db_.bulk_append(table, cols), std::move(fits));
  // New ids continue above the table's largest; a text metadata_id (d2e writes uuids) counts
  // only its numeric values.
  const bool text_id = site.at("metadata_id").text;
  const bool pg = db_.dialect() == storage::Dialect::kPostgres;
  ids_.add_kind("dicom_file_metadata",
                !text_id ? "SELECT max(metadata_id) FROM " + table
                : pg     ? "SELECT max(CAST(metadata_id AS bigint)) FROM " + table +
                           " WHERE metadata_id ~ '^[0-9]{1,18}$'"
                     : "SELECT max(CAST(metadata_id AS integer)) FROM " + table +
                           " WHERE metadata_id <> '' AND metadata_id NOT GLOB '*[^0-9]*'");
}

void OmopWriter::skip(const char* kind, const std::string& key, const std::string& reason) {
  auto& s = *w_->record_skip;
  s.reset();
  s.bind_text(1, kind);
  s.bind_text(2, key);
  s.bind_text(3, reason);
  s.bind_text(4, now_);
  s.step();
}

std::string OmopWriter::fit_text(const char* kind, const std::string& key, const char* column,
                                 std::string_view value, std::optional<std::size_t> width) {
  if (!width || count_chars(value) <= *width) return std::string(value);
  skip(kind, key,
       std::string(column) + " cut to " + std::to_string(*width) + " characters (the value has " +
           std::to_string(count_chars(value)) + ")");
  return truncate_chars(value, *width);
}

std::string OmopWriter::rcdm_problem(const Instance& in) const {
  // radiology_dirpath must name the folder: a cut path names another one or none.
  const std::size_t n = count_chars(catalog::parent_dir(in.file.path));
  if (!width_.dirpath || n <= *width_.dirpath) return {};
  return "R-CDM rows left out: radiology_dirpath holds " + std::to_string(*width_.dirpath) +
         " characters, the study's folder has " + std::to_string(n);
}

std::int64_t OmopWriter::modality_concept(const Instance& in) {
  const std::int64_t dicom = Vocabulary::get().value_concept(kModalityAttribute, in.modality);
  if (o_.modality_concepts == ModalityConcepts::kDicom || !dicom) return dicom;
  auto [it, fresh] = snomed_modality_.try_emplace(dicom, 0);
  if (fresh) {
    if (dicom_names_.empty())
      for (const auto& c : vocab_concepts()) dicom_names_.emplace(c.concept_id, c.name);
    auto& q = *w_->site_modality;
    q.reset();
    q.bind_text(1, dicom_names_[dicom]);
    if (q.step()) it->second = q.column_int(0);
  }
  return it->second;
}

std::int64_t OmopWriter::anatomic_site(const Instance& in) {
  // AnatomicRegionSequence is coded SNOMED and more reliable than BodyPartExamined; it resolves
  // only where the site's vocabulary holds SNOMED (Athena).
  if (const Element* seq = in.dataset.find(kAnatomicRegionSequence); seq && !seq->items.empty()) {
    const Dataset& item = seq->items.front();
    const std::string_view scheme = item.text(kCodingScheme);
    if (scheme == "SCT" || scheme == "SRT") {
      auto& q = *w_->site_snomed;
      q.reset();
      q.bind_text(1, item.text(kCodeValue));
      if (q.step()) return q.column_int(0);
    }
  }
  const auto& v = Vocabulary::get();
  const std::int64_t value = v.value_concept(kBodyPartAttribute, in.body_part_examined);
  if (!value) return 0;
  auto it = maps_to_.find(value);
  return it != maps_to_.end() ? it->second : 0;
}

void OmopWriter::load_maps_to() {
  // A site's concept_relationship (Athena + DICOM vocabulary) wins over the shipped Maps to. Only
  // targets the site's concept table holds: an id without its concept row would dangle (the
  // MI-CDM and R-CDM concept columns reference concept), so without one the site is 0.
  const std::string concept_t = n_.vocab_table("concept");
  auto q = db_.prepare(
      "SELECT r.concept_id_1, r.concept_id_2 FROM " + n_.vocab_table("concept_relationship") +
      " r WHERE r.relationship_id = 'Maps to' AND r.concept_id_1 >= 2128000000 AND "
      "r.concept_id_1 < 2129000000 AND r.invalid_reason IS NULL AND EXISTS (SELECT 1 FROM " +
      concept_t + " c WHERE c.concept_id = r.concept_id_2)");
  while (q->step()) maps_to_[q->column_int(0)] = q->column_int(1);
  if (!maps_to_.empty()) return;
  // No DICOM Maps to rows (vocabulary not loaded): the shipped ones whose targets exist here.
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> by_target;
  for (const auto& r : vocab_relationships())
    if (r.relationship == "Maps to") by_target[r.concept_id_2].push_back(r.concept_id_1);
  std::vector<std::int64_t> targets;
  for (const auto& [t, _] : by_target) targets.push_back(t);
  constexpr std::size_t kChunk = 500;
  for (std::size_t at = 0; at < targets.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, targets.size() - at);
    auto known = db_.prepare("SELECT concept_id FROM " + concept_t + " WHERE concept_id IN " +
                             storage::placeholders(1, n));
    for (std::size_t k = 0; k < n; ++k) known->bind_int(static_cast<int>(k) + 1, targets[at + k]);
    while (known->step())
      for (std::int64_t from : by_target[known->column_int(0)])
        maps_to_[from] = known->column_int(0);
  }
}

std::optional<std::string> OmopWriter::study_date(const Instance& in) {
  auto date = iso_date(in.study_date);
  if (!date) date = iso_date(in.series_date);
  if (!date) date = iso_date(in.acquisition_date);
  if (!date) date = iso_date(in.content_date);
  return date;
}

const OmopWriter::Study& OmopWriter::study_for(const Instance& in) {
  if (auto it = studies_.find(in.study_instance_uid); it != studies_.end()) return it->second;
  Study st;
  const auto date = study_date(in);
  std::string why;
  std::optional<std::int64_t> person;
  if (!date) {
    why = "no valid StudyDate, SeriesDate, AcquisitionDate or ContentDate";
  } else {
    person = person_for(in, *date, why);
  }
  if (!person) {
    st.skipped = true;
    // Written by another run meanwhile (concurrent runs, other options): not a skipped study.
    if (!ids_.find("procedure", in.study_instance_uid)) skip("study", in.study_instance_uid, why);
    return studies_.emplace(in.study_instance_uid, st).first->second;
  }
  st.person = *person;
  st.date = *date;
  written_studies_.push_back(in.study_instance_uid);  // an earlier run's skip row goes
  const auto dt = iso_datetime(*date, in.study_time);
  st.datetime = dt ? *dt : *date + " 00:00:00";

  if (o_.visits) {
    auto v = ids_.get("visit", in.study_instance_uid);
    st.visit = v.id;
    if (v.fresh) {
      auto& w = *w_->visit;
      w.integer(v.id);
      w.integer(st.person);
      w.integer(kOutpatientVisit);
      w.text(st.date);
      w.text(st.datetime);
      w.text(st.date);
      w.text(st.datetime);
      w.integer(kEhrType);
      w.end_row();
      ++counts_.visits;
    }
  }
  const auto& vocab = Vocabulary::get();
  const std::int64_t modality = vocab.value_concept(kModalityAttribute, in.modality);
  auto p = ids_.get("procedure", in.study_instance_uid);
  st.procedure = p.id;
  if (p.fresh) {
    auto proc = maps_to_.find(modality);  // a site may map DICOM modalities to procedures
    auto& w = *w_->procedure;
    w.integer(p.id);
    w.integer(st.person);
    w.integer(modality && proc != maps_to_.end() ? proc->second : 0);
    w.text(st.date);
    w.text(st.datetime);
    w.integer(kEhrType);
    st.visit ? w.integer(st.visit) : w.null();
    w.opt_text(truncate_chars(in.study_description, 50));  // full text stays in the catalog
    w.integer(0);
    w.end_row();
    ++counts_.procedures;
  }
  const std::string rcdm_why = o_.rcdm ? rcdm_problem(in) : std::string();
  if (!rcdm_why.empty()) skip("radiology_occurrence", in.study_instance_uid, rcdm_why);
  if (o_.rcdm && rcdm_why.empty()) {
    auto r = ids_.get("radiology_occurrence", in.study_instance_uid);
    st.radiology = r.id;
    if (r.fresh) {
      auto& w = *w_->radiology;
      w.integer(r.id);
      w.text(st.date);
      w.text(st.datetime);
      w.integer(st.person);
      w.integer(0);  // device: scanners have no standard concept in the shipped vocabulary
      w.integer(modality);
      w.integer(0);  // protocol: no standard concepts for protocols
      const std::int64_t position = vocab.value_concept(vocab.attribute_concept(kPatientPosition),
                                                        in.dataset.text(kPatientPosition));
      position ? w.integer(position) : w.null();
      w.integer(0);  // image_total_count: completed at batch end
      w.integer(anatomic_site(in));
      w.opt_text(fit_text("radiology_occurrence", in.study_instance_uid, "radiology_comment",
                          in.study_description, width_.comment));
      const bool xray = in.modality == "CT" || in.modality == "CR" || in.modality == "DX";
      const auto field = in.dataset.number(kMagneticField);
      if (xray && in.kvp) {
        w.text("kVp");
        w.real(*in.kvp);
      } else if (in.modality == "MR" && field) {
        w.text("T");
        w.real(*field);
      } else {
        w.null();
        w.null();
      }
      const auto exposure = in.dataset.number(kExposureTime);
      exposure ? w.text("ms") : w.null();
      w.opt_real(exposure);
      st.visit ? w.integer(st.visit) : w.null();
      w.text(catalog::parent_dir(in.file.path));  // fits: rcdm_problem
      w.end_row();
      ++counts_.radiology_occurrences;
    }
  }
  return studies_.emplace(in.study_instance_uid, st).first->second;
}

std::int64_t OmopWriter::series_for(const Instance& in, const Study& st) {
  if (auto it = series_.find(in.series_instance_uid); it != series_.end()) return it->second;
  auto s = ids_.get("image_occurrence", in.series_instance_uid);
  if (s.fresh) {
    auto& w = *w_->image;
    w.integer(s.id);
    w.integer(st.person);
    w.integer(st.procedure);
    st.visit ? w.integer(st.visit) : w.null();
    w.integer(anatomic_site(in));
    if (o_.dicomweb_base.empty()) {
      w.null();
    } else {
      std::string base = o_.dicomweb_base;
      while (!base.empty() && base.back() == '/') base.pop_back();
      w.text(base + "/studies/" + in.study_instance_uid + "/series/" + in.series_instance_uid);
    }
    w.text(catalog::parent_dir(in.file.path));
    const auto series_date = iso_date(in.series_date);
    w.text(series_date ? *series_date : st.date);
    w.text(in.study_instance_uid);
    w.text(in.series_instance_uid);
    w.integer(modality_concept(in));
    w.end_row();
    ++counts_.image_occurrences;
  }
  series_.emplace(in.series_instance_uid, s.id);
  return s.id;
}

void OmopWriter::on_instance(const Instance& in, bool is_new) { on_instances({&in}, {is_new}); }

void OmopWriter::on_instances(const std::vector<const Instance*>& group, const std::vector<bool>&) {
  struct Image {
    const Instance* in;
    const Study* st;  // studies_ is node-based: the pointer survives later insertions
    std::int64_t image_occurrence;
  };
  prefetch_ids(group);
  std::vector<Image> images;
  std::vector<std::string_view> uids;
  for (const Instance* in : group) {
    const Study& st = study_for(*in);
    if (st.skipped) {
      ++counts_.skipped_instances;
      continue;
    }
    images.push_back({in, &st, series_for(*in, st)});
    uids.push_back(in->sop_instance_uid);
  }
  const auto ids = ids_.claim_many("radiology_image", uids);
  for (std::size_t k = 0; k < images.size(); ++k)
    // Not fresh: written by an earlier run (re-running adds nothing) or earlier in this group.
    if (ids[k].fresh)
      write_image(*images[k].in, *images[k].st, images[k].image_occurrence, ids[k].id);
}

void OmopWriter::prefetch_ids(const std::vector<const Instance*>& group) {
  // The studies and series new to this run, unless their study writes nothing (no date or no
  // person: an id recorded for them would make a later run think their rows exist).
  std::vector<std::string_view> studies, series, rcdm;
  std::unordered_map<std::string_view, bool> writes;  // study → writes rows (decided once)
  std::unordered_set<std::string_view> seen_series;
  for (const Instance* in : group) {
    auto [study, first] = writes.try_emplace(in->study_instance_uid, false);
    if (first) {
      if (auto known = studies_.find(in->study_instance_uid); known != studies_.end()) {
        study->second = !known->second.skipped;
      } else {
        std::string why;
        const auto date = study_date(*in);
        study->second = date && person_for(*in, *date, why);  // cached: study_for asks again
        if (study->second) studies.push_back(in->study_instance_uid);
        if (study->second && o_.rcdm && rcdm_problem(*in).empty())
          rcdm.push_back(in->study_instance_uid);
      }
    }
    if (study->second && !series_.count(in->series_instance_uid) &&
        seen_series.insert(in->series_instance_uid).second)
      series.push_back(in->series_instance_uid);
  }
  if (o_.visits) ids_.prefetch("visit", studies);
  ids_.prefetch("procedure", studies);
  if (o_.rcdm) ids_.prefetch("radiology_occurrence", rcdm);
  ids_.prefetch("image_occurrence", series);
}

void OmopWriter::write_image(const Instance& in, const Study& st, std::int64_t image_occurrence,
                             std::int64_t id) {
  if (o_.rcdm && st.radiology) write_radiology_image(in, st, id);
  if (o_.metadata) write_metadata(in, image_occurrence, st.person);
}

void OmopWriter::write_radiology_image(const Instance& in, const Study& st, std::int64_t id) {
  const std::string& sop = in.sop_instance_uid;
  // R-CDM is one row per image: an SR, a presentation state or a KO object has no pixel matrix.
  if (in.rows.value_or(0) == 0 || in.columns.value_or(0) == 0) {
    skip("radiology_image", sop,
         "not an image (no Rows/Columns; Modality " +
             (in.modality.empty() ? std::string("absent") : in.modality) + ")");
    return;
  }
  if (width_.filepath && count_chars(in.file.path) > *width_.filepath) {
    skip("radiology_image", sop,
         "image_filepath holds " + std::to_string(*width_.filepath) +
             " characters, the file's path has " + std::to_string(count_chars(in.file.path)));
    return;
  }
  auto& w = *w_->radiology_image;
  w.integer(id);
  w.integer(st.radiology);
  w.integer(st.person);
  w.text(fit_text("radiology_image", sop, "image_type",
                  in.image_type.empty() ? "UNKNOWN" : in.image_type, width_.image_type));
  w.integer(0);  // phase: R-CDM's phase concepts are not in the shipped vocabulary
  w.integer(in.instance_number.value_or(0));
  w.integer(0);  // phase_total_no: completed at batch end
  w.integer(*in.rows);
  w.integer(*in.columns);
  w.opt_text(fit_text("radiology_image", sop, "image_window_level_center",
                      in.dataset.joined(kWindowCenter), width_.window_center));
  w.opt_text(fit_text("radiology_image", sop, "image_window_level_width",
                      in.dataset.joined(kWindowWidth), width_.window_width));
  w.opt_real(in.slice_thickness);
  w.text(in.file.path);
  w.end_row();
  ++counts_.radiology_images;
  touched_radiology_.insert(st.radiology);
}

void OmopWriter::on_batch_end() {
  // Order matters where SQLite enforces foreign keys (its bulk path inserts at once anyway).
  for (auto* w :
       {&w_->person, &w_->visit, &w_->procedure, &w_->image, &w_->radiology, &w_->radiology_image})
    (*w)->flush();
  if (!touched_radiology_.empty()) {
    // PostgreSQL plans these per-study counts from the table's statistics; a table filled by COPY
    // in this run has none, and the cached plan scans it whole every batch (quadratic: 93 M rows
    // read for 10k images). Refreshing the statistics as the table grows (×4 steps) re-plans them
    // onto the index.
    if (db_.dialect() == storage::Dialect::kPostgres && counts_.radiology_images >= analyze_at_) {
      db_.execute("ANALYZE " + n_.imaging_table("radiology_image"));
      analyze_at_ = counts_.radiology_images * 4;
    }
    // Both counts for every study the batch touched, a few statements per batch.
    const std::string ro = n_.imaging_table("radiology_occurrence"),
                      ri = n_.imaging_table("radiology_image");
    std::vector<std::int64_t> ids(touched_radiology_.begin(), touched_radiology_.end());
    constexpr std::size_t kChunk = 500;
    for (std::size_t at = 0; at < ids.size(); at += kChunk) {
      const std::size_t n = std::min(kChunk, ids.size() - at);
      const std::string list = storage::placeholders(1, n);
      auto total = db_.prepare("UPDATE " + ro +
                               " SET image_total_count = c.n FROM (SELECT "
                               "radiology_occurrence_id AS id, count(*) AS n FROM " +
                               ri + " WHERE radiology_occurrence_id IN " + list +
                               " GROUP BY 1) AS c "
                               "WHERE " +
                               ro + ".radiology_occurrence_id = c.id");
      // Only rows whose count changed are rewritten.
      auto phase = db_.prepare(
          "UPDATE " + ri +
          " SET phase_total_no = c.n FROM (SELECT "
          "radiology_occurrence_id AS id, radiology_phase_concept_id AS phase, "
          "count(*) AS n FROM " +
          ri + " WHERE radiology_occurrence_id IN " + list + " GROUP BY 1, 2) AS c WHERE " + ri +
          ".radiology_occurrence_id = c.id AND " + ri +
          ".radiology_phase_concept_id = c.phase AND " + ri + ".phase_total_no <> c.n");
      for (auto* q : {total.get(), phase.get()}) {
        q->reset();
        for (std::size_t k = 0; k < n; ++k) q->bind_int(static_cast<int>(k) + 1, ids[at + k]);
        q->step();
      }
    }
    touched_radiology_.clear();
  }
  clear_written_skips();
  // Last, as the largest: PostgreSQL stores it while the caller prepares the next batch.
  w_->metadata->flush();
  ids_.end_batch();
  now_ = utc_now_sql();
}

void OmopWriter::clear_written_skips() {
  // A study an earlier run skipped (no person then) and this run wrote is no longer skipped.
  constexpr std::size_t kChunk = 500;
  for (std::size_t at = 0; at < written_studies_.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, written_studies_.size() - at);
    auto q = db_.prepare("DELETE FROM " + n_.imaging_table("dicometl_omop_skip") +
                         " WHERE kind = 'study' AND source_key IN " + storage::placeholders(1, n));
    for (std::size_t k = 0; k < n; ++k)
      q->bind_text(static_cast<int>(k) + 1, written_studies_[at + k]);
    q->step();
  }
  written_studies_.clear();
}

void write_cdm_source(storage::Database& db, const Options& o) {
  const Names n = make_names(o, db.dialect());
  const std::string t = n.cdm_table("cdm_source");
  auto q = db.prepare("SELECT count(*) FROM " + t);
  if (q->step() && q->column_int(0) > 0) return;
  const std::string today = utc_now_sql().substr(0, 10);
  auto ins = db.prepare(
      "INSERT INTO " + t +
      " (cdm_source_name, cdm_source_abbreviation, cdm_holder, "
      "source_description, cdm_etl_reference, source_release_date, cdm_release_date, cdm_version, "
      "cdm_version_concept_id, vocabulary_version) VALUES (?, ?, ?, ?, ?, ?, ?, 'v5.4', 756265, "
      "?)");
  ins->bind_text(1, truncate_chars(o.source_name, 255));
  ins->bind_text(2, "dicometl");
  ins->bind_text(3, "local");
  ins->bind_text(4, "DICOM headers converted by dicometl (MI-CDM, R-CDM and d2e metadata tables)");
  ins->bind_text(5, "dicometl docs/omop.md");
  ins->bind_text(6, today);
  ins->bind_text(7, today);
  ins->bind_text(8, "DICOM2OMOP v5");  // vocabulary_version is varchar(20)
  ins->step();
}

}  // namespace dicometl::omop
