#include "dicometl/upload/sender.hpp"

#include <chrono>
#include <thread>
#include <unordered_set>

#include "dicometl/dicom/store_scu.hpp"

namespace dicometl::upload {

void DeadServerGuard::unreachable(const std::string& why) {
  {
    std::lock_guard<std::mutex> lock(m_);
    last_ = why;
  }
  if (++in_a_row_ >= limit_ && limit_ > 0) tripped_ = true;
}

std::string DeadServerGuard::reason() const {
  if (!tripped()) return {};
  std::lock_guard<std::mutex> lock(m_);
  return std::to_string(limit_) +
         " connection attempts in a row could not reach the server (last: " + last_ + ")";
}

Sender::Sender(const UploadOptions& options, DeadServerGuard& guard)
    : options_(options), guard_(guard) {
  const bool web = options.to.protocol == Protocol::kDicomWeb;
  if (web || !options.orthanc.empty())
    web_ = std::make_unique<DicomWebClient>(web ? options.to.base : "",
                                            web ? options.to.credentials : http::Credentials{},
                                            options.orthanc, options.timeout_seconds);
}

void Sender::sleep_ms(long ms) const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stopping() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void Sender::send_once(const std::vector<const UploadItem*>& items,
                       const std::vector<ItemResult*>& results) {
  if (options_.to.protocol == Protocol::kDicomWeb) {
    web_->stow(items, results);
    return;
  }
  dicom::StoreScuOptions so;
  so.calling_aet = options_.calling_aet;
  so.called_aet = options_.to.aet;
  so.host = options_.to.host;
  so.port = options_.to.port;
  so.timeout_seconds = options_.timeout_seconds;
  so.allow_decompression = options_.decompress;
  std::vector<dicom::StoreItem> files;
  files.reserve(items.size());
  for (const auto* it : items) files.push_back({it->path, it->sop_instance_uid});
  const auto outcomes = dicom::store_files(so, files);
  for (std::size_t i = 0; i < items.size(); ++i) {
    ItemResult& r = *results[i];
    const auto& o = outcomes[i];
    ++r.attempts;
    r.transfer_syntax_uid = o.transfer_syntax_uid;
    r.status = o.stored ? Status::kSent : Status::kFailed;
    r.retryable = !o.stored && o.retryable;
    r.unreachable = !o.stored && o.unreachable;
    r.error = o.stored ? "" : o.error;
  }
}

void Sender::note_contact(const std::vector<ItemResult*>& results) {
  // One request/association per call: it reached the server unless every instance says not.
  const ItemResult* unreachable = nullptr;
  for (const auto* r : results) {
    if (!r->unreachable) {
      guard_.reached();
      return;
    }
    unreachable = r;
  }
  if (unreachable) guard_.unreachable(unreachable->error);
}

void Sender::send(const std::vector<const UploadItem*>& items,
                  const std::vector<ItemResult*>& results) {
  std::vector<const UploadItem*> pending;
  std::vector<ItemResult*> pending_results;
  // 1. what the server has already (DICOMweb only; a DIMSE peer is trusted to our records)
  std::unordered_set<std::string> present;
  bool asked = false;
  if (options_.to.protocol == Protocol::kDicomWeb && !options_.resend && !items.empty()) {
    std::string error;
    for (int attempt = 1; attempt <= options_.attempts && !stopping(); ++attempt) {
      bool unreachable = false;
      const bool ok =
          web_->existing(items[0]->study_uid, items[0]->series_uid, present, error, unreachable);
      if (unreachable)
        guard_.unreachable(error);
      else
        guard_.reached();
      if (ok) {
        asked = true;
        break;
      }
      if (attempt < options_.attempts) sleep_ms(static_cast<long>(options_.backoff_ms) << (attempt - 1));
    }
    // Not being able to ask is not fatal: sending again is harmless for a DICOM server, and
    // the send itself will report an unreachable server per instance.
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (asked && present.count(items[i]->sop_instance_uid)) {
      results[i]->status = Status::kAlreadyPresent;
      results[i]->uploaded_url = instance_url(options_.to.base, *items[i]);
      results[i]->server_id = results[i]->uploaded_url;
      continue;
    }
    pending.push_back(items[i]);
    pending_results.push_back(results[i]);
  }
  // 2. send, retrying transient failures with exponential backoff
  for (int attempt = 1; attempt <= options_.attempts && !pending.empty(); ++attempt) {
    if (attempt > 1) sleep_ms(static_cast<long>(options_.backoff_ms) << (attempt - 2));
    if (stopping()) break;
    send_once(pending, pending_results);
    note_contact(pending_results);
    std::vector<const UploadItem*> again;
    std::vector<ItemResult*> again_results;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (pending_results[i]->status == Status::kFailed && pending_results[i]->retryable) {
        again.push_back(pending[i]);
        again_results.push_back(pending_results[i]);
      }
    }
    pending.swap(again);
    pending_results.swap(again_results);
  }
  for (auto* r : pending_results)  // stopped before any try: say so rather than stay silent
    if (r->attempts == 0)
      r->error = guard_.tripped() ? "not attempted: the server could not be reached"
                                  : "not attempted: the run was stopped";
  // 3. the server's own ids, when Orthanc's REST API was given
  if (!options_.orthanc.empty()) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (results[i]->status == Status::kFailed) continue;
      std::string id = web_->orthanc_id(items[i]->sop_instance_uid);
      if (!id.empty()) results[i]->server_id = std::move(id);
    }
  }
}

}  // namespace dicometl::upload
