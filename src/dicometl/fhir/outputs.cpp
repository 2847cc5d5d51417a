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

//! The resources of one study in reference order: Patient, Devices, then the ImagingStudy.
std::vector<const Json*> in_order(const StudyResources& r) {
  std::vector<const Json*> out;
  if (r.patient) out.push_back(&*r.patient);
  for (const auto& d : r.devices) out.push_back(&d);
  if (r.study) out.push_back(&*r.study);
  return out;
}

class FileOutput : public Output {
 public:
  explicit FileOutput(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
  void write(const StudyResources& r) override {
    for (const Json* res : in_order(r)) {
      const std::string name =
          (*res)["resourceType"].get<std::string>() + "-" + (*res)["id"].get<std::string>() + ".json";
      write_file_atomically(dir_ / name, dump(*res, 2));
    }
  }

 private:
  fs::path dir_;
};

class BundleOutput : public Output {
 public:
  BundleOutput(fs::path dir, bool transaction) : dir_(std::move(dir)), transaction_(transaction) {
    fs::create_directories(dir_);
  }
  void write(const StudyResources& r) override {
    const std::string name = "Bundle-" + (*r.study)["id"].get<std::string>() + ".json";
    write_file_atomically(dir_ / name, dump(make_bundle(r, transaction_), 2));
  }

 private:
  fs::path dir_;
  bool transaction_;
};

class NdjsonOutput : public Output {
 public:
  explicit NdjsonOutput(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
  void write(const StudyResources& r) override {
    // Studies arrive ordered by patient, so "same as the last one" dedupes patients; devices
    // are few (one per scanner), so a set of their ids stays small.
    if (r.patient && (*r.patient)["id"] != last_patient_) {
      last_patient_ = (*r.patient)["id"].get<std::string>();
      line("Patient", *r.patient);
    }
    for (const auto& d : r.devices)
      if (devices_.insert(d["id"].get<std::string>()).second) line("Device", d);
    line("ImagingStudy", *r.study);
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
  std::string last_patient_;
  std::set<std::string> devices_;
};

}  // namespace

Json make_bundle(const StudyResources& r, bool transaction) {
  Json b = Json::object();
  b["resourceType"] = "Bundle";
  b["id"] = (*r.study)["id"];
  b["type"] = transaction ? "transaction" : "collection";
  Json entries = Json::array();
  for (const Json* res : in_order(r)) {
    const std::string type = (*res)["resourceType"].get<std::string>();
    const std::string id = (*res)["id"].get<std::string>();
    Json e = Json::object();
    // PUT entries are identified by request.url; a urn:uuid fullUrl would contradict their id.
    if (!transaction) e["fullUrl"] = uuid_urn(id);
    e["resource"] = *res;
    if (transaction) e["request"] = Json{{"method", "PUT"}, {"url", type + "/" + id}};
    entries.push_back(std::move(e));
  }
  b["entry"] = std::move(entries);
  return b;
}

std::unique_ptr<Output> make_file_output(const std::string& dir) {
  return std::make_unique<FileOutput>(dir);
}
std::unique_ptr<Output> make_bundle_output(const std::string& dir, bool transaction) {
  return std::make_unique<BundleOutput>(dir, transaction);
}
std::unique_ptr<Output> make_ndjson_output(const std::string& dir) {
  return std::make_unique<NdjsonOutput>(dir);
}

}  // namespace dicometl::fhir
