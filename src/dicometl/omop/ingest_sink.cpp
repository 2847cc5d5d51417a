#include "dicometl/omop/ingest_sink.hpp"

namespace dicometl::omop {

void IngestSink::on_start(storage::Database& db) { writer_ = std::make_unique<OmopWriter>(db, o_); }

void IngestSink::on_instance(const Instance& inst, bool is_new) { writer_->on_instance(inst, is_new); }

void IngestSink::on_instances(const std::vector<const Instance*>& group, const std::vector<bool>& is_new) {
  writer_->on_instances(group, is_new);
}

void IngestSink::on_batch_end() {
  if (writer_) writer_->on_batch_end();
}

}  // namespace dicometl::omop
