// dicometl vocab load: the shipped DICOM vocabulary into a database.
#include <fmt/core.h>

#include <memory>

#include "cmd_omop_ingest.hpp"
#include "cmd_omop_options.hpp"
#include "commands.hpp"
#include "dicometl/omop/vocabulary_data.hpp"
#include "dicometl/omop/vocabulary_load.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::cli {

namespace {
struct VocabArgs {
  std::string db = "sqlite:dicometl.db";
  bool truncate = false;
  bool json = false;
  OmopArgs omop;
};
}  // namespace

Action add_vocab(CLI::App& app) {
  auto args = std::make_shared<VocabArgs>();
  auto* cmd = app.add_subcommand("vocab", "Manage the DICOM vocabulary in an OMOP database");
  cmd->require_subcommand(1);
  auto* load = cmd->add_subcommand("load", "Load the DICOM vocabulary shipped with dicometl (idempotent)");
  load->footer(std::string("Vocabulary: ") + omop::kVocabularyVersion +
               "\nExamples:\n"
               "  dicometl vocab load --db sqlite:omop.db\n"
               "  dicometl vocab load --db postgresql://etl@db/cdm --vocab-schema vocab --imaging-schema imaging\n"
               "  dicometl vocab load --db postgresql://etl@db/cdm --truncate   # reload DICOM rows only");
  load->add_option("--db", args->db, "Database URL: sqlite:FILE or postgresql://…");
  load->add_flag("--truncate", args->truncate, "First delete the DICOM vocabulary's rows (only those)");
  load->add_flag("--json", args->json, "Print the counts as JSON");
  add_omop_options(load, args->omop);
  return [args] {
    auto db = storage::open_database(args->db);
    auto c = omop::load_vocabulary(*db, omop_options(args->omop), args->truncate);
    if (args->json) {
      print_vocab_counts(c, true);
    } else {
      fmt::print("DICOM vocabulary ({}) in {}: {} concepts, {} relationships, {} data elements{}\n",
                 omop::kVocabularyVersion, db->display_name(), c.concepts, c.relationships,
                 c.data_elements, args->truncate ? fmt::format(" ({} rows removed first)", c.removed) : "");
      print_vocab_waiting(c);
    }
    return static_cast<int>(kDone);
  };
}

void print_vocab_waiting(const omop::VocabCounts& c) {
  if (c.waiting)
    fmt::print(stderr,
               "dicometl: {} Maps to rows wait for their target concepts (SNOMED), absent from "
               "concept: load Athena's vocabulary, then run vocab load again\n",
               c.waiting);
}

void print_vocab_counts(const omop::VocabCounts& c, bool json) {
  if (json)
    fmt::print(
        "{{\"concepts\":{},\"relationships\":{},\"data_elements\":{},\"removed\":{},"
        "\"waiting\":{}}}\n",
        c.concepts, c.relationships, c.data_elements, c.removed, c.waiting);
  else
    fmt::print("DICOM vocabulary: {} concepts, {} relationships, {} data elements\n", c.concepts,
               c.relationships, c.data_elements);
  print_vocab_waiting(c);
}

const CommandRegistration kRegisterVocab("vocab", 40, &add_vocab);

}  // namespace dicometl::cli
