// dicometl run JOB.json: the d2e DICOM ETL plugin's jobs, unchanged.
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cmd_omop_ingest.hpp"
#include "commands.hpp"
#include "dicometl/omop/job.hpp"
#include "dicometl/omop/vocabulary_load.hpp"

namespace dicometl::cli {

namespace {
struct RunArgs {
  std::string job;
  std::string db;
  std::string modality_concepts;  // empty: the job's, else snomed (d2e's)
  bool json = false;
};
}  // namespace

Action add_run(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a d2e DICOM ETL plugin job file (ingest_metadata, load_vocab)");
  cmd->footer(
      "The job file is the plugin's {\"options\": {...}} as is: flow_action_type, schema names,\n"
      "dicom_files_abs_path, to_truncate, missing_person_id_options, PersonPatientMapping.\n"
      "database_code names a d2e database; give its URL with --db (or \"database_url\" in the job).\n"
      "Examples:\n"
      "  dicometl run load_vocab.json --db postgresql://etl@db/cdm\n"
      "  dicometl run ingest.json --db postgresql://etl@db/cdm");
  cmd->add_option("job", args->job, "Job file (JSON)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--db", args->db, "Database URL (overrides the job's database_url)");
  cmd->add_option("--modality-concepts", args->modality_concepts,
                  "image_occurrence.modality_concept_id: snomed (d2e's, the default here) or dicom")
      ->check(CLI::IsMember({"dicom", "snomed"}, CLI::ignore_case));
  cmd->add_flag("--json", args->json, "Print counts as JSON");
  return [args] {
    std::ifstream in(args->job);
    std::stringstream text;
    text << in.rdbuf();
    omop::Job job;
    try {
      job = omop::parse_job(text.str());
    } catch (const std::exception& e) {
      fmt::print(stderr, "dicometl run: {}: {}\n", args->job, e.what());
      return static_cast<int>(kUsage);
    }
    if (!args->modality_concepts.empty())
      job.options.modality_concepts = omop::parse_modality_concepts(args->modality_concepts);
    const std::string url = !args->db.empty() ? args->db : job.database_url;
    if (url.empty()) {
      fmt::print(stderr, "dicometl run: no database: pass --db URL (the job names database_code '{}')\n",
                 job.database_code);
      return static_cast<int>(kUsage);
    }
    if (job.action == "load_vocab") {
      auto db = storage::open_database(url);
      auto c = omop::load_vocabulary(*db, job.options, job.truncate);
      print_vocab_counts(c, args->json);
      return static_cast<int>(kDone);
    }
    if (job.upload_files)
      fmt::print(stderr, "dicometl run: upload_files is not done by `run`; use `dicometl upload`\n");
    // A missing folder is recorded in ingest_error like any unreadable input; say it here too, as
    // a job runner shows only the console (exit code 1: done with rejected inputs).
    for (const auto& p : job.paths) {
      std::error_code ec;
      if (p.rfind("s3://", 0) != 0 && !std::filesystem::exists(p, ec))
        fmt::print(stderr, "dicometl run: dicom_files_abs_path {} does not exist\n", p);
    }
    OmopIngestHook hook;
    hook.enabled = true;
    hook.args.options = job.options;
    hook.args.missing_person = job.options.missing_person == omop::MissingPerson::kZero ? "zero"
                               : job.options.missing_person == omop::MissingPerson::kCreate ? "create" : "skip";
    hook.args.modality_concepts =
        job.options.modality_concepts == omop::ModalityConcepts::kSnomed ? "snomed" : "dicom";
    pipeline::IngestOptions o;
    o.roots = job.paths;
    o.progress = false;
    o.tool_version = DICOMETL_VERSION;
    auto counts = pipeline::run_ingest(hook.attach(o, [url] { return storage::open_database(url); }), o);
    omop::OmopCounts c = hook.sink->counts();
    if (counts.unchanged) {
      // Files catalogued by an earlier run without OMOP output: complete them from the catalog.
      auto db = storage::open_database(url);
      auto catalog = storage::open_database(url);
      auto more = omop::omop_from_catalog(*db, job.options, 1000, catalog.get());
      c.procedures += more.procedures;
      c.image_occurrences += more.image_occurrences;
      c.metadata_rows += more.metadata_rows;
      c.radiology_images += more.radiology_images;
      c.radiology_occurrences += more.radiology_occurrences;
      c.persons_created += more.persons_created;
    }
    print_omop_counts(c, args->json);
    return static_cast<int>(counts.rejected() ? kDoneWithRejects : kDone);
  };
}

const CommandRegistration kRegisterRun("run", 50, &add_run);

}  // namespace dicometl::cli
