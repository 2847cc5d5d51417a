// PatientID → person_id: the mapping table (d2e's PersonPatientMapping; default person.
// person_source_value), then persons dicometl created, then the --missing-person policy.
#include "dicometl/omop/omop_writer.hpp"
#include "dicometl/omop/values.hpp"
#include "dicometl/omop/writer_state.hpp"

namespace dicometl::omop {

namespace {
constexpr std::int64_t kMale = 8507;
constexpr std::int64_t kFemale = 8532;

// PatientIDs match case-insensitively (as the d2e plugin and the mapping query do): the run's
// cache and the id table are keyed by this spelling, so `edge-case` and `EDGE-CASE` are one
// person whether or not the first one's row was committed yet (batch boundaries, earlier runs).
std::string match_key(std::string_view id) {
  std::string k(id);
  for (char& c : k)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return k;
}
}  // namespace

std::optional<std::int64_t> OmopWriter::person_for(const Instance& in,
                                                   const std::string& study_date,
                                                   std::string& why) {
  const std::string key = match_key(in.patient_id);
  if (auto it = persons_.find(key); it != persons_.end()) {
    if (!it->second.first) why = it->second.second;
    return it->second.first;
  }
  std::optional<std::int64_t> found;
  if (!in.patient_id.empty()) {
    auto& q = *w_->find_person;
    q.reset();
    q.bind_text(1, in.patient_id);
    if (q.step() && !q.column_is_null(0)) found = q.column_int(0);
    if (!found)
      if (auto id = ids_.find("person", key)) found = id;
    if (!found && key != in.patient_id)  // recorded by a version that kept the spelling
      if (auto id = ids_.find("person", in.patient_id)) found = id;
  }
  if (!found) {
    switch (o_.missing_person) {
      case MissingPerson::kZero: found = 0; break;
      case MissingPerson::kSkip:
        why = "no person for the study's PatientID (missing-person: skip)";
        break;
      case MissingPerson::kCreate: {
        const auto birth = iso_date(in.patient_birth_date);
        std::optional<int> year;
        if (birth)
          year = std::stoi(birth->substr(0, 4));
        else
          year = birth_year_from_age(in.patient_age, study_date);
        if (!year || in.patient_id.empty()) {
          why = in.patient_id.empty() ? "the study has no PatientID to create a person from"
                                      : "no PatientBirthDate or PatientAge to create a person";
          break;
        }
        auto id = ids_.get("person", key);
        found = id.id;
        if (id.fresh) {
          auto& w = *w_->person;
          w.integer(id.id);
          w.integer(in.patient_sex == "M" ? kMale : in.patient_sex == "F" ? kFemale : 0);
          w.integer(*year);
          if (birth) {
            w.integer(std::stoi(birth->substr(5, 2)));
            w.integer(std::stoi(birth->substr(8, 2)));
            w.text(*birth + " 00:00:00");
          } else {
            w.null();
            w.null();
            w.null();
          }
          w.integer(0);  // race and ethnicity are not in DICOM headers
          w.integer(0);
          w.text(truncate_chars(in.patient_id, 50));
          w.opt_text(truncate_chars(in.patient_sex, 50));
          w.end_row();
          ++counts_.persons_created;
        }
        break;
      }
    }
  }
  // Persons are cached for the run; a skip is decided per study and recorded each time.
  persons_[key] = {found, found ? std::string() : why};
  return found;
}

}  // namespace dicometl::omop
