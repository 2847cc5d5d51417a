#include "dicometl/fhir/outputs.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "dicometl/fhir/hash_id.hpp"
#include "dicometl/files/atomic_write.hpp"

namespace dicometl::fhir {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::string dump(const Json& j, int indent = -1) {
  // Invalid UTF-8 from odd files is replaced, not thrown: one bad name must not stop the run.
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  files::AtomicFile f(path);
  f.write(text);
  f.write("\n");
  f.commit();
}

//! The resources of one study in reference order: Patient, Encounter, Devices, ImagingStudy.
std::vector<const Json*> in_order(const StudyResources& r) {
  std::vector<const Json*> out;
  if (r.patient) out.push_back(&*r.patient);
  if (r.encounter) out.push_back(&*r.encounter);
  for (const auto& d : r.devices) out.push_back(&d);
  if (r.study) out.push_back(&*r.study);
  return out;
}

std::string type_and_id(const Json& res) {
  return res["resourceType"].get<std::string>() + "/" + res["id"].get<std::string>();
}

//! Replaces every `reference` that names a Bundle entry (Type/id) with that entry's fullUrl.
void point_at_entries(Json& j, const std::map<std::string, std::string>& full_urls) {
  if (j.is_object()) {
    if (auto it = j.find("reference"); it != j.end() && it->is_string())
      if (auto u = full_urls.find(it->get<std::string>()); u != full_urls.end()) *it = u->second;
    for (auto& [key, value] : j.items())
      if (value.is_structured()) point_at_entries(value, full_urls);
  } else if (j.is_array()) {
    for (auto& value : j) point_at_entries(value, full_urls);
  }
}

class FileOutput : public Output {
 public:
  explicit FileOutput(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
  void write(const StudyResources& r) override {
    for (const Json* res : in_order(r)) {
      const std::string name = (*res)["resourceType"].get<std::string>() + "-" +
                               (*res)["id"].get<std::string>() + ".json";
      write_file_atomically(dir_ / name, dump(*res, 2));
    }
  }

 private:
  fs::path dir_;
};

class BundleOutput : public Output {
 public:
  BundleOutput(fs::path dir, bool transaction, std::string server_base)
      : dir_(std::move(dir)), transaction_(transaction), server_base_(std::move(server_base)) {
    fs::create_directories(dir_);
  }
  void write(const StudyResources& r) override {
    const std::string name = "Bundle-" + (*r.study)["id"].get<std::string>() + ".json";
    write_file_atomically(dir_ / name, dump(make_bundle(r, transaction_, server_base_), 2));
  }

 private:
  fs::path dir_;
  bool transaction_;
  std::string server_base_;
};

class NdjsonOutput : public Output {
 public:
  explicit NdjsonOutput(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
  void write(const StudyResources& r) override {
    for (const Json* res : seen_.next(r)) line((*res)["resourceType"].get<std::string>(), *res);
  }
  void finish() override {
    for (auto& [type, f] : files_) f.commit();  // each file appears whole, at the end
    files_.clear();
  }

 private:
  void line(const std::string& type, const Json& res) {
    auto it = files_.find(type);
    if (it == files_.end())
      it = files_.emplace(type, files::AtomicFile(dir_ / (type + ".ndjson"))).first;
    it->second.write(dump(res));
    it->second.write("\n");
  }

  fs::path dir_;
  std::map<std::string, files::AtomicFile> files_;
  FirstSeen seen_;
};

}  // namespace

std::string server_base_url(const std::string& url) {
  std::string base = http::split_userinfo(url).url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

Json make_bundle(const StudyResources& r, bool transaction, const std::string& server_base) {
  Json b = Json::object();
  b["resourceType"] = "Bundle";
  b["id"] = (*r.study)["id"];
  b["type"] = transaction ? "transaction" : "collection";
  const auto resources = in_order(r);
  std::map<std::string, std::string> full_urls;  // Type/id → fullUrl
  for (const Json* res : resources) {
    const std::string ref = type_and_id(*res);
    full_urls.emplace(ref, server_base.empty() ? uuid_urn((*res)["id"].get<std::string>())
                                               : server_base + "/" + ref);
  }
  Json entries = Json::array();
  for (const Json* res : resources) {
    const std::string ref = type_and_id(*res);
    Json e = Json::object();
    e["fullUrl"] = full_urls.at(ref);
    e["resource"] = *res;
    // Relative references already resolve against a server-style fullUrl's base.
    if (server_base.empty()) point_at_entries(e["resource"], full_urls);
    if (transaction) e["request"] = Json{{"method", "PUT"}, {"url", ref}};
    entries.push_back(std::move(e));
  }
  b["entry"] = std::move(entries);
  return b;
}

std::vector<const Json*> FirstSeen::next(const StudyResources& r) {
  if (r.patient_key != patient_key_) {
    patient_key_ = r.patient_key;
    per_patient_.clear();
  }
  std::vector<const Json*> out;
  for (const Json* res : in_order(r)) {
    const std::string type = (*res)["resourceType"].get<std::string>();
    if (type == "ImagingStudy" ||
        (type == "Device" ? devices_ : per_patient_).insert(type_and_id(*res)).second)
      out.push_back(res);
  }
  return out;
}

std::unique_ptr<Output> make_file_output(const std::string& dir) {
  return std::make_unique<FileOutput>(dir);
}
std::unique_ptr<Output> make_bundle_output(const std::string& dir, bool transaction,
                                           const std::string& server_base) {
  return std::make_unique<BundleOutput>(dir, transaction, server_base_url(server_base));
}
std::unique_ptr<Output> make_ndjson_output(const std::string& dir) {
  return std::make_unique<NdjsonOutput>(dir);
}

}  // namespace dicometl::fhir
