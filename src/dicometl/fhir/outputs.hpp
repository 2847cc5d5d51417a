#pragma once
// Where the resources of each study go: files, Bundles, NDJSON, a FHIR server. Each output sees
// one study at a time and keeps no per-study state, so memory does not grow with the archive.
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dicometl/fhir/resources.hpp"
#include "dicometl/http/client.hpp"

namespace dicometl::fhir {

class Output {
 public:
  virtual ~Output() = default;
  //! Writes one converted study (its ImagingStudy, Devices, Patient). Throws std::runtime_error
  //! when the output itself fails (disk full): that stops the run.
  virtual void write(const StudyResources& r) = 0;
  virtual void finish() {}
};

//! A Bundle of one study's resources: collection, or transaction with PUT entries. Without a
//! server base every entry has a urn:uuid fullUrl (derived from its id, so stable across runs)
//! and every reference between entries is that urn:uuid, the one R4 form that resolves without
//! knowing the server (a transaction's server rewrites it to the PUT target). With `server_base`
//! (from server_base_url()) fullUrls are `BASE/Type/id` and references stay relative `Type/id`,
//! which R4 resolves against the fullUrl's base and no server has to rewrite. See docs/fhir.md.
nlohmann::ordered_json make_bundle(const StudyResources& r, bool transaction,
                                   const std::string& server_base = {});

//! A FHIR base URL as written into fullUrls: without user:password@ (never written out) and
//! without trailing slashes.
std::string server_base_url(const std::string& url);

//! Which resources of a stream of studies are new, in reference order (Patient, Encounter,
//! Devices, ImagingStudy): Patients and Encounters are remembered per patient (studies come
//! ordered by patient, so memory stays small), Devices over the run (one per scanner).
class FirstSeen {
 public:
  std::vector<const nlohmann::ordered_json*> next(const StudyResources& r);

 private:
  std::string patient_key_;
  std::set<std::string> per_patient_;  //!< "Type/id" written for the current patient
  std::set<std::string> devices_;
};

//! One JSON file per resource: DIR/<Type>-<id>.json (written atomically, same name on re-runs).
std::unique_ptr<Output> make_file_output(const std::string& dir);
//! One Bundle file per study: DIR/Bundle-<ImagingStudy id>.json (`server_base`: see make_bundle).
std::unique_ptr<Output> make_bundle_output(const std::string& dir, bool transaction,
                                           const std::string& server_base = {});
//! Bulk Data NDJSON: DIR/ImagingStudy.ndjson, Device.ndjson, Patient.ndjson, streamed.
std::unique_ptr<Output> make_ndjson_output(const std::string& dir);

//! A study the FHIR server did not accept.
struct PostFailure {
  std::string study_id;  //!< ImagingStudy.id (a hash: no patient data)
  long http_status = 0;  //!< 0 when no HTTP answer came (connection refused, timeout)
  int attempts = 0;
  std::string message;  //!< curl error or the start of the server's answer
};

struct PostOptions {
  std::string base_url;
  std::string server_base;  //!< fullUrl base of the Bundles (see make_bundle); empty: base_url
  int attempts = 4;         //!< tries per study (first + retries)
  long timeout_seconds = 60;
  long backoff_ms = 500;  //!< doubled after each failed try
};

//! POSTs one transaction Bundle per study to a FHIR server; retries 429, 5xx and network errors.
class PostOutput : public Output {
 public:
  explicit PostOutput(PostOptions options);
  void write(const StudyResources& r) override;
  const std::vector<PostFailure>& failures() const { return failures_; }
  std::size_t sent() const { return sent_; }

 private:
  PostOptions options_;
  http::Credentials credentials_;  //!< from base_url's user:password@, sent as options
  std::vector<PostFailure> failures_;
  std::size_t sent_ = 0;
};

}  // namespace dicometl::fhir
