// dicometl fhir: FHIR R4 ImagingStudy (+ Device, Patient) from folders or a catalog, as files,
// Bundles, NDJSON or transactions POSTed to a server. Mapping and limits: docs/fhir.md.
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <unordered_set>

#include "commands.hpp"
#include "dicometl/catalog/catalog_writer.hpp"
#include "dicometl/fhir/catalog_reader.hpp"
#include "dicometl/fhir/export.hpp"
#include "dicometl/fhir/outputs.hpp"
#include "dicometl/files/temp_dir.hpp"
#include "dicometl/pipeline/ingest.hpp"

namespace dicometl::cli {

namespace {

namespace fs = std::filesystem;

struct FhirArgs {
  std::vector<std::string> sources;
  std::string db, out, bundle, post, server_base, timezone;
  bool ndjson = false, single_study = false, json = false, quiet = false;
  int post_attempts = 4;
  unsigned jobs = 0;
  fhir::MappingOptions map;
};

//! A SOURCE that names a catalog: a database URL, or a file that is an SQLite database.
bool is_catalog(const std::string& s) {
  if (s.rfind("sqlite:", 0) == 0 || s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0)
    return true;
  std::error_code ec;
  if (!fs::is_regular_file(s, ec)) return false;
  char magic[16] = {};
  std::ifstream f(s, std::ios::binary);
  f.read(magic, sizeof magic);
  return f.gcount() == 16 && std::string(magic, 15) == "SQLite format 3";
}

//! Remembers the studies of this run's files, so a shared catalog exports only them.
class StudyCollector : public pipeline::InstanceSink {
 public:
  void on_instance(const Instance& inst, bool) override { uids.insert(inst.study_instance_uid); }
  std::unordered_set<std::string> uids;
};

void print_ingest_reasons(storage::Database& db) {
  auto s = db.prepare(
      "SELECT kind, reason, count(*) FROM ingest_error WHERE run_id = "
      "(SELECT max(run_id) FROM ingest_run) GROUP BY 1, 2 ORDER BY 1, 2");
  while (s->step())
    fmt::print(stderr, "  skipped {} file(s), {}: {}\n", s->column_int(2), s->column_text(0), s->column_text(1));
}

int run(FhirArgs& a) {
  if (!a.timezone.empty()) {
    auto z = fhir::parse_zone_setting(a.timezone);
    if (!z) {
      fmt::print(stderr, "dicometl fhir: --timezone '{}' is neither an offset (+01:00) nor a zone "
                         "name known to this system (Europe/Berlin)\n", a.timezone);
      return kUsage;
    }
    a.map.zone = *z;
  }
  if (a.out.empty() && a.post.empty()) {
    fmt::print(stderr, "dicometl fhir: say where to write: --out PATH and/or --post BASE_URL\n");
    return kUsage;
  }
  if (a.ndjson && !a.bundle.empty()) {
    fmt::print(stderr, "dicometl fhir: --ndjson and --bundle exclude each other\n");
    return kUsage;
  }
  if (!a.server_base.empty()) {
    // A fullUrl must be absolute, and R4's RESTful base is an http(s) URL.
    if (a.server_base.rfind("http://", 0) != 0 && a.server_base.rfind("https://", 0) != 0) {
      fmt::print(stderr, "dicometl fhir: --server-base must be an http:// or https:// URL\n");
      return kUsage;
    }
    if (a.bundle.empty() && a.post.empty()) {
      fmt::print(stderr,
                 "dicometl fhir: --server-base sets Bundle fullUrls: use it with --bundle "
                 "or --post\n");
      return kUsage;
    }
  }
  // One base for every Bundle of the run: the one given, else the server they are posted to.
  const std::string server_base = a.server_base.empty() ? a.post : a.server_base;
  std::vector<std::string> paths, catalogs;
  for (const auto& s : a.sources) (is_catalog(s) ? catalogs : paths).push_back(s);
  if (catalogs.size() > 1 || (!catalogs.empty() && !paths.empty())) {
    fmt::print(stderr, "dicometl fhir: give either folders/files or one catalog database\n");
    return kUsage;
  }
  if (paths.empty() && catalogs.empty() && a.db.empty()) {
    fmt::print(stderr, "dicometl fhir: nothing to export: give folders, files or a catalog\n");
    return kUsage;
  }

  // Without a catalog, one lives in a private folder (mode 0700, removed with its journals).
  std::unique_ptr<files::TempDir> temp;
  std::string url = !catalogs.empty() ? catalogs[0] : a.db;
  if (url.empty()) {
    temp = std::make_unique<files::TempDir>("dicometl-fhir-");
    url = "sqlite:" + (temp->path() / "catalog.db").string();
  }
  StudyCollector collector;
  catalog::RunCounts counts;
  const bool ingested = !paths.empty();
  if (ingested) {
    pipeline::IngestOptions o;
    o.roots = paths;
    o.jobs = a.jobs;
    o.progress = !a.quiet && !a.json;
    o.tool_version = DICOMETL_VERSION;
    if (!temp) o.sinks.push_back(&collector);  // a shared catalog: export this run's studies only
    counts = pipeline::run_ingest([url] { return storage::open_database(url); }, o);
  }
  // A catalog given to read must exist; one this run ingested into was created by the ingest.
  auto db = storage::open_database(
      url, ingested ? storage::OpenMode::kCreate : storage::OpenMode::kExisting);
  if (ingested) catalog::ensure_schema(*db);
  std::function<bool(const std::string&)> include;
  if (ingested && !temp) include = [&](const std::string& uid) { return collector.uids.count(uid) > 0; };

  if (a.single_study) {
    const auto n = include ? static_cast<std::int64_t>(collector.uids.size()) : fhir::count_studies(*db);
    if (n != 1) {
      fmt::print(stderr, "dicometl fhir: --single-study: found {} studies, expected exactly one\n", n);
      return kFatal;
    }
  }

  std::vector<std::unique_ptr<fhir::Output>> owned;
  std::vector<fhir::Output*> outputs;
  if (!a.out.empty()) {
    if (a.ndjson) owned.push_back(fhir::make_ndjson_output(a.out));
    else if (a.bundle.empty()) owned.push_back(fhir::make_file_output(a.out));
    else
      owned.push_back(fhir::make_bundle_output(a.out, a.bundle == "transaction", server_base));
  }
  fhir::PostOutput* post = nullptr;
  if (!a.post.empty()) {
    fhir::PostOptions po;
    po.base_url = a.post;
    po.server_base = server_base;
    po.attempts = a.post_attempts;
    auto p = std::make_unique<fhir::PostOutput>(po);
    post = p.get();
    owned.push_back(std::move(p));
  }
  for (auto& o : owned) outputs.push_back(o.get());

  const auto sum = fhir::export_catalog(*db, a.map, outputs, include);

  std::size_t not_converted = 0;
  for (const auto& [reason, n] : sum.not_converted) not_converted += n;
  const std::size_t post_failed = post ? post->failures().size() : 0;
  if (post)
    for (const auto& f : post->failures())
      fmt::print(stderr, "dicometl fhir: study {} not accepted after {} attempt(s): HTTP {}: {}\n",
                 f.study_id, f.attempts, f.http_status, f.message);
  if (ingested && !a.json) print_ingest_reasons(*db);
  for (const auto& [reason, n] : sum.not_converted)
    fmt::print(stderr, "  {} study(ies) not converted: {}\n", n, reason);

  auto count = [&](const char* t) { auto it = sum.resources.find(t); return it == sum.resources.end() ? 0 : it->second; };
  if (a.json) {
    fmt::print("{{\"files_seen\":{},\"not_dicom\":{},\"failed\":{},\"studies\":{},\"converted\":{},"
               "\"not_converted\":{},\"ImagingStudy\":{},\"Device\":{},\"Patient\":{},"
               "\"studies_time_dropped\":{},\"series_without_serial\":{},\"posted\":{},"
               "\"post_failed\":{}}}\n",
               counts.seen, counts.not_dicom, counts.failed, sum.studies, sum.converted,
               not_converted, count("ImagingStudy"), count("Device"), count("Patient"),
               sum.studies_time_dropped, sum.series_without_serial, post ? post->sent() : 0,
               post_failed);
  } else {
    if (ingested)
      fmt::print("dicometl fhir: {} files seen, {} not DICOM (skipped), {} failed\n", counts.seen,
                 counts.not_dicom, counts.failed);
    fmt::print("dicometl fhir: {} studies, {} converted, {} not converted\n", sum.studies,
               sum.converted, not_converted);
    fmt::print("  resources: {} ImagingStudy, {} Device, {} Patient\n", count("ImagingStudy"),
               count("Device"), count("Patient"));
    if (sum.studies_time_dropped)
      fmt::print("  {} studies without a time zone: started written as a date (use --timezone)\n",
                 sum.studies_time_dropped);
    if (sum.series_without_serial)
      fmt::print("  {} series without DeviceSerialNumber: no Device id, scanner named only\n",
                 sum.series_without_serial);
    if (post) fmt::print("  posted {} transaction(s), {} failed\n", post->sent(), post_failed);
  }
  const bool rejects = counts.rejected() + not_converted + post_failed > 0;
  return rejects ? kDoneWithRejects : kDone;
}

}  // namespace

Action add_fhir(CLI::App& app) {
  auto a = std::make_shared<FhirArgs>();
  auto* cmd = app.add_subcommand("fhir", "Export FHIR R4 ImagingStudy resources (files, Bundles, NDJSON, POST)");
  cmd->footer(
      "Examples:\n"
      "  dicometl fhir /data/study1 --out out/ --timezone Europe/Berlin\n"
      "  dicometl fhir sqlite:catalog.db --out bulk/ --ndjson --devices\n"
      "  dicometl fhir /data/archive --db sqlite:catalog.db --out b/ --bundle transaction\n"
      "  dicometl fhir sqlite:catalog.db --post http://fhir.example/fhir --devices\n"
      "  dicometl fhir catalog.db --out b/ --bundle transaction --server-base https://fhir.example/fhir\n"
      "SOURCE: folders and files (read once into --db, or a temporary catalog), or one catalog\n"
      "database (sqlite:FILE, an SQLite file, postgresql://...). Files that are not DICOM are skipped\n"
      "and counted. Ids are sha256 hashes of identifier system and value: re-runs give the same ids.");
  cmd->add_option("sources", a->sources, "Folders, files, or one catalog database");
  cmd->add_option("--db", a->db, "Catalog to ingest into / export from (default: temporary)");
  cmd->add_option("--out", a->out, "Output folder");
  cmd->add_option("--bundle", a->bundle, "One Bundle per study: collection or transaction (PUT)")
      ->check(CLI::IsMember({"collection", "transaction"}));
  cmd->add_flag("--ndjson", a->ndjson, "Bulk Data NDJSON, one file per resource type");
  cmd->add_option("--post", a->post, "FHIR base URL: POST a transaction Bundle per study");
  cmd->add_option("--server-base", a->server_base,
                  "FHIR base URL for Bundle fullUrls (BASE/Type/id, relative references); "
                  "default: --post's URL, else urn:uuid");
  cmd->add_option("--post-attempts", a->post_attempts, "Tries per study for --post (default 4)")
      ->check(CLI::Range(1, 20));
  cmd->add_flag("--single-study", a->single_study, "Fail unless the input holds exactly one study");
  cmd->add_flag("--devices", a->map.devices, "Emit Device resources (scanners with a serial number)");
  cmd->add_flag("--patients", a->map.patients, "Emit Patient resources (identifier, name, sex, birth date)");
  cmd->add_flag("--contained-patient", a->map.contained_patient, "Put a contained Patient in each ImagingStudy");
  cmd->add_flag("--encounters", a->map.encounters,
                "Emit a minimal Encounter per AdmissionID (else referenced by identifier)");
  cmd->add_flag("--mii", a->map.mii,
                "MII Bildgebung extensions and profiles (ImagingStudy, Device)");
  cmd->add_option("--profile", a->map.profile, "ImagingStudy meta.profile URL (e.g. the MII profile)");
  cmd->add_option("--timezone", a->timezone,
                  "Zone when TimezoneOffsetFromUTC is absent: +01:00, Z or Europe/Berlin");
  cmd->add_option("--study-id-system", a->map.study_id_system, "System hashed into ImagingStudy.id (default urn:dicom:uid)");
  cmd->add_option("--patient-id-system", a->map.patient_id_system, "System of the PatientID identifier");
  cmd->add_option("--admission-id-system", a->map.admission_id_system, "System of the AdmissionID (encounter) identifier");
  cmd->add_option("--accession-system", a->map.accession_system, "System of the AccessionNumber identifier");
  cmd->add_option("-j,--jobs", a->jobs, "Reader threads for folders (default: all cores)");
  cmd->add_flag("--json", a->json, "Print the summary as JSON");
  cmd->add_flag("-q,--quiet", a->quiet, "No progress line");
  return [a] { return run(*a); };
}

const CommandRegistration kRegisterFhir("fhir", 30, &add_fhir);

}  // namespace dicometl::cli
