// `dicometl omop`: OMOP rows from an existing catalog. Instances are rebuilt from catalog columns
// and dicom_json, then fed to the same OmopWriter the ingest pass uses.
#include <cctype>

#include <nlohmann/json.hpp>

#include "dicometl/omop/ingest_sink.hpp"

namespace dicometl::omop {

namespace {

std::string value_text(const nlohmann::json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object()) {  // person name groups
    std::string out;
    const char* groups[] = {"Alphabetic", "Ideographic", "Phonetic"};
    int last = -1;
    for (int g = 0; g < 3; ++g)
      if (v.contains(groups[g])) last = g;
    for (int g = 0; g <= last; ++g) {
      if (g) out += '=';
      if (v.contains(groups[g])) out += v[groups[g]].get<std::string>();
    }
    return out;
  }
  return v.dump();
}

Dataset to_dataset(const nlohmann::json& obj) {
  Dataset ds;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    Element e;
    e.tag = static_cast<Tag>(std::stoul(it.key(), nullptr, 16));
    const auto& body = it.value();
    const std::string vr = body.value("vr", "UN");
    if (vr.size() == 2) { e.vr[0] = vr[0]; e.vr[1] = vr[1]; }
    if (body.contains("Value")) {
      for (const auto& v : body["Value"]) {
        if (e.is_sequence())
          e.items.push_back(to_dataset(v));
        else
          e.values.emplace_back(value_text(v));
      }
    } else if (body.contains("InlineBinary")) {
      e.binary = body["InlineBinary"].get<std::string>();  // still base64: only its presence matters here
    } else if (body.contains("BulkDataURI") || vr == "OB" || vr == "OW" || vr == "OF" ||
               vr == "OD" || vr == "OL" || vr == "UN") {
      e.bulk = true;
    }
    ds.elements.push_back(std::move(e));
  }
  // Private creators: (gggg,xxyy) is reserved by the value of (gggg,00xx).
  for (auto& e : ds.elements) {
    if (!is_private(e.tag) || tag_element(e.tag) < 0x1000) continue;
    const Tag creator = make_tag(tag_group(e.tag), static_cast<std::uint16_t>(tag_element(e.tag) >> 8));
    e.private_creator = ds.text(creator);
  }
  return ds;
}

}  // namespace

Dataset dataset_from_dicom_json(std::string_view json) {
  return to_dataset(nlohmann::json::parse(json));
}

namespace {

// One page of the catalog in sop_instance_uid order, after `after`, with every element; only the
// instances of `patients` when given.
std::vector<Instance> read_page(storage::Database& db, const std::string& after, std::size_t batch,
                                const std::vector<std::string>* patients = nullptr) {
  const std::string only =
      patients ? " AND st.patient_id IN " + storage::placeholders(1, patients->size()) : "";
  auto q = db.prepare(
      "SELECT i.sop_instance_uid, i.series_instance_uid, s.study_instance_uid, st.patient_id, "
      "i.sop_class_uid, i.instance_number, i.file_path, i.rows, i.columns, i.slice_thickness, "
      "i.kvp, i.image_type, i.acquisition_date, i.content_date, i.dicom_json, s.series_date, "
      "s.series_time, s.modality, s.body_part_examined, st.study_date, st.study_time, "
      "st.study_description, st.patient_age, p.patient_sex, p.patient_birth_date "
      "FROM instance i JOIN series s ON s.series_instance_uid = i.series_instance_uid "
      "JOIN study st ON st.study_instance_uid = s.study_instance_uid "
      "JOIN patient p ON p.patient_id = st.patient_id "
      "WHERE i.sop_instance_uid > ?" +
      only + " ORDER BY i.sop_instance_uid LIMIT " + std::to_string(batch));
  q->bind_text(1, after);
  if (patients)
    for (std::size_t k = 0; k < patients->size(); ++k)
      q->bind_text(static_cast<int>(k) + 2, (*patients)[k]);
  std::vector<Instance> page;
  while (q->step()) {
    Instance in;
    auto opt_int = [&](int c) { return q->column_is_null(c) ? std::nullopt : std::optional(q->column_int(c)); };
    auto opt_real = [&](int c) { return q->column_is_null(c) ? std::nullopt : std::optional(q->column_double(c)); };
    in.sop_instance_uid = q->column_text(0);
    in.series_instance_uid = q->column_text(1);
    in.study_instance_uid = q->column_text(2);
    in.patient_id = q->column_text(3);
    in.sop_class_uid = q->column_text(4);
    in.instance_number = opt_int(5);
    in.file.path = q->column_text(6);
    in.rows = opt_int(7);
    in.columns = opt_int(8);
    in.slice_thickness = opt_real(9);
    in.kvp = opt_real(10);
    in.image_type = q->column_text(11);
    in.acquisition_date = q->column_text(12);
    in.content_date = q->column_text(13);
    in.dataset = dataset_from_dicom_json(q->column_text(14));
    in.series_date = q->column_text(15);
    in.series_time = q->column_text(16);
    in.modality = q->column_text(17);
    in.body_part_examined = q->column_text(18);
    in.study_date = q->column_text(19);
    in.study_time = q->column_text(20);
    in.study_description = q->column_text(21);
    in.patient_age = q->column_text(22);
    in.patient_sex = q->column_text(23);
    in.patient_birth_date = q->column_text(24);
    page.push_back(std::move(in));
  }
  return page;
}

}  // namespace

