#pragma once
// `dicometl ingest --omop`: the OMOP output in the same pass as the catalog.
#include <memory>

#include "cmd_omop_options.hpp"
#include "dicometl/omop/ingest_sink.hpp"
#include "dicometl/omop/omop_writer.hpp"
#include "dicometl/omop/schema.hpp"
#include "dicometl/omop/vocabulary_load.hpp"
#include "dicometl/pipeline/ingest.hpp"

namespace dicometl::cli {

void print_omop_counts(const omop::OmopCounts& c, bool json);  // cmd_omop.cpp
//! Vocabulary load counts as text or one JSON object, and the Maps to rows still waiting (stderr).
void print_vocab_counts(const omop::VocabCounts& c, bool json);  // cmd_vocab.cpp
void print_vocab_waiting(const omop::VocabCounts& c);

struct OmopIngestHook {
  bool enabled = false;
  OmopArgs args;
  std::unique_ptr<omop::IngestSink> sink;

  //! When --omop is set: creates missing OMOP tables and adds the sink to `o` (it writes through
  //! the catalog writer's connection). Returns `connect`.
  pipeline::Connect attach(pipeline::IngestOptions& o, pipeline::Connect connect) {
    if (!enabled) return connect;
    const omop::Options opts = omop_options(args);
    {
      auto db = connect();
      omop::ensure_omop_schema(*db, opts);
      storage::in_transaction(*db, [&] { omop::write_cdm_source(*db, opts); });
    }
    sink = std::make_unique<omop::IngestSink>(opts);
    o.sinks.push_back(sink.get());
    return connect;
  }
  //! Prints what the OMOP output wrote (stderr under --json, so stdout stays one JSON object).
  void report(bool json) const {
    if (!sink) return;
    if (json) {
      const auto c = sink->counts();
      fmt::print(stderr, "dicometl: OMOP {} procedure_occurrence, {} image_occurrence, {} metadata rows\n",
                 c.procedures, c.image_occurrences, c.metadata_rows);
    } else {
      print_omop_counts(sink->counts(), false);
    }
  }
};

//! Registers --omop and the OMOP options on the ingest command.
inline std::shared_ptr<OmopIngestHook> add_omop_to_ingest(CLI::App* cmd) {
  auto hook = std::make_shared<OmopIngestHook>();
  cmd->add_flag("--omop", hook->enabled, "Also write OMOP CDM + imaging rows (same pass)")->group("OMOP");
  add_omop_options(cmd, hook->args);
  return hook;
}

}  // namespace dicometl::cli
