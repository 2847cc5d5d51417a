#include "dicometl/catalog/conflicts.hpp"

#include <string_view>
#include <unordered_map>

#include "dicometl/model/utc_time.hpp"

namespace dicometl::catalog {

namespace {

// Values are compared as DICOM means them: trailing spaces are padding, and a person name's
// trailing empty components ("DOE^JOHN^^" = "DOE^JOHN") say nothing. A value one file lacks
// does not contradict another file's: only two present values can differ.
std::string_view meaning(std::string_view v, bool person_name) {
  while (!v.empty() && (v.back() == ' ' || (person_name && (v.back() == '^' || v.back() == '='))))
    v.remove_suffix(1);
  return v;
}

bool differ(std::string_view first, std::string_view other, bool person_name = false) {
  first = meaning(first, person_name);
  other = meaning(other, person_name);
  return !first.empty() && !other.empty() && first != other;
}

constexpr std::size_t kCopiesPerQuery = 64;

}  // namespace

ConflictLog::ConflictLog(storage::Database& db) : db_(db) {
  // One row per (kind, key, attribute, other file): a re-read refreshes it instead of adding.
  insert_ = db.prepare(
      "INSERT INTO conflict (kind, key_value, attribute, first_value, first_path, other_value, "
      "other_path, other_sop_instance_uid, run_id, noticed_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (kind, key_value, attribute, other_path) DO UPDATE SET "
      "first_value = excluded.first_value, first_path = excluded.first_path, "
      "other_value = excluded.other_value, other_sop_instance_uid = "
      "excluded.other_sop_instance_uid, "
      "run_id = excluded.run_id, noticed_at = excluded.noticed_at");
  forget_ = db.prepare("DELETE FROM conflict WHERE other_path = ?");
  auto any = db.prepare("SELECT 1 FROM conflict LIMIT 1");
  any_ = any->step();
}

ConflictLog::~ConflictLog() = default;

void ConflictLog::record(const char* kind, const std::string& key, const char* attribute,
                         const std::string& first_value, const std::string& first_path,
                         const std::string& other_value, const Instance& other) {
  auto& q = *insert_;
  q.reset();
  q.bind_text(1, kind);
  q.bind_text(2, key);
  q.bind_text(3, attribute);
  q.bind_opt_text(4, first_value);
  q.bind_opt_text(5, first_path);
  q.bind_opt_text(6, other_value);
  q.bind_text(7, other.file.path);
  q.bind_text(8, other.sop_instance_uid);
  q.bind_int(9, run_id_);
  q.bind_text(10, utc_now_iso8601());
  q.step();
  ++written_;
  any_ = true;
}

void ConflictLog::check_patient(const FirstPatient& first, const Instance& in) {
  if (first.source_path == in.file.path) return;  // the file that wrote the row, read again
  auto check = [&](const char* attribute, const std::string& a, const std::string& b, bool pn) {
    if (differ(a, b, pn))
      record("patient_attributes", in.patient_id, attribute, a, first.source_path, b, in);
  };
  check("patient_name", first.name, in.patient_name, true);
  check("patient_sex", first.sex, in.patient_sex, false);
  check("patient_birth_date", first.birth_date, in.patient_birth_date, false);
}

void ConflictLog::check_study(const FirstStudy& first, const Instance& in) {
  if (first.source_path == in.file.path) return;
  // An empty PatientID is a key like any other here: a study under '' and under 'X' is split.
  if (meaning(first.patient_id, false) != meaning(in.patient_id, false))
    record("study_patient", in.study_instance_uid, "patient_id", first.patient_id,
           first.source_path, in.patient_id, in);
}

void ConflictLog::check_duplicates(const std::vector<const Instance*>& copies) {
  for (std::size_t at = 0; at < copies.size(); at += kCopiesPerQuery) {
    const std::size_t n = std::min(kCopiesPerQuery, copies.size() - at);
    auto q = db_.prepare(
        "SELECT i.sop_instance_uid, i.file_path, i.series_instance_uid, i.sop_class_uid, "
        "s.study_instance_uid, st.patient_id FROM instance i "
        "JOIN series s ON s.series_instance_uid = i.series_instance_uid "
        "JOIN study st ON st.study_instance_uid = s.study_instance_uid "
        "WHERE i.sop_instance_uid IN " +
        storage::placeholders(1, n));
    for (std::size_t k = 0; k < n; ++k)
      q->bind_text(static_cast<int>(k) + 1, copies[at + k]->sop_instance_uid);
    struct Stored {
      std::string path, series, sop_class, study, patient;
    };
    std::unordered_map<std::string, Stored> stored;
    while (q->step())
      stored[q->column_text(0)] = {q->column_text(1), q->column_text(2),
                                   q->column_is_null(3) ? "" : q->column_text(3), q->column_text(4),
                                   q->column_text(5)};
    for (std::size_t k = 0; k < n; ++k) {
      const Instance& in = *copies[at + k];
      auto it = stored.find(in.sop_instance_uid);
      if (it == stored.end() || it->second.path == in.file.path) continue;
      const Stored& s = it->second;
      auto check = [&](const char* attribute, const std::string& a, const std::string& b) {
        if (meaning(a, false) != meaning(b, false))
          record("instance_attributes", in.sop_instance_uid, attribute, a, s.path, b, in);
      };
      check("patient_id", s.patient, in.patient_id);
      check("study_instance_uid", s.study, in.study_instance_uid);
      check("series_instance_uid", s.series, in.series_instance_uid);
      if (differ(s.sop_class, in.sop_class_uid))
        check("sop_class_uid", s.sop_class, in.sop_class_uid);
    }
  }
}

void ConflictLog::forget(const std::string& path) {
  if (!any_) return;  // most catalogs: no statement per re-read file
  forget_->reset();
  forget_->bind_text(1, path);
  forget_->step();
}

}  // namespace dicometl::catalog
