#include "dicometl/omop/job.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace dicometl::omop {

namespace {

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Python-ish → JSON: single-quoted strings, bare keys, True/False/None, trailing commas.
std::string normalise(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    const char c = in[i];
    if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      std::string body;
      while (j < in.size() && in[j] != c) {
        if (in[j] == '\\' && j + 1 < in.size()) {
          // JSON has no \' escape: Python's escaped quote is a plain quote in a JSON string.
          if (in[j + 1] == '\'')
            body += '\'';
          else
            body += in.substr(j, 2);
          j += 2;
          continue;
        }
        if (in[j] == '"' && c == '\'') body += '\\';
        body += in[j++];
      }
      out += '"' + body + '"';
      i = j + 1;
    } else if (ident_char(c) && !(c >= '0' && c <= '9')) {
      std::size_t j = i;
      while (j < in.size() && ident_char(in[j])) ++j;
      std::string word = in.substr(i, j - i);
      std::size_t k = j;
      while (k < in.size() && (in[k] == ' ' || in[k] == '\t')) ++k;
      if (k < in.size() && in[k] == ':') out += '"' + word + '"';
      else if (word == "True") out += "true";
      else if (word == "False") out += "false";
      else if (word == "None") out += "null";
      else out += word;
      i = j;
    } else if (c == ',') {
      std::size_t k = i + 1;
      while (k < in.size() && std::isspace(static_cast<unsigned char>(in[k]))) ++k;
      if (k < in.size() && (in[k] == '}' || in[k] == ']')) { ++i; continue; }
      out += c;
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string text(const nlohmann::json& o, const char* key, const std::string& fallback = {}) {
  if (!o.contains(key) || o[key].is_null()) return fallback;
  if (!o[key].is_string()) throw std::invalid_argument(std::string(key) + " must be a string");
  return o[key].get<std::string>();
}

bool flag(const nlohmann::json& o, const char* key) {
  if (!o.contains(key) || o[key].is_null()) return false;
  if (o[key].is_boolean()) return o[key].get<bool>();
  if (o[key].is_string()) {
    const auto v = o[key].get<std::string>();
    return v == "true" || v == "True" || v == "1";
  }
  throw std::invalid_argument(std::string(key) + " must be true or false");
}

}  // namespace

Job parse_job(const std::string& input) {
  nlohmann::json doc = nlohmann::json::parse(input, nullptr, false, true);
  if (doc.is_discarded()) doc = nlohmann::json::parse(normalise(input), nullptr, false, true);
  if (doc.is_discarded() || !doc.is_object()) throw std::invalid_argument("the job is not a JSON object");
  const nlohmann::json& o = doc.contains("options") ? doc["options"] : doc;
  Job job;
  job.action = text(o, "flow_action_type");
  if (job.action != "ingest_metadata" && job.action != "load_vocab")
    throw std::invalid_argument("flow_action_type must be ingest_metadata or load_vocab");
  job.database_code = text(o, "database_code");
  job.database_url = text(o, "database_url");
  job.options.imaging_schema = text(o, "medical_imaging_schema_name", job.options.imaging_schema);
  job.options.cdm_schema = text(o, "cdm_schema_name", job.options.cdm_schema);
  job.options.vocab_schema = text(o, "vocab_schema_name", job.options.vocab_schema);
  if (o.contains("dicom_files_abs_path")) {
    const auto& p = o["dicom_files_abs_path"];
    if (p.is_array()) for (const auto& x : p) job.paths.push_back(x.get<std::string>());
    else job.paths.push_back(text(o, "dicom_files_abs_path"));
  }
  job.truncate = flag(o, "to_truncate");
  job.upload_files = flag(o, "upload_files");
  // The plugin's SKIP stopped the flow with an error; here a skipped study gets a recorded reason.
  job.options.missing_person = parse_missing_person(text(o, "missing_person_id_options", "skip"));
  for (const char* key : {"PersonPatientMapping", "person_to_patient_mapping"}) {
    if (!o.contains(key) || !o[key].is_object()) continue;
    const auto& m = o[key];
    job.options.person.schema = text(m, "schema_name");
    job.options.person.table = text(m, "table_name", job.options.person.table);
    job.options.person.person_id_column = text(m, "person_id_column_name", job.options.person.person_id_column);
    job.options.person.patient_id_column = text(m, "patient_id_column_name", job.options.person.patient_id_column);
  }
  if (job.action == "ingest_metadata" && job.paths.empty())
    throw std::invalid_argument("ingest_metadata needs dicom_files_abs_path");
  return job;
}

}  // namespace dicometl::omop
