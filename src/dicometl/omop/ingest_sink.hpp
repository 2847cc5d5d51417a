#pragma once
// The OMOP output joining an ingest run (`dicometl ingest --omop`): the same pass and the same
// transactions as the catalog.
#include <memory>

#include "dicometl/omop/omop_writer.hpp"
#include "dicometl/source/shard.hpp"

namespace dicometl::omop {

class IngestSink final : public pipeline::InstanceSink {
 public:
  explicit IngestSink(Options o) : o_(std::move(o)) {}
  //! Writes through the catalog writer's connection, inside its transactions.
  void on_start(storage::Database& db) override;
  void on_instance(const Instance& inst, bool is_new) override;
  void on_instances(const std::vector<const Instance*>& group, const std::vector<bool>& is_new) override;
  void on_batch_end() override;
  OmopCounts counts() const { return writer_ ? writer_->counts() : OmopCounts{}; }

 private:
  Options o_;
  std::unique_ptr<OmopWriter> writer_;  // lives for one run: holds the run's connection
};

//! Writes OMOP rows for every catalogued instance, reading the catalog (dicom_json), never the
//! files. Commits every `batch` instances. Re-running adds nothing. `catalog`: a second
//! connection to the same database to read the catalog through (faster: reading overlaps
//! writing), or null to read through `db`.
//! With `shard`, only the instances of the shard's patients (PatientID hashed as shard.hpp says):
//! a person, and each of its studies and series, is then written by one process from the same
//! instances in the same order as a single run would, so N shards in parallel (into one
//! database, after every ingest shard is done) give a single run's rows (docs/scale.md).
OmopCounts omop_from_catalog(storage::Database& db, const Options& o, std::size_t batch = 1000,
                             storage::Database* catalog = nullptr, const source::Shard& shard = {});

//! The catalog's DICOM JSON (PS3.18 F) back into a Dataset (private creators restored).
Dataset dataset_from_dicom_json(std::string_view json);

}  // namespace dicometl::omop
