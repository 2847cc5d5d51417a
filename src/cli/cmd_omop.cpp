// dicometl omop: OMOP rows from an existing catalog, without re-reading files.
#include <memory>

#include <fmt/core.h>

#include "cmd_omop_ingest.hpp"
#include "cmd_omop_options.hpp"
#include "cmd_shard_options.hpp"
#include "commands.hpp"
#include "dicometl/omop/ingest_sink.hpp"
#include "dicometl/omop/schema.hpp"
#include "dicometl/omop/vocabulary_load.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::cli {

namespace {
struct OmopCmdArgs {
  std::string db = "sqlite:dicometl.db";
  bool json = false;
  bool vocab = false;
  OmopArgs omop;
  ShardArgs shard;
};
}  // namespace

//! Prints OMOP counts (shared with ingest --omop and run).
void print_omop_counts(const omop::OmopCounts& c, bool json) {
  if (json) {
    fmt::print("{{\"persons_created\":{},\"visits\":{},\"procedure_occurrences\":{},"
               "\"image_occurrences\":{},\"radiology_occurrences\":{},\"radiology_images\":{},"
               "\"metadata_rows\":{},\"skipped_instances\":{}}}\n",
               c.persons_created, c.visits, c.procedures, c.image_occurrences,
               c.radiology_occurrences, c.radiology_images, c.metadata_rows, c.skipped_instances);
    return;
  }
  fmt::print("OMOP rows written: {} procedure_occurrence, {} image_occurrence, {} visit_occurrence, "
             "{} person, {} radiology_occurrence, {} radiology_image, {} dicom_file_metadata\n",
             c.procedures, c.image_occurrences, c.visits, c.persons_created,
             c.radiology_occurrences, c.radiology_images, c.metadata_rows);
  if (c.skipped_instances)
    fmt::print("  {} instances skipped: SELECT reason, count(*) FROM dicometl_omop_skip GROUP BY 1;\n",
               c.skipped_instances);
}

Action add_omop(CLI::App& app) {
  auto args = std::make_shared<OmopCmdArgs>();
  auto* cmd = app.add_subcommand("omop", "Write OMOP CDM v5.4 + imaging rows from the catalog");
  cmd->footer(
      "Examples:\n"
      "  dicometl omop --db sqlite:catalog.db --missing-person create --visits\n"
      "  dicometl omop --db postgresql://etl@db/cdm --cdm-schema cdm --imaging-schema imaging \\\n"
      "      --person-schema imaging --person-table mappingtable --person-id-column "
      "source_person_id \\\n"
      "      --patient-id-column source_patient_id --missing-person zero\n"
      "  dicometl omop --db postgresql://etl@db/cdm --shard 2/8   # patients of shard 2 of 8\n"
      "Re-running adds nothing; files are not re-read (the catalog holds every element).\n"
      "--shard splits by PatientID: run it once every ingest shard is done (docs/scale.md).");
  cmd->add_option("--db", args->db, "Database URL holding the catalog: sqlite:FILE or postgresql://…");
  cmd->add_flag("--load-vocab", args->vocab, "Load the DICOM vocabulary first (as `vocab load`)");
  cmd->add_flag("--json", args->json, "Print the counts as JSON");
  add_omop_options(cmd, args->omop);
  add_shard_options(cmd, args->shard, "the catalog's patients", /*walks=*/false);
  return [args] {
    auto o = omop_options(args->omop);
    auto db = storage::open_database(args->db, storage::OpenMode::kExisting);  // reads a catalog
    if (args->vocab) print_vocab_waiting(omop::load_vocabulary(*db, o, false));
    omop::ensure_omop_schema(*db, o);
    auto catalog = storage::open_database(args->db);  // reads pages while `db` writes
    auto c = omop::omop_from_catalog(*db, o, 1000, catalog.get(), shard_filter(args->shard).shard);
    print_omop_counts(c, args->json);
    return static_cast<int>(kDone);
  };
}

const CommandRegistration kRegisterOmop("omop", 20, &add_omop);

}  // namespace dicometl::cli
