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
      if (k < in.size() && in[k] == ':')
        out += '"' + word + '"';
      else if (word == "True")
        out += "true";
      else if (word == "False")
        out += "false";
      else if (word == "None")
        out += "null";
      else
        out += word;
      i = j;
    } else if (c == ',') {
      std::size_t k = i + 1;
      while (k < in.size() && std::isspace(static_cast<unsigned char>(in[k]))) ++k;
      if (k < in.size() && (in[k] == '}' || in[k] == ']')) {
        ++i;
        continue;
      }
      out += c;
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// A job key in the plugin's snake_case or in newer d2e versions' camelCase (flowActionType…).
struct Key {
  const char *snake, *camel;
};
const nlohmann::json* find(const nlohmann::json& o, Key k) {
  for (const char* name : {k.snake, k.camel})
    if (name && o.contains(name) && !o[name].is_null()) return &o[name];
  return nullptr;
}

std::string text(const nlohmann::json& o, Key key, const std::string& fallback = {}) {
  const nlohmann::json* v = find(o, key);
  if (!v) return fallback;
  if (!v->is_string()) throw std::invalid_argument(std::string(key.snake) + " must be a string");
  // d2e's forms send "" for options that do not apply to the action.
  return v->get<std::string>().empty() ? fallback : v->get<std::string>();
}

bool flag(const nlohmann::json& o, Key key) {
  const nlohmann::json* v = find(o, key);
  if (!v) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) {
    const auto s = v->get<std::string>();
    return s == "true" || s == "True" || s == "1";
  }
  throw std::invalid_argument(std::string(key.snake) + " must be true or false");
}

}  // namespace

Job parse_job(const std::string& input) {
  nlohmann::json doc = nlohmann::json::parse(input, nullptr, false, true);
  if (doc.is_discarded()) doc = nlohmann::json::parse(normalise(input), nullptr, false, true);
  if (doc.is_discarded() || !doc.is_object())
    throw std::invalid_argument("the job is not a JSON object");
  const nlohmann::json& o = doc.contains("options") ? doc["options"] : doc;
  Job job;
  job.action = text(o, {"flow_action_type", "flowActionType"});
  if (job.action != "ingest_metadata" && job.action != "load_vocab")
    throw std::invalid_argument("flow_action_type must be ingest_metadata or load_vocab");
  job.database_code = text(o, {"database_code", "databaseCode"});
  job.database_url = text(o, {"database_url", "databaseUrl"});
  job.options.imaging_schema = text(o, {"medical_imaging_schema_name", "medicalImagingSchemaName"},
                                    job.options.imaging_schema);
  job.options.cdm_schema = text(o, {"cdm_schema_name", "cdmSchemaName"}, job.options.cdm_schema);
  job.options.vocab_schema =
      text(o, {"vocab_schema_name", "vocabSchemaName"}, job.options.vocab_schema);
  if (const nlohmann::json* p = find(o, {"dicom_files_abs_path", "dicomFilesAbsPath"})) {
    if (p->is_array()) {
      for (const auto& x : *p) job.paths.push_back(x.get<std::string>());
    } else if (const auto path = text(o, {"dicom_files_abs_path", "dicomFilesAbsPath"});
               !path.empty()) {
      job.paths.push_back(path);
    }
  }
  job.truncate = flag(o, {"to_truncate", "toTruncate"});
  job.upload_files = flag(o, {"upload_files", "uploadFiles"});
  // The plugin's SKIP stopped the flow with an error; here a skipped study gets a recorded reason.
  job.options.missing_person = parse_missing_person(
      text(o, {"missing_person_id_options", "missingPersonIdOptions"}, "skip"));
  // d2e writes the standard SNOMED procedure concept of the modality; a job may ask for DICOM's.
  job.options.modality_concepts =
      parse_modality_concepts(text(o, {"modality_concepts", "modalityConcepts"}, "snomed"));
  for (const char* key :
       {"PersonPatientMapping", "person_to_patient_mapping", "personToPatientMapping"}) {
    if (!o.contains(key) || !o[key].is_object()) continue;
    const auto& m = o[key];
    auto& p = job.options.person;
    p.schema = text(m, {"schema_name", "schemaName"});
    p.table = text(m, {"table_name", "tableName"}, p.table);
    p.person_id_column =
        text(m, {"person_id_column_name", "personIdColumnName"}, p.person_id_column);
    p.patient_id_column =
        text(m, {"patient_id_column_name", "patientIdColumnName"}, p.patient_id_column);
  }
  if (job.action == "ingest_metadata" && job.paths.empty())
    throw std::invalid_argument("ingest_metadata needs dicom_files_abs_path");
  return job;
}

}  // namespace dicometl::omop