namespace {
// The PatientIDs of one shard, in order (a shard of the OMOP output is a set of patients: see
// omop_from_catalog), in groups small enough for one IN list.
std::vector<std::vector<std::string>> shard_patients(storage::Database& db,
                                                     const source::Shard& shard) {
  constexpr std::size_t kPatientsPerQuery = 200;
  std::vector<std::vector<std::string>> groups;
  auto q = db.prepare("SELECT patient_id FROM patient ORDER BY patient_id");
  while (q->step()) {
    std::string id = q->column_text(0);
    // PatientIDs that differ in case meet the same person (find_person compares lower-cased):
    // one shard must hold them all.
    std::string key = id;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!shard.owns(key)) continue;
    if (groups.empty() || groups.back().size() == kPatientsPerQuery) groups.emplace_back();
    groups.back().push_back(std::move(id));
  }
  return groups;
}
}  // namespace

OmopCounts omop_from_catalog(storage::Database& db, const Options& o, std::size_t batch,
                             storage::Database* catalog, const source::Shard& shard) {
  storage::Database& reader = catalog ? *catalog : db;
  OmopCounts total;
  std::unique_ptr<OmopWriter> writer;
  // The whole catalog is one group; a shard is its patients, a few hundred per group.
  std::vector<std::vector<std::string>> groups;
  if (!shard.whole()) groups = shard_patients(reader, shard);
  const std::size_t n_groups = shard.whole() ? 1 : groups.size();
  for (std::size_t g = 0; g < n_groups; ++g) {
    const std::vector<std::string>* patients = shard.whole() ? nullptr : &groups[g];
    // Keyset paging: no cursor stays open across commits. Each page is written in one
    // transaction, and the next page is read and parsed before it commits: with a reader
    // connection of its own, that overlaps the parsing with the server storing the page's rows.
    std::vector<Instance> page = read_page(reader, "", batch, patients);
    while (!page.empty()) {
      std::vector<Instance> next;
      storage::in_transaction(db, [&] {
        if (!writer) writer = std::make_unique<OmopWriter>(db, o);
        std::vector<const Instance*> group;
        group.reserve(page.size());
        for (const auto& in : page) group.push_back(&in);
        writer->on_instances(group, std::vector<bool>(group.size(), false));
        writer->on_batch_end();
        if (page.size() == batch)
          next = read_page(reader, page.back().sop_instance_uid, batch, patients);
      });
      page = std::move(next);
    }
  }
  if (writer) total = writer->counts();
  storage::in_transaction(db, [&] { write_cdm_source(db, o); });
  return total;
}

}  // namespace dicometl::omop
